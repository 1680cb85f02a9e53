"""SVG snapshots of the icicle in the explorer: 80x24 in 256 and 16 colours, and 40x12."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.app.conftest import MAIN, main_of
from tuiprof.app import TuiprofApp
from tuiprof.model.profile import Profile
from tuiprof.model.source import SourceFinder
from tuiprof.views.icicle import IcicleView


def icicle_app(profile: Profile) -> TuiprofApp:
    return TuiprofApp(profile, source_finder=SourceFinder(profile.files))


def at_main(palette: str) -> Any:
    """Select main first, so the icicle starts at the top of the tree."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, TuiprofApp)
        screen = main_of(app)
        screen.go_to(screen.profile.find(MAIN))
        await pilot.press("g")
        await pilot.pause()
        view = screen.view_widget("icicle")
        assert isinstance(view, IcicleView)
        view.chart.palette = palette
        await pilot.pause()

    return run_before


def test_icicle_80x24_256_colours(snap_compare: Any, small: Profile) -> None:
    assert snap_compare(
        icicle_app(small),
        press=["down", "right", "right", "down"],
        terminal_size=(80, 24),
        run_before=at_main("256"),
    )


def test_icicle_80x24_16_colours(snap_compare: Any, small: Profile) -> None:
    assert snap_compare(
        icicle_app(small),
        press=["down", "right", "right", "down"],
        terminal_size=(80, 24),
        run_before=at_main("16"),
    )


def test_icicle_40x12_zoomed(snap_compare: Any, small: Profile) -> None:
    assert snap_compare(
        icicle_app(small),
        press=["down", "enter", "down"],
        terminal_size=(40, 12),
        run_before=at_main("256"),
    )
