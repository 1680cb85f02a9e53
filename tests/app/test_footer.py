"""The footer at 80x24: every view's key (g too), the filter and back fit on the tables."""

from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest

from tests.app.test_diff_screen import make_app
from tuiprof.app import TuiprofApp
from tuiprof.model.profile import Profile
from tuiprof.model.source import SourceFinder

CELL = 12.2
"""The width of one cell in Textual's SVG screenshots."""


def screen_lines(app: TuiprofApp) -> list[str]:
    """The screen as plain text lines, read from Textual's own SVG screenshot."""
    rows: dict[int, list[tuple[float, str]]] = defaultdict(list)
    found = re.findall(
        r'<text [^>]*x="([0-9.]+)"[^>]*clip-path="url\(#[a-z0-9-]*line-(\d+)\)">([^<]*)</text>',
        app.export_screenshot(),
    )
    for x, row, text in found:
        rows[int(row)].append((float(x), html.unescape(text).replace("\xa0", " ")))
    lines = []
    for row in sorted(rows):
        line = ""
        for x, text in sorted(rows[row]):
            line = line.ljust(round(x / CELL)) + text
        lines.append(line)
    return lines


def footer(app: TuiprofApp) -> str:
    """What the footer shows left of the palette key."""
    return screen_lines(app)[-1].split("▏")[0]


async def test_the_main_table_shows_every_view_key_filter_and_back(small: Profile) -> None:
    app = TuiprofApp(small, source_finder=SourceFinder(small.files))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = footer(app)
        for words in ("f Table", "c Callers", "t Tree", "s Source", "g Icicle", "/ Filter"):
            assert words in shown
        assert "⌫ Back" in shown


@pytest.mark.parametrize("view", ["f", "c", "s"])
async def test_the_diff_screen_shows_its_view_keys_filter_and_back(view: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(view)
        await pilot.pause()
        shown = footer(app)
        for words in ("f Table", "c Callers", "s Source", "g Icicle", "d Δ sort", "/ Filter"):
            assert words in shown
        assert "⌫ Back" in shown
