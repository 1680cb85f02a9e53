"""Profiles made by hand for the explorer's tests, and determinism for snapshots."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest

from tuiprof.app import TuiprofApp
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.session import Session
from tuiprof.screens.main import MainScreen

Key = tuple[str, int, str]

MAIN: Key = ("/src/app/main.py", 10, "main")
PARSE: Key = ("/src/app/parse.py", 20, "parse")
WALK: Key = ("/src/app/walk.py", 5, "walk")  # recursive
RENDER: Key = ("/src/app/render.py", 40, "render")
LEN: Key = ("~", 0, "<built-in method builtins.len>")
JSON: Key = ("/usr/lib/python3.11/json/decoder.py", 332, "decode")
BOOT: Key = ("<frozen importlib._bootstrap>", 1165, "_find_and_load")


def small_stats() -> dict[Key, Any]:
    """Six functions with round, fixed figures: main calls parse, walk and render."""
    return {
        MAIN: (1, 1, 0.010, 1.000, {}),
        PARSE: (2, 2, 0.300, 0.420, {MAIN: (2, 2, 0.300, 0.420)}),
        WALK: (
            10,
            40,
            0.200,
            0.250,
            {MAIN: (10, 10, 0.050, 0.250), WALK: (0, 30, 0.150, 0.200)},
        ),
        RENDER: (5, 5, 0.250, 0.320, {MAIN: (5, 5, 0.250, 0.320)}),
        LEN: (
            500,
            500,
            0.050,
            0.050,
            {PARSE: (300, 300, 0.030, 0.030), RENDER: (200, 200, 0.020, 0.020)},
        ),
        JSON: (2, 2, 0.120, 0.120, {PARSE: (2, 2, 0.120, 0.120)}),
        BOOT: (1, 1, 0.070, 0.070, {RENDER: (1, 1, 0.070, 0.070)}),
    }


def write_profile(path: Path, stats: dict[Key, Any]) -> Path:
    path.write_bytes(marshal.dumps(stats))
    return path


@pytest.fixture
def small_path(tmp_path: Path) -> Path:
    return write_profile(tmp_path / "small.prof", small_stats())


@pytest.fixture
def small(small_path: Path) -> Profile:
    return load_profile([str(small_path)])


def wide_stats(callers: int) -> dict[Key, Any]:
    """One function called from ``callers`` different places."""
    target: Key = ("/src/hot.py", 1, "hot")
    edges = {("/src/c.py", i + 1, f"caller_{i}"): (1, 1, 0.001, 0.002) for i in range(callers)}
    stats: dict[Key, Any] = {key: (1, 1, 0.001, 0.003, {}) for key in edges}
    stats[target] = (callers, callers, 0.001 * callers, 0.002 * callers, edges)
    return stats


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's keymap never leaks in, and the help screen names a fixed path."""
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent/config")


def main_of(app: TuiprofApp) -> MainScreen:
    """The main screen of ``app``, under whatever dialog is open."""
    for screen in reversed(app.screen_stack):
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no main screen")


def session_of(app: TuiprofApp) -> Session:
    """The session the main screen of ``app`` shows."""
    return main_of(app).session
