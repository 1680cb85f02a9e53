"""Callers and callees of one diff row, each edge before, after and Δ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tuiprof.messages import FunctionChosen
from tuiprof.model.diff import EdgeDiff, Figures, Measure, ProfileDiff
from tuiprof.model.diff_format import format_signed_time
from tuiprof.model.diff_session import DiffSession
from tuiprof.model.format import format_calls, format_time
from tuiprof.model.matching import NONE
from tuiprof.model.names import label
from tuiprof.views.callers import share_height
from tuiprof.views.row_table import Column, RowTable
from tuiprof.views.signed_strip import SIGNED_CSS, signed_row_strip


def _calls(figures: Figures | None) -> str:
    return "" if figures is None else format_calls(figures.ncalls, figures.primitive_calls)


def _time(figures: Figures | None) -> str:
    return "" if figures is None else format_time(figures.cumtime)


class EdgeDiffTable(RowTable):
    """One side of a function's call graph: an edge per row, before/after/Δ cumtime."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"diff-table--slower", "diff-table--faster"}

    DEFAULT_CSS = "EdgeDiffTable { height: 1fr; }" + SIGNED_CSS.format(name="EdgeDiffTable")

    def __init__(self, state: DiffSession, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.diff: ProfileDiff = state.diff
        self.edges: list[EdgeDiff] = []
        self.columns = (
            Column("calls bef", 9, drop=2),
            Column("calls aft", 9, drop=2),
            Column("ct before", 9, drop=1),
            Column("ct after", 9),
            Column("Δ cumtime", 9),
            Column(title, 0, align="left"),
        )

    def show_edges(self, edges: list[EdgeDiff]) -> None:
        self.edges = edges
        self.cursor_row = 0
        self.rows_changed()

    def row_count(self) -> int:
        return len(self.edges)

    def empty_message(self) -> str:
        return "none"

    def cells(self, row: int) -> Sequence[str]:
        edge = self.edges[row]
        name = self.diff.label(edge.row) if edge.row >= 0 else label(edge.key)
        return (
            _calls(edge.before),
            _calls(edge.after),
            _time(edge.before),
            _time(edge.after),
            format_signed_time(edge.delta(Measure.CUMTIME)),
            name,
        )

    def row_strip(self, row: int, width: int, is_cursor: bool) -> Strip:
        signs = {4: self.edges[row].delta(Measure.CUMTIME)}
        return signed_row_strip(self, row, width, is_cursor, self.cells(row), signs)

    def row_chosen(self, row: int) -> None:
        target = self.edges[row].row
        if target != NONE:
            self.post_message(FunctionChosen(*self.state.function_of(target)))


class DiffEdgesView(Vertical):
    """The selected function, its callers above and its callees below.

    The two tables share the height by what they hold, as the explorer's do
    (:func:`~tuiprof.views.callers.share_height`).
    """

    DEFAULT_CSS = """
    DiffEdgesView { height: 1fr; }
    DiffEdgesView > .edges-title { height: 1; background: $boost; text-style: bold; }
    """

    def __init__(self, state: DiffSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.diff: ProfileDiff = state.diff
        self.row: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="edges-title", id="edges-title", markup=False)
        yield EdgeDiffTable(self.state, "caller", id="diff-callers")
        yield EdgeDiffTable(self.state, "callee", id="diff-callees")

    @property
    def callers(self) -> EdgeDiffTable:
        return self.query_one("#diff-callers", EdgeDiffTable)

    @property
    def callees(self) -> EdgeDiffTable:
        return self.query_one("#diff-callees", EdgeDiffTable)

    def show(self, row: int | None) -> None:
        """Show the edges of diff row ``row``."""
        if row is None or row == self.row:
            return
        self.row = row
        self.query_one("#edges-title", Static).update(f" {self.diff.label(row)}")
        self.callers.show_edges(self.diff.callers(row))
        self.callees.show_edges(self.diff.callees(row))
        self._split()

    def _split(self) -> None:
        # The title line; before the layout, about the screen.
        rows = (len(self.callers.edges), len(self.callees.edges))
        share_height(self, (self.callers, self.callees), rows, chrome=1, screen_chrome=5)

    def on_resize(self) -> None:
        self._split()

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        """Show the selected diff row's edges (no row: stay)."""
        self.show(fid)

    def focus_target(self) -> Widget | None:
        return self.callers

    def percent_changed(self) -> None:
        """Edges read in seconds: each edge's share would need a total of its own side."""

    def call_graph_ready(self) -> None:
        """The edges are read from each profile when a row is shown."""
