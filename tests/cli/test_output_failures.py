"""A standard output that cannot be written (a full disk, a closed descriptor): one line
on stderr and exit status 2 for every command that prints, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "sample_profiles"
TAYLOR = str(SAMPLES / "taylor.prof")
BEFORE, AFTER = str(SAMPLES / "diff" / "before.prof"), str(SAMPLES / "diff" / "after.prof")

COMMANDS = [
    ["stats", TAYLOR],
    ["stats", TAYLOR, "--json"],
    ["tree", TAYLOR],
    ["tree", TAYLOR, "--json"],
    ["diff", BEFORE, AFTER],
    ["diff", "--json", BEFORE, AFTER],
    ["--version"],
    ["--help"],
    ["stats", "--help"],
    ["diff", "--help"],
]

needs_dev_full = pytest.mark.skipif(
    not os.path.exists("/dev/full"), reason="needs /dev/full (a device that is always full)"
)


def run(args: list[str], **streams: Any) -> subprocess.CompletedProcess[str]:
    done: subprocess.CompletedProcess[str] = subprocess.run(
        [sys.executable, "-m", "tuiprof", *args],
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=120,
        **streams,
    )
    return done


@needs_dev_full
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_standard_output_is_one_line_and_status_2(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = run(args, stdout=full)
    assert done.stderr == "tuiprof: cannot write to standard output: No space left on device\n"
    assert done.returncode == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="closes a descriptor in a POSIX child")
@pytest.mark.parametrize("args", [*COMMANDS, ["export", TAYLOR, "-f", "dot"]], ids=" ".join)
def test_a_closed_standard_output_is_one_line_and_status_2(args: list[str], tmp_path: Path) -> None:
    done = run(args, stdout=None, cwd=tmp_path, preexec_fn=lambda: os.close(1))
    assert done.stderr == "tuiprof: cannot write to standard output: it is closed\n"
    assert done.returncode == 2
    assert list(tmp_path.iterdir()) == []  # nothing written


@needs_dev_full
def test_an_export_into_a_full_standard_output_keeps_its_file(tmp_path: Path) -> None:
    # The file was written in full before its path was printed: it stays.
    target = tmp_path / "out.dot"
    with open("/dev/full", "w") as full:
        done = run(["export", TAYLOR, "-f", "dot", "-o", str(target)], stdout=full)
    assert done.stderr == "tuiprof: cannot write to standard output: No space left on device\n"
    assert done.returncode == 2
    assert target.read_text().startswith("digraph")


def test_a_reader_that_leaves_early_is_still_success() -> None:
    # `tuiprof stats … | head`: a broken pipe is not an output failure.
    reader = subprocess.Popen(
        [sys.executable, "-m", "tuiprof", "stats", TAYLOR, "--limit", "80"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None
    reader.stdout.readline()
    reader.stdout.close()
    assert reader.wait(timeout=120) == 0
    assert reader.stderr is not None and reader.stderr.read() == ""


@pytest.mark.parametrize("stdin_tty", [False, True])
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_the_explorer_without_a_terminal_is_refused_at_once(
    stdin_tty: bool, tmp_path: Path
) -> None:
    # It would wait for keys that never come (killed by a timeout, writing escape
    # codes into the pipe); a bad file is still named first.
    import pty

    leader, follower = pty.openpty()
    try:
        stdin = follower if stdin_tty else subprocess.DEVNULL
        done = subprocess.run(
            [sys.executable, "-m", "tuiprof", TAYLOR],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "tuiprof: the explorer needs a terminal (standard input and output); "
        "for a report in a pipe or a file, use tuiprof stats or tuiprof tree\n"
    )
    missing = run([str(tmp_path / "nosuch.prof")], stdout=subprocess.PIPE)
    assert missing.returncode == 2
    assert missing.stderr == f"tuiprof: {tmp_path / 'nosuch.prof'}: no such file\n"
