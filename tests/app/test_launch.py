"""Opening the explorer from the command line: inputs are checked before the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tuiprof import cli, launch
from tuiprof.app import TuiprofApp
from tuiprof.model.errors import ProfileError
from tuiprof.model.source import parse_path_maps


def test_path_maps_parse() -> None:
    assert parse_path_maps(["/old=/new", "a=b=c"]) == [("/old", "/new"), ("a", "b=c")]


@pytest.mark.parametrize("spec", ["nomap", "=new", "old="])
def test_a_bad_path_map_is_a_profile_error(spec: str) -> None:
    with pytest.raises(ProfileError, match="OLD=NEW"):
        parse_path_maps([spec])


def test_bad_path_map_exits_2_with_one_line(
    small_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([str(small_path), "--path-map", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "OLD=NEW" in err


def test_a_missing_file_exits_2_before_the_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Any] = []
    monkeypatch.setattr(TuiprofApp, "run", lambda self, **kw: started.append(self))
    assert cli.main([str(tmp_path / "gone.prof")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert started == []


def test_a_text_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.prof"
    path.write_text("hello\n")
    assert cli.main([str(path)]) == 2
    assert "text file" in capsys.readouterr().err


@pytest.fixture(autouse=True)
def _in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # These run the command as from a terminal (the tests' own streams are not one).
    monkeypatch.setattr(launch, "on_a_terminal", lambda: True)


def _fake_run(apps: list[TuiprofApp]) -> Any:
    def run(self: TuiprofApp, **kwargs: Any) -> int:
        apps.append(self)
        return 0

    return run


def test_small_inputs_load_before_the_app(
    small_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apps: list[TuiprofApp] = []
    monkeypatch.setattr(TuiprofApp, "run", _fake_run(apps))
    assert cli.main([str(small_path), "--path-map", "/src=/tmp"]) == 0
    assert apps[0].profile is not None
    assert apps[0]._path_maps == (("/src", "/tmp"),)


def test_big_inputs_are_checked_then_loaded_in_the_app(
    small_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apps: list[TuiprofApp] = []
    monkeypatch.setattr(TuiprofApp, "run", _fake_run(apps))
    monkeypatch.setattr(launch, "BIG_INPUT_BYTES", 0)
    assert cli.main([str(small_path)]) == 0
    assert apps[0].profile is None and apps[0].paths == (str(small_path),)


def test_a_big_input_failing_in_the_app_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.prof"
    bad.write_bytes(b"{" + b"\x00" * 50)

    def run(self: TuiprofApp, **kwargs: Any) -> int:
        self.load_error = ProfileError(str(bad), "is damaged")
        return 2

    monkeypatch.setattr(TuiprofApp, "run", run)
    monkeypatch.setattr(launch, "BIG_INPUT_BYTES", 0)
    assert cli.main([str(bad)]) == 2
    assert capsys.readouterr().err.strip() == f"tuiprof: {bad}: is damaged"


def test_a_missing_source_root_exits_2(
    small_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([str(small_path), "--source-root", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err
