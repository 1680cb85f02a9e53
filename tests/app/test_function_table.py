"""The function table's keys, asserted on state: sort, filter, toggles, cursor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.app.conftest import (
    BOOT,
    JSON,
    LEN,
    MAIN,
    PARSE,
    RENDER,
    WALK,
    main_of,
    session_of,
    write_profile,
)
from tuiprof.app import TuiprofApp
from tuiprof.model.first_rows import FirstRows
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.table import FunctionTableModel, SortKey, TableQuery
from tuiprof.screens.main import MainScreen
from tuiprof.views import function_table
from tuiprof.views.function_table import FunctionTable


def table_of(app: TuiprofApp) -> FunctionTable:
    return app.screen.query_one(FunctionTable)


def keys_of(app: TuiprofApp) -> list[tuple[str, int, str]]:
    return [session_of(app).profile.keys[fid] for fid in table_of(app).rows]


async def test_opens_sorted_by_tottime_with_the_top_row_selected(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert keys_of(app) == [PARSE, RENDER, WALK, JSON, BOOT, LEN, MAIN]
        assert session_of(app).selected == small.find(PARSE)
        assert table_of(app).table_query.sort is SortKey.TOTTIME


async def test_number_keys_sort_and_the_same_key_reverses(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        table = table_of(app)
        await pilot.press("1")
        assert (table.table_query.sort, table.table_query.reverse) == (SortKey.NCALLS, False)
        assert keys_of(app)[0] == LEN
        await pilot.press("1")
        assert table.table_query.reverse is True
        assert keys_of(app)[-1] == LEN
        await pilot.press("3")
        assert (table.table_query.sort, table.table_query.reverse) == (
            SortKey.TOTTIME_PERCALL,
            False,
        )
        assert keys_of(app)[0] == PARSE  # 0.150 per call
        await pilot.press("4")
        assert keys_of(app)[:2] == [MAIN, PARSE]
        await pilot.press("5")
        assert table.table_query.sort is SortKey.CUMTIME_PERCALL
        assert keys_of(app)[0] == MAIN
        await pilot.press("6")
        assert table.table_query.sort is SortKey.NAME
        assert keys_of(app)[0] == LEN  # "<built-in…" sorts first
        assert keys_of(app)[-1] == WALK
        await pilot.press("2")
        assert table.table_query.sort is SortKey.TOTTIME


async def test_sorting_keeps_the_selected_function(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("down", "down")  # WALK
        assert session_of(app).selected == small.find(WALK)
        await pilot.press("6")
        assert session_of(app).selected == small.find(WALK)
        assert table_of(app).highlighted == small.find(WALK)


async def test_clicking_a_header_sorts(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        await pilot.click(FunctionTable, offset=(3, 0))  # "ncalls"
        assert table.table_query.sort is SortKey.NCALLS
        await pilot.click(FunctionTable, offset=(60, 0))  # "function"
        assert table.table_query.sort is SortKey.NAME


async def test_clicking_a_row_moves_the_cursor(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click(FunctionTable, offset=(20, 3))  # third row
        assert session_of(app).selected == small.find(WALK)


async def test_cursor_keys(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        await pilot.press("down")
        assert table.cursor_row == 1 and session_of(app).selected == small.find(RENDER)
        await pilot.press("end")
        assert session_of(app).selected == small.find(MAIN)
        await pilot.press("up")
        assert session_of(app).selected == small.find(LEN)
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("pagedown")
        assert table.cursor_row == len(table.rows) - 1
        await pilot.press("pageup")
        assert table.cursor_row == 0
        # Moving the cursor selects without a history step.
        assert session_of(app).history.entries == []


async def test_filter_terms_are_anded_and_escape_clears(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"app")
        assert set(keys_of(app)) == {MAIN, PARSE, WALK, RENDER}
        await pilot.press("space", *"walk")
        assert keys_of(app) == [WALK]
        assert table_of(app).table_query.filter_text == "app walk"
        assert session_of(app).selected == small.find(WALK)
        await pilot.press("enter")
        assert isinstance(app.focused, FunctionTable)
        assert keys_of(app) == [WALK]
        await pilot.press("slash", "escape")
        assert len(keys_of(app)) == len(small)
        assert table_of(app).table_query.filter_text == ""


async def test_slash_on_a_kept_filter_goes_on_typing_after_it(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("slash", *"app", "enter")
        await pilot.press("slash", "space", *"walk")
        assert table_of(app).table_query.filter_text == "app walk"
        assert keys_of(app) == [WALK]


async def test_filter_takes_regular_expressions(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("slash", *"^(parse|render)")
        assert set(keys_of(app)) == {PARSE, RENDER}


async def test_a_bad_regex_notifies_and_keeps_the_last_rows(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("slash", *"pa")
        before = keys_of(app)
        await pilot.press("(")
        await pilot.pause()
        assert keys_of(app) == before
        assert app.screen.query_one("#filter").has_class("-invalid")
        assert any("regular expression" in n.message for n in app._notifications)
        await pilot.press("enter")  # refused while invalid
        assert isinstance(app.focused, Input)
        await pilot.press("backspace")
        assert not app.screen.query_one("#filter").has_class("-invalid")


async def test_no_match_says_so(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("slash", *"nothinghere", "enter")
        table = table_of(app)
        assert table.row_count() == 0
        assert "no function matches" in table.empty_message()
        # The table's cursor is the selection: on no row, no function (the top
        # row of a shorter filter typed on the way was never chosen).
        assert session_of(app).selected is None
        await pilot.press("c")
        assert main_of(app).view == "callers"
        assert session_of(app).selected is None
        assert session_of(app).history.current is None
        await pilot.press("f", "slash", "escape")
        assert table.row_count() == len(small)
        assert session_of(app).selected == table.highlighted is not None


async def test_a_new_filter_in_the_same_row_selects_its_function(small: Profile) -> None:
    # The cursor stays in row 0 while the function there changes: no cursor
    # message, yet the selection follows.
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        table = table_of(app)
        await pilot.press("slash", *"walk", "enter")
        assert table.cursor_row == 0
        assert session_of(app).selected == table.highlighted
        await pilot.press("slash", "escape")
        assert session_of(app).selected == table.highlighted


async def test_hide_toggles(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("i")
        assert BOOT not in keys_of(app)
        await pilot.press("b")
        assert LEN not in keys_of(app)
        await pilot.press("l")
        assert JSON not in keys_of(app)
        assert set(keys_of(app)) == {MAIN, PARSE, WALK, RENDER}
        await pilot.press("i", "b", "l")
        assert len(keys_of(app)) == len(small)


async def test_percent_toggle(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        table = table_of(app)
        assert table.cells(0)[1] == "300.0ms"
        await pilot.press("percent_sign")
        assert table.percent is True
        total = small.total_time
        assert table.cells(0)[1] == f"{100 * 0.3 / total:.1f}%"
        await pilot.press("percent_sign")
        assert table.percent is False


async def test_recursive_calls_show_as_nc_over_cc(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.pause()
        row = list(table_of(app).rows).index(small.find(WALK))
        assert table_of(app).cells(row)[0] == "40/10"


async def test_per_call_times_are_blank_without_calls(tmp_path: Path) -> None:
    # cc 0: only recursive calls were seen; no calls at all: both blank, as pstats prints them.
    stats: dict[Any, Any] = {
        ("/src/a.py", 1, "only_recursive"): (0, 5, 0.500, 0.600, {}),
        ("/src/b.py", 1, "never_called"): (0, 0, 0.000, 0.000, {}),
    }
    profile = load_profile([str(write_profile(tmp_path / "zero.prof", stats))])
    app = TuiprofApp(profile)
    async with app.run_test() as pilot:
        await pilot.pause()
        table = table_of(app)
        cells = {table.cells(row)[5].split()[0]: table.cells(row) for row in range(2)}
        assert cells["only_recursive"][:5] == ("5/0", "500.0ms", "100.0ms", "600.0ms", "")
        assert cells["never_called"][:5] == ("0", "0", "", "0", "")


async def test_a_big_profile_opens_on_its_top_rows_without_a_full_sort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ties on tottime too: the first rows must be the sorted order's, tie for tie.
    stats: dict[Any, Any] = {
        ("/src/m.py", i, f"f{i}"): (1, 1, float(i % 7), 1.0, {}) for i in range(40)
    }
    profile = load_profile([str(write_profile(tmp_path / "many.prof", stats))])
    monkeypatch.setattr(function_table, "FIRST_ROWS_ABOVE", 10)
    monkeypatch.setattr(function_table, "FIRST_ROWS", 30)  # more than the screen shows
    monkeypatch.setattr(MainScreen, "warm", lambda self: None)  # sorts everything
    app = TuiprofApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        table = table_of(app)
        assert isinstance(table.rows, FirstRows)
        full = sorted(range(40), key=profile.tottime.__getitem__, reverse=True)
        await pilot.pause()
        assert table.rows.top == full[:30]
        assert table.model._rows is None  # the screen did not ask for the full order
        assert list(table.rows) == full
        assert len(table.rows) == 40
        assert table.rows.index(full[2]) == 2
        assert table.rows.index(full[30]) == 30
        assert session_of(app).selected == full[0]
        await pilot.press("end")
        assert table.highlighted == full[-1]
        assert table.show_function(full[3])
        assert table.cursor_row == 3
        await pilot.press("2")  # any change to the query leaves the first rows
        assert not isinstance(table.rows, FirstRows)
        assert list(table.rows) == full[::-1]


def test_first_rows_of_an_ascending_sort(tmp_path: Path) -> None:
    stats: dict[Any, Any] = {("/src/m.py", i, f"f{i % 5}"): (1, 1, 0.1, 1.0, {}) for i in range(30)}
    profile = load_profile([str(write_profile(tmp_path / "names.prof", stats))])
    model = FunctionTableModel(profile, TableQuery(sort=SortKey.NAME))
    first = FirstRows(model, 8)
    assert first.top == list(model.rows[:8])
    assert first[20] == model.rows[20]
    assert list(first[2:4]) == list(model.rows[2:4])


async def test_a_cursor_move_repaints_two_rows(tmp_path: Path) -> None:
    """Ten presses of ``down`` render the two rows each changes, not the screen."""
    stats: dict[Any, Any] = {
        ("/src/m.py", i, f"f{i}"): (1, 1, float(i), 1.0, {}) for i in range(200)
    }
    profile = load_profile([str(write_profile(tmp_path / "many.prof", stats))])
    app = TuiprofApp(profile)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        table = table_of(app)
        rendered: list[int] = []
        row_strip = table.row_strip

        def counting(row: int, width: int, is_cursor: bool) -> Any:
            rendered.append(row)
            return row_strip(row, width, is_cursor)

        table.row_strip = counting  # type: ignore[method-assign]
        for _ in range(10):
            await pilot.press("down")
        await pilot.pause()
        assert table.cursor_row == 10
        assert sorted(set(rendered)) == list(range(11))
        assert len(rendered) <= 2 * 10
