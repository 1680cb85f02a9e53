"""Callers and callees of the selected function: two Line-API edge tables.

Each row is one caller→callee edge with the figures pstats records for that
edge, and its share of the selected function's cumulative time. A function
with 10,000 callers builds 10,000 small tuples and renders only what fits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static

from tuiprof.messages import FunctionChosen
from tuiprof.model.format import format_calls, format_percent, format_time
from tuiprof.model.names import label
from tuiprof.model.profile import Edge, Profile
from tuiprof.model.table import DESCENDING_FIRST, SortKey, per_call
from tuiprof.views.counts import count_widths
from tuiprof.views.function_table import SORT_BINDINGS
from tuiprof.views.row_table import Column, RowTable


def edge_sort_key(key: SortKey) -> Callable[[Edge], Any]:
    """A key function over edges for ``sorted``."""
    if key is SortKey.NCALLS:
        return lambda e: e.ncalls
    if key is SortKey.TOTTIME:
        return lambda e: e.tottime
    if key is SortKey.TOTTIME_PERCALL:
        return lambda e: per_call(e.tottime, e.ncalls)
    if key is SortKey.CUMTIME:
        return lambda e: e.cumtime
    if key is SortKey.CUMTIME_PERCALL:
        return lambda e: per_call(e.cumtime, e.primitive_calls)
    return lambda e: e.other_key[2].lower()


class EdgeTable(RowTable):
    """The edges at one end of the selected function.

    | Key | Does |
    | :- | :- |
    | 1–6 | Sort by calls, tottime, tottime per call, cumtime, cumtime per call, name. |
    | enter | Go to the function at the other end of the edge. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [*SORT_BINDINGS]

    def __init__(self, profile: Profile, side: Literal["callers", "callees"], *, id: str) -> None:
        super().__init__(id=id)
        self.profile = profile
        self.columns = (
            Column("calls", max(5, count_widths(profile).calls), SortKey.NCALLS, drop=2),
            Column("tottime", 8, SortKey.TOTTIME, drop=3),
            Column("cumtime", 8, SortKey.CUMTIME, drop=1),
            Column("share", 7),
            Column("function", 0, SortKey.NAME, align="left"),
        )
        self.side = side
        self.fid = -1
        self.edges: list[Edge] = []
        self.sort: SortKey = SortKey.CUMTIME
        self.reverse = False
        self.percent = False

    def show(self, fid: int) -> None:
        """Show the edges of ``fid``."""
        self.fid = fid
        if fid < 0:
            edges: list[Edge] = []
        elif self.side == "callers":
            edges = self.profile.callers(fid)
        else:
            edges = self.profile.callees(fid)
        self.edges = edges
        self._sort_edges()
        self.cursor_row = 0
        self.scroll_to(y=0, animate=False, immediate=True)

    def _sort_edges(self) -> None:
        descending = self.sort in DESCENDING_FIRST
        self.edges.sort(key=edge_sort_key(self.sort), reverse=descending != self.reverse)
        self.rows_changed()

    def action_sort(self, value: str) -> None:
        key = SortKey(value)
        if key is self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = key, False
        chosen = self.edges[self.cursor_row] if self.edges else None
        self._sort_edges()
        if chosen is not None:
            self.move_cursor(self.edges.index(chosen))

    def on_row_table_header_clicked(self, event: RowTable.HeaderClicked) -> None:
        event.stop()
        self.action_sort(event.sort.value)

    def row_count(self) -> int:
        return len(self.edges)

    def sort_state(self) -> tuple[SortKey | None, bool]:
        return self.sort, self.reverse

    def empty_message(self) -> str:
        if self.fid < 0:
            return "no function selected"
        if not self.profile.has_call_data:
            return "line data only: no call graph"
        return "no callers (a root of the call graph)" if self.side == "callers" else "no callees"

    def cells(self, row: int) -> Sequence[str]:
        edge = self.edges[row]
        own = self.profile.cumtime[self.fid] if self.fid >= 0 else 0.0
        if not edge.timed:
            tottime = cumtime = share = "-"
        elif self.percent:
            total = self.profile.total_time
            tottime = format_percent(edge.tottime, total)
            cumtime = format_percent(edge.cumtime, total)
            share = format_percent(edge.cumtime, own)
        else:
            tottime, cumtime = format_time(edge.tottime), format_time(edge.cumtime)
            share = format_percent(edge.cumtime, own)
        name = self.profile.label(edge.other) if edge.other >= 0 else label(edge.other_key)
        return (format_calls(edge.ncalls, edge.primitive_calls), tottime, cumtime, share, name)

    def row_is_dim(self, row: int) -> bool:
        return self.edges[row].other < 0

    def row_chosen(self, row: int) -> None:
        other = self.edges[row].other
        if other >= 0:
            self.post_message(FunctionChosen(other))
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

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.profile = profile
        self.fid = -1

    def compose(self) -> ComposeResult:
        yield Static("", classes="callers-subject", id="callers-subject", markup=False)
        yield Static("Callers", classes="callers-title", id="callers-title", markup=False)
        yield EdgeTable(self.profile, "callers", id="callers-table")
        yield Static("Callees", classes="callers-title", id="callees-title", markup=False)
        yield EdgeTable(self.profile, "callees", id="callees-table")

    @property
    def callers(self) -> EdgeTable:
        return self.query_one("#callers-table", EdgeTable)

    @property
    def callees(self) -> EdgeTable:
        return self.query_one("#callees-table", EdgeTable)

    def show(self, fid: int) -> None:
        """Show the edges of ``fid`` (no work when it is already shown)."""
        if fid == self.fid:
            return
        self.fid = fid
        self.callers.show(fid)
        self.callees.show(fid)
        p = self.profile
        if fid < 0:
            subject = "no function selected"
        else:
            subject = (
                f"{p.label(fid)}   calls {format_calls(p.ncalls[fid], p.primitive_calls[fid])}"
                f"  tottime {format_time(p.tottime[fid])}  cumtime {format_time(p.cumtime[fid])}"
            )
        self.query_one("#callers-subject", Static).update(subject)
        self.query_one("#callers-title", Static).update(
            f"Callers ({len(self.callers.edges)}) — who called it"
        )
        self.query_one("#callees-title", Static).update(
            f"Callees ({len(self.callees.edges)}) — what it called"
        )

    def set_percent(self, percent: bool) -> None:
        for table in (self.callers, self.callees):
            table.percent = percent
            table.rows_changed()
