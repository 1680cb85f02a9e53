"""The command line's own behaviour: version, help, python -m, usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tuiprof import __version__
from tuiprof.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"tuiprof {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["stats", "--help"], ["export", "--help"]])
def test_help_lists_the_commands_and_options(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: tuiprof")
    assert "--source-root" in out or "--format" in out


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tuiprof", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"tuiprof {__version__}"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["stats"],
        ["stats", "x.prof", "--sort", "bogus"],
        ["stats", "x.prof", "--limit", "0"],
        ["export", "x.prof"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "usage:" in err
    assert "Traceback" not in err


def test_a_bad_path_map_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "x.prof", "--path-map", "nonsense"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["tuiprof: --path-map: expected OLD=NEW, got 'nonsense'"]


def test_a_missing_source_root_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "x.prof", "--source-root", "/no/such/folder"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["tuiprof: --source-root: /no/such/folder: no such folder"]


def test_a_source_root_that_is_a_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "app.py"
    file.write_text("")
    assert main(["stats", "x.prof", "--source-root", str(file)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"tuiprof: --source-root: {file}: not a folder"]
