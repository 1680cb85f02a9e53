"""The export dialog, driven by Pilot from a tiny app that pushes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, Label, RadioButton

from tests.export.conftest import listing
from tuiprof.export.request import (
    ExportFormat,
    ExportRequest,
    default_folder,
    parse_threshold,
    suffix_conflict,
)
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.screens.confirm import ConfirmOverwrite, ConfirmSuffix
from tuiprof.screens.export_dialog import ExportDialog


class DialogApp(App[None]):
    """Pushes the dialog on start and keeps what it returned."""

    def __init__(self, dialog: ExportDialog) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[ExportRequest | None] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


def make_dialog(profile_file: Path, **kwargs: object) -> tuple[Profile, DialogApp]:
    profile = load_profile([str(profile_file)])
    return profile, DialogApp(ExportDialog(profile, **kwargs))  # type: ignore[arg-type]


async def settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_enter_writes_the_default_callgrind(cprofile_file: Path) -> None:
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.dialog.query_one("#path", Input).value == str(
            cprofile_file.with_suffix(".callgrind")
        )
        await pilot.press("enter")
        await settle(pilot)
        assert app.results and app.results[0] is not None
        assert app.results[0].format is ExportFormat.CALLGRIND
        assert cprofile_file.with_suffix(".callgrind").read_text().startswith("# callgrind")
        assert not isinstance(app.screen, ExportDialog)


async def test_escape_cancels(cprofile_file: Path) -> None:
    _, app = make_dialog(cprofile_file)
    before = listing(cprofile_file.parent)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
    assert listing(cprofile_file.parent) == before


async def test_choosing_dot_changes_the_suffix_and_writes_dot(cprofile_file: Path) -> None:
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#dot")
        await pilot.pause()
        path = app.dialog.query_one("#path", Input)
        assert path.value == str(cprofile_file.with_suffix(".dot"))
        await pilot.click("#export")
        await settle(pilot)
        assert cprofile_file.with_suffix(".dot").read_text().startswith("digraph")
        assert app.results[0] is not None and app.results[0].format is ExportFormat.DOT


async def test_existing_file_asks_first(cprofile_file: Path) -> None:
    target = cprofile_file.with_suffix(".callgrind")
    target.write_text("keep me")
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmOverwrite)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert target.read_text() == "keep me"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text().startswith("# callgrind")
        assert app.results[0] is not None and app.results[0].force


@pytest.mark.parametrize("target", ["folder", "input"])
async def test_a_target_that_cannot_be_replaced_is_said_before_any_question(
    cprofile_file: Path, target: str
) -> None:
    # An existing folder was asked about ("exists. Overwrite it?"), then refused.
    path = cprofile_file.parent / "out.callgrind"
    if target == "folder":
        path.mkdir()
        expected = "is a folder"
    else:
        path = cprofile_file
        expected = "is an input"
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.dialog.query_one("#path", Input).value = str(path)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)  # no question: the reason
        assert expected in str(app.dialog.query_one("#error", Label).render())
        assert app.results == []


async def test_subtree_scope_and_error_stays_open(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    fib = next(i for i, key in enumerate(profile.keys) if key[2] == "fib")
    app = DialogApp(ExportDialog(profile, fib, "leaf"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.dialog.query_one("#subtree", RadioButton).disabled
        app.dialog.query_one("#subtree", RadioButton).value = True
        path = app.dialog.query_one("#path", Input)
        path.value = str(cprofile_file.parent / "missing" / "x.callgrind")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)  # still open, showing why
        assert "no such folder" in str(app.dialog.query_one("#error", Label).render())
        path.value = str(cprofile_file.parent / "fib.callgrind")
        await pilot.press("enter")
        await settle(pilot)
        request = app.results[0]
        assert request is not None and request.roots == (fib,)
        names = [
            line
            for line in (cprofile_file.parent / "fib.callgrind").read_text().splitlines()
            if line.startswith("fn=")
        ]
        assert names == ["fn=fib"]


async def test_scopes_without_selection_or_filter_are_disabled(cprofile_file: Path) -> None:
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.dialog.query_one("#subtree", RadioButton).disabled
        assert app.dialog.query_one("#filter", RadioButton).disabled


async def test_the_suffix_follows_the_format_until_the_path_is_edited(
    cprofile_file: Path,
) -> None:
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        path = app.dialog.query_one("#path", Input)
        await pilot.click("#svg")
        await pilot.pause()
        assert path.value == str(cprofile_file.with_suffix(".svg"))
        path.focus()
        await pilot.press("end", "backspace", "backspace", "backspace", "x", "y", "z")
        await pilot.pause()
        assert path.value == str(cprofile_file.with_suffix(".xyz"))
        await pilot.click("#dot")
        await pilot.pause()
        assert path.value == str(cprofile_file.with_suffix(".xyz"))  # the user's name stays


async def test_a_suffix_naming_another_format_is_confirmed(cprofile_file: Path) -> None:
    target = cprofile_file.with_name("graph.dot")
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.dialog.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSuffix)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog) and not target.exists()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text().startswith("# callgrind")  # written as asked, once confirmed


@pytest.mark.parametrize(
    ("node", "message"),
    [("", "give the node threshold"), ("abc", "not a number: abc"), ("150", "from 0 to 100")],
)
async def test_a_blank_or_bad_threshold_is_refused(
    cprofile_file: Path, node: str, message: str
) -> None:
    before = listing(cprofile_file.parent)
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#dot")
        app.dialog.query_one("#node", Input).value = node
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert message in str(app.dialog.query_one("#error", Label).render())
    assert listing(cprofile_file.parent) == before


async def test_the_dialog_says_where_it_writes(cprofile_file: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(cprofile_file.parent)
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        target = app.dialog.query_one("#target", Label)
        assert str(target.render()) == f"Writes: {cprofile_file.with_suffix('.callgrind')}"
        app.dialog.query_one("#path", Input).value = cprofile_file.name
        await pilot.pause()
        assert str(target.render()).startswith(f"Writes: {cprofile_file}")
        assert "exists: asks before replacing it" in str(target.render())


async def test_the_chosen_radio_reads_without_colour(cprofile_file: Path) -> None:
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        chosen = str(app.dialog.query_one("#callgrind", RadioButton).render())
        other = str(app.dialog.query_one("#dot", RadioButton).render())
        assert chosen.startswith("(•)") and other.startswith("( )")


def test_the_default_folder_is_the_inputs_when_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ro").mkdir()
    source = tmp_path / "ro" / "run.prof"
    assert default_folder(source) == tmp_path / "ro"
    monkeypatch.setattr("tuiprof.export.request.os.access", lambda path, mode: False)
    assert default_folder(source) == Path()


async def test_an_unwritable_input_folder_offers_the_current_folder(
    cprofile_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tuiprof.export.request.os.access", lambda path, mode: False)
    _, app = make_dialog(cprofile_file)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.dialog.query_one("#path", Input).value == f"{cprofile_file.stem}.callgrind"


def test_threshold_parsing() -> None:
    assert parse_threshold(" 2.5 ", "node") == 2.5
    for bad in ("", "  ", "x", "-1", "101", "nan"):
        with pytest.raises(ValueError):
            parse_threshold(bad, "node")


def test_suffix_conflict() -> None:
    assert suffix_conflict(Path("a.dot"), ExportFormat.CALLGRIND) is ExportFormat.DOT
    assert suffix_conflict(Path("a.PNG"), ExportFormat.SVG) is ExportFormat.PNG
    assert suffix_conflict(Path("a.svg"), ExportFormat.SVG) is None
    assert suffix_conflict(Path("callgrind.out.42"), ExportFormat.CALLGRIND) is None
