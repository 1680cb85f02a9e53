"""``tuiprof record`` in a subprocess, compared with what ``python`` itself does.

Each program is run twice where it can be: as ``python script.py`` (or with
``python -m cProfile -o``) and under ``tuiprof record``; what the program sees
and the profile's shape must be the same.
"""

from __future__ import annotations

import json
import marshal
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from tuiprof.model.calltree import CallTree
from tuiprof.model.loaders import load_profile

TIMEOUT = 120

SHOW = """\
import json, sys
import helper
data = sys.stdin.read()
main = sys.modules["__main__"]
print(json.dumps({
    "argv": sys.argv,
    "path0": sys.path[0],
    "name": __name__,
    "file": __file__,
    "main_is_module": main.__dict__ is globals(),
    "stdin": data,
    "helper": helper.where(),
}))
print("to stderr", file=sys.stderr)
"""

HELPER = """\
def where():
    return __name__
"""

ENDINGS = """\
import sys

def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total

def main():
    work(2000)
    how = sys.argv[1]
    if how == "exit3":
        sys.exit(3)
    if how == "raise":
        raise ValueError("boom")

if __name__ == "__main__":
    main()
"""

SPIN = """\
import sys

def spin():
    n = 0
    print("spinning", flush=True)
    while True:
        n += 1

spin()
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def record(
    folder: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return python(folder, "-m", "tuiprof", "record", *args, stdin=stdin, env=env)


def python(
    folder: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        env=env,
    )


def pstats_dict(path: Path) -> dict[Any, Any]:
    with open(path, "rb") as stream:
        stats: dict[Any, Any] = marshal.load(stream)
    return stats


def function_names(path: Path) -> set[str]:
    return {name for (_, _, name) in pstats_dict(path)}


def tuiprof_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("tuiprof:")]


# What the program sees ------------------------------------------------------------


def test_a_script_sees_what_python_gives_it(tmp_path: Path) -> None:
    write(tmp_path, "app/show.py", SHOW)
    write(tmp_path, "app/helper.py", HELPER)
    args = ("app/show.py", "one", "--two", "three four")
    plain = python(tmp_path, *args, stdin="input text\n")
    done = record(tmp_path, "--no-open", *args, stdin="input text\n")

    assert plain.returncode == 0, plain.stderr
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(plain.stdout)
    seen = json.loads(done.stdout)
    assert seen["argv"] == list(args)
    assert seen["path0"] == str((tmp_path / "app").resolve())
    assert seen["main_is_module"] is True
    assert seen["stdin"] == "input text\n"
    assert done.stderr.startswith("to stderr\n")
    assert tuiprof_lines(done.stderr) == [
        "tuiprof: wrote show.prof (exit 0, " + tuiprof_lines(done.stderr)[0].split(", ", 1)[1]
    ]
    assert "<module>" in function_names(tmp_path / "show.prof")


def test_dash_m_runs_a_package_main_as_python_does(tmp_path: Path) -> None:
    write(tmp_path, "pkg/__init__.py", "")
    write(tmp_path, "pkg/helper.py", HELPER)
    write(tmp_path, "pkg/__main__.py", SHOW.replace("import helper", "from pkg import helper"))
    plain = python(tmp_path, "-m", "pkg", "a", "b", stdin="x")
    done = record(tmp_path, "--no-open", "-m", "pkg", "a", "b", stdin="x")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(plain.stdout)
    assert json.loads(done.stdout)["argv"] == [str(tmp_path / "pkg" / "__main__.py"), "a", "b"]
    assert (tmp_path / "pkg.prof").is_file()
    assert "run_module" in function_names(tmp_path / "pkg.prof")


def test_the_profile_has_the_shape_of_python_dash_m_cprofile(tmp_path: Path) -> None:
    script = write(tmp_path, "endings.py", ENDINGS)
    python(tmp_path, "-m", "cProfile", "-o", "reference.prof", str(script), "exit0")
    record(tmp_path, "--no-open", "-o", "recorded.prof", str(script), "exit0")

    def shape(stats: dict[Any, Any]) -> dict[Any, Any]:
        """Every function's call counts and every caller's, without the times."""
        return {
            key: (cc, nc, {caller: edge[:2] for caller, edge in callers.items()})
            for key, (cc, nc, _tt, _ct, callers) in stats.items()
        }

    reference = pstats_dict(tmp_path / "reference.prof")
    recorded = pstats_dict(tmp_path / "recorded.prof")
    assert shape(recorded) == shape(reference)
    profile = load_profile([str(tmp_path / "recorded.prof")])
    root = CallTree(profile).roots()[0]  # then the profiler's own disable()
    assert profile.label(root.fid).startswith("<built-in method builtins.exec>")


# How it ends -----------------------------------------------------------------------


@pytest.mark.parametrize(("how", "status"), [("exit0", 0), ("exit3", 3), ("raise", 1)])
def test_the_exit_status_is_the_programs_and_the_profile_is_written(
    tmp_path: Path, how: str, status: int
) -> None:
    write(tmp_path, "endings.py", ENDINGS)
    plain = python(tmp_path, "endings.py", how)
    done = record(tmp_path, "--no-open", "endings.py", how)

    assert plain.returncode == status
    assert done.returncode == status
    assert "work" in function_names(tmp_path / "endings.prof")
    (line,) = tuiprof_lines(done.stderr)
    assert line.startswith("tuiprof: wrote endings.prof (")
    if how == "raise":
        # The traceback is Python's own, without tuiprof's frames.
        traceback = done.stderr[: done.stderr.index("tuiprof:")]
        assert traceback == plain.stderr
        assert "(raised ValueError, " in line


def test_ctrl_c_stops_the_program_and_keeps_the_profile_so_far(tmp_path: Path) -> None:
    write(tmp_path, "spin.py", SPIN)
    child = subprocess.Popen(
        [sys.executable, "-m", "tuiprof", "record", "--no-open", "spin.py"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "spinning\n"
        time.sleep(0.3)  # inside the loop
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=TIMEOUT)
    finally:
        child.kill()
    # As under python: the traceback, then killed by SIGINT (a shell shows 130).
    assert child.returncode == -signal.SIGINT
    before = stderr.partition("tuiprof: ")[0]
    assert before.startswith("Traceback (most recent call last):\n")
    assert 'spin.py", line ' in before and "tuiprof" not in before
    assert before.endswith("\nKeyboardInterrupt\n")
    assert tuiprof_lines(stderr)[0].startswith("tuiprof: wrote spin.prof (interrupted, ")

    profile = load_profile([str(tmp_path / "spin.prof")])
    tree = CallTree(profile)
    root = tree.roots()[0]
    path = [profile.label(node.fid) for node in tree.hot_path(root)]
    assert path[0].startswith("<built-in method builtins.exec>")
    assert path[1].startswith("<module>") and path[2].startswith("spin")
    spin = tree.hot_path(root)[2]
    assert spin.cumtime > 0.1
    assert root.cumtime >= spin.cumtime


# Outputs --------------------------------------------------------------------------------


def test_the_previous_profile_is_kept_as_prev(tmp_path: Path) -> None:
    write(tmp_path, "endings.py", ENDINGS)
    record(tmp_path, "--no-open", "-o", "run.prof", "endings.py", "exit0")
    first = (tmp_path / "run.prof").read_bytes()
    done = record(tmp_path, "--no-open", "-o", "run.prof", "endings.py", "exit3")

    assert (tmp_path / "run.prof.prev").read_bytes() == first
    assert (tmp_path / "run.prof").read_bytes() != first
    (line,) = tuiprof_lines(done.stderr)
    assert line.endswith("compare with the run before: tuiprof diff run.prof.prev run.prof")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "endings.py",
        "run.prof",
        "run.prof.prev",
    ]


def test_an_output_that_is_not_a_profile_is_not_replaced_without_force(tmp_path: Path) -> None:
    write(tmp_path, "endings.py", ENDINGS)
    done = record(tmp_path, "--no-open", "-o", "endings.py", "endings.py", "exit0")

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"tuiprof: {tmp_path / 'endings.py'}: exists and is not a profile: "
        "use --force to replace it"
    ]
    assert done.stdout == ""
    assert (tmp_path / "endings.py").read_text() == ENDINGS

    write(tmp_path, "notes.txt", "mine")
    forced = record(tmp_path, "--no-open", "--force", "-o", "notes.txt", "endings.py", "exit0")
    assert forced.returncode == 0
    assert "work" in function_names(tmp_path / "notes.txt")
    assert (tmp_path / "notes.txt.prev").read_text() == "mine"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch.py"], "tuiprof: nosuch.py: no such file"),
        (["-m", "no_such_module_here"], "tuiprof: no_such_module_here: no such module"),
        (["."], "tuiprof: .: is a directory, not a script"),
        (["-o", "no/such/folder/x.prof", "s.py"], None),
    ],
)
def test_a_missing_program_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str | None
) -> None:
    write(tmp_path, "s.py", "print('ran')\n")
    done = record(tmp_path, "--no-open", *args)

    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1
    if message is not None:
        assert lines == [message]
    else:
        assert lines[0].startswith("tuiprof: ") and "no such folder" in lines[0]
    assert done.stdout == ""  # nothing ran
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.py"]  # nothing written


def test_a_usage_error_exits_2(tmp_path: Path) -> None:
    done = record(tmp_path, "--no-open")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: tuiprof record")
    assert done.stderr.splitlines()[-1] == "tuiprof record: error: no script or -m module to run"


def test_stdout_not_a_terminal_does_not_open_the_explorer(tmp_path: Path) -> None:
    # No --no-open: with stdout a pipe, record must still return (no UI waiting for keys).
    write(tmp_path, "endings.py", ENDINGS)
    done = record(tmp_path, "endings.py", "exit0")
    assert done.returncode == 0
    assert (tmp_path / "endings.prof").is_file()


def test_a_syntax_error_is_shown_as_python_shows_it(tmp_path: Path) -> None:
    write(tmp_path, "bad.py", "def broken(:\n")
    plain = python(tmp_path, "bad.py")
    done = record(tmp_path, "--no-open", "bad.py")
    assert done.returncode == plain.returncode == 1
    assert done.stderr == plain.stderr
    assert not (tmp_path / "bad.prof").exists()


def test_lines_without_line_profiler_is_one_line_and_exit_2(tmp_path: Path) -> None:
    write(tmp_path, "endings.py", ENDINGS)
    block = "import sys\nsys.modules['line_profiler'] = None\n"
    blocker = write(tmp_path, "block/sitecustomize.py", block)
    env = dict(os.environ, PYTHONPATH=str(blocker.parent))
    done = record(tmp_path, "--no-open", "--lines", "endings.py", "exit0", env=env)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "tuiprof: --lines needs line_profiler: pip install 'tuiprof[lines]'"
    ]
    assert not (tmp_path / "endings.prof").exists()


def test_the_program_runs_before_the_explorer_is_imported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "modules.py",
        "import sys\nprint(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))\n",
    )
    done = record(tmp_path, "--no-open", "modules.py")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"
    done = python(tmp_path, "-c", "import rich.text; exec(open('modules.py').read())")
    assert done.stdout == "['rich']\n"  # the check can fail
