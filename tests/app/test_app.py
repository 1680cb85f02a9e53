"""The application: help, quit, palette, keymap, loading, resizing, the samples."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.widgets import Static
from textual.worker import WorkerCancelled

from tests.app.conftest import MAIN, PARSE, small_stats, write_profile
from tuiprof.app import LoadingScreen, TuiprofApp
from tuiprof.keymap import load_keymap
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.table import SortKey
from tuiprof.screens.export_dialog import ConfirmOverwrite, ExportDialog
from tuiprof.screens.help import HelpScreen, binding_ids, classes_with_bindings
from tuiprof.screens.main import MainScreen
from tuiprof.views.function_table import FunctionTable


async def test_question_mark_opens_help_and_escape_closes_it(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_every_binding_has_an_id() -> None:
    from tuiprof.screens.help import binding_sections

    for where, bindings in binding_sections():
        for binding in bindings:
            assert binding.id, f"{where}: {binding.key} has no id"
    assert {"sort_ncalls", "filter", "go_back", "go_forward", "help", "quit"} <= binding_ids()


async def test_help_lists_every_binding_and_the_estimate_mark(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(120, 80)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=160, file=io.StringIO())
        console.print(app.screen.keys_table())
        text = console.file.getvalue()
        for binding_id in binding_ids():
            assert binding_id in text
        assert "~" in text and "estimate" in text


async def test_q_quits(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("q")
    assert app.return_code == 0


async def test_e_opens_export(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("down", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_e_on_a_profile_with_no_functions(tmp_path: Path) -> None:
    empty = load_profile([str(write_profile(tmp_path / "empty.prof", {}))])
    app = TuiprofApp(empty)
    async with app.run_test() as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.selected is None
        assert app.screen.query_one("#subtree").disabled


async def test_the_export_dialog_reads_minus_one_as_no_selection(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        app.push_screen(ExportDialog(small, -1))
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.selected is None


async def test_e_right_after_q_quits_without_a_crash(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        # Both keys arrive before either is handled.
        app.simulate_key("q")
        app.simulate_key("e")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_palette_runs_actions(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"callers and callees")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.view == "callers"


async def test_the_palette_offers_every_action(small: Profile) -> None:
    from tuiprof.commands import COMMANDS

    actions = {action.split(".", 1)[1].split("(", 1)[0] for _, action, _ in COMMANDS}
    assert {"view", "sort", "filter", "toggle_hidden", "toggle_percent", "back"} <= actions
    assert {"forward", "export", "help", "quit"} <= actions


needs_tomllib = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="key remapping reads TOML with tomllib (Python 3.11+)"
)


@needs_tomllib
async def test_a_keymap_file_remaps_by_binding_id(small: Profile, tmp_path: Path) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\nsort_ncalls = "n"\nno_such_binding = "x"\n')
    app = TuiprofApp(small, keymap_file=keymap)
    async with app.run_test() as pilot:
        await pilot.press("n")
        assert app.screen.query_one(FunctionTable).table_query.sort is SortKey.NCALLS
        assert any("no_such_binding" in n.message for n in app._notifications)


def test_every_class_with_keys_has_remappable_ids() -> None:
    ids = binding_ids()
    for cls in classes_with_bindings():
        for binding in cls.__dict__["BINDINGS"]:
            assert isinstance(binding, Binding) and binding.id in ids, f"{cls.__name__}: {binding}"
    assert {"close_help", "export.confirm.yes", "export.confirm.no"} <= ids


@needs_tomllib
async def test_keys_of_modal_screens_can_be_remapped(small: Profile, tmp_path: Path) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text(
        '[keys]\nclose_help = "x"\n"export.confirm.yes" = "o"\n"export.confirm.no" = "k"\n'
    )
    assert load_keymap(keymap, binding_ids()).notices == []
    app = TuiprofApp(small, keymap_file=keymap)
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("x")
        assert isinstance(app.screen, MainScreen)
        answers: list[bool | None] = []
        for key in ("o", "k"):
            app.push_screen(ConfirmOverwrite(tmp_path / "out.dot"), answers.append)
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
        assert answers == [True, False]
        assert isinstance(app.screen, MainScreen)


async def test_paths_load_in_a_worker_behind_a_loading_screen(small_path: Path) -> None:
    app = TuiprofApp(paths=[str(small_path)])
    async with app.run_test() as pilot:
        assert isinstance(app.screen, LoadingScreen | MainScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.profile is not None and len(app.profile) == len(small_stats())


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_a_failed_load_is_shown_in_the_app_then_exits_with_status_2(
    tmp_path: Path, key: str
) -> None:
    bad = tmp_path / "bad\x1b]0;title\x07.prof"
    bad.write_bytes(b"{" + b"\x00" * 50)  # starts like pstats, is not
    app = TuiprofApp(paths=[str(bad)])
    async with app.run_test() as pilot:
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.load_error is not None
        assert isinstance(app.screen, LoadingScreen)  # still open, saying why
        shown = str(app.screen.query_one("#loading-title", Static).content)
        assert "not a valid pstats file" in shown
        assert "\\x1b]0;title\\x07" in shown and "\x1b" not in shown
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code == 2


async def test_bad_caller_records_are_a_notification_and_the_app_goes_on(
    tmp_path: Path,
) -> None:
    stats = small_stats()
    cc, nc, tt, ct, _callers = stats[PARSE]
    stats[PARSE] = (cc, nc, tt, ct, {MAIN: (2, 2, "0.3", 0.42)})  # a time that is a string
    bad = write_profile(tmp_path / "bad-edges.prof", stats)
    app = TuiprofApp(paths=[str(bad)])
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.profile is not None and len(app.profile) == len(stats)
        notes = [n for n in app._notifications if n.title == "Bad caller records"]
        assert len(notes) == 1
        assert "has times or counts that are not numbers" in notes[0].message
        assert str(bad) in notes[0].message
        app.select(app.profile.find(PARSE))
        await pilot.press("c")
        await pilot.pause()
        view = app.screen.callers_view
        assert view.display
        assert view.callers.row_count() == 0 and view.callees.row_count() == 0
    assert app.return_code in (None, 0)
    assert app.load_error is None


async def test_resizing_keeps_the_selection(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down")
        chosen = app.selected
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        await pilot.press("c")
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        await pilot.press("f")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.selected == chosen
        assert app.screen.query_one(FunctionTable).highlighted == chosen


async def test_the_selection_starts_with_the_costliest_function(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.selected == small.find(PARSE)


SAMPLES = ["bottlenecks.prof", "particles.prof", "taylor.prof"]


@pytest.mark.parametrize("name", SAMPLES)
async def test_samples_open_and_navigate(samples: Path, name: str) -> None:
    path = samples / name
    if not path.exists():
        pytest.skip(f"{name} not generated")
    profile = load_profile([str(path)])
    app = TuiprofApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4", "home")  # by cumtime: the entry point first
        top = app.selected
        assert profile.cumtime[top] == max(profile.cumtime)
        await pilot.press("c", "tab", "enter")
        assert app.history.entries[0] == top
        await pilot.press("backspace")
        assert app.selected == top
        for key in ("t", "s", "f"):
            await pilot.press(key)
            await pilot.pause()
        assert app.selected == top


async def test_sample_with_line_data(samples: Path) -> None:
    prof, lprof = samples / "bottlenecks.prof", samples / "bottlenecks.lprof"
    if not (prof.exists() and lprof.exists()):
        pytest.skip("samples not generated")
    profile = load_profile([str(prof), str(lprof)])
    app = TuiprofApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.view == "source"


def test_small_fixture_round_trips(tmp_path: Path) -> None:
    path = write_profile(tmp_path / "x.prof", small_stats())
    assert len(load_profile([str(path)])) == len(small_stats())
