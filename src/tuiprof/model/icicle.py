"""The icicle of the call tree: rows of blocks, each as wide as its share of time.

Row 0 holds the zoom root (or the tree's roots, side by side) across the full
width; each row below splits every block's width among its children in
proportion to their cumulative time, largest first, and the part the children
leave is the block's own time (drawn as empty space on its right). Widths are
whole columns that add up exactly to the parent's, by largest remainder.
Children narrower than one column are merged into one ``…`` block per parent.
A recursive child (its function is already on the path) is drawn once,
marked, and never expanded; estimated nodes keep their ``estimated`` flag.
In a differential icicle each block also carries its :class:`Change`: its
cumtime in the run drawn and along the same call path in the other run.

Rows are built on demand, one at a time, only as deep as asked and only as
wide as the screen: a row never holds more blocks than it has columns. Every
walk is a loop: a call chain can be 100,000 functions long.
"""

from __future__ import annotations

import math
import sys
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.collector import collector_paused
from tuiprof.model.diff import percent_change
from tuiprof.model.icicle_nav import OnPath, children_on_path
from tuiprof.model.names import FunctionKey, is_builtin, is_import_system, is_stdlib


@dataclass(frozen=True, slots=True)
class Change:
    """A block's cumtime in two runs, for a differential icicle (the run drawn is the after one)."""

    before: float | None
    """The same call path's cumtime in the before run; None where the path was not there."""
    after: float
    """The block's own cumtime."""
    estimated: bool = False
    """Either figure is an estimate (scaled from edge totals), so the change is too."""

    @property
    def delta(self) -> float:
        """After minus before (seconds, + slower); a path new in the after run counts all."""
        return self.after - (self.before or 0.0)

    @property
    def percent(self) -> float:
        """The change in percent of the before figure (+inf for a new path)."""
        return percent_change(self.before or 0.0, self.after)


def sum_changes(changes: Sequence[Change | None]) -> Change | None:
    """The change of several blocks together (a ``…`` block); None when none has one."""
    known = [c for c in changes if c is not None]
    if not known:
        return None
    befores = [c.before for c in known if c.before is not None]
    return Change(
        sum(befores) if befores else None,
        sum(c.after for c in known),
        any(c.estimated for c in known),
    )


DeltaOf = Callable[[TreeNode], Change | None]
"""Gives a node's :class:`Change` for a differential icicle, or None."""


@dataclass(frozen=True, slots=True, eq=False)
class Block:
    """One block of the icicle: a tree node, or the ``…`` of a parent's narrow children."""

    node: TreeNode | None
    """The node drawn; None for a ``…`` block."""
    row: int
    """The row, 0 at the top (the zoom root)."""
    index: int
    """The position in its row, left to right."""
    parent_index: int
    """The position of its parent block in the row above; -1 in row 0."""
    x: int
    width: int
    cumtime: float
    """The node's cumtime, or the sum of the merged nodes'."""
    estimated: bool
    """The figures are scaled from edge totals (any of the merged ones, for ``…``)."""
    merged: int = 0
    """How many narrow children a ``…`` block stands for (0 for a node's block)."""
    delta: Change | None = None
    """The node's change (the merged nodes' together), when the icicle shows a diff."""

    @property
    def recursive(self) -> bool:
        """The node's function is already on the path above: drawn once, never expanded."""
        return self.node is not None and self.node.recursive

    @property
    def fid(self) -> int:
        """The function drawn, or -1 for a ``…`` block."""
        return -1 if self.node is None else self.node.fid


def split_width(weights: Sequence[float], width: int) -> list[int]:
    """Whole widths for ``weights`` that add up to ``width`` exactly (largest remainder).

    Ties go to the earlier weight, so the result is deterministic.
    """
    total = sum(weights)
    if width <= 0 or not weights:
        return [0] * len(weights)
    if total <= 0:
        widths = [0] * len(weights)
        widths[0] = width
        return widths
    shares = [width * w / total for w in weights]
    widths = [math.floor(s) for s in shares]
    left = width - sum(widths)
    if left > 0:
        order = sorted(range(len(shares)), key=lambda i: (widths[i] - shares[i], i))
        for i in order[:left]:
            widths[i] += 1
    elif left < 0:  # rounding of huge weights: take back from the widest
        for i in sorted(range(len(widths)), key=lambda i: (-widths[i], i))[:-left]:
            widths[i] -= 1
    return widths


class IcicleLayout:
    """The blocks of an icicle ``width`` columns wide, built row by row on demand.

    ``tops`` are the nodes of row 0: one zoom root, or the tree's roots.
    """

    def __init__(
        self,
        tree: CallTree,
        tops: Sequence[TreeNode],
        width: int,
        delta: DeltaOf | None = None,
    ) -> None:
        self.tree = tree
        self.tops = tuple(tops)
        self.width = max(0, width)
        self.delta = delta
        self.total = sum(max(0.0, n.cumtime) for n in self.tops)
        """The zoom root's cumtime (the roots' sum): what "% of zoom" divides by."""
        self._rows: list[list[Block]] = []
        self._parents: list[list[int]] = []
        self._path = OnPath()
        self.complete = False
        """True once the last row is built (the one after it is empty)."""

    # Rows -------------------------------------------------------------------

    @property
    def rows_built(self) -> int:
        return len(self._rows)

    def row(self, depth: int) -> list[Block]:
        """The blocks of row ``depth``, left to right; empty below the last row."""
        self.ensure(depth)
        return self._rows[depth] if 0 <= depth < len(self._rows) else []

    def ensure(self, depth: int) -> bool:
        """Build the rows down to ``depth``; False when the icicle ends above it."""
        if len(self._rows) <= depth and not self.complete:
            with collector_paused():
                while len(self._rows) <= depth:
                    row = self._build_next()
                    if not row:
                        self.complete = True
                        break
                    self._rows.append(row)
                    self._parents.append([b.parent_index for b in row])
        return depth < len(self._rows)

    def depth(self) -> int:
        """How many rows there are (builds them all: use on small icicles and in tests)."""
        self.ensure(sys.maxsize)
        return len(self._rows)

    def _build_next(self) -> list[Block]:
        if not self._rows:
            return self._top_row()
        above = self._rows[-1]
        row: list[Block] = []
        for parent in above:
            if parent.node is not None and not parent.node.recursive and parent.width > 0:
                kids = children_on_path(self.tree, parent.node, self._path)
                if kids:
                    self._split(parent.node, kids, parent, len(self._rows), row)
        return row

    def _top_row(self) -> list[Block]:
        tops = self.tops
        if not tops or self.width <= 0:
            return []
        weights = [max(0.0, n.cumtime) for n in tops]
        if sum(weights) <= 0:
            weights = [max(0.0, n.ncalls) for n in tops]
        if sum(weights) <= 0:
            weights = [1.0] * len(tops)
        row: list[Block] = []
        x = 0
        for node, width in zip(tops, split_width(weights, self.width), strict=True):
            if width > 0:
                row.append(self._block(node, 0, len(row), -1, x, width))
                x += width
        return row

    def _split(
        self,
        node: TreeNode,
        kids: list[TreeNode],
        parent: Block,
        depth: int,
        row: list[Block],
    ) -> None:
        """Append the blocks of ``kids`` under ``parent`` to ``row``."""
        if len(kids) == 1:  # a chain: one child, no split to make
            kid = kids[0]
            if node.cumtime > 0 and kid.cumtime > 0:
                w = min(parent.width, math.floor(parent.width * kid.cumtime / node.cumtime + 0.5))
            else:
                w = parent.width
            if w > 0:
                row.append(self._block(kid, depth, len(row), parent.index, parent.x, w))
            return
        if node.cumtime > 0 and any(k.cumtime > 0 for k in kids):
            weights = [max(0.0, k.cumtime) for k in kids]
            own = node.cumtime
        else:  # no times (bare call counts): share the width by calls, no own part
            order = sorted(range(len(kids)), key=lambda i: -kids[i].ncalls)
            kids = [kids[i] for i in order]
            weights = [max(0.0, k.ncalls) for k in kids]
            own = 0.0
        spent = sum(weights)
        if spent <= 0:
            return
        total = max(own, spent)
        width = parent.width
        # Children are largest first: the wide ones are a prefix.
        shown = 0
        while shown < len(kids) and width * weights[shown] / total >= 1.0:
            shown += 1
        rest = kids[shown:]
        if len(rest) == 1:  # one narrow child needs no "…" of its own
            shown += 1
            rest = []
        rest_weight = spent - sum(weights[:shown])
        items = [*weights[:shown], max(0.0, rest_weight), total - spent]
        widths = split_width(items, width)
        x = parent.x
        for kid, w in zip(kids[:shown], widths, strict=False):
            if w > 0:
                row.append(self._block(kid, depth, len(row), parent.index, x, w))
                x += w
        rest_width = widths[shown]
        if rest and rest_width > 0:
            delta = self.delta
            row.append(
                Block(
                    None,
                    depth,
                    len(row),
                    parent.index,
                    x,
                    rest_width,
                    sum(k.cumtime for k in rest),
                    any(k.estimated for k in rest),
                    merged=len(rest),
                    delta=sum_changes([delta(k) for k in rest]) if delta is not None else None,
                )
            )

    def _block(self, node: TreeNode, depth: int, index: int, parent: int, x: int, w: int) -> Block:
        delta = self.delta(node) if self.delta is not None else None
        return Block(node, depth, index, parent, x, w, node.cumtime, node.estimated, delta=delta)

    # Finding blocks ---------------------------------------------------------

    def block_at(self, depth: int, x: int) -> Block | None:
        """The block of row ``depth`` that covers column ``x``."""
        row = self.row(depth)
        lo, hi = 0, len(row)
        while lo < hi:
            mid = (lo + hi) // 2
            if row[mid].x + row[mid].width <= x:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(row) and row[lo].x <= x:
            return row[lo]
        return None

    def parent(self, block: Block) -> Block | None:
        """The block above ``block``, or None in row 0."""
        if block.row == 0:
            return None
        return self._rows[block.row - 1][block.parent_index]

    def first_child(self, block: Block) -> Block | None:
        """The leftmost (largest) block below ``block``, or None."""
        below = block.row + 1
        if not self.ensure(below):
            return None
        parents = self._parents[below]
        i = bisect_left(parents, block.index)
        if i < len(parents) and parents[i] == block.index:
            return self._rows[below][i]
        return None

    def previous(self, block: Block) -> Block | None:
        """The block left of ``block`` in its row (a sibling when it has one)."""
        return self._rows[block.row][block.index - 1] if block.index > 0 else None

    def next(self, block: Block) -> Block | None:
        """The block right of ``block`` in its row (a sibling when it has one)."""
        row = self._rows[block.row]
        return row[block.index + 1] if block.index + 1 < len(row) else None

    def find(self, node: TreeNode) -> Block | None:
        """The block drawing ``node``, or the nearest block above it that is drawn."""
        chain: list[TreeNode] = []
        at: TreeNode | None = node
        tops = {id(n) for n in self.tops}
        while at is not None and id(at) not in tops:
            chain.append(at)
            at = at.parent
        if at is None:
            return None
        chain.append(at)
        chain.reverse()
        found: Block | None = None
        for depth, step in enumerate(chain):
            row = self.row(depth)
            lo = 0
            hi = len(row)
            if found is not None:
                parents = self._parents[depth]
                lo = bisect_left(parents, found.index)
                hi = bisect_left(parents, found.index + 1)
            match = next((b for b in row[lo:hi] if b.node is step), None)
            if match is None:  # another node of the same function there (a whole-function node)
                match = next((b for b in row[lo:hi] if b.fid == step.fid), None)
            if match is None:
                return found
            found = match
        return found


def colour_group(key: FunctionKey) -> str:
    """What a block's colour stands for: its package, the standard library, or its file.

    Stable across runs and profiles, so a package keeps its colour.
    """
    file = key[0]
    if is_builtin(key):
        return "builtins"
    if is_import_system(key):
        return "import system"
    for marker in ("site-packages/", "dist-packages/"):
        at = file.rfind(marker)
        if at >= 0:
            rest = file[at + len(marker) :]
            return rest.split("/", 1)[0].removesuffix(".py")
    if is_stdlib(key):
        return "stdlib"
    return file
