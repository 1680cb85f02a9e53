"""A Line-API table of many rows: a fixed header, a row cursor, sortable columns.

Only the rows on screen are ever turned into strips, and those strips are kept
in an LRU cache (toolong's ``log_lines.py`` does the same), so a table of
300,000 functions costs what 40 rows cost. Subclasses say how many rows there
are and what text each cell holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuiprof.model.table import SortKey

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


class RowTable(ScrollView, can_focus=True):
    """A scrolling table with a header row and a row cursor.

    | Key | Does |
    | :- | :- |
    | up / down | Move the cursor one row. |
    | pageup / pagedown | Move the cursor one screen. |
    | home / end | First / last row. |
    | enter | Choose the function under the cursor. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("home", "first_row", "First", show=False, id="first_row"),
        Binding("end", "last_row", "Last", show=False, id="last_row"),
        Binding("enter", "choose", "Go to", id="choose"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--sorted",
        "row-table--cursor",
        "row-table--dim",
        "row-table--empty",
    }

    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--sorted { text-style: bold underline; background: $panel; }
    RowTable > .row-table--cursor { background: $panel-lighten-2; }
    RowTable:focus > .row-table--cursor { background: $accent; color: $text; text-style: bold; }
    RowTable > .row-table--dim { color: $text-muted; }
    RowTable > .row-table--empty { color: $warning; text-style: italic; }
    """

    columns: tuple[Column, ...] = ()
    """Set by each subclass, per instance: count columns are as wide as the profile needs."""
    min_flexible_width: ClassVar[int] = 16

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the row under the cursor."""

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
        self._line_cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self._header_cache: LRUCache[tuple[int, object], Strip] = LRUCache(8)
        self._layouts: dict[int, list[tuple[int, int]]] = {}

    # What subclasses provide ------------------------------------------------

    def row_count(self) -> int:
        raise NotImplementedError

    def cells(self, row: int) -> Sequence[str]:
        """The text of each column of ``row``."""
        raise NotImplementedError

    def row_is_dim(self, row: int) -> bool:
        return False

    def sort_state(self) -> tuple[SortKey | None, bool]:
        """The column sorted on and whether the order is reversed (for the header mark)."""
        return None, False

    def empty_message(self) -> str:
        return "nothing to show"

    def cursor_moved(self, row: int) -> None:
        """Called when the cursor lands on a row."""

    def row_chosen(self, row: int) -> None:
        """Called on ``enter`` or a double click."""

    # Layout -----------------------------------------------------------------

    def column_layout(self, width: int) -> list[tuple[int, int]]:
        """(column index, cells) of the columns shown at ``width``, left to right.

        Optional columns are dropped, highest ``drop`` first, until the flexible
        column gets its minimum width.
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
        flexible = max(self.min_flexible_width, width - fixed)
        result = [(i, self.columns[i].width or flexible) for i in shown]
        self._layouts[width] = result
        return result

    def _content_width(self) -> int:
        columns = self.column_layout(self.scrollable_content_region.width)
        return sum(size for _, size in columns) + GAP * (len(columns) - 1)

    def rows_changed(self) -> None:
        """The rows are different now: forget rendered strips and re-measure."""
        self._line_cache.clear()
        self._header_cache.clear()
        count = self.row_count()
        self.virtual_size = Size(self._content_width(), count + 1)
        if count and self.cursor_row >= count:
            self.cursor_row = count - 1
        elif self.cursor_row < 0:
            self.cursor_row = 0
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._line_cache.clear()
        self._header_cache.clear()
        self.virtual_size = Size(self._content_width(), self.row_count() + 1)
        self.call_after_refresh(self.scroll_cursor_into_view)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._header_cache.clear()

    # Rendering --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._header_strip(width)
        else:
            row = scroll_y + y - 1
            if self.row_count() == 0 and y == 1:
                strip = self._message_strip(width)
            elif row >= self.row_count():
                return Strip.blank(width, self.rich_style)
            else:
                strip = self._row_strip(row, width)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _header_strip(self, width: int) -> Strip:
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
            segments.append(Segment(_fit(title, cell_width, column.align), style + meta))
        strip = Strip(segments).extend_cell_length(width, plain)
        self._header_cache.set(key, strip)
        return strip

    def _message_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("row-table--empty")
        text = f" {self.empty_message()}"
        return Strip([Segment(_fit(text, width, "left"), style)])

    def _row_strip(self, row: int, width: int) -> Strip:
        is_cursor = row == self.cursor_row
        key = (row, width, is_cursor, is_cursor and self.has_focus)
        cached = self._line_cache.get(key)
        if cached is not None:
            return cached
        base = self.rich_style
        if is_cursor:
            base = base + self.get_component_rich_style("row-table--cursor")
        elif self.row_is_dim(row):
            base = base + self.get_component_rich_style("row-table--dim")
        meta = Style.from_meta({"row": row})
        style = base + meta
        segments: list[Segment] = []
        cells = self.cells(row)
        for index, cell_width in self.column_layout(width):
            if segments:
                segments.append(Segment(" " * GAP, style))
            align = self.columns[index].align
            segments.append(Segment(_fit(cells[index], cell_width, align), style))
        strip = Strip(segments).extend_cell_length(width, style)
        self._line_cache.set(key, strip)
        return strip

    # Cursor -----------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._line_cache.clear()
        self.refresh()
        self.scroll_cursor_into_view()
        if 0 <= new < self.row_count():
            self.cursor_moved(new)

    def move_cursor(self, row: int) -> None:
        count = self.row_count()
        if count == 0:
            return
        self.cursor_row = max(0, min(count - 1, row))

    def scroll_cursor_into_view(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._page())

    def action_first_row(self) -> None:
        self.move_cursor(0)

    def action_last_row(self) -> None:
        self.move_cursor(self.row_count() - 1)

    def action_choose(self) -> None:
        if 0 <= self.cursor_row < self.row_count():
            self.row_chosen(self.cursor_row)

    def on_focus(self) -> None:
        self._line_cache.clear()
        self._header_cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "column" in meta:
            sort = self.columns[meta["column"]].sort
            if sort is not None:
                self.post_message(self.HeaderClicked(self, sort))
        elif "row" in meta:
            row = int(meta["row"])
            if event.chain >= 2 and row == self.cursor_row:
                self.row_chosen(row)
            else:
                self.move_cursor(row)


def _fit(text: str, width: int, align: Literal["left", "right"]) -> str:
    """``text`` cut or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else "…"
    pad = " " * (width - length)
    return pad + text if align == "right" else text + pad
