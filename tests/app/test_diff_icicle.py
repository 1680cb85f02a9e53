"""The diff screen's icicle (g) and history trail: every key, on the committed before/after runs."""

from __future__ import annotations

import pytest

from tests.app.test_diff_screen import _row_named, _screen, make_app, make_diff
from tuiprof.actions import ACTIONS
from tuiprof.commands import TuiprofCommands, palette_action
from tuiprof.messages import CallGraphReady
from tuiprof.model.diff import Measure, Side, diff_profiles
from tuiprof.model.diff_format import format_signed_time
from tuiprof.model.matching import NONE
from tuiprof.screens.diff import DiffScreen
from tuiprof.views.diff_icicle import DiffIcicleView
from tuiprof.views.history_bar import DiffHistoryBar
from tuiprof.views.icicle import IcicleChart
from tuiprof.views.icicle_paint import FASTER, SLOWER
from tuiprof.views.icicle_status import IcicleStatus


def icicle_of(screen: DiffScreen) -> DiffIcicleView:
    view = screen.view_widget("icicle")
    assert isinstance(view, DiffIcicleView)
    return view


def cursor_name(chart: IcicleChart) -> str:
    block = chart.cursor
    assert block is not None
    return "…" if block.node is None else str(chart.profile.keys[block.fid][2])


def status(screen: DiffScreen) -> str:
    return str(screen.query_one(IcicleStatus).render())


def trail(screen: DiffScreen) -> str:
    return str(screen.query_one(DiffHistoryBar).render())


async def test_g_opens_the_after_runs_icicle_at_the_selected_row() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        first = screen.selected
        assert first is not None  # the largest slowdown: checksum
        await pilot.press("g")
        await pilot.pause()
        assert screen.view == "icicle"
        view = icicle_of(screen)
        chart = view.chart
        assert chart.has_focus and view.session is screen.state.after
        assert chart.cursor is not None and chart.cursor.row == 0 and chart.cursor.width == 79
        assert chart.cursor.fid == screen.diff.after_ids[first]
        assert screen.state.history.current == first  # g records the visit
        # the status line gives the change, signed, before → after
        change = chart.cursor.delta
        assert change is not None and change.before is not None
        assert change.delta == screen.diff.column(Measure.CUMTIME, Side.DELTA)[first]
        text = status(screen)
        assert "before → after" in text and f"Δ {format_signed_time(change.delta)}" in text
        assert format_signed_time(change.delta).startswith("+")
        assert "checksum" in trail(screen)


async def test_the_change_comes_right_after_the_name_and_shows_at_40_columns() -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("g")
        await pilot.pause()
        lines = status(screen).splitlines()
        assert lines[1].startswith("before → after") and "calls" not in lines[1]
        shown = screen.query_one(IcicleStatus)
        assert shown.size.height >= 3  # the name and the whole change, at least, in view
        rendered = "".join(shown.render_line(y).text for y in range(shown.size.height))
        assert "Δ" in rendered and "%" in rendered.split("Δ", 1)[1]


async def test_the_arrows_zoom_and_home_in_the_diff_icicle() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("g")
        await pilot.pause()
        chart = icicle_of(screen).chart
        await pilot.press("backspace")  # zoomed on checksum: out to main
        assert chart.profile.keys[chart.tops[0].fid][2] == "main"
        assert cursor_name(chart) == "checksum"
        await pilot.press("escape")  # out to <module>
        assert chart.profile.keys[chart.tops[0].fid][2] == "<module>"
        await pilot.press("home")
        assert cursor_name(chart) == "<module>"
        await pilot.press("down", "down")
        assert cursor_name(chart) == "build_report"  # the largest child first
        assert screen.selected == _row_named(screen.diff, "build_report")  # the selection follows
        await pilot.press("right")
        assert cursor_name(chart) == "checksum"
        await pilot.press("left")
        assert cursor_name(chart) == "build_report"
        await pilot.press("up")
        assert cursor_name(chart) == "main"
        await pilot.press("down", "enter")  # zoom in on build_report
        assert len(chart.tops) == 1 and chart.tops[0] is chart.cursor.node  # type: ignore[union-attr]
        assert cursor_name(chart) == "build_report" and chart.cursor.width == 79  # type: ignore[union-attr]
        text = status(screen)
        assert "4.981s → 191.9ms" in text and "Δ −4.789s" in text and "−96.1%" in text


async def test_c_s_and_f_follow_the_block_under_the_cursor() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("g", "backspace", "home", "down")  # main, then build_report
        await pilot.pause()
        build_report = _row_named(screen.diff, "build_report")
        assert screen.selected == build_report
        await pilot.press("c")
        await pilot.pause()
        assert screen.view == "callers" and screen.edges.row == build_report
        await pilot.press("g")
        await pilot.pause()
        assert screen.view == "icicle" and cursor_name(icicle_of(screen).chart) == "build_report"
        await pilot.press("down", "s")  # add_row
        await pilot.pause()
        assert screen.view == "source" and screen.source.row == _row_named(screen.diff, "add_row")
        await pilot.press("f")
        await pilot.pause()
        assert screen.table.highlighted == _row_named(screen.diff, "add_row")


async def test_backspace_at_the_top_goes_back_in_the_history() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        checksum = screen.selected
        await pilot.press("c", "enter")  # checksum, then its caller main
        await pilot.pause()
        main = _row_named(screen.diff, "main")
        assert screen.selected == main
        await pilot.press("g")
        await pilot.pause()
        chart = icicle_of(screen).chart
        while len(chart.tops) == 1:  # zoom out to the roots
            await pilot.press("backspace")
        await pilot.press("backspace")  # at the top: back in the history
        await pilot.pause()
        assert screen.selected == checksum and screen.view == "icicle"
        assert cursor_name(chart) == "checksum"
        await pilot.press("alt+right")
        await pilot.pause()
        assert screen.selected == main and cursor_name(chart) == "main"


async def test_g_on_a_function_the_after_run_lacks_says_so() -> None:
    forward = make_diff(lines=False)
    diff = diff_profiles(forward.after, forward.before)  # the new list.append is now removed
    app = make_app(diff)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        gone = next(r for r in range(len(diff)) if diff.after_ids[r] == NONE)
        await pilot.press("slash", *"append", "enter")
        await pilot.pause()
        assert screen.selected == gone
        await pilot.press("g")
        await pilot.pause()
        assert screen.view == "icicle"
        assert any("is not in the after run" in n.message for n in app._notifications)


async def test_blocks_are_red_when_slower_green_when_faster_and_signed_without_colour() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("g", "backspace")  # main: build_report (faster), checksum (slower)
        await pilot.pause()
        chart = icicle_of(screen).chart
        chart.palette = "256"
        await pilot.pause()
        cells = [
            (s.text, s.style.bgcolor.name)
            for s in chart.render_line(1)
            if s.text == "▏" and s.style is not None and s.style.bgcolor is not None
        ]
        first, second = (colour for _, colour in cells[:2])
        assert first in {f"color({c})" for c in FASTER}  # build_report
        assert second in {f"color({c})" for c in SLOWER}  # checksum
        chart.palette = "mono"
        await pilot.pause()
        words = chart.render_line(1).text.split()
        assert words[:2] == ["▏−build_report", "▏+checksum"]


async def test_the_palette_runs_the_icicle_keys_on_the_diff_screen() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        titles = {title for title, _, _ in TuiprofCommands(screen)._available()}
        assert "Diff: show the icicle, blocks by their change" in titles
        assert "Icicle: zoom out one level" in titles
        by_id = {action.id: action for action in ACTIONS}
        await app.run_action(palette_action(by_id["diff.view_icicle"]))
        await pilot.pause()
        assert screen.view == "icicle"
        await app.run_action(palette_action(by_id["icicle.zoom_out"]))
        await pilot.pause()
        chart = icicle_of(screen).chart
        assert chart.profile.keys[chart.tops[0].fid][2] == "main"


async def test_the_icicle_waits_for_both_call_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(DiffScreen, "warm", lambda self: None)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        await pilot.press("g")
        await pilot.pause()
        assert screen.view_widget("icicle") is None and screen.query("#icicle-waiting")
        screen.diff.after.callee_index()
        assert screen.call_graph_pending()  # the before run's is still missing
        screen.diff.before.callee_index()
        screen.post_message(CallGraphReady())
        await pilot.pause()
        await pilot.pause()
        chart = icicle_of(screen).chart
        assert app.focused is chart and chart.cursor is not None
        assert chart.cursor.fid == screen.diff.after_ids[screen.selected or 0]


async def test_the_history_trail_follows_visits_back_and_forward() -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        assert "history: empty" in trail(screen)
        await pilot.press("slash", *"add_row", "enter", "enter")  # add_row, its callers
        await pilot.pause()
        assert "add_row" in trail(screen)
        await pilot.press("enter")  # its caller, build_report
        await pilot.pause()
        assert trail(screen).split() == ["‹", "add_row", "›", "build_report"]
        await pilot.press("backspace")
        await pilot.pause()
        assert trail(screen).split() == ["add_row", "›", "build_report", "›"]
        assert screen.state.history.current == _row_named(screen.diff, "add_row")
        await pilot.press("alt+right")
        await pilot.pause()
        assert trail(screen).split() == ["‹", "add_row", "›", "build_report"]
