"""A step that takes long shows that it is working, holds the keys typed meanwhile, never ``q``.

The steps are made slow deterministically: the model's work waits for an
event the test sets, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.conftest import write_profile
from tests.app.test_key_bursts import key_event, one_by_one, screen_state, settle
from tuiprof.app import TuiprofApp
from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.loaders import load_profile
from tuiprof.model.session import Session
from tuiprof.screens.main import MainScreen
from tuiprof.screens.views_screen import WAITING
from tuiprof.views.call_tree import CallTreeView
from tuiprof.views.header import StatusHeader

CHAIN = 200


def chain_stats(n: int = CHAIN) -> dict[tuple[str, int, str], Any]:
    keys = [("chain.py", i + 1, f"step_{i}") for i in range(n)]
    stats: dict[tuple[str, int, str], Any] = {keys[0]: (1, 1, 0.0, float(n), {})}
    for i in range(1, n):
        stats[keys[i]] = (1, 1, 1.0, float(n - i), {keys[i - 1]: (1, 1, 1.0, float(n - i))})
    return stats


def chain_app(tmp_path: Path) -> TuiprofApp:
    return TuiprofApp(load_profile([str(write_profile(tmp_path / "chain.prof", chain_stats()))]))


@pytest.fixture
def slow_hot_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """``CallTree.hot_path`` waits until the test sets the event."""
    release = threading.Event()
    real = CallTree.hot_path

    def slow(self: CallTree, node: TreeNode) -> list[TreeNode]:
        release.wait(10)
        return real(self, node)

    monkeypatch.setattr(CallTree, "hot_path", slow)
    yield release
    release.set()  # never leave a thread waiting


def header_text(app: TuiprofApp) -> str:
    return str(app.screen.query_one(StatusHeader).render())


async def wait_for(pilot: Pilot[Any], condition: Any, what: str) -> None:
    """Wait until ``condition()`` (the step is blocked, so this is not a race)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never: {what}")


async def test_a_slow_hot_path_shows_working_and_holds_the_keys(
    tmp_path: Path, slow_hot_path: threading.Event
) -> None:
    app = chain_app(tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        view = app.screen.query_one(CallTreeView)
        await pilot.press("h", "up")  # `up` waits for the hot path
        await wait_for(pilot, lambda: "working: opening the hot path…" in header_text(app), "sign")
        assert len(view.rows) == 1 and view.cursor_row == 0
        assert app.key_queue.pending == 1
        slow_hot_path.set()
        await settle(app, pilot)
        assert "working" not in header_text(app)
        assert len(view.rows) == CHAIN and view.cursor_row == CHAIN - 2  # `up` after the path
        assert app.key_queue.pending == 0


async def test_q_quits_while_a_step_is_working(
    tmp_path: Path, slow_hot_path: threading.Event
) -> None:
    app = chain_app(tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        await pilot.press("h")
        await wait_for(pilot, lambda: "working" in header_text(app), "sign")
        await pilot.press("down", "q")
        await wait_for(pilot, lambda: app.return_code is not None, "quit")
    assert app.return_code == 0


async def test_t_to_a_function_deep_in_a_chain_is_a_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path to the selection is worked out in a thread too."""
    import tuiprof.views.call_tree as call_tree
    from tuiprof.model.tree_paths import heaviest_path as real

    release = threading.Event()

    def slow(*args: Any) -> Any:
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(call_tree, "heaviest_path", slow)
    app = chain_app(tmp_path)
    try:
        async with app.run_test(size=(100, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("t", "f", "6", "end")  # the tree once, then the last by name
            await settle(app, pilot)
            await pilot.press("t")
            await wait_for(pilot, lambda: "working: opening the path" in header_text(app), "sign")
            release.set()
            await settle(app, pilot)
            view = app.screen.query_one(CallTreeView)
            node = view.cursor_node
            assert node is not None and view.profile.keys[node.fid][2] == "step_99"
            assert "working" not in header_text(app)
    finally:
        release.set()


async def test_keys_wait_for_a_view_that_waits_for_the_call_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``t h`` before the callee index is built: ``h`` acts once the tree is up."""
    release = threading.Event()
    real = Session.warm

    def slow_warm(self: Session) -> Any:
        release.wait(10)
        return real(self)

    monkeypatch.setattr(Session, "warm", slow_warm)
    app = chain_app(tmp_path)
    try:
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            for key in ("t", "h"):  # a burst, before the warm-up ends
                app.post_message(key_event(key))
            await wait_for(pilot, lambda: app.screen.query(".view-waiting"), "placeholder")
            assert str(app.screen.query_one(".view-waiting").render()) == WAITING
            for _ in range(3):  # long enough for `h` to have gone, were it not held
                await pilot.pause()
                await asyncio.sleep(0.1)
            assert app.key_queue.pending == 1  # `h` waits for the tree
            release.set()
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen) and screen.view == "tree"
            view = screen.query_one(CallTreeView)
            assert len(view.rows) == CHAIN and view.cursor_row == CHAIN - 1
            typed_ahead = screen_state(app)
    finally:
        release.set()
    slowly = chain_app(tmp_path)
    async with slowly.run_test(size=(100, 24)) as pilot:
        await settle(slowly, pilot)
        await one_by_one(slowly, pilot, ("t", "h"))
        assert screen_state(slowly) == typed_ahead
