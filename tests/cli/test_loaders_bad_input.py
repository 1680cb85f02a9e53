"""Bad input, made here, through ``tuiprof.cli.main`` and ``python -m tuiprof stats``.

Each must end with exit status 2, exactly one line on stderr naming the file and
what it looks like, and no traceback; hostile pickles must run nothing.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import marshal
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from tuiprof.cli import main

MARKER = "tuiprof-pwned"

# --- making the inputs -----------------------------------------------------------------


def _good_pstats() -> bytes:
    return marshal.dumps({("app.py", 1, "main"): (1, 1, 0.5, 1.0, {})})


def _good_lprof() -> bytes:
    from line_profiler.line_profiler import LineStats

    return pickle.dumps(LineStats({("app.py", 1, "main"): [(2, 3, 400)]}, 1e-6))


def make_missing(folder: Path) -> Path:
    return folder / "nothing-here.prof"


def make_directory(folder: Path) -> Path:
    path = folder / "adir.prof"
    path.mkdir()
    return path


def make_fifo(folder: Path) -> Path:
    path = folder / "pipe.prof"
    os.mkfifo(path)
    return path


def make_unreadable(folder: Path) -> Path:
    path = folder / "secret.prof"
    path.write_bytes(_good_pstats())
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running with privileges that read any file")
    return path


def _writer(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


_random = bytes((i * 73 + 41) % 256 for i in range(2048))  # fixed, not a profile

BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (make_missing, "no such file"),
    "directory": (make_directory, "directory"),
    "fifo": (make_fifo, "not a regular file"),
    "unreadable": (make_unreadable, "permission denied"),
    "empty": (_writer("empty.prof", b""), "empty"),
    "truncated pstats": (_writer("cut.prof", _good_pstats()[:-7]), "truncated"),
    "truncated lprof": (_writer("cut.lprof", _good_lprof()[:-9]), "truncated"),
    "random bytes": (_writer("noise.prof", _random), "not a profile"),
    "json": (_writer("data.prof", json.dumps({"functions": []}).encode()), "JSON"),
    "text": (_writer("notes.prof", b"ncalls tottime percall\n1 0.1 0.1\n"), "text"),
    "gzip": (_writer("run.prof.gz", gzip.compress(_good_pstats())), "gzip"),
    "callgrind": (
        _writer("callgrind.out", b"# callgrind format\nevents: Ticks\nfn=main\n1 10\n"),
        "callgrind",
    ),
    "marshal list": (_writer("list.prof", marshal.dumps([1, 2, 3])), "type list"),
    "dict of the wrong shape": (_writer("shape.prof", marshal.dumps({"a": 1})), "shape"),
    "marshal code object": (
        _writer("code.prof", marshal.dumps(compile("x = 1", "x.py", "exec"))),
        "type code",
    ),
    "nan times": (
        _writer("nan.prof", marshal.dumps({("a.py", 1, "f"): (1, 1, float("nan"), 1.0, {})})),
        "NaN",
    ),
    "pickle of a list": (_writer("list.lprof", pickle.dumps([1, 2])), "not of line_profiler"),
}


# --- hostile pickles: each would create MARKER in the working folder if run -----------


class _System:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {MARKER}",))


class _Eval:
    def __reduce__(self) -> tuple[Any, ...]:
        return (eval, (f"open({MARKER!r}, 'w').close()",))


def _system_pickle() -> bytes:
    return pickle.dumps(_System(), protocol=2)


def _nested_in_linestats() -> bytes:
    from line_profiler.line_profiler import LineStats

    return pickle.dumps(LineStats({("app.py", 1, "main"): [(2, 1, cast(Any, _System()))]}, 1e-6))


def _eval_pickle() -> bytes:
    return pickle.dumps(_Eval(), protocol=4)


def _unicode(text: str) -> bytes:
    raw = text.encode()
    return b"\x8c" + bytes([len(raw)]) + raw


def _dotted_stack_global() -> bytes:
    # protocol 4: pathlib / "Path.touch" resolved through a dotted name, then
    # called on pathlib.Path(MARKER).
    return (
        b"\x80\x04"
        + _unicode("pathlib")
        + _unicode("Path.touch")
        + b"\x93"  # STACK_GLOBAL
        + _unicode("pathlib")
        + _unicode("Path")
        + b"\x93"
        + _unicode(MARKER)
        + b"\x85R"  # TUPLE1 REDUCE: Path(MARKER)
        + b"\x85R."  # TUPLE1 REDUCE: Path.touch(path)
    )


def _dotted_getattr() -> bytes:
    # builtins.getattr(os.path.os, "system")("touch MARKER"): os / "path.os" is a
    # dotted name that reaches the os module itself.
    return (
        b"\x80\x04"
        + _unicode("builtins")
        + _unicode("getattr")
        + b"\x93"
        + _unicode("os")
        + _unicode("path.os")
        + b"\x93"
        + _unicode("system")
        + b"\x86R"  # TUPLE2 REDUCE: getattr(os, "system")
        + _unicode(f"touch {MARKER}")
        + b"\x85R."  # TUPLE1 REDUCE: os.system("touch MARKER")
    )


HOSTILE: dict[str, Callable[[], bytes]] = {
    "posix.system reduce": _system_pickle,
    "system nested in a real LineStats": _nested_in_linestats,
    "builtins.eval": _eval_pickle,
    "dotted STACK_GLOBAL Path.touch": _dotted_stack_global,
    "builtins.getattr on dotted os path.os": _dotted_getattr,
}


def test_hostile_pickles_are_really_hostile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain unpickler does create the marker: the refusals below mean something."""
    monkeypatch.chdir(tmp_path)
    assert b"cposix\nsystem\n" in _system_pickle()
    for name, make in HOSTILE.items():
        marker = tmp_path / MARKER
        marker.unlink(missing_ok=True)
        with contextlib.suppress(Exception):
            pickle.loads(make())
        assert marker.exists(), name
        marker.unlink()


# --- running them ----------------------------------------------------------------------


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_subprocess(args: list[str], cwd: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "tuiprof", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return done.returncode, done.stdout, done.stderr


def assert_refused(status: int, out: str, err: str, path: Path, expected: str) -> None:
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith(f"tuiprof: {path}: ")
    assert expected.lower() in lines[0].lower()


def _with_timeout(function: Callable[[], Any], seconds: float = 10) -> Any:
    """Run in a thread so that a blocking open of a fifo fails the test, not CI."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(function()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "tuiprof hung on the input"
    return result[0]


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_in_process(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = BAD_INPUTS[case]
    path = make(tmp_path)
    status = _with_timeout(lambda: main(["stats", str(path)]))
    captured = capsys.readouterr()
    assert_refused(status, captured.out, captured.err, path, expected)


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_subprocess(case: str, tmp_path: Path) -> None:
    make, expected = BAD_INPUTS[case]
    path = make(tmp_path)
    status, out, err = run_subprocess(["stats", str(path)], tmp_path)
    assert_refused(status, out, err, path, expected)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_pickle_runs_nothing(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for suffix in (".lprof", ".prof"):
        path = tmp_path / f"hostile{suffix}"
        path.write_bytes(HOSTILE[case]())
        status, out, err = run_main(["stats", str(path)], capsys)
        assert_refused(status, out, err, path, "nothing was run")
        assert not (tmp_path / MARKER).exists()
        status, out, err = run_subprocess(["stats", str(path)], tmp_path)
        assert_refused(status, out, err, path, "nothing was run")
        assert not (tmp_path / MARKER).exists()


def test_negative_times_open_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "negative.prof"
    path.write_bytes(marshal.dumps({("a.py", 1, "f"): (1, 1, -0.25, 0.5, {})}))
    status, out, err = run_subprocess(["stats", str(path)], tmp_path)
    assert status == 0
    assert "-250.0ms" in out
    assert "warning" in err and "negative" in err
    assert "Traceback" not in err


def test_the_bad_file_is_named_among_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.prof"
    good.write_bytes(_good_pstats())
    bad = tmp_path / "bad.prof"
    bad.write_bytes(b"")
    status, out, err = run_main(["stats", str(good), str(bad)], capsys)
    assert_refused(status, out, err, bad, "empty")


def test_bad_filter_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.prof"
    good.write_bytes(_good_pstats())
    status, out, err = run_main(["stats", str(good), "--filter", "(unclosed"], capsys)
    assert status == 2 and out == ""
    assert len(err.splitlines()) == 1 and "--filter" in err


@pytest.mark.parametrize("command", [[], ["stats"], ["export", "--format", "dot"]])
def test_a_python_script_gets_the_commands_that_profile_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    script = tmp_path / "my app.py"
    script.write_text("import time\ntime.sleep(0)\n")
    assert main([*command, str(script)]) == 2
    captured = capsys.readouterr()
    quoted = f"'{script}'"
    assert captured.err.splitlines() == [
        f"tuiprof: {script}: is a Python script, not a profile: profile it with"
        f" `python -m cProfile -o out.prof {quoted}` or `tuiprof record {quoted}`"
    ]
    assert captured.out == ""
