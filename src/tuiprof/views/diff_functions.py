"""The diff table with its filter line above it: the diff screen's first view."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input

from tuiprof.actions import bindings_for
from tuiprof.model.diff_session import DiffSession
from tuiprof.views.diff_table import DiffTable


class DiffFilterInput(Input):
    """The filter line of the diff table (``escape`` clears it)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("filter")

    def action_clear_filter(self) -> None:
        self.value = ""
        self.screen.query_one(DiffTable).focus()


class DiffFunctionsPane(Vertical):
    """The filter line over the diff table: the view that picks the selected row.

    As on the main screen, the screen applies what is typed into the filter.
    """

    DEFAULT_CSS = """
    DiffFunctionsPane { height: 1fr; }
    DiffFunctionsPane > #diff-filter {
        height: 1; border: none; padding: 0 1; background: $boost;
    }
    DiffFunctionsPane > #diff-filter:focus { background: $primary-background; }
    DiffFunctionsPane > #diff-filter.-invalid { background: $error 40%; }
    DiffFunctionsPane > DiffTable { height: 1fr; }
    """

    def __init__(self, state: DiffSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state

    def compose(self) -> ComposeResult:
        yield DiffFilterInput(
            placeholder="/ filter: terms AND-ed, regex allowed; escape clears",
            id="diff-filter",
            select_on_focus=False,  # `/` on a kept filter goes on typing after it
        )
        yield DiffTable(self.state, id="diff-table")

    @property
    def table(self) -> DiffTable:
        return self.query_one(DiffTable)

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        """Put the cursor on the selected diff row."""
        self.table.show_row(fid)

    def focus_target(self) -> Widget | None:
        return self.table

    def percent_changed(self) -> None:
        self.table.percent = self.state.percent

    def call_graph_ready(self) -> None:
        """Nothing here waits for the call graph."""
