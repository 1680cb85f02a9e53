"""The diff table: every function of both runs, before, after and delta.

Rows come from :class:`~tuiprof.model.diff_table.DiffTableModel`; only the
rows on screen are formatted. Deltas carry a sign and read red when slower,
green when faster (and the sign alone when there is no colour).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.diff import Measure, ProfileDiff, Side, Status
from tuiprof.model.diff_format import format_signed_count, format_signed_percent, format_signed_time
from tuiprof.model.diff_session import DiffSession
from tuiprof.model.diff_table import NAME, DiffColumn, DiffTableModel
from tuiprof.model.format import format_count, format_percent, format_time
from tuiprof.views.cursor_lines import fit
from tuiprof.views.row_table import GAP, Column, RowTable
from tuiprof.views.signed_strip import SIGNED_CSS, signed_row_strip

STATUS_MARKS = {Status.SAME: "=", Status.CHANGED: "", Status.NEW: "new", Status.REMOVED: "gone"}

_COLUMNS: tuple[tuple[Column, DiffColumn | None], ...] = (
    (Column("", 4), None),
    (Column("calls bef", 9, drop=7), (Measure.NCALLS, Side.BEFORE)),
    (Column("calls aft", 9, drop=7), (Measure.NCALLS, Side.AFTER)),
    (Column("Δcalls", 7, drop=6), (Measure.NCALLS, Side.DELTA)),
    (Column("tt before", 10, drop=1), (Measure.TOTTIME, Side.BEFORE)),
    (Column("tt after", 10), (Measure.TOTTIME, Side.AFTER)),
    (Column("Δ tottime", 10), (Measure.TOTTIME, Side.DELTA)),
    (Column("Δ%", 7, drop=3), (Measure.TOTTIME, Side.PERCENT)),
    (Column("ct before", 10, drop=5), (Measure.CUMTIME, Side.BEFORE)),
    (Column("ct after", 10, drop=5), (Measure.CUMTIME, Side.AFTER)),
    (Column("Δ cumtime", 10, drop=2), (Measure.CUMTIME, Side.DELTA)),
    (Column("Δ%", 7, drop=4), (Measure.CUMTIME, Side.PERCENT)),
    (Column("function", 0, align="left"), NAME),
)
"""The columns, and what each sorts by; ``drop`` says which go first at narrow widths."""
SIGNED = frozenset(
    i
    for i, (_, sort) in enumerate(_COLUMNS)
    if isinstance(sort, tuple) and sort[1] in (Side.DELTA, Side.PERCENT)
)
"""Columns whose figures read green or red by their sign."""
WARM_COLUMNS: tuple[DiffColumn, ...] = (
    *((measure, side) for side in (Side.AFTER, Side.DELTA) for measure in Measure),
    NAME,
)
"""The columns sorted ahead of use: those the sort keys and ``d`` sort by."""


class DiffTable(RowTable):
    """The diff's functions, one row each; ``enter`` goes to the function."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"diff-table--slower", "diff-table--faster"}

    DEFAULT_CSS = SIGNED_CSS.format(name="DiffTable")

    percent: reactive[bool] = reactive(False, init=False)
    """Times as percentages of each side's total."""
    share_deltas: reactive[bool] = reactive(False, init=False)
    """Deltas as percentages of the before total, instead of seconds and counts."""

    class QueryChanged(Message):
        """Sort, filter or hide toggles changed."""

        def __init__(self, table: DiffTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, state: DiffSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.diff: ProfileDiff = state.diff
        self.model = DiffTableModel(state.diff)
        self.columns = tuple(column for column, _ in _COLUMNS)
        self.sorts = tuple(sort for _, sort in _COLUMNS)

    @property
    def rows(self) -> Sequence[int]:
        return self.model.rows

    def row_count(self) -> int:
        return len(self.rows)

    def on_mount(self) -> None:
        self.rows_changed()
        self.call_after_refresh(self.warm)

    @work(thread=True, exclusive=True, group="diff-warm")
    def warm(self) -> None:
        """After the first frame, off the UI thread: the filter's texts and the sort orders.

        A filter keystroke or a sort key then only picks from what is ready
        (sorting or searching 300,000 rows takes longer than a keystroke).
        """
        self.model.prepare(WARM_COLUMNS)

    def watch_percent(self) -> None:
        self.rows_changed()

    def watch_share_deltas(self) -> None:
        self.rows_changed()

    @property
    def highlighted(self) -> int | None:
        """The diff row under the cursor, or None."""
        rows = self.rows
        return rows[self.cursor_row] if 0 <= self.cursor_row < len(rows) else None

    def cursor_moved(self, row: int) -> None:
        self.post_message(FunctionHighlighted(*self.state.function_of(self.rows[row])))

    def row_chosen(self, row: int) -> None:
        self.post_message(FunctionChosen(*self.state.function_of(self.rows[row])))

    def empty_message(self) -> str:
        if len(self.diff) == 0:
            return "neither profile holds a function"
        return "no function matches the filter (escape clears it)"

    # Cells ------------------------------------------------------------------

    def cells(self, row: int) -> Sequence[str]:
        fid = self.rows[row]
        diff = self.diff
        out = [STATUS_MARKS[Status(diff.status()[fid])]]
        for sort in self.sorts[1:-1]:
            assert isinstance(sort, tuple)
            out.append(self._cell(fid, *sort))
        out.append(diff.label(fid))
        return out

    def _cell(self, fid: int, measure: Measure, side: Side) -> str:
        diff = self.diff
        value = diff.column(measure, side)[fid]
        if side is Side.PERCENT:
            return format_signed_percent(value)
        absent = (diff.before_ids if side is Side.BEFORE else diff.after_ids)[fid] < 0
        if side is not Side.DELTA and absent:
            return ""
        if measure is Measure.NCALLS:
            if side is Side.DELTA:
                return format_signed_count(value)
            return format_count(int(value))
        if side is Side.DELTA:
            if self.share_deltas:
                return _signed_share(value, diff.before_total)
            return format_signed_time(value)
        if self.percent:
            total = diff.after_total if side is Side.AFTER else diff.before_total
            return format_percent(value, total)
        return format_time(value)

    def row_strip(self, row: int, width: int, is_cursor: bool) -> Strip:
        fid = self.rows[row]
        signs = {i: self.diff.column(*self.sorts[i])[fid] for i in SIGNED}  # type: ignore[misc]
        return signed_row_strip(self, row, width, is_cursor, self.cells(row), signs)

    def header_strip(self, width: int) -> Strip:
        query = self.model.query
        plain = self.get_component_rich_style("row-table--header")
        marked = self.get_component_rich_style("row-table--sorted")
        segments: list[Segment] = []
        for index, cell_width in self.column_layout(width):
            column = self.columns[index]
            title, style = column.title, plain
            if self.sorts[index] == query.sort and self.sorts[index] is not None:
                title, style = f"{title}{'▲' if query.reverse else '▼'}", marked
            if segments:
                segments.append(Segment(" " * GAP, plain))
            meta = Style.from_meta({"column": index})
            segments.append(Segment(fit(title, cell_width, column.align), style + meta))
        return Strip(segments).extend_cell_length(width, plain)

    def column_clicked(self, column: int) -> None:
        sort = self.sorts[column]
        if sort is not None:
            self.sort_by(sort)

    # Changes ----------------------------------------------------------------

    def sort_by(self, column: DiffColumn) -> None:
        """Sort by a column; the same column again reverses."""
        self.apply(lambda: self.model.set_sort(column))

    def show_row(self, row: int | None) -> bool:
        """Put the cursor on diff row ``row``; False when it is not shown."""
        if row is None:
            return False
        if self.highlighted == row:
            return True
        try:
            index = self.rows.index(row)
        except ValueError:
            return False
        self.set_reactive(RowTable.cursor_row, index)
        self.clear_cache()
        self.refresh()
        self.scroll_cursor_into_view()
        return True

    def apply(self, change: Callable[[], None]) -> None:
        """Run a change to the query, keeping the cursor on the same function."""
        keep = self.highlighted
        change()
        self.rows_changed()
        if not self.show_row(keep):
            self.move_cursor(0)
        self.post_message(self.QueryChanged(self))


def _signed_share(value: float, total: float) -> str:
    if total <= 0:
        return "-"
    return format_signed_percent(100.0 * value / total)
