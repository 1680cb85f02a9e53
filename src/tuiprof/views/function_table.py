"""The function table: every function of the profile, sorted and filtered.

Rows are function numbers from :class:`~tuiprof.model.table.FunctionTableModel`;
cells are formatted only for the rows on screen.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, overload

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive

from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.format import format_calls, format_per_call, format_percent, format_time
from tuiprof.model.profile import Profile
from tuiprof.model.table import (
    DESCENDING_FIRST,
    FunctionTableModel,
    SortKey,
    TableQuery,
    sort_key_function,
)
from tuiprof.views.counts import count_widths
from tuiprof.views.row_table import Column, RowTable

SORT_KEYS: tuple[SortKey, ...] = (
    SortKey.NCALLS,
    SortKey.TOTTIME,
    SortKey.TOTTIME_PERCALL,
    SortKey.CUMTIME,
    SortKey.CUMTIME_PERCALL,
    SortKey.NAME,
)
"""What keys ``1``–``6`` sort by, in order."""

SORT_BINDINGS: list[BindingType] = [
    Binding(
        str(number),
        f"sort('{key.value}')",
        f"Sort by {key.title}",
        show=False,
        id=f"sort_{key.value}",
    )
    for number, key in enumerate(SORT_KEYS, start=1)
]
"""``1``–``6``: shared by every sortable table, so one keymap entry remaps them all."""


FIRST_ROWS_ABOVE = 20_000
"""Above this many functions, the first screen sorts only its :data:`FIRST_ROWS`."""
FIRST_ROWS = 256
"""How many top rows the first screen finds without sorting them all."""


class FirstRows(Sequence[int]):
    """The model's rows for its first query, the top ones found without a full sort.

    Sorting 300,000 functions takes about a tenth of a second; the first
    screen shows forty. ``heapq.nlargest`` gives the same rows as the first
    ``count`` of the sorted order (ties in the same order); a row past them,
    or a search, takes the model's full order.
    """

    def __init__(self, model: FunctionTableModel, count: int) -> None:
        self.model = model
        query = model.query
        key = sort_key_function(model.profile, query.sort)
        candidates = range(len(model.profile))
        if query.sort in DESCENDING_FIRST:
            self.top = heapq.nlargest(count, candidates, key=key)
        else:
            self.top = heapq.nsmallest(count, candidates, key=key)

    def __len__(self) -> int:
        return len(self.model.profile)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, int) and 0 <= index < len(self.top):
            return self.top[index]
        return self.model.rows[index]

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        if start == 0 and stop is None and value in self.top:
            return self.top.index(value)
        return self.model.rows.index(value, start, len(self) if stop is None else stop)


class FunctionTable(RowTable):
    """The profile's functions, one row each.

    | Key | Does |
    | :- | :- |
    | 1–6 | Sort by ncalls, tottime, percall, cumtime, percall, name; again reverses. |
    | enter | Go to the function (history step). |
    """

    BINDINGS: ClassVar[list[BindingType]] = [*SORT_BINDINGS]

    percent: reactive[bool] = reactive(False, init=False)
    """Show tottime and cumtime as percentages of the profile's total time."""

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.profile = profile
        self.model = FunctionTableModel(profile, TableQuery())
        self._first_rows: FirstRows | None = None
        self.columns = (
            Column("ncalls", max(7, count_widths(profile).calls), SortKey.NCALLS, drop=3),
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

    def cells(self, row: int) -> Sequence[str]:
        p = self.profile
        fid = self.rows[row]
        tt, ct, nc = p.tottime[fid], p.cumtime[fid], p.ncalls[fid]
        if self.percent:
            tottime = format_percent(tt, p.total_time)
            cumtime = format_percent(ct, p.total_time)
        else:
            tottime, cumtime = format_time(tt), format_time(ct)
        cc = p.primitive_calls[fid]
        return (
            format_calls(nc, cc),
            tottime,
            format_per_call(tt, nc),
            cumtime,
            format_per_call(ct, cc),
            p.label(fid),
        )

    def sort_state(self) -> tuple[SortKey | None, bool]:
        return self.table_query.sort, self.table_query.reverse

    def empty_message(self) -> str:
        if len(self.profile) == 0:
            return "this profile holds no functions"
        return "no function matches the filter (escape clears it)"

    def watch_percent(self) -> None:
        self.rows_changed()

    @property
    def highlighted(self) -> int:
        """The function under the cursor, or -1."""
        rows = self.rows
        return rows[self.cursor_row] if 0 <= self.cursor_row < len(rows) else -1

    def cursor_moved(self, row: int) -> None:
        self.post_message(FunctionHighlighted(self.rows[row]))

    def row_chosen(self, row: int) -> None:
        self.post_message(FunctionChosen(self.rows[row]))

    def show_function(self, fid: int) -> bool:
        """Put the cursor on ``fid``; False when it is not among the rows."""
        if fid < 0:
            return False
        if self.highlighted == fid:
            return True
        try:
            row = self.rows.index(fid)
        except ValueError:
            return False
        self.set_reactive(RowTable.cursor_row, row)
        self.clear_cache()
        self.refresh()
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
