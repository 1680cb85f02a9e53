"""The explorer on someone else's profile: names shown, never sent; a failure is never success."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import write_profile
from tuiprof import app as app_module
from tuiprof import cli, launch
from tuiprof.app import LoadingScreen, TuiprofApp
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.screens.main import MainScreen

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
TITLE = "\x1b]0;owned\x07"
RAW = ("\x1b", "\x07", "\r", "\x9b", "\ud800")


def screen_text(app: TuiprofApp) -> str:
    """What the screen shows, line by line, as the terminal would get it (less styles)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def hostile_profile(tmp_path: Path) -> Profile:
    source = tmp_path / "evil.py"
    source.write_text(f"def run():\n    return '{TITLE}'\n\n\ndef main():\n    run()\n")
    main_key = (str(source), 5, f"main{OSC52}")
    run_key = (str(source), 1, "run\r\nfake row\ud800")
    stats = {
        main_key: (1, 1, 0.5, 1.0, {}),
        run_key: (3, 3, 0.5, 0.5, {main_key: (3, 3, 0.5, 0.5)}),
    }
    return load_profile([str(write_profile(tmp_path / f"p{TITLE}.prof", stats))])


async def test_every_view_shows_escapes_instead_of_sending_them(tmp_path: Path) -> None:
    profile = hostile_profile(tmp_path)
    app = TuiprofApp(profile)
    async with app.run_test(size=(160, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen = []
        for key in ("f", "enter", "c", "t", "s", "f", "down", "enter", "s", "c"):
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            for raw in RAW:
                assert raw not in text, (key, repr(raw))
            seen.append(text)
        shown = "\n".join(seen)
        assert "main\\x1b]52;c;" in shown
        assert "run\\r\\nfake row\\ud800" in shown
        assert "\\x1b]0;owned\\x07" in shown  # the source line, shown as text
        table = "\n".join(seen[:1])
        assert table.count("fake row") == 1  # one row per function, CR/LF or not


async def test_q_quits_while_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    released = threading.Event()

    def load_that_hangs(paths: Any, outcome: list[Any]) -> None:
        released.wait(60)  # a load that takes its time (a huge or pathological file)
        outcome.append(RuntimeError("too late"))

    monkeypatch.setattr(app_module, "_load_into", load_that_hangs)
    app = TuiprofApp(paths=[str(tmp_path / "slow.prof")])
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LoadingScreen)
            await pilot.press("q")
            await pilot.pause()
        assert not released.is_set()  # the app left without waiting for the load
        assert app.return_code == 0
    finally:
        released.set()


async def test_ctrl_c_quits(tmp_path: Path) -> None:
    profile = hostile_profile(tmp_path)
    app = TuiprofApp(profile)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("slash", "x")  # also from the filter box
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


def test_an_exception_inside_the_app_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_profile(tmp_path / "ok.prof", {("a.py", 1, "f"): (1, 1, 0.1, 0.1, {})})
    run = TuiprofApp.run

    def broken_mount(self: TuiprofApp) -> None:
        raise RuntimeError("a bug in a view")

    monkeypatch.setattr(TuiprofApp, "on_mount", broken_mount)
    monkeypatch.setattr(launch, "on_a_terminal", lambda: True)
    monkeypatch.setattr(TuiprofApp, "run", lambda self, **kw: run(self, headless=True))
    assert cli.main([str(path)]) == 1
    assert "a bug in a view" in capsys.readouterr().err


async def test_huge_counts_open_and_draw(tmp_path: Path) -> None:
    # The largest count the loader admits: the per-call figures must not raise while
    # drawing (larger ones are refused at load, see tests/model).
    huge = 2**63 - 1
    stats: dict[Any, Any] = {
        ("a.py", 1, "main"): (huge, huge, 0.5, 1.0, {}),
        ("a.py", 9, "w"): (1, 1, 0.5, 0.5, {}),
    }
    profile = load_profile([str(write_profile(tmp_path / "huge.prof", stats))])
    app = TuiprofApp(profile)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        for key in ("2", "3", "5", "c", "s", "f"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
