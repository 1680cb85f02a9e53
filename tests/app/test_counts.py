"""Call counts are never cut: the count columns are as wide as the profile's widest count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import MAIN, Key, main_of, small_stats, write_profile
from tuiprof.app import TuiprofApp
from tuiprof.model.counts import count_widths
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.screens.main import MainScreen
from tuiprof.views.call_tree import CallTreeView
from tuiprof.views.callers import EdgeTable
from tuiprof.views.function_table import FunctionTable

FACTORIAL: Key = ("/src/taylor.py", 3, "factorial")
COUNTER: Key = ("/src/count.py", 1, "tick")


def counted_stats() -> dict[Key, Any]:
    """taylor.prof's recursion (2242500/247000) and a root called 123456789 times.

    A function's figures are (cc, nc, ...), an edge's (nc, cc, ...), as pstats keeps them.
    """
    return {
        MAIN: (1, 1, 0.010, 3.000, {}),
        FACTORIAL: (
            247000,
            2242500,
            1.000,
            2.000,
            {MAIN: (247000, 247000, 0.500, 2.000), FACTORIAL: (1995500, 0, 0.500, 1.900)},
        ),
        COUNTER: (123456789, 123456789, 0.900, 0.900, {}),
    }


@pytest.fixture
def counted(tmp_path: Path) -> Profile:
    return load_profile([str(write_profile(tmp_path / "counted.prof", counted_stats()))])


def screen_lines(widget: Any, count: int) -> list[str]:
    return [widget.render_line(y).text for y in range(count)]


def test_widths_come_from_the_largest_counts(counted: Profile, tmp_path: Path) -> None:
    assert count_widths(counted).ncalls == len("123456789")
    assert count_widths(counted).calls == len("123456789/123456789")
    plain = {key: value for key, value in small_stats().items() if key[2] != "walk"}
    plain[MAIN] = (1, 1, 0.010, 1.000, {})
    flat = load_profile([str(write_profile(tmp_path / "flat.prof", plain))])
    # No recursion, so no "/cc" to make room for.
    assert count_widths(flat).calls == count_widths(flat).ncalls == len("500")


async def test_the_function_table_shows_nc_over_cc_whole(counted: Profile) -> None:
    app = TuiprofApp(counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")  # by ncalls, most first
        table = app.screen.query_one(FunctionTable)
        counts = [line.split()[0] for line in screen_lines(table, 3)[1:]]
        assert counts == ["123456789", "2242500/247000"]


async def test_callers_and_callees_show_counts_whole(counted: Profile) -> None:
    app = TuiprofApp(counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main_of(app).go_to(counted.find(FACTORIAL))
        await pilot.press("c")
        assert isinstance(app.screen, MainScreen)
        callers = app.screen.query_one("#callers-table", EdgeTable)
        texts = [line.split()[0] for line in screen_lines(callers, 3)[1:]]
        assert sorted(texts) == ["1995500/0", "247000"]
        subject = str(app.screen.query_one("#callers-subject").render())
        assert "calls 2242500/247000" in subject


async def test_the_call_tree_shows_counts_whole(counted: Profile) -> None:
    app = TuiprofApp(counted)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        tree = app.screen.query_one(CallTreeView)
        lines = screen_lines(tree, 1 + len(tree.rows))
        counter = next(line for line in lines if "tick" in line)
        assert counter.split()[-4] == "123456789"
