"""SVG snapshots of the explorer's own screens, at fixed sizes, theme and no cursor blink."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.app.conftest import small_stats, write_profile
from tuiprof.app import TuiprofApp
from tuiprof.model.loaders import load_profile


def _app(tmp_path: Path) -> TuiprofApp:
    path = write_profile(tmp_path / "small.prof", small_stats())
    return TuiprofApp(load_profile([str(path)]))


async def _steady(pilot: Pilot[Any]) -> None:
    pilot.app.theme = "textual-dark"
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_steady)


def test_main_screen_120x40(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=_steady)


def test_callers_and_callees(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        _app(tmp_path), terminal_size=(80, 24), press=["c", "enter"], run_before=_steady
    )


def test_help_screen(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        _app(tmp_path), terminal_size=(100, 40), press=["question_mark"], run_before=_steady
    )


def test_filter_with_no_match(snap_compare: Any, tmp_path: Path) -> None:
    async def type_filter(pilot: Pilot[Any]) -> None:
        await pilot.press("slash")
        await _steady(pilot)
        await pilot.press(*"nosuchthing")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=type_filter)


def test_percent_and_hidden_builtins(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        _app(tmp_path), terminal_size=(80, 24), press=["percent_sign", "b", "4"], run_before=_steady
    )


def _long_path_app(tmp_path: Path) -> TuiprofApp:
    from tests.app.test_layout import long_path_profile

    return TuiprofApp(long_path_profile(tmp_path))


def test_long_paths_keep_the_line_number_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_long_path_app(tmp_path), terminal_size=(80, 24), run_before=_steady)


def test_main_screen_40x12(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(_long_path_app(tmp_path), terminal_size=(40, 12), run_before=_steady)


def test_callers_and_callees_40x12(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        _long_path_app(tmp_path), terminal_size=(40, 12), press=["c"], run_before=_steady
    )


def test_call_tree_40x12(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        _long_path_app(tmp_path), terminal_size=(40, 12), press=["t", "h"], run_before=_steady
    )


def test_sorted_with_the_cursor_out_of_view_80x24(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(
        _long_path_app(tmp_path), terminal_size=(80, 12), press=["end", "1"], run_before=_steady
    )
