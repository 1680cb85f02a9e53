"""Keys typed before the first screen act as if typed once it is up."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import tuiprof.model.loaders as loaders
from tests.app.conftest import session_of
from tuiprof.app import LoadingScreen, TuiprofApp
from tuiprof.model.loaders import load_profile
from tuiprof.model.table import SortKey
from tuiprof.screens.main import MainScreen
from tuiprof.views.function_table import FunctionTable


class KeysBeforePaint(TuiprofApp):
    """Types keys while the app mounts, before anything is painted."""

    CSS_PATH = str(Path(__file__).parents[2] / "src" / "tuiprof" / "tuiprof.tcss")

    def __init__(self, *args: Any, keys: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.early_keys = keys

    def on_mount(self) -> None:
        super().on_mount()
        for key in self.early_keys:
            self.simulate_key(key)


async def test_a_key_before_the_first_paint_sorts_not_filters(small_path: Path) -> None:
    app = KeysBeforePaint(load_profile([str(small_path)]), keys=("4", "down"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(FunctionTable)
        assert table.table_query.filter_text == ""
        assert table.table_query.sort is SortKey.CUMTIME
        assert app.screen.focused is table


async def test_keys_typed_while_loading_act_once_the_screen_is_up(
    small_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_load = loaders.load_profile

    def slow_load(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(loaders, "load_profile", slow_load)
    app = TuiprofApp(paths=[str(small_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoadingScreen)
        await pilot.press("4", "down", "c")
        assert isinstance(app.screen, LoadingScreen)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        table = screen.query_one(FunctionTable)
        assert table.table_query.sort is SortKey.CUMTIME and table.table_query.filter_text == ""
        assert screen.view == "callers"
        typed_ahead = session_of(app).selected
    slow = TuiprofApp(real_load([str(small_path)]))
    async with slow.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("4", "down", "c"):
            await pilot.press(key)
            await pilot.pause()
        assert session_of(slow).selected == typed_ahead  # the same function as typed slowly
