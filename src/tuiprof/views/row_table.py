"""A Line-API table of many rows: a fixed header, a row cursor, sortable columns.

Only the rows on screen are ever turned into strips (see
:mod:`tuiprof.views.cursor_lines`). Subclasses say how many rows there are
and what text each cell holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.message import Message
from textual.strip import Strip

from tuiprof.actions import bindings_for
from tuiprof.model.names import fit_label
from tuiprof.model.table import SortKey
from tuiprof.views.cursor_lines import CURSOR_COMPONENT, CursorLinesView, fit

GAP = 1
"""Cells between columns."""


@dataclass(frozen=True)
class Column:
    """One column of a :class:`RowTable`."""

    title: str
    width: int
    """Cells; 0 for the one flexible column that takes the rest."""
    sort: SortKey | None = None
    """What clicking the header sorts by."""
    align: Literal["left", "right"] = "right"
    drop: int = 0
    """0: always shown; otherwise, when the width is short, higher numbers go first."""
    label: bool = False
    """Holds ``name  file:line``: shortened from the path's left, never cutting ``:line``."""


class RowTable(CursorLinesView):
    """A scrolling table with a header row and a row cursor.

    | Key | Does |
    | :- | :- |
    | up / down | Move the cursor one row. |
    | pageup / pagedown | Move the cursor one screen. |
    | home / end | First / last row. |
    | enter | Choose the function under the cursor. |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("rows")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--sorted",
        "row-table--dim",
        "row-table--empty",
    }

    DEFAULT_CSS = """
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--sorted { text-style: bold underline; background: $panel; }
    RowTable > .row-table--dim { color: $text-muted; }
    RowTable > .row-table--empty { color: $warning; text-style: italic; }
    """

    columns: tuple[Column, ...] = ()
    """Set by each subclass, per instance: count columns are as wide as the profile needs."""
    min_flexible_width: ClassVar[int] = 16
    """Optional columns give way until the flexible column has this many cells."""
    least_flexible_width: ClassVar[int] = 10
    """With none left to give way, it takes what is left down to this, and below it
    the table scrolls sideways (a 40-column screen still shows whole rows)."""
    empty_component: ClassVar[str] = "row-table--empty"

    class HeaderClicked(Message):
        """A column header was clicked."""

        def __init__(self, table: RowTable, sort: SortKey) -> None:
            super().__init__()
            self.table = table
            self.sort = sort

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._header_cache: LRUCache[tuple[int, object], Strip] = LRUCache(8)
        self._layouts: dict[int, list[tuple[int, int]]] = {}

    # What subclasses provide ------------------------------------------------

    def cells(self, row: int) -> Sequence[str]:
        """The text of each column of ``row``."""
        raise NotImplementedError

    def row_is_dim(self, row: int) -> bool:
        return False

    def sort_state(self) -> tuple[SortKey | None, bool]:
        """The column sorted on and whether the order is reversed (for the header mark)."""
        return None, False

    # Layout -----------------------------------------------------------------

    def column_layout(self, width: int) -> list[tuple[int, int]]:
        """(column index, cells) of the columns shown at ``width``, left to right.

        Optional columns are dropped, highest ``drop`` first, until the flexible
        column gets its minimum width; then it takes what is left, down to
        :attr:`least_flexible_width`.
        """
        cached = self._layouts.get(width)
        if cached is not None:
            return cached
        shown = list(range(len(self.columns)))
        droppable = sorted(
            (i for i, c in enumerate(self.columns) if c.drop), key=lambda i: -self.columns[i].drop
        )
        while True:
            fixed = sum(self.columns[i].width for i in shown) + GAP * (len(shown) - 1)
            if width - fixed >= self.min_flexible_width or not droppable:
                break
            shown.remove(droppable.pop(0))
        flexible = max(min(self.min_flexible_width, self.least_flexible_width), width - fixed)
        result = [(i, self.columns[i].width or flexible) for i in shown]
        self._layouts[width] = result
        return result

    def content_width(self) -> int:
        width = self.scrollable_content_region.width
        columns = self.column_layout(width)
        total = sum(size for _, size in columns) + GAP * (len(columns) - 1)
        return total if total > width else 0

    # Rendering --------------------------------------------------------------

    def clear_cache(self) -> None:
        super().clear_cache()
        self._header_cache.clear()

    def header_strip(self, width: int) -> Strip:
        state = self.sort_state()
        key = (width, (state, self.has_focus))
        cached = self._header_cache.get(key)
        if cached is not None:
            return cached
        sort, reverse = state
        plain = self.get_component_rich_style("row-table--header")
        marked = self.get_component_rich_style("row-table--sorted")
        segments: list[Segment] = []
        for index, cell_width in self.column_layout(width):
            column = self.columns[index]
            title = column.title
            style = plain
            if sort is not None and column.sort is sort:
                title = f"{title}{'▲' if reverse else '▼'}"
                style = marked
            if segments:
                segments.append(Segment(" " * GAP, plain))
            meta = Style.from_meta({"column": index})
            segments.append(Segment(fit(title, cell_width, column.align), style + meta))
        strip = Strip(segments).extend_cell_length(width, plain)
        self._header_cache.set(key, strip)
        return strip

    def row_strip(self, row: int, width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        if is_cursor:
            base = base + self.get_component_rich_style(CURSOR_COMPONENT)
        elif self.row_is_dim(row):
            base = base + self.get_component_rich_style("row-table--dim")
        meta = Style.from_meta({"row": row})
        style = base + meta
        segments: list[Segment] = []
        cells = self.cells(row)
        for index, cell_width in self.column_layout(width):
            if segments:
                segments.append(Segment(" " * GAP, style))
            column = self.columns[index]
            text = fit_label(cells[index], cell_width) if column.label else cells[index]
            segments.append(Segment(fit(text, cell_width, column.align), style))
        return Strip(segments).extend_cell_length(width, style)

    def column_clicked(self, column: int) -> None:
        sort = self.columns[column].sort
        if sort is not None:
            self.post_message(self.HeaderClicked(self, sort))
