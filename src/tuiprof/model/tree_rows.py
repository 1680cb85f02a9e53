"""The rows a call tree view shows, and opening a path in them.

Pure bookkeeping over :class:`~tuiprof.model.calltree.CallTree`: expanding,
collapsing and opening a path are tested without a screen. Opening a long
path is worked out (:meth:`TreeRows.plan_open`, which only reads the rows and
may run in a thread) apart from being applied (:meth:`TreeRows.apply`, one
list insertion).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.collector import collector_paused


@dataclass(frozen=True, slots=True, eq=False)
class OpenPlan:
    """What opening a path adds to the rows: worked out in one pass, applied in another.

    Working it out builds the nodes and may take long (a chain 100,000 deep);
    it only reads the rows, so it can run in a thread while they are shown.
    Applying it is one list insertion.
    """

    version: int
    """The rows' :attr:`TreeRows.version` it was worked out from."""
    index: int
    """The row the path starts at."""
    path: Sequence[TreeNode]
    row: int
    """The row below which ``segment`` goes (the first closed node of the path)."""
    segment: list[TreeNode]
    opened: list[TreeNode]
    """The nodes the segment opens."""
    last: int
    """The row of the path's last node once applied."""


class TreeRows:
    """The rows a tree view shows: the roots and every opened node's children, in order.

    Pure bookkeeping over :class:`CallTree`, so that expanding, collapsing and
    opening a path can be tested without a screen.
    """

    def __init__(self, tree: CallTree) -> None:
        self.tree = tree
        self.rows: list[TreeNode] = list(tree.roots())
        self._expanded: set[int] = set()
        self.version = 0
        """Counts the changes to the rows: an :class:`OpenPlan` of an older one is stale."""

    def __len__(self) -> int:
        return len(self.rows)

    def is_expanded(self, node: TreeNode) -> bool:
        return id(node) in self._expanded

    def expand(self, index: int) -> bool:
        """Open the node at this row; False when it has nothing to open or is open."""
        node = self.rows[index]
        if self.is_expanded(node) or not self.tree.has_children(node):
            return False
        kids = self.tree.children(node)
        self.rows[index + 1 : index + 1] = kids
        self._expanded.add(id(node))
        self.version += 1
        return True

    def collapse(self, index: int) -> bool:
        """Close the node at this row (its open descendants close too)."""
        node = self.rows[index]
        if not self.is_expanded(node):
            return False
        end = self.subtree_end(index)
        for below in self.rows[index + 1 : end]:
            self._expanded.discard(id(below))
        del self.rows[index + 1 : end]
        self._expanded.discard(id(node))
        self.version += 1
        return True

    def subtree_end(self, index: int) -> int:
        """The row just past the node's shown descendants."""
        depth = self.rows[index].depth
        rows = self.rows
        end = index + 1
        while end < len(rows) and rows[end].depth > depth:
            end += 1
        return end

    def parent_index(self, index: int) -> int:
        """The row of the node's parent, or -1 for a root."""
        depth = self.rows[index].depth
        rows = self.rows
        i = index - 1
        while i >= 0 and rows[i].depth >= depth:
            i -= 1
        return i

    def open_path(self, index: int, path: Sequence[TreeNode]) -> int:
        """Expand every node of ``path`` (which starts at row ``index``); returns the last row.

        Closed parts are built in one pass and inserted with one slice
        assignment, so a 100,000-step path costs one list insertion.
        """
        return self.apply(self.plan_open(index, path))

    def plan_open(self, index: int, path: Sequence[TreeNode]) -> OpenPlan:
        """What :meth:`open_path` would do, without doing it: only reads the rows."""
        version = self.version
        row = index
        step = 0
        # Walk the part that is already open, finding each next node among the rows.
        while step < len(path) - 1 and self.is_expanded(path[step]):
            target = path[step + 1]
            end = self.subtree_end(row)
            row = _find(self.rows, target, row + 1, end)
            step += 1
        segment: list[TreeNode] = []
        opened: list[TreeNode] = []
        suffixes: list[list[TreeNode]] = []
        children = self.tree.children
        # Everything from here down is closed: build its rows at once.
        with collector_paused():
            for node, nxt in pairwise(path[step:]):
                kids = children(node)
                opened.append(node)
                if len(kids) == 1 and kids[0] is nxt:  # a chain: one child a node
                    segment.append(nxt)
                    continue
                cut = _position(kids, nxt)
                segment.extend(kids[: cut + 1])
                if cut + 1 < len(kids):
                    suffixes.append(kids[cut + 1 :])
            last = row + len(segment)
            for suffix in reversed(suffixes):
                segment.extend(suffix)
        return OpenPlan(version, index, path, row, segment, opened, last)

    def apply(self, plan: OpenPlan) -> int:
        """Open what ``plan`` says; returns the row of the path's last node.

        A plan made from rows that changed since is worked out again.
        """
        if plan.version != self.version and plan.path:
            plan = self.plan_open(self.rows.index(plan.path[0]), plan.path)
        if plan.segment:
            self._expanded.update(id(node) for node in plan.opened)
            self.rows[plan.row + 1 : plan.row + 1] = plan.segment
            self.version += 1
        return plan.last

    def index_of_fid(self, fid: int, start: int = 0) -> int:
        """The first row at or after ``start`` showing function ``fid``, or -1."""
        for i in range(start, len(self.rows)):
            if self.rows[i].fid == fid:
                return i
        return -1


def _find(rows: list[TreeNode], target: TreeNode, start: int, end: int) -> int:
    for i in range(start, end):
        if rows[i] is target:
            return i
    raise ValueError("node not among the rows")


def _position(kids: Iterable[TreeNode], target: TreeNode) -> int:
    for i, kid in enumerate(kids):
        if kid is target:
            return i
    raise ValueError("node is not a child of the previous path node")
