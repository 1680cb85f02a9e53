"""The function table: every function of the profile, sorted and filtered.

Rows are function numbers from :class:`~tuiprof.model.table.FunctionTableModel`;
cells are formatted only for the rows on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive

from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.format import format_calls, format_per_call, format_percent, format_time
from tuiprof.model.profile import Profile
from tuiprof.model.table import FunctionTableModel, SortKey, TableQuery
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
        self.columns = (
            Column("ncalls", max(6, count_widths(profile).calls), SortKey.NCALLS, drop=3),
            Column("tottime", 8, SortKey.TOTTIME),
            Column("percall", 8, SortKey.TOTTIME_PERCALL, drop=5),
            Column("cumtime", 8, SortKey.CUMTIME, drop=1),
            Column("percall", 8, SortKey.CUMTIME_PERCALL, drop=4),
            Column("function", 0, SortKey.NAME, align="left"),
        )

    @property
    def table_query(self) -> TableQuery:
        """The current sort, filter and hide toggles."""
        return self.model.query

    @property
    def rows(self) -> Sequence[int]:
        return self.model.rows

    def row_count(self) -> int:
        return len(self.model.rows)

    def on_mount(self) -> None:
        self.rows_changed()
        if self.row_count():
            self.cursor_row = 0

    def cells(self, row: int) -> Sequence[str]:
        p = self.profile
        fid = self.model.rows[row]
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
        rows = self.model.rows
        return rows[self.cursor_row] if 0 <= self.cursor_row < len(rows) else -1

    def cursor_moved(self, row: int) -> None:
        self.post_message(FunctionHighlighted(self.model.rows[row]))

    def row_chosen(self, row: int) -> None:
        self.post_message(FunctionChosen(self.model.rows[row]))

    def show_function(self, fid: int) -> bool:
        """Put the cursor on ``fid``; False when it is not among the rows."""
        if fid < 0:
            return False
        if self.highlighted == fid:
            return True
        try:
            row = self.model.rows.index(fid)
        except ValueError:
            return False
        self.set_reactive(RowTable.cursor_row, row)
        self.clear_cache()
        self.refresh()
        self.scroll_cursor_into_view()
        return True

    def action_sort(self, value: str) -> None:
        self.apply(lambda: self.model.set_sort(SortKey(value)))

    def apply(self, change: Callable[[], None]) -> None:
        """Run a change to the query, keeping the cursor on the same function."""
        keep = self.highlighted
        change()
        self.rows_changed()
        if not self.show_function(keep):
            self.move_cursor(0)
        self.post_message(self.QueryChanged(self))

    class QueryChanged(Message):
        """Sort, filter or hide toggles changed."""

        def __init__(self, table: FunctionTable) -> None:
            super().__init__()
            self.table = table
