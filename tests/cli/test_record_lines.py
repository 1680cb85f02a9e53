"""``tuiprof record --lines``: line timings from the same run, checked against kernprof's."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_record import function_names, record, write
from tuiprof.model.loaders import load_profile
from tuiprof.record.command import RecordOptions, UsageError, parse_record_args
from tuiprof.record.program import Program

pytest.importorskip("line_profiler")

# ``profile`` is kernprof's decorator when kernprof runs it, and nothing otherwise:
# the same file, with the same line numbers, runs under both.
KERNELS = """\
import sys

try:
    profile
except NameError:
    def profile(function):
        return function


@profile
def collatz(n):
    steps = 0
    while n != 1:
        if n % 2:
            n = 3 * n + 1
        else:
            n //= 2
        steps += 1
    return steps


class Table:
    def __init__(self):
        self.rows = []

    def add(self, value):
        if value > 100:
            self.rows.append(value)
        return len(self.rows)


def main():
    table = Table()
    for n in range(1, int(sys.argv[1])):
        table.add(collatz(n))
    print(len(table.rows))


if __name__ == "__main__":
    main()
"""


def line_timings(path: Path) -> dict[tuple[str, int, str], list[tuple[int, int]]]:
    """``{(file, first line, name): [(line, hits), ...]}``; our own test files.

    line_profiler 5 names methods by qualified name (``Table.add``), 4.x by
    name (``add``): the last part is compared.
    """
    with open(path, "rb") as stream:
        stats: Any = pickle.load(stream)
    return {
        (Path(key[0]).name, key[1], key[2].rpartition(".")[2]): sorted(
            (line, hits) for line, hits, _ in timings
        )
        for key, timings in stats.timings.items()
    }


def test_lines_equal_kernprofs_for_the_same_function(tmp_path: Path) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    kernprof = subprocess.run(
        [sys.executable, "-m", "kernprof", "-l", "-o", "kernprof.lprof", "kernels.py", "300"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert kernprof.returncode == 0, kernprof.stderr
    done = record(tmp_path, "--no-open", "--lines", "kernels.py", "300")
    assert done.returncode == 0, done.stderr
    assert done.stdout == kernprof.stdout.splitlines()[0] + "\n"

    ours = line_timings(tmp_path / "kernels.lprof")
    theirs = line_timings(tmp_path / "kernprof.lprof")
    key = ("kernels.py", 10, "collatz")  # a decorated function starts at its decorator
    assert theirs[key]
    assert ours[key] == theirs[key]
    # Every function in the script, and nothing else.
    assert {name for (_, _, name) in ours} == {
        "profile",
        "collatz",
        "__init__",
        "add",
        "main",
    }
    assert {file for (file, _, _) in ours} == {"kernels.py"}


def test_the_prof_and_the_lprof_open_joined_and_the_call_graph_has_no_wrapper(
    tmp_path: Path,
) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    done = record(tmp_path, "--no-open", "-o", "out/run.prof", "--lines", "--", "kernels.py", "50")
    assert done.returncode == 2  # out/ does not exist yet: nothing ran
    (tmp_path / "out").mkdir()
    done = record(tmp_path, "--no-open", "-o", "out/run.prof", "--lines", "--", "kernels.py", "50")
    assert done.returncode == 0, done.stderr
    assert "tuiprof: wrote out/run.prof and out/run.lprof (exit 0" in done.stderr

    names = function_names(tmp_path / "out" / "run.prof")
    assert {"collatz", "add", "main"} <= names
    assert "wrapper" not in names  # functions are called directly, not through kernprof's
    profile = load_profile([str(tmp_path / "out/run.prof"), str(tmp_path / "out/run.lprof")])
    joined = {profile.label(fid).split()[0] for fid in profile.lines}
    assert {"collatz", "add", "main", "__init__"} <= joined


def test_a_target_names_one_function_in_an_imported_module(tmp_path: Path) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "runner.py", "import sys, kernels\nsys.argv[1:] = ['40']\nkernels.main()\n")
    done = record(tmp_path, "--no-open", "--lines", "kernels:Table.add", "--", "runner.py")
    assert done.returncode == 0, done.stderr
    ours = line_timings(tmp_path / "runner.lprof")
    assert list(ours) == [("kernels.py", 26, "add")]
    # collatz(27) and collatz(31) take over 100 steps
    assert [hits for _, hits in ours[("kernels.py", 26, "add")]] == [39, 2, 39]

    by_file = record(
        tmp_path, "--no-open", "-o", "f.prof", "--lines=kernels.py:collatz", "runner.py"
    )
    assert by_file.returncode == 0, by_file.stderr
    assert [name for (_, _, name) in line_timings(tmp_path / "f.lprof")] == ["collatz"]


def test_dash_m_lines_cover_the_package(tmp_path: Path) -> None:
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/kernels.py", KERNELS)
    write(
        tmp_path,
        "pkg/__main__.py",
        "import sys\nfrom pkg import kernels\n\n\ndef go():\n    kernels.main()\n\n\ngo()\n",
    )
    done = record(tmp_path, "--no-open", "--lines", "-m", "pkg", "30")
    assert done.returncode == 0, done.stderr
    names = {(file, name) for (file, _, name) in line_timings(tmp_path / "pkg.lprof")}
    assert ("__main__.py", "go") in names
    assert ("kernels.py", "collatz") in names


# Parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["s.py", "-v", "x"], RecordOptions(Program("s.py", ("-v", "x")))),
        (["--lines", "s.py", "a"], RecordOptions(Program("s.py", ("a",)), lines=())),
        (["--lines", "s.py", "-v"], RecordOptions(Program("s.py", ("-v",)), lines=())),
        (
            ["--lines", "m", "m2:f", "--", "s.py"],
            RecordOptions(Program("s.py"), lines=("m", "m2:f")),
        ),
        (
            ["--lines", "m", "-m", "pkg", "--lines"],
            RecordOptions(Program("pkg", ("--lines",), module=True), lines=("m",)),
        ),
        (
            ["--lines=a,b", "-o", "o.prof", "s.py"],
            RecordOptions(Program("s.py"), "o.prof", ("a", "b")),
        ),
        (
            ["--no-open", "--force", "-oo.prof", "-mpkg.cli"],
            RecordOptions(Program("pkg.cli", module=True), "o.prof", None, False, True),
        ),
        (["--", "-odd.py"], RecordOptions(Program("-odd.py"))),
    ],
)
def test_parse_record_args(argv: list[str], expected: RecordOptions) -> None:
    assert parse_record_args(argv) == expected


@pytest.mark.parametrize("argv", [[], ["--bogus", "s.py"], ["-o"], ["-m"], ["--lines", "a", "--"]])
def test_parse_record_args_refuses(argv: list[str]) -> None:
    with pytest.raises(UsageError):
        parse_record_args(argv)


def test_help_is_none() -> None:
    assert parse_record_args(["--help", "s.py"]) is None


# TARGETs that match nothing ---------------------------------------------------------

RUNNER = "import sys, kernels\nsys.argv[1:] = ['40']\nkernels.main()\nsys.exit(3)\n"


@pytest.mark.parametrize(
    "lines",
    [
        ["--lines", "nosuch.mod", "--"],  # never imported
        ["--lines", "kernels.py:nosuchfunc", "--"],  # a file, and no such function in it
        ["--lines", "kernels:nosuchfunc", "--"],  # a module imported during the run
        ["--lines", "os:nosuchfunc", "--"],  # a module imported before the run
        ["--lines", "consts", "--"],  # a module that defines no function
    ],
)
def test_a_target_that_matches_nothing_is_a_warning_and_no_empty_lprof(
    tmp_path: Path, lines: list[str]
) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "consts.py", "LIMIT = 100\n")
    write(tmp_path, "runner.py", "import consts\n" + RUNNER)
    done = record(tmp_path, "--no-open", *lines, "runner.py")

    assert done.returncode == 3  # the program's
    target = lines[1]
    assert done.stderr.splitlines() == [
        f"tuiprof: warning: --lines {target}: matched no function",
        "tuiprof: warning: no line data recorded: runner.lprof not written",
        done.stderr.splitlines()[-1],
    ]
    assert done.stderr.splitlines()[-1].startswith("tuiprof: wrote runner.prof (exit 3, ")
    assert (tmp_path / "runner.prof").is_file()
    assert not (tmp_path / "runner.lprof").exists()


def test_only_the_targets_that_match_nothing_are_warned_about(tmp_path: Path) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "runner.py", RUNNER)
    done = record(
        tmp_path,
        "--no-open",
        "--lines=kernels:Table.add,nosuch.mod,os:makedirs,os:nosuch",
        "--lines",
        "kernels.py:nosuch",
        "nosuch.mod",
        "--",
        "runner.py",
    )

    assert done.returncode == 3
    assert done.stderr.splitlines()[:-1] == [
        "tuiprof: warning: --lines nosuch.mod: matched no function",
        "tuiprof: warning: --lines os:nosuch: matched no function",
        "tuiprof: warning: --lines kernels.py:nosuch: matched no function",
    ]
    assert done.stderr.splitlines()[-1].startswith("tuiprof: wrote runner.prof and runner.lprof")
    names = {name for (_, _, name) in line_timings(tmp_path / "runner.lprof")}
    assert names == {"add", "makedirs"}


def test_no_warning_when_every_target_matches(tmp_path: Path) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "runner.py", RUNNER)
    done = record(tmp_path, "--no-open", "--lines", "kernels", "--", "runner.py")
    assert done.returncode == 3
    (line,) = done.stderr.splitlines()
    assert line.startswith("tuiprof: wrote runner.prof and runner.lprof (exit 3, ")


def test_a_script_without_functions_is_warned_about_by_default(tmp_path: Path) -> None:
    write(tmp_path, "flat.py", "total = sum(range(10))\n")
    done = record(tmp_path, "--no-open", "--lines", "flat.py")
    assert done.returncode == 0
    assert done.stderr.splitlines()[:2] == [
        "tuiprof: warning: --lines flat.py: matched no function",
        "tuiprof: warning: no line data recorded: flat.lprof not written",
    ]
    assert not (tmp_path / "flat.lprof").exists()


def test_a_run_without_line_data_moves_the_last_lprof_beside_its_profile(tmp_path: Path) -> None:
    # The old .lprof left beside the new .prof would be joined with it by habit
    # (`tuiprof run.prof run.lprof`): two runs' figures in one session.
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "runner.py", RUNNER)
    first = record(tmp_path, "--no-open", "--lines", "kernels", "--", "runner.py")
    assert first.returncode == 3
    lines_before = (tmp_path / "runner.lprof").read_bytes()
    profile_before = (tmp_path / "runner.prof").read_bytes()

    done = record(tmp_path, "--no-open", "--lines", "nosuch.mod", "--", "runner.py")

    assert done.returncode == 3
    assert done.stderr.splitlines()[:3] == [
        "tuiprof: warning: --lines nosuch.mod: matched no function",
        "tuiprof: warning: no line data recorded: runner.lprof not written",
        "tuiprof: warning: runner.lprof of an earlier run moved to runner.lprof.prev",
    ]
    assert not (tmp_path / "runner.lprof").exists()
    assert (tmp_path / "runner.lprof.prev").read_bytes() == lines_before
    assert (tmp_path / "runner.prof.prev").read_bytes() == profile_before


def test_a_run_without_lines_moves_the_last_lprof_too(tmp_path: Path) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "runner.py", RUNNER)
    record(tmp_path, "--no-open", "--lines", "kernels", "--", "runner.py")
    lines_before = (tmp_path / "runner.lprof").read_bytes()

    done = record(tmp_path, "--no-open", "runner.py")

    assert done.stderr.splitlines()[0] == (
        "tuiprof: warning: runner.lprof of an earlier run moved to runner.lprof.prev"
    )
    assert not (tmp_path / "runner.lprof").exists()
    assert (tmp_path / "runner.lprof.prev").read_bytes() == lines_before


def test_a_profile_named_lprof_is_not_moved_away(tmp_path: Path) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "runner.py", RUNNER)
    done = record(tmp_path, "--no-open", "-o", "odd.lprof", "runner.py")
    assert done.returncode == 3
    assert "moved" not in done.stderr
    assert (tmp_path / "odd.lprof").is_file()
    assert not (tmp_path / "odd.lprof.prev").exists()


def test_an_lprof_that_cannot_be_moved_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "kernels.py", KERNELS)
    write(tmp_path, "runner.py", RUNNER)
    (tmp_path / "runner.lprof").write_bytes(b"old")
    (tmp_path / "runner.lprof.prev").mkdir()
    done = record(tmp_path, "--no-open", "runner.py")
    assert done.returncode == 3
    first, last = done.stderr.splitlines()
    assert first.startswith(
        "tuiprof: warning: runner.lprof is of an earlier run and could not be moved: "
    )
    assert last.startswith("tuiprof: wrote runner.prof (exit 3, ")
    assert (tmp_path / "runner.lprof").read_bytes() == b"old"
