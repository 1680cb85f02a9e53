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
)
from tuiprof.model.names import fit_label, label
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
            Column("function", 0, SortKey.NAME, align="left", label=True),
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


class SubjectLine(Static):
    """The selected function and its figures on one line: the name gives way first.

    The label is shortened as the tables shorten it (the path from its left)
    so that the figures, cumtime last, stay in view at any width.
    """

    NAME_ROOM: ClassVar[int] = 14
    """Cells the name keeps before figures give way (tottime first, then calls)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self._subject = ""
        self._figures: tuple[tuple[str, int], ...] = ()

    def show(self, name: str, *figures: tuple[str, int]) -> None:
        """``name`` then ``figures``: (text, drop), highest drop given up first, 0 kept."""
        self._subject, self._figures = name, figures
        self.update(self._fitted(self.size.width or self.app.size.width), layout=False)

    def on_resize(self) -> None:
        self.update(self._fitted(self.size.width), layout=False)

    def _fitted(self, width: int) -> str:
        figures = list(self._figures)
        droppable = sorted((f for f in figures if f[1]), key=lambda f: -f[1])
        while droppable and width - sum(len(t) for t, _ in figures) < self.NAME_ROOM:
            figures.remove(droppable.pop(0))
        text = "".join(t for t, _ in figures)
        return fit_label(self._subject, max(self.NAME_ROOM, width - len(text))) + text


def split_heights(callers: int, callees: int, room: int) -> tuple[int | None, int | None]:
    """Rows for the callers and the callees tables (header included); None: the rest.

    Split by content, not in halves: a table that fits in half the room gets
    what it needs and the other takes the rest; when both need more than half,
    they share it evenly.
    """
    need_callers, need_callees = max(1, callers) + 1, max(1, callees) + 1
    half = room // 2
    if need_callers <= half or need_callers + need_callees <= room:
        return need_callers, None
    if need_callees <= half:
        return None, need_callees
    return None, None


def share_height(
    view: Widget,
    tables: tuple[Widget, Widget],
    rows: tuple[int, int],
    *,
    chrome: int,
    screen_chrome: int,
) -> None:
    """Give ``tables``, of ``rows`` rows, the height of ``view`` less ``chrome`` rows, by
    :func:`split_heights`; before ``view`` is laid out, the screen's less ``screen_chrome``."""
    room = view.size.height - chrome
    if room <= 0:
        room = max(0, view.app.size.height - screen_chrome)
    for table, height in zip(tables, split_heights(*rows, room), strict=True):
        wanted = "1fr" if height is None else str(height)
        if str(table.styles.height) != wanted:
            table.styles.height = wanted


class CallersView(Vertical):
    """The selected function, its callers above, its callees below.

    The two tables share the height by what they hold (see :func:`split_heights`).
    """

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
        yield SubjectLine(classes="callers-subject", id="callers-subject")
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
        self._show_subject()
        self._split()
        p = self.profile
        waiting = fid is not None and p.has_call_data and not p.call_graph_ready
        callers = "…" if waiting else len(self.callers.edges)
        callees = "…" if waiting else len(self.callees.edges)
        self.query_one("#callers-title", Static).update(
            f"Callers ({callers}) — who called it", layout=False
        )
        self.query_one("#callees-title", Static).update(
            f"Callees ({callees}) — what it called", layout=False
        )

    def _show_subject(self) -> None:
        """The function's own line: its times as shares of the total in percent mode."""
        p, fid = self.profile, self.fid
        subject = self.query_one("#callers-subject", SubjectLine)
        if fid is None:
            subject.show("no function selected")
            return
        total, percent = p.total_time, self.session.percent
        tottime = format_duration_or_percent(p.tottime[fid], total, percent)
        cumtime = format_duration_or_percent(p.cumtime[fid], total, percent)
        subject.show(
            p.label(fid),
            (f"   calls {format_calls(p.ncalls[fid], p.primitive_calls[fid])}", 1),
            (f"  tottime {tottime}", 2),
            (f"  cumtime {cumtime}", 0),
        )

    def _split(self) -> None:
        # The subject line and the two titles; before the layout, about the screen.
        rows = (len(self.callers.edges), len(self.callees.edges))
        share_height(self, (self.callers, self.callees), rows, chrome=3, screen_chrome=8)

    def on_resize(self) -> None:
        self._split()

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        self.show(fid)

    def focus_target(self) -> Widget | None:
        return self.callers

    def percent_changed(self) -> None:
        self._show_subject()
        for table in (self.callers, self.callees):
            table.rows_changed()

    def call_graph_ready(self) -> None:
        self.show(self.session.selected, again=True)
