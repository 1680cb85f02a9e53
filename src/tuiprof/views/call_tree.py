"""The call tree: from the roots down, opened on demand, one row per node.

A Line-API ``ScrollView`` over :class:`~tuiprof.model.calltree.TreeRows`:
only the rows on screen are rendered. Textual's ``Tree`` builds its lines
with a recursive function and would fail on a call chain thousands of
functions deep; here the rows are a flat list and every walk is a loop.
"""

from __future__ import annotations

from typing import ClassVar

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

from tuiprof.model.calltree import CallTree, TreeNode, TreeRows
from tuiprof.model.format import format_percent, format_time
from tuiprof.model.profile import Profile
from tuiprof.views.counts import count_widths

MAX_INDENT = 16
"""Levels indented; deeper rows show their depth as a number instead."""

FIGURE_COLUMNS = (("tottime", 10), ("cumtime", 10), ("%total", 8))
"""Title and cells (with one of space on the right) of each figure after the calls."""
ESTIMATE = "~"
RECURSION = "↻"


def format_tree_calls(calls: float, estimated: bool) -> str:
    """A node's calls: a whole number, or ``~`` and a rounded estimate."""
    if calls < 0:
        return "?"
    if not estimated:
        return str(int(calls))
    text = str(round(calls)) if calls >= 1 or calls == 0 else f"{calls:.2f}"
    return ESTIMATE + text


def node_cells(profile: Profile, node: TreeNode) -> tuple[str, str, str, str]:
    """The figure columns of a node: calls, tottime, cumtime, % of the total."""
    mark = ESTIMATE if node.estimated else ""
    if not node.timed:
        return format_tree_calls(node.ncalls, node.estimated), "-", "-", "-"
    return (
        format_tree_calls(node.ncalls, node.estimated),
        mark + format_time(node.tottime),
        mark + format_time(node.cumtime),
        mark + format_percent(node.cumtime, profile.total_time),
    )


class CallTreeView(ScrollView, can_focus=True):
    """The call tree of a profile, one row per node, opened on demand.

    Figures one level below a function are the edge's own; deeper ones are
    estimates (pstats keeps only caller→callee totals) and read ``~``.
    A callee already on the path (recursion, a cycle) is marked ``↻`` and
    never opened.

    | Key | Does |
    | :- | :- |
    | up / down | Move the cursor one row. |
    | pageup / pagedown | Move the cursor one screen. |
    | home / end | First / last row. |
    | right | Open the node; on an open node, go to its first child. |
    | left | Close the node; on a closed node, go to its parent. |
    | space | Open or close the node. |
    | h | Open the hot path: the largest child by cumtime, down to a leaf. |
    | enter | Go to the function under the cursor. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="tree.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="tree.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="tree.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="tree.page_down"),
        Binding("home", "first_row", "First", show=False, id="tree.first_row"),
        Binding("end", "last_row", "Last", show=False, id="tree.last_row"),
        Binding("right", "expand", "Open", id="tree.expand"),
        Binding("left", "collapse", "Close", id="tree.collapse"),
        Binding("space", "toggle_node", "Open/close", show=False, id="tree.toggle"),
        Binding("h", "hot_path", "Hot path", id="tree.hot_path"),
        Binding("enter", "choose", "Go to", id="tree.choose"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "call-tree--header",
        "call-tree--cursor",
        "call-tree--recursive",
        "call-tree--estimated",
        "call-tree--empty",
    }

    DEFAULT_CSS = """
    CallTreeView {
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    CallTreeView > .call-tree--header { text-style: bold; background: $panel; }
    CallTreeView > .call-tree--cursor { background: $panel-lighten-2; }
    CallTreeView:focus > .call-tree--cursor { background: $accent; color: $text; text-style: bold; }
    CallTreeView > .call-tree--recursive { color: $warning; }
    CallTreeView > .call-tree--estimated { color: $text-muted; }
    CallTreeView > .call-tree--empty { color: $warning; text-style: italic; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the row under the cursor."""

    class FunctionChosen(Message):
        """The user chose the function under the cursor (``enter``)."""

        def __init__(self, fid: int) -> None:
            super().__init__()
            self.fid = fid

    def __init__(
        self,
        profile: Profile,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.profile = profile
        self.call_tree = CallTree(profile)
        self.rows = TreeRows(self.call_tree)
        # Estimated calls read "~" and a number; one more cell keeps columns apart.
        calls = max(8, count_widths(profile).ncalls + 1) + 1
        self.columns = (("calls", calls), *FIGURE_COLUMNS)
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)

    # State ------------------------------------------------------------------

    @property
    def cursor_node(self) -> TreeNode | None:
        """The node under the cursor, if there are any rows."""
        if 0 <= self.cursor_row < len(self.rows):
            return self.rows.rows[self.cursor_row]
        return None

    def rows_changed(self) -> None:
        """The rows are different now: forget rendered strips and re-measure."""
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) + 1)
        self.refresh()

    def on_mount(self) -> None:
        self.rows_changed()

    def on_resize(self, event: events.Resize) -> None:
        self.rows_changed()
        self.call_after_refresh(self.scroll_cursor_into_view)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    # Rendering --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header_strip(width)
        row = scroll_y + y - 1
        if not len(self.rows) and y == 1:
            style = self.get_component_rich_style("call-tree--empty")
            return Strip([Segment(_fit(" no calls recorded", width), style)])
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        return self._row_strip(row, width)

    def _header_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("call-tree--header")
        figures = "".join(_fit_right(title, size) for title, size in self.columns)
        left = _fit(" function", max(0, width - cell_len(figures)))
        return Strip([Segment(left + figures, style)]).crop_extend(0, width, style)

    def _row_strip(self, row: int, width: int) -> Strip:
        is_cursor = row == self.cursor_row
        key = (row, width, is_cursor, is_cursor and self.has_focus)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        node = self.rows.rows[row]
        base = self.rich_style + Style.from_meta({"row": row})
        if is_cursor:
            base = base + self.get_component_rich_style("call-tree--cursor")
        figure_style = base
        if node.estimated and not is_cursor:
            figure_style = base + self.get_component_rich_style("call-tree--estimated")
        cells = node_cells(self.profile, node)
        figures = "".join(
            _fit_right(text, size) for text, (_, size) in zip(cells, self.columns, strict=True)
        )
        left_width = max(0, width - cell_len(figures))
        indent, opener = self._tree_prefix(node)
        label = self.profile.label(node.fid)
        segments = [Segment(indent, base)]
        if node.recursive:
            marker_style = base
            if not is_cursor:
                marker_style = base + self.get_component_rich_style("call-tree--recursive")
            segments.append(Segment(f"{RECURSION} ", marker_style))
        else:
            segments.append(Segment(opener, base))
        used = cell_len(indent) + 2
        segments.append(Segment(_fit(label, max(0, left_width - used)), base))
        segments.append(Segment(figures, figure_style))
        strip = Strip(segments).crop_extend(0, width, base)
        self._cache.set(key, strip)
        return strip

    def _tree_prefix(self, node: TreeNode) -> tuple[str, str]:
        depth = node.depth
        indent = " " + "  " * min(depth, MAX_INDENT)
        if depth > MAX_INDENT:
            indent += f"{depth}·"
        if self.rows.is_expanded(node):
            return indent, "▾ "
        if self.call_tree.has_children(node):
            return indent, "▸ "
        return indent, "  "

    # Cursor -----------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._cache.clear()
        self.refresh()
        self.scroll_cursor_into_view()

    def move_cursor(self, row: int) -> None:
        if len(self.rows):
            self.cursor_row = max(0, min(len(self.rows) - 1, row))

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
        self.move_cursor(len(self.rows) - 1)

    # Opening and closing ----------------------------------------------------

    def action_expand(self) -> None:
        """Open the node; on an open node, go to its first child."""
        node = self.cursor_node
        if node is None:
            return
        if self.rows.is_expanded(node):
            if self.rows.subtree_end(self.cursor_row) > self.cursor_row + 1:
                self.move_cursor(self.cursor_row + 1)
        elif self.rows.expand(self.cursor_row):
            self.rows_changed()

    def action_collapse(self) -> None:
        """Close the node; on a closed node, go to its parent."""
        node = self.cursor_node
        if node is None:
            return
        if self.rows.collapse(self.cursor_row):
            self.rows_changed()
        else:
            parent = self.rows.parent_index(self.cursor_row)
            if parent >= 0:
                self.move_cursor(parent)

    def action_toggle_node(self) -> None:
        """Open a closed node, close an open one."""
        node = self.cursor_node
        if node is None:
            return
        changed = (
            self.rows.collapse(self.cursor_row)
            if self.rows.is_expanded(node)
            else self.rows.expand(self.cursor_row)
        )
        if changed:
            self.rows_changed()

    def action_hot_path(self) -> None:
        """Open the hot path from the cursor node and put the cursor on its end."""
        node = self.cursor_node
        if node is None:
            return
        last = self.rows.open_path(self.cursor_row, self.call_tree.hot_path(node))
        self.rows_changed()
        self.move_cursor(last)

    def action_choose(self) -> None:
        node = self.cursor_node
        if node is not None:
            self.post_message(self.FunctionChosen(node.fid))

    def reveal(self, fid: int) -> bool:
        """Put the cursor on a row of ``fid``, opening a path down to it if needed.

        The path goes up from ``fid`` through its largest callers to a root.
        Returns False when no such path exists.
        """
        if fid < 0 or fid >= len(self.profile.keys):
            return False
        current = self.cursor_node
        if current is not None and current.fid == fid:
            return True
        row = self.rows.index_of_fid(fid)
        if row < 0:
            row = self._open_path_to(fid)
        if row < 0:
            return False
        self.move_cursor(row)
        return True

    def _open_path_to(self, fid: int) -> int:
        roots = {node.fid: i for i, node in enumerate(self.rows.rows) if node.depth == 0}
        chain = [fid]
        seen = {fid}
        while chain[-1] not in roots:
            callers = [e for e in self.profile.callers(chain[-1]) if e.other not in seen]
            callers = [e for e in callers if e.other >= 0]
            if not callers:
                return -1
            best = max(callers, key=lambda e: e.cumtime)
            chain.append(best.other)
            seen.add(best.other)
        chain.reverse()
        row = roots[chain[0]]
        path = [self.rows.rows[row]]
        for step in chain[1:]:
            kids = self.call_tree.children(path[-1])
            path.append(next(k for k in kids if k.fid == step))
        last = self.rows.open_path(row, path)
        self.rows_changed()
        return last

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "row" in meta:
            row = int(meta["row"])
            if event.chain >= 2 and row == self.cursor_row:
                self.action_choose()
            else:
                self.move_cursor(row)


def _fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else "…"
    return text + " " * (width - length)


def _fit_right(text: str, width: int) -> str:
    length = cell_len(text)
    if length >= width:
        return text[: max(0, width - 1)] + " " if width > 1 else ""
    return " " * (width - length - 1) + text + " "
