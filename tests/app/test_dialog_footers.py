"""Dialogs show their own keys in the footer, not the keys of the screen under them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer

from tests.app.test_key_bursts import settle, small_app
from tuiprof.app import TuiprofApp
from tuiprof.screens.confirm import ConfirmOverwrite
from tuiprof.screens.export_dialog import ExportDialog
from tuiprof.screens.help import HelpScreen

SIZE = (100, 30)


def bottom_line_keys(app: TuiprofApp) -> tuple[object, list[str]]:
    """The screen whose footer is on the bottom line, and the labels shown there."""
    width, height = SIZE
    labels: list[str] = []
    owner = None
    x = 0
    while x < width:
        widget, region = app.screen.get_widget_at(x, height - 1)
        if isinstance(widget.parent, Footer):  # one of the footer's keys
            owner = widget.screen
            labels.append(getattr(widget, "description", ""))
            x = max(x + 1, region.right)
        else:  # between keys (the footer itself, or what is under it)
            x += 1
    return owner, labels


async def test_the_help_screen_shows_its_own_keys(tmp_path: Path) -> None:
    app = small_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        _, under = bottom_line_keys(app)
        assert "Tree" in under and "Filter" in under  # the main screen's
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        owner, labels = bottom_line_keys(app)
        assert owner is app.screen and labels == ["Close"]
        assert app.screen.query_one(Footer)


async def test_the_export_dialog_and_its_question_show_their_own_keys(tmp_path: Path) -> None:
    app = small_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        owner, labels = bottom_line_keys(app)
        assert owner is app.screen and labels == ["Export", "Cancel"]
        app.push_screen(ConfirmOverwrite(tmp_path / "out.callgrind"))
        await settle(app, pilot)
        owner, labels = bottom_line_keys(app)
        assert isinstance(owner, ConfirmOverwrite) and labels == ["Yes", "No"]
