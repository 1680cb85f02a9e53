"""The call tree widget: every binding, on profiles the tests make."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from tuiprof.messages import FunctionChosen
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.session import Session
from tuiprof.views.call_tree import CallTreeView, format_tree_calls, node_cells

Key = tuple[str, int, str]
MAIN, A, B, C, D = (("app.py", n, name) for n, name in enumerate(["main", "a", "b", "c", "d"], 1))
FACT = ("app.py", 20, "fact")


def diamond_stats() -> dict[Key, Any]:
    """main calls a and b; both call c; c calls d; b calls fact, which recurses."""
    return {
        MAIN: (1, 1, 0.5, 10.0, {}),
        A: (1, 1, 0.5, 6.0, {MAIN: (1, 1, 0.5, 6.0)}),
        B: (2, 2, 0.5, 3.0, {MAIN: (2, 2, 0.5, 3.0)}),
        C: (4, 4, 2.0, 8.0, {A: (3, 3, 1.5, 6.0), B: (1, 1, 0.5, 2.0)}),
        D: (8, 8, 6.0, 6.0, {C: (8, 8, 6.0, 6.0)}),
        FACT: (1, 5, 0.5, 0.5, {B: (1, 1, 0.1, 0.5), FACT: (4, 4, 0.4, 0.4)}),
    }


def make_profile(tmp_path: Path, stats: dict[Key, Any]) -> Profile:
    path = tmp_path / "tree.prof"
    path.write_bytes(marshal.dumps(stats))
    return load_profile([str(path)])


class TreeApp(App[None]):
    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.chosen: list[int] = []

    def compose(self) -> ComposeResult:
        yield CallTreeView(Session(self.profile))

    def on_function_chosen(self, message: FunctionChosen) -> None:
        self.chosen.append(message.fid)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return make_profile(tmp_path, diamond_stats())


def names(view: CallTreeView) -> list[str]:
    return [view.profile.keys[n.fid][2] for n in view.rows.rows]


async def test_starts_with_the_roots_and_opens_on_right(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CallTreeView)
        assert view.has_focus
        assert names(view) == ["main"]
        await pilot.press("right")
        assert names(view) == ["main", "a", "b"]
        assert view.cursor_row == 0
        await pilot.press("right")  # open node: go to the first child
        assert view.cursor_row == 1
        await pilot.press("down", "right")
        assert names(view) == ["main", "a", "b", "c", "fact"]


async def test_left_closes_then_goes_to_the_parent(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CallTreeView)
        await pilot.press("right", "down", "right")
        assert names(view) == ["main", "a", "c", "b"]
        await pilot.press("left")
        assert names(view) == ["main", "a", "b"] and view.cursor_row == 1
        await pilot.press("left")
        assert view.cursor_row == 0
        await pilot.press("left")
        assert names(view) == ["main"]


async def test_space_toggles(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CallTreeView)
        await pilot.press("space")
        assert len(view.rows) == 3
        await pilot.press("space")
        assert len(view.rows) == 1


async def test_h_opens_the_hot_path(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CallTreeView)
        await pilot.press("h")
        assert names(view) == ["main", "a", "c", "d", "b"]
        node = view.cursor_node
        assert node is not None and view.profile.keys[node.fid] == D
        assert node.estimated and node.depth == 3


async def test_enter_posts_function_chosen(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "enter")
        await pilot.pause()
        assert app.chosen == [profile.find(D)]


async def test_cursor_keys(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 8)) as pilot:
        view = app.query_one(CallTreeView)
        await pilot.press("h")
        await pilot.press("home")
        assert view.cursor_row == 0
        await pilot.press("end")
        assert view.cursor_row == 4
        await pilot.press("up")
        assert view.cursor_row == 3
        await pilot.press("pageup")
        assert view.cursor_row == 0
        await pilot.press("pagedown")
        assert view.cursor_row > 0
        await pilot.press("down")


async def test_recursion_is_marked_and_does_not_open(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CallTreeView)
        assert view.reveal(profile.find(FACT))
        await pilot.pause()
        assert names(view)[view.cursor_row] == "fact"
        await pilot.press("right", "down")
        node = view.cursor_node
        assert node is not None and node.recursive and names(view)[view.cursor_row] == "fact"
        before = len(view.rows)
        await pilot.press("right")
        assert len(view.rows) == before
        line = view.render_line(view.cursor_row + 1 - int(view.scroll_y)).text
        assert "↻" in line


async def test_reveal_opens_a_path_to_a_function(profile: Profile) -> None:
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CallTreeView)
        assert view.reveal(profile.find(D))
        await pilot.pause()
        assert names(view)[view.cursor_row] == "d"
        assert [view.profile.keys[f][2] for f in view.cursor_node.path()] == ["main", "a", "c", "d"]  # type: ignore[union-attr]
        assert not view.reveal(-1)


def test_estimated_figures_read_with_a_tilde(profile: Profile) -> None:
    from tuiprof.model.calltree import CallTree

    tree = CallTree(profile)
    d = tree.hot_path(tree.roots()[0])[-1]
    calls, tottime, cumtime, percent = node_cells(profile, d)
    assert all(cell.startswith("~") for cell in (calls, tottime, cumtime, percent))
    assert format_tree_calls(3, False) == "3" and format_tree_calls(0.25, True) == "~0.25"


async def test_a_chain_100000_deep_opens_and_renders(tmp_path: Path) -> None:
    n = 100_000
    keys = [("chain.py", i + 1, f"f{i}") for i in range(n)]
    stats: dict[Key, Any] = {keys[0]: (1, 1, 0.0, float(n), {})}
    for i in range(1, n):
        stats[keys[i]] = (1, 1, 1.0, float(n - i), {keys[i - 1]: (1, 1, 1.0, float(n - i))})
    app = TreeApp(make_profile(tmp_path, stats))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(CallTreeView)
        await pilot.press("h")
        await app.workers.wait_for_complete()  # a step this long goes on in a thread
        await pilot.pause()
        assert len(view.rows) == n and view.cursor_row == n - 1
        assert "99999·" in view.render_line(view.cursor_row + 1 - int(view.scroll_y)).text
        await pilot.press("home", "left")
        assert len(view.rows) == 1


async def test_under_no_color_the_tree_cursor_is_as_visible_as_the_tables(
    small_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuiprof.app import TuiprofApp
    from tuiprof.screens.main import MainScreen
    from tuiprof.views.cursor_lines import CURSOR_COMPONENT

    monkeypatch.setenv("NO_COLOR", "1")
    app = TuiprofApp(load_profile([str(small_path)]))
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.table.get_component_rich_style(CURSOR_COMPONENT).reverse
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        tree = screen.call_tree
        assert isinstance(tree, CallTreeView) and tree.has_focus
        tree_cursor = tree.get_component_rich_style(CURSOR_COMPONENT)
        assert tree_cursor.reverse and tree_cursor.bold
        await pilot.press("f")
        await pilot.pause()
        assert screen.table.get_component_rich_style(CURSOR_COMPONENT).reverse


async def test_reveal_goes_to_the_heaviest_node_not_the_first_shown(tmp_path: Path) -> None:
    heavy, light = ("app.py", 30, "heavy"), ("app.py", 40, "light")
    shared, leaf = ("app.py", 50, "shared"), ("app.py", 60, "leaf")
    stats = {
        MAIN: (1, 1, 0.1, 10.0, {}),
        heavy: (1, 1, 0.1, 3.0, {MAIN: (1, 1, 0.1, 3.0)}),
        light: (1, 1, 0.1, 0.2, {MAIN: (1, 1, 0.1, 0.2)}),
        shared: (201, 201, 0.1, 2.4, {heavy: (200, 200, 0.1, 2.35), light: (1, 1, 0.0, 0.05)}),
        leaf: (201, 201, 2.3, 2.3, {shared: (201, 201, 2.3, 2.3)}),
    }
    profile = make_profile(tmp_path, stats)
    app = TreeApp(profile)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(CallTreeView)
        await pilot.press("right", "down", "down")  # main open; the cursor on light
        assert names(view)[view.cursor_row] == "light"
        await pilot.press("right", "right", "right", "right")  # light, shared open: leaf shown
        assert names(view) == ["main", "heavy", "light", "shared", "leaf"]
        await pilot.press("home")
        assert view.reveal(profile.find(leaf))
        await pilot.pause()
        node = view.cursor_node
        assert node is not None
        assert [profile.keys[f][2] for f in node.path()] == ["main", "heavy", "shared", "leaf"]
        assert node.cumtime == pytest.approx(2.3 * 2.35 / 2.4)


def chain_stats(length: int) -> dict[Key, Any]:
    keys = [("deep.py", i + 1, f"step_{i}") for i in range(length)]
    stats: dict[Key, Any] = {keys[0]: (1, 1, 1e-6, length * 1e-6, {})}
    for i in range(1, length):
        cum = (length - i) * 1e-6
        stats[keys[i]] = (1, 1, 1e-6, cum, {keys[i - 1]: (1, 1, 1e-6, cum)})
    return stats


@pytest.mark.parametrize("width", [120, 80, 60, 40])
async def test_a_deep_node_keeps_its_name_and_figures_at_every_width(
    tmp_path: Path, width: int
) -> None:
    # 5,000 levels down: the indent gives way (the depth is written as a number)
    # so that the name keeps room and the figures stay in their columns.
    profile = make_profile(tmp_path, chain_stats(5000))
    app = TreeApp(profile)
    async with app.run_test(size=(width, 20)) as pilot:
        view = app.query_one(CallTreeView)
        await pilot.press("h")
        await pilot.pause()
        assert view.cursor_row == len(view.rows) - 1 == 4999
        header = view.header_strip(width).text
        line = view.row_strip(view.cursor_row, width, is_cursor=True).text
        assert len(line) == width
        assert "4999·" in line
        assert "step_4999" in line  # the whole name
        # the figures end where the header's titles end
        assert line.rstrip()[-1] != " " and len(line.rstrip()) == len(header.rstrip())
        node = view.cursor_node
        assert node is not None
        last = node_cells(profile, node)[view.shown_columns(width)[-1]]
        assert line.rstrip().endswith(last)
        shallow = view.row_strip(3, width, is_cursor=False).text
        assert "step_3" in shallow and "·" not in shallow  # shallow rows are indented
