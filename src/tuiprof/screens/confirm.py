"""The yes/no questions the export dialog asks: overwrite a file, write under another
format's name. ``y`` answers yes, ``n`` and ``escape`` no."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from tuiprof.actions import bindings_for
from tuiprof.export.request import ExportFormat, suffix_message
from tuiprof.model.names import visible
from tuiprof.views._textual_hacks import KeysFooter


class Confirm(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes.

    | Key | Does |
    |---|---|
    | `y` | yes |
    | `n`, `escape` | no |
    """

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > #room { width: 76; max-width: 100%; height: auto; align-horizontal: center; }
    Confirm #box {
        width: auto; max-width: 100%; height: auto; padding: 1 2;
        border: thick $warning; background: $surface;
    }
    Confirm #question { width: auto; max-width: 100%; height: auto; }
    Confirm Horizontal { height: auto; margin-top: 1; }
    Confirm Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("confirm")

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        # The box fits its question, up to 76 columns or the screen's width; the
        # question wraps to it (a long path folds), so all of it reads.
        with Vertical(id="room"), Vertical(id="box"):
            yield Label(visible(self.question), markup=False, id="question")
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button(f"{self.no} (n)", variant="primary", id="no")
        yield KeysFooter()  # the question's keys, not those of the screen below

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConfirmOverwrite(Confirm):
    """Ask whether to replace an existing file; dismisses with True to overwrite."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} exists. Overwrite it?", "Overwrite", "Keep it")
        self.path = path


class ConfirmSuffix(Confirm):
    """Ask whether to write a format under a name that says another one."""

    def __init__(self, path: Path, export_format: ExportFormat, named: ExportFormat) -> None:
        super().__init__(
            f"{suffix_message(path, export_format, named)}."
            f" Write {export_format.value} to it anyway?",
            "Write it",
            "Go back",
        )
        self.path = path
