"""However a program ends, ``tuiprof record`` ends as ``python`` does.

Each ending is run as ``python script.py`` (and ``python -m pkg``) and under
``tuiprof record``: the program's stdout and stderr, the exit status (a
negative one: killed by that signal) and a file it leaves open must be the
same, tuiprof's own lines aside.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.cli.test_record import python, record, tuiprof_lines, write

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="POSIX statuses are one byte")

ENDINGS = """\
import atexit
import sys

atexit.register(print, "atexit handler ran")
print("ran", end="")  # still buffered when the program ends
how = sys.argv[1]
log = open(sys.argv[2], "w")  # never closed: written when the interpreter is torn down
log.write(how)
if how == "message":
    sys.exit("boom msg")
if how == "three":
    sys.exit(3)
if how == "none":
    sys.exit(None)
if how == "zero":
    sys.exit(0)
if how == "true":
    sys.exit(True)
if how == "negative":
    sys.exit(-1)
if how == "over-a-byte":
    sys.exit(300)
if how == "raise-message":
    raise SystemExit("x")
if how == "several-args":
    raise SystemExit(1, 2)
if how == "stderr-none":
    sys.stderr = None
    sys.exit("to the process's stderr")
if how == "exception":
    raise ValueError("bad")
if how == "keyboard-interrupt":
    raise KeyboardInterrupt
"""

HOWS = [
    "message",
    "three",
    "none",
    "zero",
    "true",
    "negative",
    "raise-message",
    "several-args",
    "stderr-none",
    "exception",
    "keyboard-interrupt",
    "returns",
]


def program_stderr(stderr: str) -> str:
    """``stderr`` without tuiprof's own lines."""
    tuiprof = set(tuiprof_lines(stderr))
    return "".join(line for line in stderr.splitlines(True) if line.rstrip("\n") not in tuiprof)


def without_runpy_frames(stderr: str) -> str:
    """A ``python -m`` traceback without runpy's frames, which tuiprof's leaves out."""
    kept, skipping = [], False
    for line in stderr.splitlines(True):
        if line.startswith("  File "):
            skipping = '"<frozen runpy>"' in line or 'runpy.py"' in line
        elif not line.startswith("    "):
            skipping = False
        if not skipping:
            kept.append(line)
    return "".join(kept)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("dash_m", [False, True], ids=["script", "dash-m"])
def test_the_program_ends_as_under_python(tmp_path: Path, how: str, dash_m: bool) -> None:
    write(tmp_path, "endings.py", ENDINGS)
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/__main__.py", ENDINGS)
    program = ("-m", "pkg") if dash_m else ("endings.py",)
    plain = python(tmp_path, *program, how, "plain.log")
    done = record(tmp_path, "--no-open", "-o", "run.prof", *program, how, "done.log")

    assert done.returncode == plain.returncode, done.stderr
    assert done.stdout == plain.stdout
    assert (tmp_path / "done.log").read_text() == (tmp_path / "plain.log").read_text() == how
    expected = without_runpy_frames(plain.stderr) if dash_m else plain.stderr
    assert program_stderr(done.stderr) == expected
    (line,) = tuiprof_lines(done.stderr)
    assert line.startswith("tuiprof: wrote run.prof (")
    assert (tmp_path / "run.prof").is_file()


@pytest.mark.parametrize(
    ("how", "status", "message", "ending"),
    [
        ("message", 1, "boom msg\n", "exit 1"),
        ("raise-message", 1, "x\n", "exit 1"),
        ("true", 1, "", "exit 1"),
        ("three", 3, "", "exit 3"),
        ("none", 0, "", "exit 0"),
        # the status the shell sees, not the number given to sys.exit
        pytest.param("over-a-byte", 44, "", "exit 44", marks=POSIX_ONLY),
        pytest.param("negative", 255, "", "exit 255", marks=POSIX_ONLY),
        ("keyboard-interrupt", -signal.SIGINT, None, "interrupted"),
    ],
)
def test_what_is_said_of_each_ending(
    tmp_path: Path, how: str, status: int, message: str | None, ending: str
) -> None:
    write(tmp_path, "endings.py", ENDINGS)
    done = record(tmp_path, "--no-open", "endings.py", how, "log")

    assert done.returncode == status
    if message is not None:
        assert program_stderr(done.stderr) == message  # printed once
    else:
        assert program_stderr(done.stderr).endswith("\nKeyboardInterrupt\n")
    assert tuiprof_lines(done.stderr)[0].startswith(f"tuiprof: wrote endings.prof ({ending}, ")
    assert done.stdout == "ranatexit handler ran\n"
