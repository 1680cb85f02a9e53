"""The call tree laid out for reading without the UI (``tuiprof tree``).

The roots, and below them every node at or above a share of the total time,
down to a depth; smaller children are folded into one "N more" line, except
the nodes of the hot path, which are never folded. Built as a flat list in
the order it is read, with a loop: a call chain can be 100,000 deep.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.profile import Profile

DEFAULT_DEPTH = 12
DEFAULT_MIN_PERCENT = 1.0


@dataclass(frozen=True, slots=True)
class OutlineRow:
    """A node shown at ``level`` (0 for the tops), or ``folded`` children not shown."""

    level: int
    node: TreeNode | None
    folded: int = 0


def least_time(profile: Profile, min_percent: float) -> float:
    """The size of cumulative time a node needs to be opened: ``min_percent`` of the total.

    Sizes: the ``profile`` module's calibration can make times, and even the
    total, negative; they are shown as recorded and compared by size.
    """
    return abs(profile.total_time) * min_percent / 100.0


def outline(
    tree: CallTree,
    tops: list[TreeNode],
    *,
    depth: int = DEFAULT_DEPTH,
    min_percent: float = DEFAULT_MIN_PERCENT,
) -> list[OutlineRow]:
    """The rows of the outline from ``tops`` (the roots, or one node) down.

    A node is opened when it is above ``depth`` levels and holds at least
    ``min_percent`` of the profile's total time, or is on the hot path of
    the first top.
    """
    least = least_time(tree.profile, min_percent)
    hot: set[int] = set()
    if tops:
        hot = {id(node) for node in tree.hot_path(tops[0])[: depth + 1]}
    rows: list[OutlineRow] = []
    # A stack of (level, node) to show, or (level, None) with a folded count.
    stack: list[tuple[int, TreeNode | None, int]] = [(0, top, 0) for top in reversed(tops)]
    while stack:
        level, node, folded = stack.pop()
        if node is None:
            rows.append(OutlineRow(level, None, folded))
            continue
        rows.append(OutlineRow(level, node))
        if level >= depth or node.recursive:
            continue
        if id(node) not in hot and not abs(node.cumtime) >= least:
            continue
        kids = tree.children(node)
        shown = [kid for kid in kids if id(kid) in hot or abs(kid.cumtime) >= least]
        left = len(kids) - len(shown)
        if left:
            stack.append((level + 1, None, left))
        stack.extend((level + 1, kid, 0) for kid in reversed(shown))
    return rows
