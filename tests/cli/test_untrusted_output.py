"""What reaches a terminal from someone else's profile: names shown, never sent.

Every output of ``tuiprof stats`` and ``tuiprof export`` (the plain table, the
Rich table, JSON, the messages on stderr) is fed names holding escape
sequences, control characters and lone surrogates.
"""

from __future__ import annotations

import io
import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.model.test_loaders_support import marshal_file
from tuiprof import report
from tuiprof.cli import main
from tuiprof.model.loaders import load_profile
from tuiprof.report_json import write_json

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
TITLE = "\x1b]0;owned\x07"
CLEAR = "\x1b[2J\x1b[H"
RAW = (OSC52, TITLE, CLEAR, "\x1b]", "\x1b[2J", "\x07", "\r", "\x9b", "\x7f", "\ud800")

MAIN = ("/src/app.py", 1, "main")
HOSTILE_KEYS = [
    ("/src/app.py", 10, f"clip{OSC52}"),
    ("/src/app.py", 20, f"title{TITLE}"),
    (f"/src/{CLEAR}evil.py", 30, "clear"),
    ("/src/app.py", 40, "two\nlines\rback"),
    ("/src/app.py", 50, "c1\x9b31m\x85del\x7f"),
    ("/src/app.py", 60, "lone\ud800surrogate"),
]


def hostile_stats() -> dict[Any, Any]:
    stats: dict[Any, Any] = {MAIN: (1, 1, 0.01, 0.5, {})}
    for i, key in enumerate(HOSTILE_KEYS):
        stats[key] = (
            i + 1,
            i + 1,
            0.01 * (i + 1),
            0.02 * (i + 1),
            {MAIN: (i + 1, i + 1, 0.01, 0.02)},
        )
    return stats


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return marshal_file(tmp_path, "hostile.prof", hostile_stats())


def assert_nothing_raw(text: str) -> None:
    for raw in RAW:
        assert raw not in text, repr(raw)


def run_utf8(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """``main(args)`` with stdout and stderr as strict UTF-8, as a real terminal has them."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict")
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    status = main(args)
    stdout.flush()
    stderr.flush()
    return status, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def test_the_plain_table_shows_escapes_one_row_per_function(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _err = run_utf8(["stats", str(hostile), "--sort", "name"], monkeypatch)
    assert status == 0
    assert_nothing_raw(out)
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["ncalls"])
    assert len(lines) - start - 1 == len(HOSTILE_KEYS) + 1  # one row per function
    for shown in ("\\x1b]52;c;", "\\x1b]0;owned\\x07", "\\x1b[2J", "two\\nlines\\rback"):
        assert shown in out
    assert "lone\\ud800surrogate" in out
    assert "c1\\x9b31m\\x85del\\x7f" in out


def test_the_rich_table_shows_escapes(
    hostile: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(report, "_wants_rich", lambda out: True)
    monkeypatch.setenv("FORCE_COLOR", "1")  # styles on: the only escapes are Rich's own
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["stats", str(hostile)]) == 0
    out = capsys.readouterr().out
    assert_nothing_raw(out)
    assert "\\x1b]52;c;" in out and "two\\nlines\\rback" in out and "\\ud800" in out


def test_json_keeps_the_raw_names_as_valid_json(
    hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, _err = run_utf8(["stats", str(hostile), "--json"], monkeypatch)
    assert status == 0
    assert out.isascii()  # control characters and surrogates are JSON escapes
    assert_nothing_raw(out)
    document = json.loads(out)
    names = {(f["file"], f["line"], f["name"]) for f in document["functions"]}
    assert set(HOSTILE_KEYS) <= names


def test_warnings_and_errors_on_stderr_show_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    negative = {MAIN: (1, 1, -0.5, 0.5, {})}
    warned = marshal_file(tmp_path, f"neg{TITLE}.prof", negative)
    status, _out, err = run_utf8(["stats", str(warned)], monkeypatch)
    assert status == 0 and "negative" in err
    assert_nothing_raw(err)
    assert "neg\\x1b]0;owned\\x07.prof" in err

    bad = tmp_path / f"bad{CLEAR}\n.prof"
    bad.write_bytes(b"\x00garbage")
    status, _out, err = run_utf8(["stats", str(bad)], monkeypatch)
    assert status == 2
    assert_nothing_raw(err)
    assert err.count("\n") == 1 and "bad\\x1b[2J\\x1b[H\\n.prof" in err


def test_export_messages_show_escapes(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_path = tmp_path / f"out{TITLE}.dot"
    status, out, _err = run_utf8(
        ["export", str(hostile), "-f", "dot", "-o", str(out_path)], monkeypatch
    )
    assert status == 0 and out_path.exists()
    assert_nothing_raw(out)
    assert "out\\x1b]0;owned\\x07.dot" in out
    status, _out, err = run_utf8(
        ["export", str(hostile), "-f", "dot", "-o", str(out_path)], monkeypatch
    )
    assert status == 2 and "exists" in err
    assert_nothing_raw(err)


def test_json_is_never_nan_or_infinity(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Each file is finite; merged, the same function's time overflows to infinity.
    stats = {MAIN: (1, 1, 1.5e308, 0.0, {}), ("/src/app.py", 5, "leaf"): (1, 1, 0.25, 0.25, {})}
    a = marshal_file(tmp_path, "a.prof", stats)
    b = marshal_file(tmp_path, "b.prof", stats)
    assert main(["stats", str(a), str(b), "--json"]) == 0
    out = capsys.readouterr().out

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    document = json.loads(out, parse_constant=refuse)
    assert document["total_time"] is None
    assert {f["name"]: f["tottime"] for f in document["functions"]} == {"main": None, "leaf": 0.5}


def test_computed_non_finite_figures_become_null(tmp_path: Path) -> None:
    path = marshal_file(tmp_path, "p.prof", {MAIN: (2, 2, 0.5, 1.0, {})})
    profile = load_profile([str(path)])
    profile.tottime[0] = math.inf  # as a sum of finite figures can become
    profile.cumtime[0] = math.nan
    out = io.StringIO()
    write_json(profile, [0], out)
    (entry,) = json.loads(out.getvalue())["functions"]
    assert entry["tottime"] is None and entry["cumtime"] is None
    assert "NaN" not in out.getvalue() and "Infinity" not in out.getvalue()


def test_caller_keys_of_odd_types_do_not_break_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = compile("1", "made.py", "eval")
    odd_callers = {
        (b"bytes.py", 1, "b"): (1, 1, 0.1, 0.1),
        (1j, 2, "complex"): (1, 1, 0.1, 0.1),
        ("set.py", 3, frozenset({"f"})): (1, 1, 0.1, 0.1),
        (code, 4, "code"): (1, 1, 0.1, 0.1),
        ("huge.py", 2**80, "big line"): (1, 1, 0.1, 0.1),
    }
    stats = {MAIN: (5, 5, 0.5, 0.5, odd_callers)}
    path = marshal_file(tmp_path, "odd.prof", stats)
    status = main(["stats", str(path), "--json"])
    captured = capsys.readouterr()
    if status == 2:  # a loader may refuse such keys: then with one line, and no output
        assert captured.err.count("\n") == 1 and not captured.out
        return
    assert status == 0
    (entry,) = json.loads(captured.out)["functions"]
    callers = {c["name"]: c for c in entry["callers"]}
    assert callers["b"]["file"] == "b'bytes.py'"
    assert callers["complex"]["file"] == "1j"
    assert "code object" in callers["code"]["file"]
    assert callers["big line"]["line"] == 2**80
    assert len(callers) == 5


def test_huge_counts_give_a_table_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = 2**1100  # too big for a float: the per-call figure cannot be a division
    stats = {MAIN: (huge, huge, 0.5, 1.0, {}), ("/src/app.py", 5, "leaf"): (1, 1, 0.25, 0.25, {})}
    path = marshal_file(tmp_path, "huge.prof", stats)
    status = main(["stats", str(path)])
    captured = capsys.readouterr()
    if status == 2:  # refused at load is as good: one line
        assert captured.err.count("\n") == 1
        return
    assert status == 0 and str(huge)[:20] in captured.out
    assert main(["stats", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["functions"][0]["ncalls"] == huge
