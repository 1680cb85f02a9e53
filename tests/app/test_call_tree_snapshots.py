"""SVG snapshot of the call tree in the explorer, with the hot path open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.app.test_call_tree import diamond_stats, make_profile
from tuiprof.app import TuiprofApp
from tuiprof.model.source import SourceFinder


def test_call_tree_with_the_hot_path_open(snap_compare: Any, tmp_path: Path) -> None:
    profile = make_profile(tmp_path, diamond_stats())
    app = TuiprofApp(profile, source_finder=SourceFinder(profile.files))

    async def open_hot_path(pilot: Pilot[Any]) -> None:
        await pilot.pause()

    assert snap_compare(
        app,
        press=["t", "down", "down", "right", "home", "h"],
        terminal_size=(100, 30),
        run_before=open_hot_path,
    )
