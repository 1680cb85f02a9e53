"""The function table: every function of the profile, sorted and filtered.

Rows are function numbers from :class:`~tuiprof.model.table.FunctionTableModel`;
cells are formatted only for the rows on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message

from tuiprof.actions import bindings_for
from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.first_rows import FIRST_ROWS, FIRST_ROWS_ABOVE, FirstRows
from tuiprof.model.format import format_calls, format_duration_or_percent, format_per_call
from tuiprof.model.session import Session
from tuiprof.model.table import SortKey, TableQuery
from tuiprof.views.row_table import Column, RowTable


class FunctionTable(RowTable):
    """The profile's functions, one row each.

    | Key | Does |
    | :- | :- |
    | 1–6 | Sort by ncalls, tottime, percall, cumtime, percall, name; again reverses. |
    | enter | Go to the function (history step). |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("sort")

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.profile = session.profile
        self.model = session.table
        self._first_rows: FirstRows | None = None
        self.columns = (
            Column("ncalls", max(7, session.count_widths.calls), SortKey.NCALLS, drop=3),
            Column("tottime", 8, SortKey.TOTTIME),
            Column("percall", 8, SortKey.TOTTIME_PERCALL, drop=5),
            Column("cumtime", 8, SortKey.CUMTIME, drop=1),
            Column("percall", 8, SortKey.CUMTIME_PERCALL, drop=4),
            Column("function", 0, SortKey.NAME, align="left", label=True),
        )

    @property
    def table_query(self) -> TableQuery:
        """The current sort, filter and hide toggles."""
        return self.model.query

    @property
    def rows(self) -> Sequence[int]:
        """Function numbers in display order."""
        return self._first_rows if self._first_rows is not None else self.model.rows

    def row_count(self) -> int:
        return len(self.rows)

    def on_mount(self) -> None:
        if len(self.profile) > FIRST_ROWS_ABOVE and self.model.query == TableQuery():
            # The first screen needs the top rows only; the full sort waits
            # for the warm-up thread, or for a row beyond them.
            self._first_rows = FirstRows(self.model, FIRST_ROWS)
        self.rows_changed()
        if self.row_count():
            self.cursor_row = 0

    @property
    def percent(self) -> bool:
        """Whether tottime and cumtime read as percentages of the total (the session's mode)."""
        return self.session.percent

    def cells(self, row: int) -> Sequence[str]:
        p = self.profile
        fid = self.rows[row]
        tt, ct, nc = p.tottime[fid], p.cumtime[fid], p.ncalls[fid]
        percent = self.session.percent
        cc = p.primitive_calls[fid]
        return (
            format_calls(nc, cc),
            format_duration_or_percent(tt, p.total_time, percent),
            format_per_call(tt, nc),
            format_duration_or_percent(ct, p.total_time, percent),
            format_per_call(ct, cc),
            p.label(fid),
        )

    def sort_state(self) -> tuple[SortKey | None, bool]:
        return self.table_query.sort, self.table_query.reverse

    def empty_message(self) -> str:
        if len(self.profile) == 0:
            return "this profile holds no functions"
        return "no function matches the filter (escape clears it)"

    @property
    def highlighted(self) -> int | None:
        """The function under the cursor, or None."""
        rows = self.rows
        return rows[self.cursor_row] if 0 <= self.cursor_row < len(rows) else None

    def cursor_moved(self, row: int) -> None:
        self.post_message(FunctionHighlighted(self.session, self.rows[row]))

    def row_chosen(self, row: int) -> None:
        self.post_message(FunctionChosen(self.session, self.rows[row]))

    def show_function(self, fid: int | None) -> bool:
        """Put the cursor on ``fid``; False when it is not among the rows."""
        if fid is None:
            return False
        if self.highlighted == fid:
            return True
        try:
            row = self.rows.index(fid)
        except ValueError:
            return False
        old = self.cursor_row
        self.set_reactive(RowTable.cursor_row, row)
        self.refresh_rows(old, row)
        self.scroll_cursor_into_view()
        return True

    def action_sort(self, value: str) -> None:
        """Sort; the view shows the top of the new order, the cursor stays on its function."""
        self.apply(lambda: self.model.set_sort(SortKey(value)), to_top=True)

    def apply(self, change: Callable[[], None], *, to_top: bool = False) -> None:
        """Run a change to the query, keeping the cursor on the same function.

        With ``to_top`` the view scrolls to the first row even when the
        cursor's row is further down (:attr:`cursor_in_view` says so; a cursor
        key brings it back into view).
        """
        keep = self.highlighted
        self._first_rows = None
        change()
        self.rows_changed()
        if not self.show_function(keep):
            self.move_cursor(0)
        if to_top:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.post_message(self.QueryChanged(self))

    @property
    def cursor_in_view(self) -> bool:
        """False when the cursor's row is scrolled out of sight."""
        visible = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        return top <= self.cursor_row < top + visible

    class QueryChanged(Message):
        """Sort, filter or hide toggles changed."""

        def __init__(self, table: FunctionTable) -> None:
            super().__init__()
            self.table = table
