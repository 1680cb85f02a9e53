"""``tuiprof diff`` headless: JSON, the text table, the CI gate, input errors."""

from __future__ import annotations

import io
import json
import marshal
import pstats
import re
from pathlib import Path
from typing import Any

import pytest

from tests.model.diff_support import APPEND_IS_NEW, kernprof_program, profiled_change
from tuiprof.cli import main


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return profiled_change(tmp_path_factory.mktemp("diffcli"))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["diff", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def diff_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    status, out, err = run([*args, "--json"], capsys)
    assert status == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def test_json_lists_every_function_with_pstats_figures(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = change
    document = diff_json([str(before), str(after)], capsys)
    assert set(document) == {"before", "after", "total_delta", "functions"}
    stats = [pstats.Stats(str(path)) for path in change]
    totals = [s.total_tt for s in stats]  # type: ignore[attr-defined]
    assert document["before"] == {"files": [str(before)], "total_time": totals[0]}
    assert document["after"] == {"files": [str(after)], "total_time": totals[1]}
    assert document["total_delta"] == totals[1] - totals[0]
    seen: list[set[tuple[str, int, str]]] = [set(), set()]
    # A built-in named with an object's address is paired across the runs and
    # shown under the after run's name: the before side's key has its own address.
    unaddressed = [
        {(k[0], k[1], re.sub(" at 0x[0-9a-f]+", "", k[2])): k for k in s.stats}  # type: ignore[attr-defined]
        for s in stats
    ]
    for entry in document["functions"]:
        assert set(entry) == {"name", "status", "before", "after", "delta"}
        sides = []
        for index, side in enumerate(("before", "after")):
            figures = entry[side]
            if figures is None:
                sides.append((0, 0.0, 0.0))
                continue
            key = (figures["file"], figures["line"], entry["name"])
            if key not in stats[index].stats:  # type: ignore[attr-defined]
                key = unaddressed[index][(key[0], key[1], re.sub(" at 0x[0-9a-f]+", "", key[2]))]
            assert key not in seen[index]
            seen[index].add(key)
            cc, nc, tt, ct, _ = stats[index].stats[key]  # type: ignore[attr-defined]
            assert figures == {
                "file": key[0],
                "line": key[1],
                "ncalls": nc,
                "primitive_calls": cc,
                "tottime": tt,
                "cumtime": ct,
            }
            sides.append((nc, tt, ct))
        assert entry["delta"] == {
            "ncalls": sides[1][0] - sides[0][0],
            "tottime": sides[1][1] - sides[0][1],
            "cumtime": sides[1][2] - sides[0][2],
        }
        expected = (
            "new" if entry["before"] is None else "removed" if entry["after"] is None else None
        )
        if expected:
            assert entry["status"] == expected
        else:
            assert entry["status"] in ("changed", "same")
    for index in range(2):
        assert seen[index] == set(stats[index].stats)  # type: ignore[attr-defined]


@APPEND_IS_NEW
def test_json_default_order_is_the_largest_slowdown_first(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    document = diff_json([str(p) for p in change], capsys)
    deltas = [entry["delta"]["tottime"] for entry in document["functions"]]
    assert deltas == sorted(deltas, reverse=True)
    (append,) = [
        e for e in document["functions"] if e["name"] == "<method 'append' of 'list' objects>"
    ]
    assert append["status"] == "new" and append["delta"]["ncalls"] == append["after"]["ncalls"]


def test_normalize_scales_the_before_side(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    document = diff_json([*map(str, change), "--normalize"], capsys)
    scale = document["before"]["scale"]
    totals = [pstats.Stats(str(p)).total_tt for p in change]  # type: ignore[attr-defined]
    assert scale == totals[1] / totals[0]
    assert document["before"]["total_time"] == pytest.approx(totals[1])
    assert document["total_delta"] == pytest.approx(0.0, abs=1e-12)


@APPEND_IS_NEW
def test_text_table_sorts_and_limits(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run([*map(str, change), "--sort", "ncalls-delta", "--limit", "3"], capsys)
    assert status == 0
    lines = out.splitlines()
    assert lines[2].startswith("total:  ") and "→" in lines[2] and "−" in lines[2]
    assert "showing 3 of" in lines[3]
    table = lines[lines.index("") + 2 :]
    assert len(table) == 3
    # the most new calls of this change: list.append, which join needs
    assert table[0].split()[0] == "new" and "'append' of 'list'" in table[0]
    status, out, _ = run([*map(str, change), "--sort", "name", "--filter", "report.py"], capsys)
    names = [line.split("  ")[-2].strip() for line in out.splitlines()[6:]]
    assert names == sorted(names, key=str.lower)


def test_fail_over_passes_a_faster_run(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run([*map(str, change), "--fail-over", "5"], capsys)
    assert status == 0
    assert out.splitlines()[-1].startswith("tuiprof: ok: total time")
    assert "within the --fail-over limit of 5%" in out.splitlines()[-1]


def test_fail_over_fails_a_slower_run(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = change
    status, out, _ = run([str(after), str(before), "--fail-over", "5"], capsys)
    assert status == 1
    last = out.splitlines()[-1]
    assert (
        last.startswith("tuiprof: FAIL: total time") and "over the --fail-over limit of 5%" in last
    )


def test_fail_over_on_one_function(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = change
    status, out, err = run(
        [str(after), str(before), "--fail-over", "50", "--function", "add_row", "--json"], capsys
    )
    assert status == 1
    json.loads(out)  # stdout stays one JSON document; the verdict goes to stderr
    assert err.splitlines()[-1].startswith("tuiprof: FAIL: cumtime of add_row")
    status, out, _ = run(
        [str(before), str(after), "--fail-over", "0", "--function", "tiny"], capsys
    )
    assert status in (0, 1)
    assert "cumtime of tiny" in out.splitlines()[-1]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--fail-over", "5", "--function", "__init__"], "functions match '__init__'"),
        (["--fail-over", "5", "--function", "no_such_function"], "no function matches"),
        (["--function", "tiny"], "--function needs --fail-over"),
        (["--fail-over", "-3"], "must be a percentage"),
        (["--filter", "("], "--filter"),
        (["--sort", "speed"], "invalid choice"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    status, out, err = run([*map(str, change), *extra], capsys)
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize("bad", ["missing", "empty", "random"])
def test_bad_inputs_exit_2_with_one_line(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, bad: str
) -> None:
    path = tmp_path / "bad.prof"
    if bad == "empty":
        path.write_bytes(b"")
    elif bad == "random":
        path.write_bytes(bytes(range(256)) * 4)
    status, out, err = run([str(change[0]), str(path), "--json"], capsys)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and str(path) in err


def test_sides_of_several_files_split_at_double_dash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = profiled_change(tmp_path)
    before_lines = kernprof_program(tmp_path / "before" / "run.py", tmp_path / "before.lprof")
    after_lines = kernprof_program(tmp_path / "after" / "run.py", tmp_path / "after.lprof")
    document = diff_json(
        [str(before), str(before_lines), "--", str(after), str(after_lines)], capsys
    )
    assert document["before"]["files"] == [str(before), str(before_lines)]
    assert document["after"]["files"] == [str(after), str(after_lines)]
    status, _, err = run([str(before), str(after), str(after_lines)], capsys)
    assert status == 2 and "separate the two sides" in err
    status, _, err = run([str(before), "--"], capsys)
    assert status == 2 and "after side is empty" in err
    for args in (["--", str(before), str(after)], ["--sort", "cumtime", "--", str(after)]):
        status, _, err = run(args, capsys)
        assert status == 2 and "no files before --: the before side is empty" in err
    document = diff_json(["--sort", "cumtime", str(before), "--", str(after)], capsys)
    assert document["before"]["files"] == [str(before)]


def test_normalize_with_a_side_of_no_time_warns_and_compares_unscaled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = profiled_change(tmp_path)
    empty = tmp_path / "empty.prof"
    empty.write_bytes(marshal.dumps({}))
    for sides, which in (([empty, after], "before"), ([before, empty], "after")):
        status, out, err = run([*map(str, sides), "--normalize", "--json"], capsys)
        assert status == 0
        assert (
            f"tuiprof: warning: --normalize: the {which} side's total time is 0: "
            "the times are compared unscaled"
        ) in err
        assert json.loads(out)["before"]["scale"] == 1


def test_a_side_of_line_data_alone_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ``.prof`` against a ``.lprof`` alone: compared as asked, with one warning."""
    before, _after = profiled_change(tmp_path)
    lines = kernprof_program(tmp_path / "after" / "run.py", tmp_path / "after.lprof")
    status, out, err = run([str(before), str(lines), "--json"], capsys)
    assert status == 0 and json.loads(out)["after"]["files"] == [str(lines)]
    assert err.count("\n") == 1 and "the after side is line data alone" in err
    status, _, err = run([str(before), str(before), "--json"], capsys)
    assert status == 0 and "line data alone" not in err


def test_path_map_matches_checkouts(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    before, after = change
    mapped = f"{before.parent / 'before'}={after.parent / 'after'}"
    document = diff_json([str(before), str(after), "--path-map", mapped], capsys)
    statuses = {e["name"]: e["status"] for e in document["functions"]}
    assert statuses["add_row"] == "changed"
    status, _, err = run([str(before), str(after), "--path-map", "nonsense"], capsys)
    assert status == 2 and "OLD=NEW" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_without_table_options_opens_the_screen(
    change: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuiprof.app import TuiprofApp
    from tuiprof.diff_command import parse_diff_args, run_diff

    opened: list[TuiprofApp] = []

    def fake_run(app: TuiprofApp) -> int:
        opened.append(app)
        return 0

    monkeypatch.setattr(TuiprofApp, "run", fake_run)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    out = _Terminal()
    assert run_diff(parse_diff_args([*map(str, change)]), out) == 0
    assert len(opened) == 1 and out.getvalue() == ""
    assert opened[0].diff is not None
    assert opened[0].diff.before.files == (str(change[0]),)
    # a table option keeps it headless, even on a terminal
    assert run_diff(parse_diff_args([*map(str, change), "--limit", "2"]), out) == 0
    assert len(opened) == 1 and "showing 2 of" in out.getvalue()


def test_the_command_ends_without_freeing_and_loses_no_output(
    change: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """``tuiprof diff`` in its own process ends with ``os._exit``: its output is all there."""
    import subprocess
    import sys

    from tuiprof import ending

    args = ["diff", *map(str, reversed(change)), "--json", "--fail-over", "0"]  # slower
    done = subprocess.run(
        [sys.executable, "-m", "tuiprof", *args], capture_output=True, text=True, timeout=120
    )
    status, out, err = run(args[1:], capsys)
    assert ending._kept is None  # in-process calls keep nothing
    assert (done.returncode, done.stdout, done.stderr) == (status, out, err)
    assert status == 1 and json.loads(done.stdout)["functions"]
    assert err.startswith("tuiprof: FAIL: total time")
