"""The application: help, quit, palette, keymap, loading, resizing, the samples."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input, RadioButton, Static
from textual.worker import WorkerCancelled

from tests.app.conftest import MAIN, PARSE, main_of, session_of, small_stats, write_profile
from tuiprof.actions import ACTIONS, PARTS, binding_ids
from tuiprof.app import LoadingScreen, TuiprofApp
from tuiprof.commands import TuiprofCommands, palette_action
from tuiprof.keymap import load_keymap
from tuiprof.model.format import format_time
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.table import SortKey
from tuiprof.screens.confirm import ConfirmOverwrite
from tuiprof.screens.export_dialog import ExportDialog
from tuiprof.screens.help import HelpScreen
from tuiprof.screens.main import MainScreen
from tuiprof.views.callers import CallersView
from tuiprof.views.function_table import FunctionTable
from tuiprof.views.header import StatusHeader


async def test_question_mark_opens_help_and_escape_closes_it(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def classes_with_bindings() -> list[type[DOMNode]]:
    """Every class of the explorer that declares its own ``BINDINGS``: app, screens, widgets."""
    import tuiprof.views.call_tree
    import tuiprof.views.icicle
    import tuiprof.views.source_view  # noqa: F401  (imported on first show)

    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                pending.append(sub)
                if sub.__module__.startswith("tuiprof.") and "BINDINGS" in sub.__dict__:
                    found.append(sub)
    return found


def test_every_action_has_one_id_and_a_part() -> None:
    ids = [action.id for action in ACTIONS]
    assert len(ids) == len(set(ids))
    assert all(action.part in PARTS for action in ACTIONS)
    assert {"sort_ncalls", "filter", "go_back", "go_forward", "help", "quit"} <= binding_ids()


async def test_help_lists_every_binding_and_the_estimate_mark(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(120, 80)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        out = io.StringIO()
        Console(width=160, file=out).print(app.screen.keys_table())
        text = out.getvalue()
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


async def test_the_export_dialog_remembers_format_folder_and_thresholds(
    small_path: Path, tmp_path: Path
) -> None:
    app = TuiprofApp(load_profile([str(small_path)]))
    elsewhere = tmp_path / "out"
    elsewhere.mkdir()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.click("#dot")
        dialog.query_one("#path", Input).value = str(elsewhere / "first.dot")
        dialog.query_one("#node", Input).value = "2"
        dialog.query_one("#edge", Input).value = "0.5"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (elsewhere / "first.dot").exists()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("e")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ExportDialog)
        assert again.query_one("#path", Input).value == str(elsewhere / "small.dot")
        assert again.query_one("#dot", RadioButton).value
        assert again.query_one("#node", Input).value == "2"
        assert again.query_one("#edge", Input).value == "0.5"


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


def test_the_palette_offers_every_action() -> None:
    runs = {palette_action(action) for action in ACTIONS if action.palette}
    names = {run.split(".", 1)[1].split("(", 1)[0] for run in runs}
    assert {"view", "sort", "filter", "toggle_hidden", "toggle_percent", "back"} <= names
    assert {"forward", "export", "help", "quit", "in_view"} <= names
    assert "screen.in_view('tree', 'hot_path')" in runs


needs_tomllib = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="key remapping reads TOML with tomllib (Python 3.11+)"
)


@needs_tomllib
async def test_the_palette_shows_the_live_key_and_runs_tree_actions(
    small: Profile, tmp_path: Path
) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\nview_callers = "k"\n')
    app = TuiprofApp(small, keymap_file=keymap)
    async with app.run_test() as pilot:
        await pilot.pause()
        provider = TuiprofCommands(app.screen)
        keys = {title: key for title, _, key in provider._available()}
        assert keys["Show callers and callees"] == "k"
        assert keys["Call tree: open the hot path"] == "h"
        run = {title: action for title, action, _ in provider._available()}
        await app.run_action(run["Call tree: open the hot path"])
        await pilot.pause()
        await pilot.pause()
        screen = main_of(app)
        assert screen.view == "tree"
        tree = screen.call_tree
        assert tree is not None and app.focused is tree


@needs_tomllib
async def test_a_bad_key_name_in_the_keymap_keeps_the_default(
    small: Profile, tmp_path: Path
) -> None:
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keys]\nsort_ncalls = "ctrl+nosuchkey"\nsort_tottime = "n, %"\n')
    result = load_keymap(keymap, binding_ids())
    assert result.keys == {"sort_tottime": "n, %"}
    assert len(result.notices) == 1 and "'ctrl+nosuchkey'" in result.notices[0]
    app = TuiprofApp(small, keymap_file=keymap)
    async with app.run_test() as pilot:
        await pilot.press("1")
        assert session_of(app).query.sort is SortKey.NCALLS
        assert any("nosuchkey" in n.message for n in app._notifications)


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
    classes = classes_with_bindings()
    assert len(classes) >= 10
    for cls in classes:
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
        assert len(session_of(app).profile) == len(small_stats())


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
        assert len(session_of(app).profile) == len(stats)
        notes = [n for n in app._notifications if n.title == "Bad caller records"]
        assert len(notes) == 1
        assert "has times or counts that are not numbers" in notes[0].message
        assert str(bad) in notes[0].message
        session_of(app).select(session_of(app).profile.find(PARSE))
        await pilot.press("c")
        await pilot.pause()
        view = main_of(app).query_one(CallersView)
        assert view.display
        assert view.callers.row_count() == 0 and view.callees.row_count() == 0
    assert app.return_code in (None, 0)
    assert app.load_error is None


async def test_resizing_keeps_the_selection(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down")
        chosen = session_of(app).selected
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        await pilot.press("c")
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        await pilot.press("f")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert session_of(app).selected == chosen
        assert app.screen.query_one(FunctionTable).highlighted == chosen


async def test_the_selection_starts_with_the_costliest_function(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert session_of(app).selected == small.find(PARSE)


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
        top = session_of(app).selected
        assert top is not None and profile.cumtime[top] == max(profile.cumtime)
        await pilot.press("c", "tab", "enter")
        assert session_of(app).history.entries[0] == top
        await pilot.press("backspace")
        assert session_of(app).selected == top
        for key in ("t", "s", "f"):
            await pilot.press(key)
            await pilot.pause()
        assert session_of(app).selected == top


async def test_sample_with_line_data(samples: Path) -> None:
    prof, lprof = samples / "bottlenecks.prof", samples / "bottlenecks.lprof"
    if not (prof.exists() and lprof.exists()):
        pytest.skip("samples not generated")
    profile = load_profile([str(prof), str(lprof)])
    app = TuiprofApp(profile)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert main_of(app).view == "source"


async def test_a_lprof_alone_says_what_its_total_is(samples: Path) -> None:
    profile = load_profile([str(samples / "particles.lprof")])
    app = TuiprofApp(profile)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        top = str(app.screen.query_one(StatusHeader).render()).splitlines()[0]
        summed = format_time(sum(lines.total for lines in profile.lines.values()))
        assert f"sum of timed functions {summed}" in top and "total" not in top
        assert "6 with line data" in top and "counts in both" in top


def test_small_fixture_round_trips(tmp_path: Path) -> None:
    path = write_profile(tmp_path / "x.prof", small_stats())
    assert len(load_profile([str(path)])) == len(small_stats())
