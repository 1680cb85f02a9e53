"""The icicle of the call tree: one row per depth, each block as wide as its time.

A Line-API ``ScrollView`` over :class:`~tuiprof.model.icicle.IcicleLayout`:
only the rows on screen are laid out and rendered, and rendered rows live in
an LRU cache (a cursor move repaints two rows). Under it, a status line names
the block under the cursor and gives its figures.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.actions import SkipAction
from textual.binding import BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tuiprof.actions import bindings_for
from tuiprof.messages import FunctionHighlighted
from tuiprof.model.calltree import TreeNode
from tuiprof.model.icicle import Block, DeltaOf, IcicleLayout
from tuiprof.model.icicle_nav import heaviest_occurrence, zoom_out_tops
from tuiprof.model.session import Session
from tuiprof.views._textual_hacks import refresh_scrollbars_now
from tuiprof.views.cursor_lines import CachedLinesView
from tuiprof.views.icicle_paint import BlockPainter, Palette
from tuiprof.views.icicle_status import IcicleStatus


class IcicleChart(CachedLinesView, can_focus=True):
    """The blocks of the icicle, under a block cursor.

    | Key | Does |
    | :- | :- |
    | up / down | The parent / the first (largest) child. |
    | left / right | The previous / next block in the row (siblings first). |
    | home | The zoom root. |
    | enter | Zoom in: the block becomes the full width. |
    | backspace / escape | Zoom out one level. |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("icicle")

    DEFAULT_CSS = """
    IcicleChart { height: 1fr; scrollbar-gutter: stable; }
    """

    palette: reactive[str] = reactive("auto", init=False)
    """``auto`` (from the terminal), or one of ``256``, ``16``, ``mono``."""

    class BlockHighlighted(Message):
        """The cursor moved to another block."""

        def __init__(self, chart: IcicleChart, block: Block | None) -> None:
            super().__init__()
            self.chart = chart
            self.block = block

        @property
        def control(self) -> IcicleChart:
            return self.chart

    def __init__(
        self,
        session: Session,
        *,
        delta: DeltaOf | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.session = session
        self.profile = session.profile
        self.call_tree = session.call_tree
        self.delta = delta
        self.tops: tuple[TreeNode, ...] = tuple(self.call_tree.roots())
        self.icicle: IcicleLayout | None = None
        self.cursor: Block | None = None
        self._want: TreeNode | None = None
        """The node to put the cursor on when the layout is next built."""
        self._groups: dict[int, str] = {}
        self._generation = 0
        self._last_width = 0

    # Layout -----------------------------------------------------------------

    def _width(self) -> int:
        # A hidden chart has no width: keep the last one, so that showing it
        # again at the same size needs no new layout.
        width = self.scrollable_content_region.width
        if width > 0:
            self._last_width = width
        return width or self._last_width

    def relayout(self) -> None:
        """Lay the blocks out again for the current zoom and width."""
        width = self._width()
        want = self.cursor.node if self.cursor is not None else self._want
        self._generation += 1
        self.clear_cache()
        if width <= 0:
            self.icicle = None
            return
        self.icicle = IcicleLayout(self.call_tree, self.tops, width, self.delta)
        block = self.icicle.find(want) if want is not None else None
        self._want = None
        self._set_cursor(block or next(iter(self.icicle.row(0)), None), force=True)
        self._sync_height()
        self.refresh()

    def _sync_height(self) -> None:
        """Build the rows down to the bottom of the screen, and size the scroll area."""
        layout = self.icicle
        if layout is None:
            return
        bottom = int(self.scroll_y) + max(1, self.scrollable_content_region.height)
        layout.ensure(bottom)
        rows = layout.rows_built + (0 if layout.complete else 1)
        size = Size(0, rows)
        if size != self.virtual_size:
            self.virtual_size = size
            refresh_scrollbars_now(self)

    def resized(self) -> None:
        self.relayout()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._sync_height()

    def watch_palette(self) -> None:
        self.clear_cache()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._generation += 1

    def on_mount(self) -> None:
        self.relayout()

    # Zoom -------------------------------------------------------------------

    @property
    def zoom_total(self) -> float:
        """The cumtime of what spans the full width: the zoom root, or every root."""
        return sum(max(0.0, n.cumtime) for n in self.tops)

    def zoom(self, tops: tuple[TreeNode, ...], cursor: TreeNode | None = None) -> None:
        """Make ``tops`` the top row, with the cursor on ``cursor`` (or the first top)."""
        self.tops = tops
        self.cursor = None
        self._want = cursor
        if self.is_mounted:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.relayout()

    def show_function(self, fid: int | None) -> bool:
        """Zoom on ``fid``'s heaviest occurrence (unless the cursor is on it already)."""
        if fid is None or not self.session.holds(fid):
            return False
        if self.cursor is not None and self.cursor.fid == fid:
            return True
        if self.cursor is None and self._want is not None and self._want.fid == fid:
            return True  # asked for already, laid out when the chart has a size
        node = heaviest_occurrence(self.call_tree, fid)
        if node is None:
            return False
        roots = tuple(self.call_tree.roots())
        if any(node is root for root in roots):
            self.zoom(roots, node)
        else:
            self.zoom((node,), node)
        return True

    def action_zoom_in(self) -> None:
        block = self.cursor
        if block is None or self.icicle is None:
            return
        if block.node is None:  # "…": its parent, full width, has room for them
            parent = self.icicle.parent(block)
            node = parent.node if parent is not None else None
        else:
            node = block.node
        if node is not None and (len(self.tops) != 1 or node is not self.tops[0]):
            self.zoom((node,), node)

    def action_zoom_out(self) -> None:
        tops = zoom_out_tops(self.call_tree, self.tops)
        if tops is None:
            raise SkipAction()  # at the top: the key does what it does elsewhere
        self.zoom(tops, self.tops[0])

    # Cursor -----------------------------------------------------------------

    def _set_cursor(self, block: Block | None, force: bool = False) -> None:
        old = self.cursor
        if block is None or (block is old and not force):
            return
        self.cursor = block
        if old is not None and old.row != block.row:
            self.refresh_line(old.row)
        self.refresh_line(block.row)
        self.scroll_to_block(block)
        self.post_message(self.BlockHighlighted(self, block))
        if block.node is not None:
            self.post_message(FunctionHighlighted(self.session, block.fid))

    def scroll_to_block(self, block: Block) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if block.row < top:
            self.scroll_to(y=block.row, animate=False, immediate=True)
        elif block.row >= top + height:
            self.scroll_to(y=block.row - height + 1, animate=False, immediate=True)

    def _move(self, find: str) -> None:
        layout, block = self.icicle, self.cursor
        if layout is None or block is None:
            return
        target: Block | None = getattr(layout, find)(block)
        if target is not None:
            if target.row >= layout.rows_built - 1:
                layout.ensure(target.row + 1)
            self._set_cursor(target)
            self._sync_height()

    def action_parent(self) -> None:
        self._move("parent")

    def action_first_child(self) -> None:
        self._move("first_child")

    def action_previous(self) -> None:
        self._move("previous")

    def action_next(self) -> None:
        self._move("next")

    def action_zoom_root(self) -> None:
        if self.icicle is not None:
            self._set_cursor(next(iter(self.icicle.row(0)), None))

    def on_click(self, event: events.Click) -> None:
        if self.icicle is None:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        block = self.icicle.block_at(int(self.scroll_y) + offset.y, offset.x)
        if block is not None:
            if event.chain >= 2 and block is self.cursor:
                self.action_zoom_in()
            else:
                self._set_cursor(block)

    def on_focus(self) -> None:
        self.clear_cache()
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    # Rendering --------------------------------------------------------------

    @property
    def effective_palette(self) -> Palette:
        """The palette in use: the one asked for, or what the terminal can show."""
        if self.palette in ("256", "16", "mono"):
            return self.palette  # type: ignore[return-value]
        if getattr(self.app, "no_color", False):
            return "mono"
        if self.app.console.color_system in ("standard", "windows"):
            return "16"
        return "256"

    def render_line(self, y: int) -> Strip:
        layout = self.icicle
        if layout is None:
            return Strip.blank(self.size.width, self.rich_style)
        width = layout.width
        depth = int(self.scroll_y) + y
        blocks = layout.row(depth)
        if not blocks:
            return Strip.blank(width, self.rich_style)
        cursor = self.cursor
        at = cursor.index if cursor is not None and cursor.row == depth else -1
        focused = self.has_focus
        key = (depth, width, at, focused, self._generation)

        def render() -> Strip:
            painter = BlockPainter(
                self.profile, self.effective_palette, self.rich_style, self._groups
            )
            segments = painter.row(blocks, width, at, focused, layout.total)
            return Strip(segments).crop_extend(0, width, self.rich_style)

        return self.cached_line(key, render)


class IcicleView(Vertical):
    """The icicle and its status line."""

    DEFAULT_CSS = """
    IcicleView { height: 1fr; }
    """

    def __init__(
        self,
        session: Session,
        *,
        delta: DeltaOf | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        chart = IcicleChart(session, delta=delta, id="icicle-chart")
        # Children given here are in the DOM as soon as the view is mounted, so
        # the chart can take the focus (and keys typed ahead) at once.
        super().__init__(chart, IcicleStatus(id="icicle-status"), name=name, id=id, classes=classes)
        self.session = session
        self.chart = chart
        """The blocks."""

    def on_icicle_chart_block_highlighted(self, event: IcicleChart.BlockHighlighted) -> None:
        event.stop()
        self.query_one(IcicleStatus).show(event.chart, event.block)

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        """Zoom on the selected function's heaviest node (no function: stay)."""
        self.chart.show_function(fid)

    def focus_target(self) -> Widget | None:
        return self.chart

    def percent_changed(self) -> None:
        """The status line gives times and both shares side by side."""

    def call_graph_ready(self) -> None:
        """The icicle is built only once the call graph is ready."""
