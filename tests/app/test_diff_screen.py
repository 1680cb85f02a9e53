"""The diff screen: Pilot tests for every key, on the committed before/after profiles."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rich.table import Table

from tuiprof.actions import actions_of, help_sections
from tuiprof.app import TuiprofApp
from tuiprof.commands import TuiprofCommands
from tuiprof.model.diff import Measure, ProfileDiff, Side, diff_profiles
from tuiprof.model.diff_format import format_signed_percent
from tuiprof.model.diff_table import NAME
from tuiprof.model.loaders import load_profile
from tuiprof.model.source import SourceFinder
from tuiprof.screens.diff import DiffHeader, DiffScreen, total_text
from tuiprof.screens.help import HelpScreen
from tuiprof.views.diff_edges import EdgeDiffTable

needs_tomllib = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="key remapping reads TOML with tomllib (Python 3.11+)"
)
DATA = Path(__file__).resolve().parent.parent.parent / "sample_profiles" / "diff"


def make_diff(lines: bool = True) -> ProfileDiff:
    sides = []
    for side in ("before", "after"):
        files = [str(DATA / f"{side}.prof")]
        if lines:
            files.append(str(DATA / f"{side}.lprof"))
        sides.append(load_profile(files))
    return diff_profiles(*sides)


def make_app(diff: ProfileDiff | None = None) -> TuiprofApp:
    diff = diff or make_diff()
    finders = (SourceFinder(diff.before.files), SourceFinder(diff.after.files))
    return TuiprofApp(diff=diff, diff_finders=finders)


def _screen(app: TuiprofApp) -> DiffScreen:
    screen = app.screen
    assert isinstance(screen, DiffScreen)
    return screen


def _diff(app: TuiprofApp) -> ProfileDiff:
    assert app.diff is not None
    return app.diff


def _row_named(diff: ProfileDiff, name: str) -> int:
    (row,) = [r for r in range(len(diff)) if diff.key(r)[2] == name]
    return row


async def test_opens_on_the_largest_slowdown_with_both_totals() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        table = screen.table
        assert table.model.query.sort == (Measure.TOTTIME, Side.DELTA)
        delta = _diff(app).column(Measure.TOTTIME, Side.DELTA)
        assert table.highlighted == max(range(len(_diff(app))), key=delta.__getitem__)
        header = str(screen.query_one("#diff-header").render())
        assert "before.prof" in header and "after.prof" in header
        assert total_text(_diff(app)) in header
        assert "→" in total_text(_diff(app)) and "−" in total_text(_diff(app))
        await pilot.pause()


@pytest.mark.parametrize(
    ("key", "column"),
    [
        ("1", (Measure.NCALLS, Side.AFTER)),
        ("2", (Measure.TOTTIME, Side.AFTER)),
        ("4", (Measure.CUMTIME, Side.AFTER)),
        ("6", NAME),
    ],
)
async def test_number_keys_sort_and_again_reverse(key: str, column: object) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = _screen(app).table
        await pilot.press(key)
        assert table.model.query.sort == column and not table.model.query.reverse
        first = list(table.rows)
        await pilot.press(key)
        assert table.model.query.reverse
        assert list(table.rows) == first[::-1] or len(first) < 2


async def test_d_sorts_by_the_delta_of_the_current_column() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = _screen(app).table
        await pilot.press("4", "d")
        assert table.model.query.sort == (Measure.CUMTIME, Side.DELTA)
        values = [_diff(app).column(Measure.CUMTIME, Side.DELTA)[r] for r in table.rows]
        assert values == sorted(values, reverse=True)
        await pilot.press("6", "d")  # a name column: tottime's delta
        assert table.model.query.sort == (Measure.TOTTIME, Side.DELTA)


async def test_r_toggles_deltas_as_share_of_the_before_total() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = _screen(app).table
        row = table.rows[0]
        seconds_cells = table.cells(0)
        await pilot.press("r")
        assert table.share_deltas
        share = 100 * _diff(app).column(Measure.TOTTIME, Side.DELTA)[row] / _diff(app).before_total
        assert table.cells(0)[6] == format_signed_percent(share)
        assert table.cells(0) != seconds_cells
        await pilot.press("r")
        assert not table.share_deltas and table.cells(0) == seconds_cells


async def test_percent_shows_times_as_share_of_each_total() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.press("percent_sign")
        assert screen.state.percent and screen.table.percent
        assert screen.table.cells(0)[5].endswith("%")
        await pilot.press("percent_sign")
        assert not screen.table.percent


async def test_filter_narrows_and_escape_clears() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = _screen(app).table
        everything = len(table.rows)
        await pilot.press("slash", *"add_row")
        assert [_diff(app).key(r)[2] for r in table.rows] == ["add_row"]
        await pilot.press("escape")
        assert len(table.rows) == everything
        await pilot.press("slash", "(")
        assert len(table.rows) == everything  # a bad regex keeps the rows


async def test_the_header_shows_the_filter_as_typed() -> None:
    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.press("slash", *r"add_row$ report\.py", "enter")
        await pilot.pause()
        header = str(_screen(app).query_one(DiffHeader).render())
        assert r"filter add_row$ report\.py" in header
        assert "'" not in header.splitlines()[-1]


@pytest.mark.parametrize(
    ("key", "flag"), [("i", "import_system"), ("l", "stdlib"), ("b", "builtins")]
)
async def test_hide_toggles(key: str, flag: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = _screen(app).table
        everything = len(table.rows)
        await pilot.press(key)
        assert getattr(table.model.query, f"hide_{flag}")
        assert len(table.rows) < everything
        await pilot.press(key)
        assert len(table.rows) == everything


async def test_enter_shows_callers_and_callees_with_edge_diffs() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        add_row = _row_named(_diff(app), "add_row")
        await pilot.press("slash", *"add_row", "enter", "enter")
        assert screen.view == "callers"
        assert screen.selected == add_row
        callers = screen.edges.callers
        assert [_diff(app).key(e.row)[2] for e in callers.edges] == ["build_report"]
        assert callers.edges == _diff(app).callers(add_row)
        assert isinstance(screen.focused, EdgeDiffTable)
        # enter on a caller goes to it: a history step
        await pilot.press("enter")
        assert screen.selected == _row_named(_diff(app), "build_report")
        await pilot.press("backspace")
        assert screen.selected == add_row
        await pilot.press("alt+right")
        assert screen.selected == _row_named(_diff(app), "build_report")


async def test_the_edge_tables_share_the_height_by_what_they_hold() -> None:
    # add_row has one caller and one callee: each table its header and row, and the
    # callees the rest (when both are short); as the explorer's callers view does.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.press("slash", *"add_row", "enter", "enter")
        await pilot.pause()
        callers, callees = screen.edges.callers, screen.edges.callees
        assert len(callers.edges) == 1
        assert callers.region.height == 2
        assert callees.region.height == screen.edges.region.height - 1 - 2
        await pilot.resize_terminal(80, 40)
        await pilot.pause()
        assert callers.region.height == 2


async def test_c_and_f_switch_views() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.press("c")
        assert screen.view == "callers" and screen.edges.row == screen.table.highlighted
        await pilot.press("f")
        assert screen.view == "functions" and screen.focused is screen.table


async def test_s_shows_the_line_diff() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.press("slash", *"add_row", "enter", "s")
        assert screen.view == "source"
        lines = screen.source.table.lines
        assert screen.selected is not None
        line_diff = _diff(app).line_diff(screen.selected)
        assert line_diff is not None
        timed = [r for r in lines if r.before is not None or r.after is not None]
        assert [(r.before, r.after) for r in timed] == [(r.before, r.after) for r in line_diff.rows]
        assert any("self.parts.append" in r.text for r in lines)  # the after side's source
        assert "by offset from the first line" in screen.source.notice


async def test_s_without_line_data_shows_the_source_only() -> None:
    app = make_app(make_diff(lines=False))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.press("slash", *"checksum", "enter", "s")
        assert "no line data" in screen.source.notice
        assert any("def checksum" in r.text for r in screen.source.table.lines)


async def test_backspace_with_no_history_says_so() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        first = screen.selected
        assert first is not None and first == screen.table.highlighted
        await pilot.press("backspace")
        assert screen.selected == first
        assert any("nothing further back" in n.message for n in app._notifications)


async def test_help_and_quit() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DiffScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_help_lists_the_diff_keys() -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        tables = app.screen.keys_table().renderables
        titles = [str(table.title) for table in tables if isinstance(table, Table)]
        assert titles[:2] == ["Everywhere", "Diff screen (tuiprof diff)"]  # its own keys first
        ids = [a.id for _, actions in help_sections() for a in actions]
        assert {a.id for a in actions_of("diff")} <= set(ids)


@needs_tomllib
async def test_the_palette_offers_the_diff_actions_with_their_live_keys(tmp_path: Path) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\n"diff.sort_delta" = "x"\n')
    diff = make_diff()
    finders = (SourceFinder(diff.before.files), SourceFinder(diff.after.files))
    app = TuiprofApp(diff=diff, diff_finders=finders, keymap_file=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        available = TuiprofCommands(app.screen)._available()
        titles = {title for title, _, _ in available}
        assert {a.palette for a in actions_of("diff")} <= titles
        assert "Show the call tree" not in titles and "Export" not in titles
        assert "Help: every key" in titles
        keys = {title: key for title, _, key in available}
        assert keys["Diff: sort by the delta of the current column"] == "x"
        assert keys["Diff: filter the diff table: terms AND-ed, regex"] == "/"
        run = {title: action for title, action, _ in available}
        await app.run_action(run["Diff: show callers and callees, Δ per edge"])
        await pilot.pause()
        assert _screen(app).view == "callers"


@needs_tomllib
async def test_a_keymap_file_remaps_the_diff_keys(tmp_path: Path) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\n"diff.sort_delta" = "x"\n"diff.view_callers" = "k"\n')
    diff = make_diff()
    app = TuiprofApp(diff=diff, keymap_file=keymap)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.press("4", "x")
        assert screen.table.model.query.sort == (Measure.CUMTIME, Side.DELTA)
        await pilot.press("k")
        assert screen.view == "callers"
        assert not app._notifications


async def test_bad_caller_records_of_one_run_are_a_notification(tmp_path: Path) -> None:
    """The screen checks the caller records after its first frame, as the explorer does."""
    from tests.app.conftest import MAIN, PARSE, small_stats, write_profile

    stats = small_stats()
    cc, nc, tt, ct, _callers = stats[PARSE]
    stats[PARSE] = (cc, nc, tt, ct, {MAIN: (2, 2, "0.3", 0.42)})  # a time that is a string
    bad = write_profile(tmp_path / "bad-edges.prof", stats)
    good = write_profile(tmp_path / "good.prof", small_stats())
    before = load_profile([str(good)], check_edges=False)
    after = load_profile([str(bad)], check_edges=False)
    app = make_app(diff_profiles(before, after))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        notes = [n for n in app._notifications if n.title == "Bad caller records"]
        assert len(notes) == 1
        assert str(bad) in notes[0].message and str(good) not in notes[0].message
        assert not after.callers(after.find(PARSE)) and before.callers(before.find(PARSE))
        assert _screen(app).table.row_count() == len(stats)


async def test_a_40_column_screen_shows_whole_rows() -> None:
    """No sideways scroll: with no column left to give way, the names take what is left."""
    from tuiprof.views.diff_table import DiffTable

    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DiffTable)
        width = table.scrollable_content_region.width
        layout = table.column_layout(width)
        assert sum(size for _, size in layout) + len(layout) - 1 <= width
        assert table.content_width() == 0 and table.max_scroll_x == 0
