"""Every message and note of the export dialog reads in full, even at 60 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget
from textual.widgets import Input, Label, RadioButton
from textual.widgets._toast import Toast

from tests.app.conftest import small_stats, write_profile
from tuiprof.app import TuiprofApp
from tuiprof.export import request as export_request
from tuiprof.model.loaders import load_profile
from tuiprof.screens.confirm import ConfirmOverwrite, ConfirmSuffix
from tuiprof.screens.export_dialog import ExportDialog

SIZES = [(80, 24), (60, 24)]
LONG = "a_folder_with_a_rather_long_name/and_another_one_under_it"


def shown(app: TuiprofApp, widget: Widget) -> str:
    """The text the screen shows where ``widget`` is, without its whitespace.

    Wrapped lines lose the space they broke at and a folded word has none:
    comparing without whitespace reads the lines back as one text.
    """
    strips = app.screen._compositor.render_strips()
    region = widget.content_region
    lines = [strips[y].text[region.x : region.right] for y in range(region.y, region.bottom)]
    return "".join("".join(lines).split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def app_of(tmp_path: Path) -> TuiprofApp:
    return TuiprofApp(load_profile([str(write_profile(tmp_path / "small.prof", small_stats()))]))


async def export_to(app: TuiprofApp, pilot: object, path: Path, fmt: str = "") -> ExportDialog:
    await pilot.press("e")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    if fmt:
        await pilot.click(f"#{fmt}")  # type: ignore[attr-defined]
    dialog.query_one("#path", Input).value = str(path)
    await pilot.pause()  # type: ignore[attr-defined]
    return dialog


@pytest.mark.parametrize("size", SIZES)
async def test_the_suffix_question_reads_in_full(tmp_path: Path, size: tuple[int, int]) -> None:
    target = tmp_path / "exists.dot"
    target.write_text("")
    app = app_of(tmp_path)
    async with app.run_test(size=size) as pilot:
        await export_to(app, pilot, target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSuffix)
        question = app.screen.query(Label).first()
        expected = (
            "exists.dot is named like a dot file, but the format is callgrind."
            " Write callgrind to it anyway?"
        )
        assert squeezed(expected) in shown(app, question)


@pytest.mark.parametrize("size", SIZES)
async def test_the_overwrite_question_reads_in_full(tmp_path: Path, size: tuple[int, int]) -> None:
    folder = tmp_path / LONG
    folder.mkdir(parents=True)
    target = folder / "small.callgrind"
    target.write_text("")
    app = app_of(tmp_path)
    async with app.run_test(size=size) as pilot:
        await export_to(app, pilot, target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmOverwrite)
        question = app.screen.query(Label).first()
        assert squeezed(f"{target} exists. Overwrite it?") == shown(app, question)


@pytest.mark.parametrize("size", SIZES)
async def test_the_path_note_reads_in_full(tmp_path: Path, size: tuple[int, int]) -> None:
    folder = tmp_path / LONG
    folder.mkdir(parents=True)
    target = folder / "small.callgrind"
    target.write_text("")
    app = app_of(tmp_path)
    async with app.run_test(size=size) as pilot:
        dialog = await export_to(app, pilot, target)
        note = dialog.query_one("#target", Label)
        expected = f"Writes: {target}  (exists: asks before replacing it)"
        assert squeezed(expected) == shown(app, note)
        assert dialog.query_one("#path", Input).region.bottom <= note.region.y  # below the path


@pytest.mark.parametrize("size", SIZES)
async def test_a_missing_folder_reads_in_full(tmp_path: Path, size: tuple[int, int]) -> None:
    target = tmp_path / LONG / "small.callgrind"
    app = app_of(tmp_path)
    async with app.run_test(size=size) as pilot:
        dialog = await export_to(app, pilot, target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is dialog
        error = dialog.query_one("#error", Label)
        message = str(error.render())
        assert "no such folder" in message
        assert squeezed(message) == shown(app, error)


async def test_graphviz_missing_reads_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_request, "find_dot", lambda: None)
    app = app_of(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await export_to(app, pilot, tmp_path / "small.svg", "svg")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        await pilot.pause()  # the toast is mounted after the dialog has gone
        toasts = list(app.screen.query(Toast))
        assert toasts
        text = "".join(shown(app, toast) for toast in toasts)
        assert squeezed("install Graphviz (apt-get install graphviz, dnf install") in text
        assert squeezed(f"dot -Tsvg {tmp_path / 'small.dot'} -o {tmp_path / 'small.svg'}") in text


@pytest.mark.parametrize("size", [(80, 24), (73, 24), (60, 24), (53, 24), (40, 15)])
async def test_every_format_and_threshold_fits_the_dialog(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = app_of(tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        body = dialog.query_one("VerticalScroll").content_region
        for fmt in ("callgrind", "dot", "svg", "png"):
            button = dialog.query_one(f"#{fmt}", RadioButton)
            dialog.query_one("VerticalScroll").scroll_to_widget(button, animate=False)
            await pilot.pause()
            assert button.region.right <= body.right, fmt
            assert squeezed(str(button.label)) in shown(app, button), fmt
        for threshold in ("#node", "#edge"):
            field = dialog.query_one(threshold, Input)
            dialog.query_one("VerticalScroll").scroll_to_widget(field, animate=False)
            await pilot.pause()
            assert field.region.width >= 8 and field.region.right <= body.right, threshold
            assert field.value in shown(app, field)
