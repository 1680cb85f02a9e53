"""Callers and callees of the selected function: two Line-API edge tables.

Each row is one caller→callee edge with the figures pstats records for that
edge, and its share of the selected function's cumulative time. The rows are
:class:`~tuiprof.model.edge_rows.EdgeRows`: only those shown become edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from tuiprof.actions import bindings_for
from tuiprof.messages import FunctionChosen
from tuiprof.model.edge_rows import Side, edge_rows
from tuiprof.model.format import (
    format_calls,
    format_duration_or_percent,
    format_percent,
    format_time,
)
from tuiprof.model.names import label
from tuiprof.model.session import Session
from tuiprof.model.table import DESCENDING_FIRST, SortKey
from tuiprof.views.row_table import Column, RowTable


class EdgeTable(RowTable):
    """The edges at one end of the selected function.

    | Key | Does |
    | :- | :- |
    | 1–6 | Sort by calls, tottime, tottime per call, cumtime, cumtime per call, name. |
    | enter | Go to the function at the other end of the edge. |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("sort")

    def __init__(self, session: Session, side: Side, *, id: str) -> None:
        super().__init__(id=id)
        self.session = session
        self.profile = profile = session.profile
        self.columns = (
            Column("calls", max(5, session.count_widths.calls), SortKey.NCALLS, drop=2),
            Column("tottime", 8, SortKey.TOTTIME, drop=3),
            Column("cumtime", 8, SortKey.CUMTIME, drop=1),
            Column("share", 7),
            Column("function", 0, SortKey.NAME, align="left"),
        )
        self.side = side
        self.fid: int | None = None
        self.edges = edge_rows(profile, side, None)
        self.sort: SortKey = SortKey.CUMTIME
        self.reverse = False

    def show(self, fid: int | None) -> None:
        """Show the edges of ``fid``; none yet while the call graph is being indexed."""
        self.fid = fid
        ready = self.profile.call_graph_ready or not self.profile.has_call_data
        self.edges = edge_rows(self.profile, self.side, fid if ready else None)
        self._sort_edges()
        self.cursor_row = 0
        self.scroll_to(y=0, animate=False, immediate=True)

    def _sort_edges(self) -> None:
        descending = self.sort in DESCENDING_FIRST
        self.edges.sort(self.sort, reverse=descending != self.reverse)
        self.rows_changed()

    def action_sort(self, value: str) -> None:
        key = SortKey(value)
        if key is self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = key, False
        chosen = self.edges.item(self.cursor_row) if self.edges else None
        self._sort_edges()
        if chosen is not None:
            self.move_cursor(self.edges.position(chosen))

    def on_row_table_header_clicked(self, event: RowTable.HeaderClicked) -> None:
        event.stop()
        self.action_sort(event.sort.value)

    def row_count(self) -> int:
        return len(self.edges)

    def sort_state(self) -> tuple[SortKey | None, bool]:
        return self.sort, self.reverse

    def empty_message(self) -> str:
        if self.fid is None:
            return "no function selected"
        if not self.profile.has_call_data:
            return "line data only: no call graph"
        if not self.profile.call_graph_ready:
            return "indexing the call graph…"
        return "no callers (a root of the call graph)" if self.side == "callers" else "no callees"

    def cells(self, row: int) -> Sequence[str]:
        edge = self.edges[row]
        own = self.profile.cumtime[self.fid] if self.fid is not None else 0.0
        if edge.timed:
            total, percent = self.profile.total_time, self.session.percent
            tottime = format_duration_or_percent(edge.tottime, total, percent)
            cumtime = format_duration_or_percent(edge.cumtime, total, percent)
            share = format_percent(edge.cumtime, own)
        else:
            tottime = cumtime = share = "-"
        name = self.profile.label(edge.other) if edge.other >= 0 else label(edge.other_key)
        return (format_calls(edge.ncalls, edge.primitive_calls), tottime, cumtime, share, name)

    def row_is_dim(self, row: int) -> bool:
        return self.edges[row].other < 0

    def row_chosen(self, row: int) -> None:
        other = self.edges[row].other
        if other >= 0:
            self.post_message(FunctionChosen(self.session, other))
        else:
            self.notify("that function is not in the profile", severity="warning")


class CallersView(Vertical):
    """The selected function, its callers above, its callees below."""

    DEFAULT_CSS = """
    CallersView { height: 1fr; }
    CallersView > .callers-title { height: 1; background: $boost; text-style: bold; }
    CallersView > .callers-subject { height: 1; }
    CallersView > EdgeTable { height: 1fr; }
    """

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.profile = session.profile
        self.fid: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="callers-subject", id="callers-subject", markup=False)
        yield Static("Callers", classes="callers-title", id="callers-title", markup=False)
        yield EdgeTable(self.session, "callers", id="callers-table")
        yield Static("Callees", classes="callers-title", id="callees-title", markup=False)
        yield EdgeTable(self.session, "callees", id="callees-table")

    @property
    def callers(self) -> EdgeTable:
        return self.query_one("#callers-table", EdgeTable)

    @property
    def callees(self) -> EdgeTable:
        return self.query_one("#callees-table", EdgeTable)

    def show(self, fid: int | None, *, again: bool = False) -> None:
        """Show the edges of ``fid`` (no work when it is already shown, unless ``again``)."""
        if fid == self.fid and not again:
            return
        self.fid = fid
        self.callers.show(fid)
        self.callees.show(fid)
        p = self.profile
        if fid is None:
            subject = "no function selected"
        else:
            subject = (
                f"{p.label(fid)}   calls {format_calls(p.ncalls[fid], p.primitive_calls[fid])}"
                f"  tottime {format_time(p.tottime[fid])}  cumtime {format_time(p.cumtime[fid])}"
            )
        # One line each, whatever the text: no new layout needed.
        self.query_one("#callers-subject", Static).update(subject, layout=False)
        waiting = fid is not None and p.has_call_data and not p.call_graph_ready
        callers = "…" if waiting else len(self.callers.edges)
        callees = "…" if waiting else len(self.callees.edges)
        self.query_one("#callers-title", Static).update(
            f"Callers ({callers}) — who called it", layout=False
        )
        self.query_one("#callees-title", Static).update(
            f"Callees ({callees}) — what it called", layout=False
        )

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        self.show(fid)

    def focus_target(self) -> Widget | None:
        return self.callers

    def percent_changed(self) -> None:
        for table in (self.callers, self.callees):
            table.rows_changed()

    def call_graph_ready(self) -> None:
        self.show(self.session.selected, again=True)
