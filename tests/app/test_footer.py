"""The footer at 80x24: every view's key (g too), the filter and back fit on the tables."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from tests.app.test_diff_screen import make_app
from tuiprof.app import TuiprofApp
from tuiprof.model.profile import Profile
from tuiprof.model.source import SourceFinder
from tuiprof.screens.main import MainScreen
from tuiprof.views.keys_footer import KeysFooter

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


# The footer widget: one line, the mouse, no widget per key ------------------------


def footer_widget(app: TuiprofApp) -> KeysFooter:
    return app.screen.query_one(KeysFooter)


def column_of(footer: KeysFooter, description: str) -> int:
    """The first column of the key whose description is ``description``."""
    [span] = [span for span in footer._spans if span.key.description == description]
    return span.start


async def test_clicking_a_key_presses_it(small: Profile) -> None:
    app = TuiprofApp(small, source_finder=SourceFinder(small.files))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = footer_widget(app)
        await pilot.click(KeysFooter, offset=(column_of(footer, "Tree") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.view == "tree"
        assert "Hot path" in footer.labels  # the tree's keys, on the same widget
        await pilot.click(KeysFooter, offset=(column_of(footer, "Table"), 0))
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen.view == "functions"


async def test_the_key_under_the_mouse_is_highlighted(small: Profile) -> None:
    app = TuiprofApp(small, source_finder=SourceFinder(small.files))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = footer_widget(app)
        x = column_of(footer, "Callers")
        plain = footer.render_line(0)
        await pilot.hover(KeysFooter, offset=(x, 0))
        await pilot.pause()
        hovered = footer.render_line(0)
        assert hovered.text == plain.text
        styles = [segment.style for segment in hovered if segment.text.startswith("c")]
        assert footer.get_component_rich_style("keys-footer--hover") in styles
        await pilot.hover(KeysFooter, offset=(79, 0))  # the padding after the palette key
        await pilot.pause()
        assert footer.render_line(0) == plain


async def test_views_change_the_keys_without_mounting_anything(small: Profile) -> None:
    app = TuiprofApp(small, source_finder=SourceFinder(small.files))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = footer_widget(app)
        for key, shown in (("g", "Zoom in"), ("t", "Hot path"), ("f", "Go to")):
            await pilot.press(key)
            await pilot.pause()
            assert footer_widget(app) is footer and not footer.children
            assert shown in footer.labels


class Disabled(App[None]):
    """A key whose action is disabled now, and one that is not."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "off", "Off"),
        Binding("b", "on", "On"),
    ]

    def compose(self) -> ComposeResult:
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "off" else True

    def action_on(self) -> None:
        self.pressed = "on"


async def test_a_disabled_key_is_dim_and_a_click_on_it_rings_the_bell() -> None:
    app = Disabled()
    async with app.run_test(size=(40, 3)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeysFooter)
        line = footer.render_line(0)
        [off] = [s for s in line if s.text == "a"]
        [on] = [s for s in line if s.text == "b"]
        assert off.style is not None and off.style.dim
        assert on.style is not None and not on.style.dim
        bells: list[None] = []
        app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        await pilot.click(KeysFooter, offset=(column_of(footer, "Off"), 0))
        await pilot.click(KeysFooter, offset=(column_of(footer, "On"), 0))
        await pilot.pause()
        assert bells == [None] and getattr(app, "pressed", None) == "on"
