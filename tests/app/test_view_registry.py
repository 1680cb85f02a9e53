"""A view is one registry entry: both screens build, show, focus and update it from the entry."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Static

import tuiprof.screens.diff
import tuiprof.screens.main
from tests.app.conftest import main_of
from tests.app.test_diff_screen import _screen, make_app
from tuiprof.actions import actions_of
from tuiprof.app import TuiprofApp
from tuiprof.model.profile import Profile
from tuiprof.model.source import SourceFinder
from tuiprof.views.diff_registry import DIFF_VIEWS
from tuiprof.views.registry import VIEWS, ViewSpec


class ExtraView(Static, can_focus=True):
    """A view made for the test: it records what the screen asks of it."""

    def __init__(self, state: Any) -> None:
        super().__init__("extra")
        self.state = state
        self.shown: list[int | None] = []
        self.percent_calls = 0

    def show_selection(self, fid: int | None) -> None:
        self.shown.append(fid)

    def focus_target(self) -> Widget | None:
        return self

    def percent_changed(self) -> None:
        self.percent_calls += 1

    def call_graph_ready(self) -> None:
        """Nothing to wait for."""


async def test_a_diff_view_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    views = {**DIFF_VIEWS, "extra": ViewSpec("extra", "the extra view", ExtraView)}
    monkeypatch.setattr(tuiprof.screens.diff, "DIFF_VIEWS", views)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        row = screen.selected
        screen.action_view("extra")
        await pilot.pause()
        widget = screen.view_widget("extra")
        assert isinstance(widget, ExtraView) and widget.state is screen.state
        assert screen.view == "extra" and app.focused is widget
        assert widget.shown == [row] and screen.state.history.current == row
        assert "the extra view" in str(screen.query_one("#diff-header").render())
        await pilot.press("percent_sign")
        assert widget.percent_calls == 1
        await pilot.press("f")
        assert screen.view == "functions" and widget.shown == [row]  # hidden: not updated


async def test_a_main_view_is_one_entry(monkeypatch: pytest.MonkeyPatch, small: Profile) -> None:
    views = {**VIEWS, "extra": ViewSpec("extra", "the extra view", ExtraView)}
    monkeypatch.setattr(tuiprof.screens.main, "VIEWS", views)
    app = TuiprofApp(small, source_finder=SourceFinder(small.files))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_of(app)
        fid = screen.table.highlighted
        screen.action_view("extra")
        await pilot.pause()
        widget = screen.view_widget("extra")
        assert isinstance(widget, ExtraView) and widget.state is screen.session
        assert screen.view == "extra" and app.focused is widget and widget.shown == [fid]


@pytest.mark.parametrize(
    ("views", "part"), [(VIEWS, "main"), (DIFF_VIEWS, "diff")], ids=["main", "diff"]
)
def test_every_view_has_its_key_and_every_view_key_a_view(
    views: dict[str, ViewSpec[Any]], part: str
) -> None:
    shown = {a.action for a in actions_of(part) if a.action.startswith("view(")}
    assert shown == {f"view('{view}')" for view in views}
