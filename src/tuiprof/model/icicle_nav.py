"""Walking the call tree for the icicle: where it starts, how it zooms out, path sets.

Every walk is a loop: a call chain can be 100,000 functions long, and a path
set is kept up to date as the walk moves rather than rebuilt from the root.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.collector import collector_paused
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import RawEdge


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
    """A node of ``fid`` reached through its largest callers, from a root down.

    The path climbs from ``fid`` through the caller with the largest cumtime
    (never through a function twice) until it meets a root, then walks back
    down the tree. None when no such path exists.
    """
    profile = tree.profile
    if not 0 <= fid < len(profile.keys):
        return None
    roots = {node.fid: node for node in tree.roots()}
    callers = profile.checked_callers()
    chain = [fid]
    seen = {fid}
    with collector_paused():
        while chain[-1] not in roots:
            best = _largest_caller(callers[chain[-1]], profile.index, seen)
            if best < 0:
                return None
            chain.append(best)
            seen.add(best)
        chain.reverse()
        node = roots[chain[0]]
        on_path = OnPath()
        for step in chain[1:]:
            kids = children_on_path(tree, node, on_path)
            found = next((k for k in kids if k.fid == step), None)
            if found is None:
                return None
            node = found
    return node


def _largest_caller(
    callers: dict[FunctionKey, RawEdge], index: dict[FunctionKey, int], seen: set[int]
) -> int:
    """The caller with the largest cumtime that is in the profile and not in ``seen``, or -1.

    The largest is found without looking every key up (a built-in can have
    tens of thousands of callers); the others are tried only if it is unfit.
    """
    if not callers:
        return -1
    values = list(callers.values())
    try:
        times: list[float] = list(map(itemgetter(3), values))  # type: ignore[arg-type]
    except TypeError:  # bare call counts (the profile module): no times
        times = [v[3] if isinstance(v, tuple) else 0.0 for v in values]
    keys = list(callers)
    top = max(range(len(times)), key=times.__getitem__)
    best = index.get(keys[top], -1)
    if best >= 0 and best not in seen:
        return best
    for i in sorted(range(len(times)), key=times.__getitem__, reverse=True):
        other = index.get(keys[i], -1)
        if other >= 0 and other not in seen:
            return other
    return -1
