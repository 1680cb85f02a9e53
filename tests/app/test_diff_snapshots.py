"""SVG snapshots of the diff screen at 80x24: table, edge diff, line diff, icicle."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.test_diff_screen import make_app
from tuiprof.views.icicle import IcicleChart


async def _steady(pilot: Pilot[Any]) -> None:
    pilot.app.theme = "textual-dark"
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _go_to(name: str, *then: str) -> Any:
    async def run(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("slash", *name, "enter", *then)
        await pilot.pause()

    return run


def test_diff_table_80x24(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_steady)


def test_edge_diff_80x24(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_go_to("add_row", "enter"))


def test_line_diff_80x24(snap_compare: Any) -> None:
    assert snap_compare(
        make_app(), terminal_size=(80, 24), run_before=_go_to("add_row", "enter", "s")
    )


def _icicle(palette: str) -> Any:
    """g on the largest slowdown (checksum), out to main, the cursor on build_report."""

    async def run(pilot: Pilot[Any]) -> None:
        await _steady(pilot)
        await pilot.press("g", "backspace", "home", "down")
        await pilot.pause()
        chart = pilot.app.screen.query_one(IcicleChart)
        chart.palette = palette
        await pilot.pause()

    return run


def test_diff_icicle_80x24_256_colours(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_icicle("256"))


def test_diff_icicle_80x24_16_colours(snap_compare: Any) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_icicle("16"))
