"""Walking the call tree for the icicle: where it starts, how it zooms out, path sets.

Every walk is a loop: a call chain can be 100,000 functions long, and a path
set is kept up to date as the walk moves rather than rebuilt from the root.
"""

from __future__ import annotations

from collections.abc import Sequence

from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.collector import collector_paused
from tuiprof.model.tree_paths import heaviest_path


class OnPath:
    """The functions on the path from the tree's root to a node, kept as the node changes.

    Moving between nearby nodes costs the distance between them, not their
    depth: a row is walked left to right, and neighbours share their path.
    """

    def __init__(self) -> None:
        self.stack: list[TreeNode] = []
        self.fids: set[int] = set()

    def move_to(self, node: TreeNode) -> set[int]:
        climb: list[TreeNode] = []
        at: TreeNode | None = node
        stack = self.stack
        while at is not None and not (at.depth < len(stack) and stack[at.depth] is at):
            climb.append(at)
            at = at.parent
        keep = 0 if at is None else at.depth + 1
        for old in stack[keep:]:
            self.fids.discard(old.fid)
        del stack[keep:]
        for new in reversed(climb):
            stack.append(new)
            self.fids.add(new.fid)
        return self.fids


def children_on_path(tree: CallTree, node: TreeNode, on_path: OnPath) -> list[TreeNode]:
    """The node's children, with the path set given (computing it costs the depth)."""
    if node.recursive:
        return []
    return tree.children(node, on_path.move_to(node))


def zoom_out_tops(tree: CallTree, tops: Sequence[TreeNode]) -> tuple[TreeNode, ...] | None:
    """Row 0 one level up from ``tops``: the zoom root's parent, or the roots; None at the top."""
    roots = tuple(tree.roots())
    if len(tops) != 1 or tuple(tops) == roots:
        return None
    parent = tops[0].parent
    return (parent,) if parent is not None else roots


def heaviest_occurrence(tree: CallTree, fid: int) -> TreeNode | None:
    """``fid``'s heaviest node in the tree (the one ``t`` opens), or None when no root leads to it.

    The path is :func:`~tuiprof.model.tree_paths.heaviest_path`'s, so the
    icicle and the call tree agree on where a function sits.
    """
    profile = tree.profile
    if not 0 <= fid < len(profile.keys):
        return None
    with collector_paused():
        fids = heaviest_path(profile, fid)
        if not fids:
            return None
        try:
            return tree.follow(fids)[-1]
        except (ValueError, StopIteration):  # the path left the tree (a recursion mark)
            return None
