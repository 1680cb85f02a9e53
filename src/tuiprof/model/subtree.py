"""What ran under a function: the functions and estimated figures of its subtree.

The subtree is walked as the call tree walks it (:meth:`CallTree.under`):
down from the function, never into the functions above its heaviest node,
so that a lazy import inside it, which reaches the ``exec`` that ran the
script, does not pull the script's ``<module>`` and ``main`` in with it.

Each function's figures are the part of it that ran under the root: its
share (0 to 1) is the sum over its callers in the subtree of the caller's
share times the edge's (:func:`~tuiprof.model.shares.edge_share`), as the
tree's nodes would add up, with the calls that close a cycle left out as the
tree leaves them out. One depth-first walk (a loop) finds those calls and an
order in which every caller comes before its callees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tuiprof.model.calltree import CallTree
from tuiprof.model.profile import Profile
from tuiprof.model.shares import edge_share


@dataclass
class SubtreeFigures:
    """The estimated figures of what ran under some functions, by function number."""

    tops: tuple[int, ...]
    share: dict[int, float] = field(default_factory=dict)
    """Each function's share of its own figures that ran under the tops."""
    edges: dict[tuple[int, int], tuple[float, float]] = field(default_factory=dict)
    """Estimated (calls, cumulative time) of each caller→callee edge in the subtree."""

    def functions(self) -> list[int]:
        """The functions of the subtree, in number order."""
        return sorted(self.share)

    def calls(self, profile: Profile, fid: int) -> float:
        return self.share[fid] * profile.ncalls[fid]

    def tottime(self, profile: Profile, fid: int) -> float:
        return self.share[fid] * profile.tottime[fid]

    def cumtime(self, profile: Profile, fid: int) -> float:
        return self.share[fid] * profile.cumtime[fid]


def subtree_figures(profile: Profile, tops: tuple[int, ...] | list[int]) -> SubtreeFigures:
    """The subtree under each of ``tops``, merged (a function's largest share wins)."""
    tree = CallTree(profile)
    figures = SubtreeFigures(tuple(tops))
    for top in tops:
        node = tree.under(top)
        above = set(node.path()) - {top}
        share, edges = _walk(profile, top, above)
        for fid, value in share.items():
            if value > figures.share.get(fid, -1.0):
                figures.share[fid] = value
        for pair, value2 in edges.items():
            old = figures.edges.get(pair)
            if old is None or value2[1] > old[1]:
                figures.edges[pair] = value2
    return figures


def _walk(
    profile: Profile, top: int, above: set[int]
) -> tuple[dict[int, float], dict[tuple[int, int], tuple[float, float]]]:
    callees = profile.callee_index()
    # Depth-first, as a loop: the order functions finish in, and the calls
    # to a function still on the walk's stack (those close a cycle).
    state: dict[int, int] = {top: 1}  # 1 on the stack, 2 finished
    finished: list[int] = []
    closing: set[tuple[int, int]] = set()
    stack: list[tuple[int, int]] = [(top, 0)]
    while stack:
        fid, at = stack[-1]
        edges = callees[fid]
        if at < len(edges):
            stack[-1] = (fid, at + 1)
            callee = edges[at][0]
            if callee in above:
                continue
            seen = state.get(callee)
            if seen is None:
                state[callee] = 1
                stack.append((callee, 0))
            elif seen == 1:
                closing.add((fid, callee))
            continue
        stack.pop()
        state[fid] = 2
        finished.append(fid)
    share: dict[int, float] = dict.fromkeys(finished, 0.0)
    share[top] = 1.0
    edge_figures: dict[tuple[int, int], tuple[float, float]] = {}
    cumtime = profile.cumtime
    for fid in reversed(finished):
        mine = min(share[fid], 1.0)
        share[fid] = mine
        for callee, raw in callees[fid]:
            if callee in above:
                continue
            part = edge_share(profile, fid, callee, raw)
            if isinstance(raw, tuple):
                calls, ct = raw[0] * mine, raw[3] * mine
            else:
                calls, ct = raw * mine, cumtime[callee] * part * mine
            edge_figures[(fid, callee)] = (calls, ct)
            if (fid, callee) not in closing and callee != top:
                share[callee] += mine * part
    return share, edge_figures
