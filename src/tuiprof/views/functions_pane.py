"""The function table with its filter line above it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input

from tuiprof.actions import bindings_for
from tuiprof.model.session import Session
from tuiprof.views.function_table import FunctionTable


class FilterInput(Input):
    """The filter line: terms AND-ed, regex allowed.

    | Key | Does |
    | :- | :- |
    | enter | Keep the filter, back to the table. |
    | escape | Clear the filter. |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("filter")

    def action_clear_filter(self) -> None:
        self.value = ""
        self.screen.query_one(FunctionTable).focus()


class FunctionsPane(Vertical):
    """The filter line over the function table: the view that picks the selection.

    The screen applies what is typed into the filter: a change made while the
    pane handles a message would count as the pane's, and the table's
    ``QueryChanged`` would stop at the pane.
    """

    DEFAULT_CSS = """
    FunctionsPane { height: 1fr; }
    FunctionsPane > #filter { height: 1; border: none; padding: 0 1; background: $boost; }
    FunctionsPane > #filter:focus { background: $primary-background; }
    FunctionsPane > #filter.-invalid { background: $error 40%; }
    FunctionsPane > FunctionTable { height: 1fr; }
    """

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="/ filter: terms AND-ed, regex allowed; enter keeps, escape clears",
            id="filter",
            # `/` on a kept filter goes on typing after it, to narrow it.
            select_on_focus=False,
        )
        yield FunctionTable(self.session, id="function-table")

    @property
    def table(self) -> FunctionTable:
        return self.query_one(FunctionTable)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        self.table.show_function(fid)

    def focus_target(self) -> Widget | None:
        return self.table

    def percent_changed(self) -> None:
        self.table.rows_changed()

    def call_graph_ready(self) -> None:
        """Nothing here waits for the call graph."""
