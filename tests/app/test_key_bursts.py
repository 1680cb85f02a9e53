"""A burst of keys acts exactly as the same keys typed slowly, on every screen.

A terminal hands the app a burst (keys typed ahead, a paste, a fast typist)
all at once: every key is in the app's queue before the first is handled.
``at_once`` sends keys that way; ``pilot.press`` with several keys waits a
little between them, and is checked too. Each burst is compared with the same
keys pressed one by one, each after the app has settled: the screen, the
focus, the footer's keys, every view's cursor and scroll, the inputs' text
and the session's selection must be the same.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.scroll_view import ScrollView
from textual.widgets import Input

from tests.app.conftest import wide_stats, write_profile
from tests.app.test_diff_screen import make_app as make_diff_app
from tuiprof.app import TuiprofApp
from tuiprof.model.loaders import load_profile
from tuiprof.screens.diff import DiffScreen
from tuiprof.screens.main import MainScreen
from tuiprof.views._textual_hacks import shown_keys

CHARACTERS = {"enter": "\r", "tab": "\t", "space": " ", "slash": "/", "percent_sign": "%"}
CHARACTERS["question_mark"] = "?"


def key_event(key: str) -> events.Key:
    """The event a terminal's driver makes for ``key``."""
    return events.Key(key, key if len(key) == 1 else CHARACTERS.get(key))


async def settle(app: TuiprofApp, pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await app.key_queue.wait_until_done()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def at_once(app: TuiprofApp, pilot: Pilot[Any], keys: tuple[str, ...]) -> None:
    """Every key in the app's queue before the first is handled, as from a terminal."""
    for key in keys:
        app.post_message(key_event(key))
    await settle(app, pilot)


async def pressed(app: TuiprofApp, pilot: Pilot[Any], keys: tuple[str, ...]) -> None:
    """One ``pilot.press`` call with every key."""
    await pilot.press(*keys)
    await settle(app, pilot)


async def one_by_one(app: TuiprofApp, pilot: Pilot[Any], keys: tuple[str, ...]) -> None:
    """Each key once the app has settled after the one before."""
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


def screen_state(app: TuiprofApp) -> tuple[Hashable, ...]:
    """What the user sees and what the next key acts on."""
    screen = app.screen
    focused = screen.focused
    state: list[Hashable] = [
        type(screen).__name__,
        (type(focused).__name__, focused.id) if focused is not None else None,
        shown_keys(screen),
    ]
    for widget in screen.query("*"):
        if isinstance(widget, Input):
            state.append((widget.id, widget.value))
        elif isinstance(widget, ScrollView):
            cursor = getattr(widget, "cursor_row", None)
            state.append((type(widget).__name__, widget.id, cursor, widget.scroll_offset))
    for below in app.screen_stack:
        if isinstance(below, MainScreen):
            session = below.session
            query = session.table.query
            state.append((below.view, session.selected, tuple(session.history.entries)))
            state.append(session.history.position)
            state.append((query.sort, query.reverse, query.filter_text, session.percent))
        elif isinstance(below, DiffScreen):
            state.append((below.view, below.selected))
    return tuple(state)


Make = Callable[[Path], TuiprofApp]


def small_app(tmp_path: Path) -> TuiprofApp:
    from tests.app.conftest import small_stats

    return TuiprofApp(load_profile([str(write_profile(tmp_path / "small.prof", small_stats()))]))


def wide_app(tmp_path: Path) -> TuiprofApp:
    """One function with 40 callers: the callers table scrolls."""
    return TuiprofApp(load_profile([str(write_profile(tmp_path / "wide.prof", wide_stats(40)))]))


def diff_app(tmp_path: Path) -> TuiprofApp:
    return make_diff_app()


async def final_state(
    make: Make, tmp_path: Path, send: Callable[..., Any], keys: tuple[str, ...]
) -> tuple[Hashable, ...]:
    app = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await send(app, pilot, keys)
        return screen_state(app)


BURSTS: dict[str, tuple[Make, tuple[str, ...]]] = {
    # The issue's: focus was left in the hidden filter line, and the next keys typed into it.
    "main: enter tab enter": (small_app, ("enter", "tab", "enter")),
    "main: enter tab enter f t h": (small_app, ("enter", "tab", "enter", "f", "t", "h")),
    "main: / then text": (small_app, ("slash", "r", "e", "n", "d", "enter", "down", "c")),
    "main: / then a word with q": (small_app, ("slash", "q", "u", "i", "t", "escape", "4")),
    "main: sort, move, callers, back": (
        small_app,
        ("4", "down", "down", "c", "tab", "down", "enter", "backspace"),
    ),
    "main: toggles and sorts": (small_app, ("i", "l", "b", "percent_sign", "2", "end", "up")),
    "tree: t h": (small_app, ("t", "h")),
    "tree: keys of the tree and back": (
        small_app,
        ("t", "down", "right", "h", "enter", "t", "left", "space", "f"),
    ),
    "source: s and its keys": (small_app, ("down", "s", "down", "end", "home", "r", "f")),
    "callers: a long table": (wide_app, ("end", "c", "pagedown", "down", "enter", "c", "2")),
    "icicle: g and its keys": (small_app, ("g", "down", "right", "enter", "backspace", "f")),
    "help: open, scroll, close": (small_app, ("question_mark", "down", "escape", "t")),
    "export: open, cancel": (small_app, ("e", "escape", "c")),
    "diff: views, filter, sort": (
        diff_app,
        ("c", "tab", "down", "enter", "f", "slash", "x", "enter", "d", "s", "f"),
    ),
}


@pytest.mark.parametrize("name", list(BURSTS))
async def test_a_burst_acts_as_the_keys_typed_slowly(name: str, tmp_path: Path) -> None:
    make, keys = BURSTS[name]
    slowly = await final_state(make, tmp_path, one_by_one, keys)
    assert await final_state(make, tmp_path, at_once, keys) == slowly


@pytest.mark.parametrize("name", ["main: enter tab enter f t h", "main: / then text", "tree: t h"])
async def test_one_pilot_press_of_several_keys_acts_as_typed_slowly(
    name: str, tmp_path: Path
) -> None:
    make, keys = BURSTS[name]
    slowly = await final_state(make, tmp_path, one_by_one, keys)
    assert await final_state(make, tmp_path, pressed, keys) == slowly


async def test_the_burst_of_the_issue_ends_where_typed_slowly_does(tmp_path: Path) -> None:
    """``enter tab enter`` then ``f t h``: the call tree, not a filter of 'fth'."""
    app = small_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await at_once(app, pilot, ("enter", "tab", "enter", "f", "t", "h"))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.view == "tree" and screen.session.table.query.filter_text == ""
        assert screen.focused is screen.call_tree
