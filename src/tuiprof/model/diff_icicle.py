"""The differential icicle's figures: each call path of the after run, and the same path before.

The icicle of a diff is drawn from the after run's call tree: the program as
it is now, each block as wide as its time now. A block's :class:`Change` is
its cumtime and the cumtime of the same call path in the before run's tree
(the path's functions matched as the diff matches them, the before times
scaled when normalized). Where the path was not there before (a new
function, or a new call), the before figure is None and the change is all of
the block's time. Paths gone in the after run are not drawn: what they took
shows in their parent's change.

A path's figure is exact one edge below a function whose calls it holds
whole; deeper, in either run, it is scaled from edge totals
(:mod:`tuiprof.model.calltree`), and the change is flagged ``estimated``.
Exact changes are the diff's own numbers: a root that holds its whole
function changes by the function's cumtime delta, and a child of an exact
node by its edge's delta, as the callers and callees view shows them.

Every walk is a loop: a call chain can be 100,000 functions long.
"""

from __future__ import annotations

from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.collector import collector_paused
from tuiprof.model.diff import ProfileDiff
from tuiprof.model.icicle import Change
from tuiprof.model.icicle_nav import OnPath
from tuiprof.model.matching import NONE


class PathChanges:
    """For the after run's tree nodes, the same call path in the before run, found on demand.

    Each node found is remembered, so a row of blocks costs one lookup per
    block: its parent's path was found for the row above.
    """

    def __init__(self, diff: ProfileDiff, before: CallTree, after: CallTree) -> None:
        self.diff = diff
        self.before = before
        """The before run's call tree."""
        self.after = after
        """The after run's call tree: the one drawn."""
        # id(after node) -> (the node, kept alive so its id is never reused; the before node)
        self._found: dict[int, tuple[TreeNode, TreeNode | None]] = {}
        # id(before node) -> (the node; its children by function number)
        self._children: dict[int, tuple[TreeNode, dict[int, TreeNode]]] = {}
        self._roots: dict[int, TreeNode] | None = None
        self._path = OnPath()

    def before_fid(self, after_fid: int) -> int:
        """The before run's function matched with ``after_fid``; NONE for a new function."""
        return self.diff.before_ids[self.diff.row_of_after(after_fid)]

    def before_node(self, node: TreeNode) -> TreeNode | None:
        """The before run's node of ``node``'s call path, or None where the path was not there."""
        found = self._found
        climb: list[TreeNode] = []
        at: TreeNode | None = node
        while at is not None and id(at) not in found:
            climb.append(at)
            at = at.parent
        match = found[id(at)][1] if at is not None else None
        if not climb:
            return match
        with collector_paused():
            for step in reversed(climb):
                bid = self.before_fid(step.fid)
                if bid == NONE:
                    match = None
                elif step.parent is None:
                    match = self._root(bid)
                elif match is not None:
                    match = self._child(match, bid)
                found[id(step)] = (step, match)
        return match

    def change(self, node: TreeNode) -> Change:
        """``node``'s cumtime now, and its call path's before (scaled when normalized)."""
        before = self.before_node(node)
        if before is None:
            return Change(None, node.cumtime, node.estimated)
        return Change(
            before.cumtime * self.diff.scale, node.cumtime, node.estimated or before.estimated
        )

    def _root(self, fid: int) -> TreeNode | None:
        if self._roots is None:
            self._roots = {root.fid: root for root in self.before.roots()}
        return self._roots.get(fid)

    def _child(self, parent: TreeNode, fid: int) -> TreeNode | None:
        known = self._children.get(id(parent))
        if known is None:
            kids = self.before.children(parent, self._path.move_to(parent))
            known = self._children[id(parent)] = (parent, {kid.fid: kid for kid in kids})
        return known[1].get(fid)
