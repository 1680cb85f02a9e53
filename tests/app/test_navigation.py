"""Views, callers/callees, and the history: enter, back, forward, the trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import ContentSwitcher, Static

from tests.app.conftest import (
    JSON,
    LEN,
    MAIN,
    PARSE,
    RENDER,
    WALK,
    main_of,
    session_of,
    wide_stats,
    write_profile,
)
from tuiprof.app import TuiprofApp
from tuiprof.messages import CallGraphReady
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.table import SortKey
from tuiprof.screens.main import MainScreen
from tuiprof.views.callers import CallersView, EdgeTable
from tuiprof.views.history_bar import HistoryBar


def main_screen(app: TuiprofApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def edges_of(app: TuiprofApp, side: str) -> list[tuple[str, int, str]]:
    table = app.screen.query_one(f"#{side}-table", EdgeTable)
    return [edge.other_key for edge in table.edges]


async def test_view_keys_switch_views(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        switcher = app.screen.query_one(ContentSwitcher)
        for key, view in (("c", "callers"), ("t", "tree"), ("s", "source"), ("f", "functions")):
            await pilot.press(key)
            await pilot.pause()
            assert switcher.current == view
            assert main_screen(app).view == view


async def test_keys_typed_ahead_act_on_the_row_under_the_cursor(small: Profile) -> None:
    """``down down c`` in one burst, as a fast typist or a paste sends it."""
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.pause()
        table = main_screen(app).table
        expected = table.rows[2]
        for key in ("down", "down", "c"):
            # Queued at once: no wait for the table's messages in between.
            app.post_message(events.Key(key, None))
        await pilot.pause()
        assert main_screen(app).view == "callers"
        assert session_of(app).selected == expected
        assert main_screen(app).query_one("#callers-table", EdgeTable).fid == expected
        assert session_of(app).history.current == expected


async def test_views_wait_for_the_call_graph_index_without_blocking(
    small: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the warm-up has built the callee index, c and t show a placeholder."""
    monkeypatch.setattr(MainScreen, "warm", lambda self: None)
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not small.call_graph_ready
        parse = small.find(PARSE)
        session_of(app).select(parse)
        await pilot.press("c")
        await pilot.pause()
        callers = app.screen.query_one("#callers-table", EdgeTable)
        assert callers.row_count() == 0
        assert callers.empty_message() == "indexing the call graph…"
        assert "(…)" in str(app.screen.query_one("#callers-title", Static).render())
        await pilot.press("t")
        await pilot.pause()
        assert main_screen(app).call_tree is None
        assert app.screen.query("#tree-waiting")
        assert app.focused is None
        assert not small.call_graph_ready  # nothing built it on the screen's thread
        small.callee_index()  # what the warm-up does, then it says so
        main_of(app).post_message(CallGraphReady())
        await pilot.pause()
        await pilot.pause()
        tree = main_screen(app).call_tree
        assert tree is not None and app.focused is tree
        assert not app.screen.query("#tree-waiting")
        await pilot.press("c")
        await pilot.pause()
        assert edges_of(app, "callers") == [MAIN]


async def test_c_shows_callers_and_callees_of_the_selection(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("c")
        assert session_of(app).selected == small.find(PARSE)
        assert session_of(app).history.entries == [small.find(PARSE)]
        assert edges_of(app, "callers") == [MAIN]
        assert edges_of(app, "callees") == [JSON, LEN]  # by edge cumtime
        assert isinstance(app.focused, EdgeTable)


async def test_enter_on_the_table_goes_to_the_function(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")
        assert session_of(app).selected == small.find(RENDER)
        assert session_of(app).history.current == small.find(RENDER)
        assert main_screen(app).view == "callers"


async def test_enter_back_and_forward(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        parse, main = small.find(PARSE), small.find(MAIN)
        await pilot.press("c")  # PARSE; focus on its callers
        await pilot.press("enter")  # to MAIN, its caller
        assert session_of(app).selected == main
        await pilot.press("tab")  # the callees of MAIN
        assert app.focused is app.screen.query_one("#callees-table")
        await pilot.press("enter")  # MAIN's largest callee: PARSE again
        assert session_of(app).history.entries == [parse, main, parse]
        await pilot.press("down", "enter")  # PARSE's callees: JSON, then LEN
        assert session_of(app).history.entries == [parse, main, parse, small.find(LEN)]
        await pilot.press("backspace")
        assert session_of(app).selected == parse
        await pilot.press("alt+left")
        assert session_of(app).selected == main
        await pilot.press("alt+right")
        assert session_of(app).selected == parse
        await pilot.press("alt+right")
        assert session_of(app).history.position == len(session_of(app).history.entries) - 1
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        assert session_of(app).selected == parse and session_of(app).history.position == 0
        assert not session_of(app).history.can_go_back


async def test_the_trail_shows_the_history(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("c", "enter")
        trail = str(app.screen.query_one(HistoryBar).render())
        assert "parse" in trail and "main" in trail
        assert trail.index("parse") < trail.index("main")


async def test_back_from_the_table_walks_history_too(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("enter")  # PARSE, callers view
        await pilot.press("f", "down", "down", "enter")  # WALK
        assert session_of(app).selected == small.find(WALK)
        await pilot.press("f", "backspace")
        assert session_of(app).selected == small.find(PARSE)
        # The table follows the selection.
        table = main_screen(app).table
        assert table.highlighted == small.find(PARSE)


async def test_edge_tables_sort_with_the_number_keys(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("c", "tab")
        table = app.screen.query_one("#callees-table", EdgeTable)
        assert app.focused is table
        await pilot.press("1")
        assert table.sort is SortKey.NCALLS
        assert edges_of(app, "callees") == [LEN, JSON]
        await pilot.press("1")
        assert table.reverse is True
        assert edges_of(app, "callees") == [JSON, LEN]
        await pilot.press("6")
        assert table.sort is SortKey.NAME
        assert edges_of(app, "callees")[0] == LEN


async def test_edges_show_their_own_figures_and_share(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("c")
        table = app.screen.query_one("#callees-table", EdgeTable)
        # PARSE's cumtime is 0.420; the JSON edge's cumtime 0.120.
        assert table.cells(0) == ("2", "120.0ms", "120.0ms", "28.6%", table.cells(0)[4])
        await pilot.press("percent_sign")
        assert table.cells(0)[1].endswith("%")


async def test_a_function_with_many_callers(tmp_path: Path) -> None:
    profile = load_profile([str(write_profile(tmp_path / "wide.prof", wide_stats(10_000)))])
    app = TuiprofApp(profile)
    async with app.run_test() as pilot:
        await pilot.press("c")
        view = app.screen.query_one(CallersView)
        assert len(view.callers.edges) == 10_000
        await pilot.press("end")
        assert view.callers.cursor_row == 9_999


async def test_the_tree_node_under_the_cursor_is_the_selection(small: Profile) -> None:
    # As in the table and the icicle: `c`, `s` and `g` act on the node the cursor is
    # on, without a history step (enter makes one).
    from tuiprof.views.call_tree import CallTreeView

    app = TuiprofApp(small)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        tree = app.screen.query_one(CallTreeView)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("up")
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None
        history = session_of(app).history.current
        assert session_of(app).selected == node.fid
        await pilot.press("c")
        await pilot.pause()
        subject = app.screen.query_one(CallersView)
        assert subject.fid == node.fid
        assert session_of(app).history.current == history  # moving is no history step
        await pilot.press("t", "down")
        await pilot.pause()
        below = tree.cursor_node
        assert below is not None and below.fid != node.fid
        await pilot.press("g")
        await pilot.pause()
        assert session_of(app).selected == below.fid
