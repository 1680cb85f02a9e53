"""The call tree: from the roots down, one caller→callee edge per step.

pstats keeps only caller→callee totals, so a tree node's figures are exact
only while its whole function sits under it: a root holds its function's own
figures, and its children hold their edges' own figures. Below a node that
holds only part of its function (its function was also called from
elsewhere), the edge figures are scaled by that part and flagged
``estimated``. A callee already on the path from the root (recursion, or a
cycle) is flagged ``recursive`` and is never expanded.

Every walk here is a loop, never a recursive call: a call chain can be
100,000 functions long.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from tuiprof.model.profile import Profile


@dataclass(frozen=True, slots=True, eq=False)
class TreeNode:
    """One node of the call tree: a function reached by one path from a root.

    Nodes compare by identity; the path is the chain of ``parent`` links.
    """

    fid: int
    parent: TreeNode | None
    depth: int
    ncalls: float
    """The calls along this path (a fraction when estimated)."""
    tottime: float
    cumtime: float
    estimated: bool
    """True when the figures are scaled from an edge's totals, not recorded."""
    recursive: bool
    """True when ``fid`` is already on the path above: never expanded."""
    timed: bool = True
    """False for the ``profile`` module's bare call counts (no times known)."""

    def path(self) -> list[int]:
        """Function numbers from the root down to this node."""
        fids: list[int] = []
        node: TreeNode | None = self
        while node is not None:
            fids.append(node.fid)
            node = node.parent
        fids.reverse()
        return fids


class CallTree:
    """Builds tree nodes on demand from a profile; children are cached per node."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._roots: list[TreeNode] | None = None
        self._children: dict[int, list[TreeNode]] = {}
        # id(node) -> node keeps each cached node alive, so ids are never reused.
        self._alive: dict[int, TreeNode] = {}

    def roots(self) -> list[TreeNode]:
        """The functions nobody called, largest cumulative time first, with their own figures."""
        if self._roots is None:
            p = self.profile
            self._roots = [
                TreeNode(
                    fid,
                    None,
                    0,
                    float(p.ncalls[fid]),
                    p.tottime[fid],
                    p.cumtime[fid],
                    estimated=False,
                    recursive=False,
                )
                for fid in p.roots()
            ]
        return self._roots

    def is_whole(self, node: TreeNode) -> bool:
        """Does this node hold all of its function's calls and time, exactly?"""
        p = self.profile
        return (
            not node.estimated
            and node.ncalls == p.ncalls[node.fid]
            and node.cumtime == p.cumtime[node.fid]
        )

    def has_children(self, node: TreeNode) -> bool:
        """Can this node be expanded? (Cheap: no nodes are built.)"""
        return not node.recursive and bool(self.profile.callee_index()[node.fid])

    def children(self, node: TreeNode, on_path: set[int] | None = None) -> list[TreeNode]:
        """The callees of the node's function along this path, largest cumtime first.

        ``on_path`` is the set of function numbers from the root to ``node``
        (inclusive); it is computed from the parent links when not given.
        """
        cached = self._children.get(id(node))
        if cached is not None:
            return cached
        if node.recursive:
            return []
        p = self.profile
        if on_path is None:
            on_path = set(node.path())
        fid = node.fid
        exact = self.is_whole(node)
        share = 1.0 if exact else _share(node, p.cumtime[fid], p.ncalls[fid])
        depth = node.depth + 1
        kids: list[TreeNode] = []
        append = kids.append
        for callee, raw in p.callee_index()[fid]:
            if isinstance(raw, tuple):
                nc, _cc, tt, ct = raw
                timed = True
            else:
                nc, tt, ct, timed = raw, 0.0, 0.0, False
            append(
                TreeNode(
                    callee,
                    node,
                    depth,
                    nc * share,
                    tt * share,
                    ct * share,
                    not exact,
                    callee in on_path,
                    timed,
                )
            )
        kids.sort(key=_by_cumtime_then_calls)
        self._children[id(node)] = kids
        self._alive[id(node)] = node
        return kids

    def hot_path(self, node: TreeNode) -> list[TreeNode]:
        """From ``node`` down: at each step the child with the largest cumtime.

        Recursive children are passed over (their time is already counted in
        the node above); the path ends where no other child is left.
        """
        on_path = set(node.path())
        path = [node]
        while True:
            best: TreeNode | None = None
            for child in self.children(node, on_path):
                if not child.recursive:
                    best = child  # children are sorted: the first one is the largest
                    break
            if best is None:
                return path
            path.append(best)
            on_path.add(best.fid)
            node = best


def _share(node: TreeNode, function_cumtime: float, function_ncalls: int) -> float:
    """The part of its function that a node holds, between 0 and 1."""
    if function_cumtime > 0 and node.timed:
        share = node.cumtime / function_cumtime
    elif function_ncalls > 0:
        share = node.ncalls / function_ncalls
    else:
        share = 0.0
    return min(max(share, 0.0), 1.0)


def _by_cumtime_then_calls(node: TreeNode) -> tuple[float, float]:
    return (-node.cumtime, -node.ncalls)


class TreeRows:
    """The rows a tree view shows: the roots and every opened node's children, in order.

    Pure bookkeeping over :class:`CallTree`, so that expanding, collapsing and
    opening a path can be tested without a screen.
    """

    def __init__(self, tree: CallTree) -> None:
        self.tree = tree
        self.rows: list[TreeNode] = list(tree.roots())
        self._expanded: set[int] = set()

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
        if not path:
            return index
        row = index
        step = 0
        # Walk the part that is already open, finding each next node among the rows.
        while step < len(path) - 1 and self.is_expanded(path[step]):
            target = path[step + 1]
            end = self.subtree_end(row)
            row = _find(self.rows, target, row + 1, end)
            step += 1
        if step == len(path) - 1:
            return row
        # Everything from here down is closed: build its rows at once.
        segment: list[TreeNode] = []
        suffixes: list[list[TreeNode]] = []
        last = row
        for node, nxt in pairwise(path[step:]):
            kids = self.tree.children(node)
            self._expanded.add(id(node))
            cut = _position(kids, nxt)
            segment.extend(kids[: cut + 1])
            suffixes.append(kids[cut + 1 :])
            last = row + len(segment)
        for suffix in reversed(suffixes):
            segment.extend(suffix)
        self.rows[row + 1 : row + 1] = segment
        return last

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
