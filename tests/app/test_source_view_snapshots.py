"""SVG snapshots of the source view in the explorer: line timings, a missing file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import main_of
from tests.app.test_source_view import GONE, SLOW, with_gone_lines, write_profile
from tuiprof.app import TuiprofApp
from tuiprof.model.source import SourceFinder


def _app_at(
    tmp_path: Path, key: tuple[str, int, str], gone_lines: bool = False
) -> tuple[TuiprofApp, Any]:
    profile = write_profile(tmp_path)
    if gone_lines:
        with_gone_lines(profile)
    app = TuiprofApp(profile, source_finder=SourceFinder(profile.files))

    async def select(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        main_of(app).go_to(profile.find(key))
        await pilot.pause()

    return app, select


def test_source_view_with_line_timings(snap_compare: Any, tmp_path: Path) -> None:
    app, select = _app_at(tmp_path, SLOW)
    assert snap_compare(app, press=["s"], terminal_size=(100, 30), run_before=select)


def test_source_view_missing_file(snap_compare: Any, tmp_path: Path) -> None:
    app, select = _app_at(tmp_path, GONE)
    assert snap_compare(app, press=["s"], terminal_size=(80, 24), run_before=select)


def test_source_view_missing_file_with_line_data(snap_compare: Any, tmp_path: Path) -> None:
    app, select = _app_at(tmp_path, GONE, gone_lines=True)
    assert snap_compare(app, press=["s"], terminal_size=(80, 24), run_before=select)
