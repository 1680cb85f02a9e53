"""Layouts that fit: small screens, long paths, sorting, and the callers split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.app.conftest import MAIN, main_of, session_of, small_stats, write_profile
from tests.app.test_call_tree import diamond_stats, make_profile
from tuiprof.app import TuiprofApp
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import FunctionLines, LineTiming, Profile
from tuiprof.model.source import SourceFinder
from tuiprof.model.wrap import wrap_lines
from tuiprof.screens.main import MainScreen
from tuiprof.views.call_tree import CallTreeView
from tuiprof.views.callers import CallersView, split_heights
from tuiprof.views.function_table import FunctionTable
from tuiprof.views.header import StatusHeader
from tuiprof.views.source_view import SourceView

DEEP = (
    "/home/someone/.venv/lib/python3.11/site-packages/framework/internals/dispatch/handlers.py",
    1234,
    "dispatch_request",
)


def long_path_stats() -> dict[Any, Any]:
    """The small profile, with one function deep in site-packages that main calls."""
    stats = small_stats()
    stats[DEEP] = (3, 3, 2.0, 2.5, {MAIN: (3, 3, 2.0, 2.5)})
    return stats


def long_path_profile(tmp_path: Path, name: str = "small.prof") -> Profile:
    return load_profile([str(write_profile(tmp_path / name, long_path_stats()))])


def lines_of(view: Any) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


def header_lines(app: TuiprofApp) -> list[str]:
    return str(app.screen.query_one(StatusHeader).render()).splitlines()


async def test_the_function_column_keeps_the_line_number_at_80x24(tmp_path: Path) -> None:
    app = TuiprofApp(long_path_profile(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(FunctionTable)
        row = next(line for line in lines_of(table) if "dispatch_request" in line)
        assert row.rstrip().endswith("/handlers.py:1234") and "dispatch_request  …" in row
        await pilot.press("c")
        await pilot.pause()
        callers = app.screen.query_one(CallersView)
        subject = str(callers.query_one("#callers-subject").render())
        assert subject.startswith("dispatch_request  …") and subject.rstrip().endswith("2.500s")
        assert "cumtime 2.500s" in subject


async def test_the_header_keeps_the_figures_with_long_file_names(tmp_path: Path) -> None:
    name = "a-profile-with-a-name-long-enough-to-fill-the-header.prof"
    profile = long_path_profile(tmp_path, name)
    key = profile.keys[0]
    profile.lines[0] = FunctionLines(key[0], key[1], key[2], (LineTiming(key[1], 1, 0.1),))
    app = TuiprofApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        top = header_lines(app)[0]
        assert top.rstrip().endswith("8 functions  1 with line data") and "…" in top


def two_hundred_functions(tmp_path: Path) -> Profile:
    """f001 .. f200, each one's times in proportion to its number (f200 on top by tottime)."""
    stats: dict[Any, Any] = {
        ("/src/m.py", i, f"f{i:03}"): (i, i, 0.001 * i, 0.001 * i, {}) for i in range(1, 201)
    }
    return load_profile([str(write_profile(tmp_path / "many.prof", stats))])


async def test_a_sort_shows_the_top_and_the_cursor_stays(tmp_path: Path) -> None:
    app = TuiprofApp(two_hundred_functions(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(FunctionTable)
        await pilot.press("pagedown", "pagedown", "pagedown", "down")
        await pilot.pause()
        chosen = table.highlighted
        assert table.cursor_row > 40
        await pilot.press("6")  # by name: the cursor's function is now far down
        await pilot.pause()
        assert table.scroll_offset.y == 0
        first = next(line for line in lines_of(table)[1:] if line.strip())
        assert "f001" in first  # the top of the new order is on screen
        assert chosen is not None
        assert table.highlighted == chosen and session_of(app).selected == chosen
        assert not table.cursor_in_view
        name = session_of(app).profile.keys[chosen][2]
        status = header_lines(app)[1]
        assert f"row {table.cursor_row + 1}" in status and name in status
        await pilot.press("down")  # one key brings the cursor back into view
        await pilot.pause()
        assert table.cursor_in_view and "cursor:" not in header_lines(app)[1]


async def test_the_cursor_note_follows_a_resize(tmp_path: Path) -> None:
    """After a sort the note says where the cursor stayed; a resize that brings the
    cursor into view (or takes it out) updates the note."""
    app = TuiprofApp(two_hundred_functions(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(FunctionTable)
        await pilot.press("end", *["up"] * 19)  # f020, by tottime row 181
        await pilot.press("6")  # by name: f020 is row 20, below the 80x24 view's rows
        await pilot.pause()
        assert table.scroll_offset.y == 0 and not table.cursor_in_view
        assert "cursor: row 20" in header_lines(app)[1]
        await pilot.resize_terminal(80, 40)  # rows 1 to 30 or so: the cursor is in view
        await pilot.pause()
        await pilot.pause()
        assert table.cursor_in_view and "cursor:" not in header_lines(app)[1]


async def test_callers_and_callees_split_by_content() -> None:
    assert split_heights(1, 96, 20) == (2, None)
    assert split_heights(96, 1, 20) == (None, 2)
    assert split_heights(96, 96, 20) == (None, None)
    assert split_heights(3, 4, 20) == (4, None)
    assert split_heights(0, 9, 20) == (2, None)  # "no callers" takes a row


async def test_one_caller_many_callees_gets_one_line(tmp_path: Path) -> None:
    hub = ("/src/hub.py", 1, "hub")
    stats: dict[Any, Any] = {("/src/main.py", 1, "main"): (1, 1, 0.1, 1.0, {})}
    stats[hub] = (1, 1, 0.1, 0.9, {("/src/main.py", 1, "main"): (1, 1, 0.1, 0.9)})
    for i in range(40):
        stats[("/src/leaf.py", i + 10, f"leaf{i}")] = (1, 1, 0.01, 0.01, {hub: (1, 1, 0.01, 0.01)})
    app = TuiprofApp(load_profile([str(write_profile(tmp_path / "hub.prof", stats))]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main_of(app).go_to(session_of(app).profile.find(hub))
        await pilot.press("c")
        await pilot.pause()
        view = app.screen.query_one(CallersView)
        assert view.callers.size.height == 2  # the header and its one row
        assert view.callees.size.height == view.size.height - 3 - 2


async def test_the_call_tree_keeps_names_at_40x12(tmp_path: Path) -> None:
    profile = make_profile(tmp_path, diamond_stats())
    app = TuiprofApp(profile, source_finder=SourceFinder(profile.files))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        tree = app.screen.query_one(CallTreeView)
        text = lines_of(tree)
        assert "cumtime" in text[0] and "tottime" not in text[0]
        assert "main" in text[1]


async def test_messages_wrap(tmp_path: Path) -> None:
    long_name = "<built-in method " + "very_long_extension_function_name" * 2 + ">"
    stats = small_stats()
    stats[("~", 0, long_name)] = (1, 1, 0.1, 0.1, {MAIN: (1, 1, 0.1, 0.1)})
    profile = load_profile([str(write_profile(tmp_path / "b.prof", stats))])
    app = TuiprofApp(profile, source_finder=SourceFinder(profile.files))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main_of(app).go_to(profile.find(("~", 0, long_name)))
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        view = app.screen.query_one(SourceView)
        text = " ".join(line.strip() for line in lines_of(view))
        assert "it has no Python source." in text
    assert wrap_lines(["  one two three", ""], 12) == ["  one two", "    three", ""]
