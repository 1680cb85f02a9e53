"""The call tree: from the roots down, opened on demand, one row per node.

A Line-API ``ScrollView`` over :class:`~tuiprof.model.tree_rows.TreeRows`:
only the rows on screen are rendered. Textual's ``Tree`` builds its lines
with a recursive function and would fail on a call chain thousands of
functions deep; here the rows are a flat list and every walk is a loop.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.strip import Strip
from textual.widget import Widget

from tuiprof.actions import bindings_for
from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.calltree import TreeNode
from tuiprof.model.format import format_percent, format_time
from tuiprof.model.names import fit_label
from tuiprof.model.profile import Profile
from tuiprof.model.session import Session
from tuiprof.model.tree_paths import heaviest_path
from tuiprof.model.tree_rows import OpenPlan, TreeRows
from tuiprof.views.cursor_lines import CURSOR_COMPONENT, CursorLinesView, fit
from tuiprof.views.steps import run_step

MAX_INDENT = 16
"""Levels indented; deeper rows show their depth as a number instead."""
NAME_KEPT = 20
"""Cells the indent leaves the name: on a narrow screen fewer levels are indented,
and the depth is written as a number sooner."""

FIGURE_COLUMNS = (("tottime", 10), ("cumtime", 10), ("%total", 8))
"""Title and cells (with one of space on the right) of each figure after the calls."""
NAME_ROOM = 24
"""Cells a row keeps for the indent and the name before figures are dropped."""
DROP_ORDER = (1, 3, 0, 2)
"""Figure columns in the order a narrow screen drops them: tottime, %total, calls, cumtime."""
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


class CallTreeView(CursorLinesView):
    """The call tree of a profile, one row per node, opened on demand.

    Roots hold the calls no recorded caller accounts for; figures below a
    node holding its whole function are the edge's own; others are
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

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("tree")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "call-tree--header",
        "call-tree--recursive",
        "call-tree--estimated",
        "call-tree--empty",
    }

    DEFAULT_CSS = """
    CallTreeView > .call-tree--header { text-style: bold; background: $panel; }
    CallTreeView > .call-tree--recursive { color: $warning; }
    CallTreeView > .call-tree--estimated { color: $text-muted; }
    CallTreeView > .call-tree--empty { color: $warning; text-style: italic; }
    """

    empty_component: ClassVar[str] = "call-tree--empty"

    def __init__(
        self,
        session: Session,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.session = session
        self.profile = session.profile
        self.call_tree = session.call_tree
        self.rows = TreeRows(self.call_tree)
        # Estimated calls read "~" and a number; one more cell keeps columns apart.
        calls = max(8, session.count_widths.ncalls + 1) + 1
        self.columns = (("calls", calls), *FIGURE_COLUMNS)

    # State ------------------------------------------------------------------

    @property
    def cursor_node(self) -> TreeNode | None:
        """The node under the cursor, if there are any rows."""
        if 0 <= self.cursor_row < len(self.rows):
            return self.rows.rows[self.cursor_row]
        return None

    def row_count(self) -> int:
        return len(self.rows)

    def empty_message(self) -> str:
        return "no calls recorded"

    def on_mount(self) -> None:
        self.rows_changed()

    # Rendering --------------------------------------------------------------

    def shown_columns(self, width: int) -> list[int]:
        """The figure columns that leave the names :data:`NAME_ROOM` cells at ``width``.

        On a narrow screen figures go before names do: tottime first, then
        the share of the total, then the calls; cumtime stays longest.
        """
        shown = list(range(len(self.columns)))
        for index in DROP_ORDER:
            if width - sum(self.columns[i][1] for i in shown) >= NAME_ROOM:
                break
            shown.remove(index)
        return shown

    def header_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("call-tree--header")
        figures = "".join(_fit_right(*self.columns[index]) for index in self.shown_columns(width))
        left = fit(" function", max(0, width - cell_len(figures)))
        return Strip([Segment(left + figures, style)]).crop_extend(0, width, style)

    def row_strip(self, row: int, width: int, is_cursor: bool) -> Strip:
        node = self.rows.rows[row]
        base = self.rich_style + Style.from_meta({"row": row})
        if is_cursor:
            base = base + self.get_component_rich_style(CURSOR_COMPONENT)
        figure_style = base
        if node.estimated and not is_cursor:
            figure_style = base + self.get_component_rich_style("call-tree--estimated")
        cells = node_cells(self.profile, node)
        figures = "".join(
            _fit_right(cells[index], self.columns[index][1]) for index in self.shown_columns(width)
        )
        left_width = max(0, width - cell_len(figures))
        indent, opener = self._tree_prefix(node, left_width)
        label = self.profile.label(node.fid)
        segments = [Segment(indent, base)]
        if node.recursive:
            marker_style = base
            if not is_cursor:
                marker_style = base + self.get_component_rich_style("call-tree--recursive")
            segments.append(Segment(f"{RECURSION} ", marker_style))
        else:
            segments.append(Segment(opener, base))
        room = max(0, left_width - cell_len(indent) - 2)
        segments.append(Segment(fit(fit_label(label, room), room), base))
        # The figures keep their columns even when the prefix fills the room.
        left = Strip(segments).crop_extend(0, left_width, base)
        return Strip([*left, Segment(figures, figure_style)]).crop_extend(0, width, base)

    def _tree_prefix(self, node: TreeNode, room: int) -> tuple[str, str]:
        """The indent (with the depth as a number when not every level is indented) and
        the opener, leaving the name :data:`NAME_KEPT` of the ``room`` cells."""
        depth = node.depth
        levels = min(MAX_INDENT, max(0, (room - 3 - NAME_KEPT) // 2))
        if depth <= levels:
            indent = " " + "  " * depth
        else:
            number = f"{depth}·"
            levels = min(MAX_INDENT, max(0, (room - 3 - NAME_KEPT - len(number)) // 2))
            indent = " " + "  " * levels + number
        if self.rows.is_expanded(node):
            return indent, "▾ "
        if self.call_tree.has_children(node):
            return indent, "▸ "
        return indent, "  "

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
        """Open the hot path from the cursor node and put the cursor on its end.

        On a long chain this takes a while: it runs as a step (``views.steps``).
        """
        node = self.cursor_node
        if node is None:
            return
        rows, tree, row = self.rows, self.call_tree, self.cursor_row
        run_step(
            self,
            "opening the hot path",
            lambda: rows.plan_open(row, tree.hot_path(node)),
            self._path_opened,
        )

    def _path_opened(self, plan: OpenPlan | int) -> None:
        """Show a path worked out by a step (or the row that shows the function)."""
        if isinstance(plan, int):
            if plan >= 0:
                self.move_cursor(plan)
            return
        last = self.rows.apply(plan)
        self.rows_changed()
        self.move_cursor(last)

    def cursor_moved(self, row: int) -> None:
        # The node under the cursor is the selected function, as in the table and
        # the icicle: `s`, `c` and `g` show it (enter also makes it a history step).
        self.post_message(FunctionHighlighted(self.session, self.rows.rows[row].fid))

    def row_chosen(self, row: int) -> None:
        self.post_message(FunctionChosen(self.session, self.rows.rows[row].fid))

    def reveal(self, fid: int | None) -> bool:
        """Put the cursor on the heaviest node of ``fid``, opening the path down to it.

        The path is :func:`~tuiprof.model.tree_paths.heaviest_path`'s; when no
        root leads to ``fid`` (a cycle no call entered), the cursor goes to a
        row that shows it, if any. A long path is opened as a step
        (``views.steps``). Returns False when ``fid`` is not a function of the
        profile.
        """
        if fid is None or not self.session.holds(fid):
            return False
        current = self.cursor_node
        if current is not None and current.fid == fid:
            return True
        run_step(
            self,
            "opening the path to the function",
            lambda: self._plan_reveal(fid),
            self._path_opened,
        )
        return True

    def _plan_reveal(self, fid: int) -> OpenPlan | int:
        """The plan that opens the path to ``fid``, or a row showing it (-1: none); in a thread."""
        fids = heaviest_path(self.profile, fid)
        rows = self.rows
        if fids is None:
            return rows.index_of_fid(fid)
        path = self.call_tree.follow(fids)
        return rows.plan_open(rows.rows.index(path[0]), path)

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        self.reveal(fid)

    def focus_target(self) -> Widget | None:
        return self

    def percent_changed(self) -> None:
        """The tree shows times and their share of the total side by side."""

    def call_graph_ready(self) -> None:
        """The tree is built only once the call graph is ready."""


def _fit_right(text: str, width: int) -> str:
    length = cell_len(text)
    if length >= width:
        return text[: max(0, width - 1)] + " " if width > 1 else ""
    return " " * (width - length - 1) + text + " "
