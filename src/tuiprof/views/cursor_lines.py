"""Line-API views of many rows: an LRU cache of rendered strips, and a row cursor.

Only the rows on screen are ever turned into strips, and those strips are kept
in an LRU cache (toolong's ``log_lines.py`` does the same), so 300,000 rows
cost what 40 rows cost. :class:`CachedLinesView` is the cache alone (the
source view scrolls, it has no cursor); :class:`CursorLinesView` adds a
header row, a row cursor and its keys (the tables and the call tree).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuiprof.views._textual_hacks import refresh_scrollbars_now

CURSOR_COMPONENT = "cursor-lines--cursor"
"""The component class of the cursor row, the same in every view with a cursor.

Its look under ``NO_COLOR`` and in 16 colours is set once, in ``tuiprof.tcss``.
"""

LineKey = tuple[int, ...]
"""What a cached strip depends on: its row, the width, and whatever else changes it."""


class CachedLinesView(ScrollView):
    """A ``ScrollView`` whose rendered lines live in an LRU cache.

    The cache is emptied whenever what a line looks like may have changed:
    a new style (theme), a new size, or by :meth:`clear_cache`.
    """

    DEFAULT_CSS = """
    CachedLinesView {
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    """

    def __init__(
        self,
        *,
        cache_size: int = 1024,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._line_cache: LRUCache[LineKey, Strip] = LRUCache(cache_size)
        self._handled_size = Size(-1, -1)

    def cached_line(self, key: LineKey, render: Callable[[], Strip]) -> Strip:
        """The strip cached under ``key``, rendered by ``render`` the first time."""
        strip = self._line_cache.get(key)
        if strip is None:
            strip = render()
            self._line_cache.set(key, strip)
        return strip

    def clear_cache(self) -> None:
        """Forget every rendered line."""
        self._line_cache.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.clear_cache()

    def on_resize(self, event: events.Resize) -> None:
        # Textual sends a resize to every widget it shows again (a view
        # switched back to) even at the size it had; nothing changed then.
        if event.size == self._handled_size:
            return
        self._handled_size = event.size
        self.clear_cache()
        self.resized()

    def resized(self) -> None:
        """Called after a resize, the cache already cleared."""


class CursorLinesView(CachedLinesView, can_focus=True):
    """A header row over many rows, one of them under a cursor.

    Subclasses say how many rows there are and render the header and a row;
    the cursor, its actions (their keys are in :mod:`tuiprof.actions`), scrolling to it, clicks
    and the cache of row strips are here.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {CURSOR_COMPONENT}

    DEFAULT_CSS = """
    CursorLinesView > .cursor-lines--cursor { background: $panel-lighten-2; }
    CursorLinesView:focus > .cursor-lines--cursor {
        background: $accent; color: $text; text-style: bold;
    }
    """

    empty_component: ClassVar[str] = ""
    """The component class of the line shown when there are no rows."""

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """Index of the row under the cursor."""

    # What subclasses provide ------------------------------------------------

    def row_count(self) -> int:
        raise NotImplementedError

    def header_strip(self, width: int) -> Strip:
        """The header line, ``width`` cells wide."""
        raise NotImplementedError

    def row_strip(self, row: int, width: int, is_cursor: bool) -> Strip:
        """Row ``row``, ``width`` cells wide (cached by the caller)."""
        raise NotImplementedError

    def empty_message(self) -> str:
        return "nothing to show"

    def content_width(self) -> int:
        """The width of the rows when they are wider than the view (they scroll
        sideways), else 0.

        Rows that fit claim no width of their own: when a vertical scrollbar
        comes or goes, the rows are laid out again for the new width, and no
        horizontal scrollbar flashes up and down meanwhile.
        """
        return 0

    def cursor_moved(self, row: int) -> None:
        """Called when the cursor lands on a row."""

    def row_chosen(self, row: int) -> None:
        """Called on ``enter`` or a double click."""

    def column_clicked(self, column: int) -> None:
        """Called when a header cell marked with ``column`` meta is clicked."""

    # Rows -------------------------------------------------------------------

    def rows_changed(self) -> None:
        """The rows are different now: forget rendered strips and re-measure."""
        self.clear_cache()
        count = self.row_count()
        # A hidden view has no width: keep the last one, so that showing it
        # again at the same size needs no new layout.
        if self.scrollable_content_region.width:
            width = self.content_width()
        else:
            width = self.virtual_size.width
        size = Size(width, count + 1)
        if size != self.virtual_size:
            self.virtual_size = size
            # Show or hide the scrollbars now, in the layout that is coming,
            # rather than in a second one that layout would ask for.
            refresh_scrollbars_now(self)
        if count and self.cursor_row >= count:
            self.cursor_row = count - 1
        elif self.cursor_row < 0:
            self.cursor_row = 0
        self.refresh()

    def resized(self) -> None:
        self.rows_changed()
        self.call_after_refresh(self.scroll_cursor_into_view)

    # Rendering --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        count = self.row_count()
        row = scroll_y + y - 1
        if y == 0:
            strip = self.header_strip(width)
        elif count == 0 and y == 1:
            style = self.get_component_rich_style(self.empty_component)
            strip = Strip([Segment(fit(f" {self.empty_message()}", width), style)])
        elif row >= count:
            return Strip.blank(width, self.rich_style)
        else:
            is_cursor = row == self.cursor_row
            key = (row, width, is_cursor, is_cursor and self.has_focus)
            strip = self.cached_line(key, lambda: self.row_strip(row, width, is_cursor))
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    # Cursor -----------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh_rows(old, new)
        self.scroll_cursor_into_view()
        if 0 <= new < self.row_count():
            self.cursor_moved(new)

    def refresh_rows(self, *rows: int) -> None:
        """Repaint these rows only: a cursor move changes two lines.

        The cache key of a row holds whether the cursor is on it, so nothing
        cached needs forgetting; a scroll that follows repaints what it shows.
        """
        for row in rows:
            self.refresh_line(row + 1)  # the header is line 0

    def move_cursor(self, row: int) -> None:
        """Put the cursor on ``row``, or the nearest row there is."""
        count = self.row_count()
        if count:
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

    # Focus and mouse -----------------------------------------------------------

    def on_focus(self) -> None:
        # The cursor row and the header look different with focus; their
        # cache keys say so, so a repaint is enough.
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "column" in meta:
            self.column_clicked(int(meta["column"]))
        elif "row" in meta:
            row = int(meta["row"])
            if event.chain >= 2 and row == self.cursor_row:
                self.row_chosen(row)
            else:
                self.move_cursor(row)


def fit(text: str, width: int, align: Literal["left", "right"] = "left") -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else "…"
    pad = " " * (width - length)
    return pad + text if align == "right" else text + pad
