"""The icicle widget and the ``g`` view: every binding, on profiles the tests make."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from tests.app.conftest import main_of, session_of
from tests.app.test_call_tree import diamond_stats, make_profile
from tests.model.test_calltree import chain_stats
from tuiprof.actions import ACTIONS, actions_of, binding_ids, help_sections
from tuiprof.app import TuiprofApp
from tuiprof.commands import palette_action
from tuiprof.messages import FunctionHighlighted
from tuiprof.model.calltree import TreeNode
from tuiprof.model.icicle import Block, Change
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.session import Session
from tuiprof.model.source import SourceFinder
from tuiprof.screens.main import MainScreen
from tuiprof.views.icicle import IcicleChart, IcicleView
from tuiprof.views.icicle_paint import FASTER, SLOWER, block_label, delta_colour
from tuiprof.views.icicle_status import IcicleStatus, status_text


class IcicleApp(App[None]):
    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.highlighted: list[int] = []

    def compose(self) -> ComposeResult:
        yield IcicleView(Session(self.profile))

    def on_mount(self) -> None:
        self.query_one(IcicleChart).focus()

    def on_function_highlighted(self, message: FunctionHighlighted) -> None:
        self.highlighted.append(message.fid)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return make_profile(tmp_path, diamond_stats())


def name(chart: IcicleChart, block: Block | None = None) -> str:
    block = chart.cursor if block is None else block
    assert block is not None
    return "…" if block.node is None else chart.profile.keys[block.fid][2]


def status(app: App[Any]) -> str:
    return str(app.query_one(IcicleStatus).render())


def row_text(chart: IcicleChart, y: int) -> str:
    return chart.render_line(y).text


async def test_arrows_move_to_parent_child_and_siblings(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        assert chart.has_focus and name(chart) == "main"
        await pilot.press("down")
        assert name(chart) == "a" and chart.cursor is not None and chart.cursor.row == 1
        await pilot.press("right")
        assert name(chart) == "b"
        await pilot.press("right")  # nothing further right
        assert name(chart) == "b"
        await pilot.press("down", "right")
        assert name(chart) == "fact"
        await pilot.press("left")
        assert name(chart) == "c" and chart.cursor is not None and chart.cursor.x > 0
        await pilot.press("left")  # the next block to the left: a's c
        assert name(chart) == "c" and chart.cursor is not None and chart.cursor.x == 0
        await pilot.press("up")
        assert name(chart) == "a"
        await pilot.press("up", "up")
        assert name(chart) == "main"
        await pilot.press("down", "down", "down", "home")
        assert name(chart) == "main"
        fids = {profile.keys[f][2] for f in app.highlighted}
        assert {"main", "a", "b", "c", "fact"} <= fids


async def test_enter_zooms_in_and_escape_backspace_zoom_out(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.press("down", "right", "enter")
        assert name(chart) == "b" and chart.cursor is not None
        assert chart.icicle is not None and chart.icicle.width == 79  # one column for the scrollbar
        assert (chart.cursor.x, chart.cursor.width) == (0, 79)
        assert chart.zoom_total == pytest.approx(3.0)
        await pilot.press("down", "enter")
        assert name(chart) == "c" and chart.cursor is not None and chart.cursor.width == 79
        await pilot.press("escape")
        assert chart.tops[0] is not None and profile.keys[chart.tops[0].fid][2] == "b"
        assert name(chart) == "c"  # the cursor stays on the block zoomed out of
        await pilot.press("backspace")
        assert len(chart.tops) == 1 and profile.keys[chart.tops[0].fid][2] == "main"
        assert name(chart) == "b" and chart.cursor is not None and chart.cursor.width == 24
        await pilot.press("escape")  # at the top: nothing happens
        assert name(chart) == "b"


async def test_status_line_names_the_block_and_its_figures(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        text = status(app)
        assert "main  app.py:1" in text and "100.0% of total" in text
        assert "estimate" not in text
        await pilot.press("down", "down", "down")  # a -> c -> d: d below a shared c
        text = status(app)
        assert "d  app.py:5" in text and "estimate" in text and "~" in text
        await pilot.press("up", "up", "right", "enter", "down")  # zoom on b; its c
        text = status(app)
        assert "20.0% of total" in text and "66.7% of zoom" in text


async def test_recursion_is_marked_and_not_expanded(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(160, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.press("down", "right", "down", "right", "down")
        assert chart.cursor is not None and chart.cursor.recursive
        assert "recursion" in status(app)
        assert "↻fact" in row_text(chart, 3)
        await pilot.press("down")  # nothing below a recursion mark
        assert chart.cursor is not None and chart.cursor.row == 3


async def test_estimated_blocks_are_shaded_not_only_coloured(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.pause()
        assert "░" in row_text(chart, 3)  # d under a shared c
        assert "░" not in row_text(chart, 1)


async def test_a_click_moves_the_cursor_and_a_double_click_zooms(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.click(IcicleChart, offset=(60, 1))
        assert name(chart) == "b"
        await pilot.click(IcicleChart, offset=(60, 1), times=2)
        assert chart.cursor is not None and chart.cursor.width == 79


async def test_small_terminal(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(40, 12)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.pause()
        assert row_text(chart, 0).startswith("▏main")
        assert len(row_text(chart, 1)) == 39
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert chart.cursor is not None and chart.cursor.width == 79


async def test_depth_beyond_the_screen_scrolls(tmp_path: Path) -> None:
    app = IcicleApp(make_profile(tmp_path, chain_stats(60)))
    async with app.run_test(size=(80, 12)) as pilot:
        chart = app.query_one(IcicleChart)
        for _ in range(30):
            await pilot.press("down")
        assert chart.cursor is not None and chart.cursor.row == 30
        assert chart.scroll_y > 0
        assert row_text(chart, int(30 - chart.scroll_y)).startswith("▏f30")
        # The rows built so far are the scroll area: the scrollbar shows it.
        assert chart.show_vertical_scrollbar
        assert chart.virtual_size.height > 30 and chart.max_scroll_y > 0
        for _ in range(29):
            await pilot.press("down")
        await pilot.pause()
        assert chart.cursor is not None and chart.cursor.row == 59
        assert chart.virtual_size.height == 60 and chart.scroll_y == chart.max_scroll_y


async def test_rows_that_fit_show_no_scrollbar(tmp_path: Path) -> None:
    app = IcicleApp(make_profile(tmp_path, chain_stats(5)))
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.pause()
        assert chart.virtual_size.height == 5 and chart.max_scroll_y == 0
        assert not chart.show_vertical_scrollbar


async def test_names_are_made_safe_for_the_terminal(tmp_path: Path) -> None:
    evil = ("app.py", 3, "bad\x1b[2Jname\x07")
    profile = make_profile(tmp_path, {evil: (1, 1, 1.0, 1.0, {})})
    app = IcicleApp(profile)
    async with app.run_test(size=(80, 12)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.pause()
        assert row_text(chart, 0).startswith("▏bad\\x1b[2Jname\\x07")
        assert "\x1b" not in row_text(chart, 0) and "\x1b" not in status(app)
        assert visible(evil[2]) in status(app)


async def test_status_of_a_merged_block(tmp_path: Path) -> None:
    main = ("app.py", 1, "main")
    stats: dict[Any, Any] = {main: (1, 1, 0.0, 100.0, {})}
    stats[("w.py", 1, "big")] = (1, 1, 80.0, 80.0, {main: (1, 1, 80.0, 80.0)})
    for i in range(40):
        stats[("w.py", i + 2, f"tiny{i}")] = (1, 1, 0.5, 0.5, {main: (1, 1, 0.5, 0.5)})
    profile = make_profile(tmp_path, stats)
    app = IcicleApp(profile)
    async with app.run_test(size=(50, 12)) as pilot:
        chart = app.query_one(IcicleChart)
        await pilot.press("down", "right")
        assert chart.cursor is not None and chart.cursor.node is None
        assert block_label(profile, chart.cursor) == "…"
        assert "40 functions under main" in str(status_text(profile, chart, chart.cursor))
        await pilot.press("enter")  # "…" zooms on its parent, which is the top already
        assert chart.cursor is not None and chart.cursor.node is None


# In the explorer ----------------------------------------------------------


def explorer(profile: Profile) -> TuiprofApp:
    return TuiprofApp(profile, source_finder=SourceFinder(profile.files))


def chart_of(screen: MainScreen) -> IcicleChart:
    """The icicle's chart, once ``g`` built it."""
    view = screen.view_widget("icicle")
    assert isinstance(view, IcicleView)
    return view.chart


def selected(app: TuiprofApp) -> int:
    fid = session_of(app).selected
    assert fid is not None
    return fid


async def test_g_opens_the_icicle_at_the_selected_function(profile: Profile) -> None:
    app = explorer(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_of(app)
        await pilot.press("g")
        await pilot.pause()
        assert screen.view == "icicle"
        chart = chart_of(screen)
        assert chart.has_focus
        first = screen.table.highlighted
        assert first is not None and selected(app) == first and chart.cursor is not None
        assert chart.cursor.fid == first and chart.cursor.row == 0  # it spans the full width
        assert chart.cursor.width == 79
        assert session_of(app).history.current == first  # g records the visit
        await pilot.press("f", "down", "down", "g")  # the table's third row
        await pilot.pause()
        assert selected(app) != first and chart.cursor.fid == selected(app)
        if chart.cursor.node is not None and chart.cursor.node.parent is not None:
            assert chart.cursor.row == 0 and chart.cursor.width == 79
        await pilot.press("home")
        assert chart.cursor is not None and chart.cursor.row == 0


async def test_the_selection_is_shared_with_s_and_c(profile: Profile) -> None:
    app = explorer(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_of(app)
        screen.go_to(profile.find(("app.py", 1, "main")))
        await pilot.press("g", "down", "right", "c")
        await pilot.pause()
        assert screen.view == "callers"
        assert selected(app) == profile.find(("app.py", 3, "b"))
        await pilot.press("g")
        await pilot.pause()
        assert screen.view == "icicle" and name(chart_of(screen)) == "b"
        await pilot.press("down", "s")
        await pilot.pause()
        assert screen.view == "source"
        assert profile.keys[selected(app)][2] == "c"


async def test_backspace_at_the_top_goes_back_in_the_history(profile: Profile) -> None:
    app = explorer(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_of(app)
        screen.go_to(profile.find(("app.py", 1, "main")))
        await pilot.press("g", "down", "right", "c", "g")  # history: main, b
        await pilot.pause()
        chart = chart_of(screen)
        assert len(chart.tops) == 1
        await pilot.press("backspace")  # zoomed on b: zoom out to main
        assert profile.keys[chart.tops[0].fid][2] == "main"
        await pilot.press("backspace")  # at the top: back in the history
        await pilot.pause()
        assert profile.keys[selected(app)][2] == "main"
        assert screen.view == "icicle"


async def test_the_icicle_waits_for_the_call_graph(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the warm-up has built the callee index, g shows a placeholder."""
    from tuiprof.messages import CallGraphReady

    monkeypatch.setattr(MainScreen, "warm", lambda self: None)
    app = explorer(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_of(app)
        await pilot.press("g")
        await pilot.pause()
        assert screen.view_widget("icicle") is None and screen.query("#icicle-waiting")
        assert app.focused is None
        profile.callee_index()
        screen.post_message(CallGraphReady())
        await pilot.pause()
        await pilot.pause()
        chart = chart_of(screen)
        assert app.focused is chart and chart.cursor is not None
        assert chart.cursor.fid == selected(app)


async def test_the_palette_runs_the_icicle_keys(profile: Profile) -> None:
    app = explorer(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_of(app)
        screen.go_to(profile.find(("app.py", 1, "main")))
        by_id = {action.id: action for action in ACTIONS}
        await app.run_action(palette_action(by_id["view_icicle"]))
        await pilot.pause()
        assert screen.view == "icicle"
        await pilot.press("down", "right")
        await app.run_action(palette_action(by_id["icicle.zoom_in"]))
        await pilot.pause()
        chart = chart_of(screen)
        assert chart.cursor is not None and name(chart) == "b"
        assert len(chart.tops) == 1 and chart.tops[0] is chart.cursor.node
        await app.run_action(palette_action(by_id["icicle.zoom_out"]))
        await pilot.pause()
        assert profile.keys[chart.tops[0].fid][2] == "main" and name(chart) == "b"


def test_the_action_table_and_help_know_the_icicle() -> None:
    from tuiprof.screens.help import ICICLE_NOTE

    by_id = {action.id: action for action in ACTIONS}
    assert by_id["view_icicle"].keys == "g" and by_id["view_icicle"].part == "main"
    assert palette_action(by_id["view_icicle"]) == "screen.view('icicle')"
    assert {"icicle.zoom_in", "icicle.zoom_out", "icicle.zoom_root"} <= binding_ids()
    icicle_keys = {action.keys for action in actions_of("icicle")}
    assert icicle_keys == {"up", "down", "left", "right", "home", "enter", "backspace,escape"}
    sections = dict(help_sections())
    assert [a.id for a in sections["Icicle"]] == [a.id for a in actions_of("icicle")]
    assert "░" in ICICLE_NOTE and "↻" in ICICLE_NOTE and "…" in ICICLE_NOTE


def test_built_in_names_are_shortened() -> None:
    from tuiprof.views.icicle_paint import short_name

    assert short_name("<built-in method builtins.len>") == "len"
    assert short_name("<built-in method time.sleep>") == "time.sleep"
    assert short_name("<method 'append' of 'list' objects>") == "list.append"
    assert short_name("<module>") == "<module>"


def backgrounds(chart: IcicleChart, y: int) -> list[str]:
    """The background of each block's border cell in row ``y``."""
    return [
        s.style.bgcolor.name
        for s in chart.render_line(y)
        if s.text == "▏" and s.style is not None and s.style.bgcolor is not None
    ]


async def test_palettes_keep_neighbours_apart(profile: Profile) -> None:
    app = IcicleApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        chart.palette = "mono"  # as under NO_COLOR: two greys, in turn
        await pilot.pause()
        assert backgrounds(chart, 1) == ["color(246)", "color(252)"]
        chart.palette = "16"
        await pilot.pause()
        colours = backgrounds(chart, 2)
        assert all(not c.startswith("color(") for c in colours)
        assert colours[0] == colours[1]  # the same function (c) has the same colour
        chart.palette = "256"
        await pilot.pause()
        assert all(c.startswith("color(") for c in backgrounds(chart, 2))


class DeltaApp(IcicleApp):
    def compose(self) -> ComposeResult:
        yield IcicleView(Session(self.profile), delta=change)


def change(node: TreeNode) -> Change:
    """One second slower above 5 s of cumtime, half a second faster below."""
    return Change(node.cumtime - (1.0 if node.cumtime > 5 else -0.5), node.cumtime)


async def test_blocks_with_a_delta_are_coloured_by_it(profile: Profile) -> None:
    app = DeltaApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(IcicleChart)
        chart.palette = "256"
        await pilot.press("down")
        a, b = backgrounds(chart, 1)
        assert a in {f"color({c})" for c in SLOWER} and b in {f"color({c})" for c in FASTER}
        assert "Δ +1.000s" in status(app) and "5.000s → 6.000s" in status(app)
        await pilot.press("right")
        assert "Δ −500.0ms" in status(app) and "−14.3%" in status(app)
        chart.palette = "16"
        await pilot.pause()
        assert backgrounds(chart, 1) == ["red", "green"]  # a tenth, a twentieth of the total
        assert "+" not in row_text(chart, 1)  # colours say it; no marks
        chart.palette = "mono"  # NO_COLOR: the sign starts the label instead
        await pilot.pause()
        assert row_text(chart, 1).split() == ["▏+a", "▏−b"]
        assert row_text(chart, 0).split() == ["▏+main"]


def test_delta_colours_deepen_with_the_change_and_unchanged_is_grey() -> None:
    assert delta_colour(0.0, 10.0) == "color(250)" and delta_colour(0.0, 10.0, "16") == "white"
    assert delta_colour(0.01, 10.0) == f"color({SLOWER[0]})"  # a thousandth: the palest red
    assert delta_colour(2.0, 10.0) == f"color({SLOWER[-1]})"  # a fifth and more: the deepest
    assert delta_colour(-2.0, 10.0) == f"color({FASTER[-1]})"
    assert delta_colour(0.1, 10.0, "16") == "bright_red"
    assert delta_colour(-1.0, 10.0, "16") == "green"
    assert delta_colour(1.0, 0.0) == f"color({SLOWER[-1]})"  # no total: any change is all of it
