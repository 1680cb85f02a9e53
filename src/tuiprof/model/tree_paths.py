"""The path from a root down to a function's heaviest node in the call tree.

A tree node's share of its function is the product of the edge shares
(:func:`~tuiprof.model.shares.edge_share`) along its path, times its root's
share; each is between 0 and 1. The heaviest node of a function is then a
shortest-path problem on the callers graph (with ``-log`` of the shares as
lengths), solved by Dijkstra's algorithm from the function up to the roots:
a loop over a heap, stopped as soon as no longer path can beat the best root
reached. Paths are simple, so each is a path the tree shows, with no
``↻`` node on it.

A function can have 24,000 callers. Rather than pushing every caller of a
function it settles, the search ranks them heaviest edge first, only as far
as it goes (:class:`Ranked`), and keeps one heap entry per settled function:
its next caller in that order. A caller's key is looked up, and its edge's
share worked out, only when the search reaches it.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Callable

from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import Profile, RawCallers, RawEdge
from tuiprof.model.shares import edge_share

MAX_SETTLED = 4_000
"""Functions looked at before giving up the search for the best path.

Then (in a big profile whose shares fall off fast, the search would settle
most of it) the path climbs from the function through the caller whose edge
holds the most of it, at each step, to a root: :func:`climb`."""

_CUMTIME = operator.itemgetter(3)
_PRIMITIVE = operator.itemgetter(1)


FIRST_RANKED = 16
"""Callers put in order at first; four times as many each time the search wants more."""


class Ranked:
    """A function's callers, the edge holding the most of it first.

    :meth:`share` is the edge's :func:`~tuiprof.model.shares.edge_share`;
    the order is by the figure that share is taken from (the edge's
    cumulative time, or its primitive calls when the callee has no time), so
    the shares never rise along it. Bare counts (the ``profile`` module's)
    need the callers' numbers: those records are ranked by their shares
    worked out in full. The order is found as far as it is asked for
    (``heapq.nlargest``, which keeps ties in the record's order as a sort
    does): a search rarely goes past a few of 24,000 callers.
    """

    __slots__ = ("_figures", "_keys", "_order", "_raws", "callee", "profile", "shares")

    def __init__(self, profile: Profile, callee: int, record: RawCallers) -> None:
        self.profile = profile
        self.callee = callee
        self._keys: list[FunctionKey] = list(record)
        self._raws: list[RawEdge] = list(record.values())
        self.shares: list[float] | None = None
        keys, raws = self._keys, self._raws
        self._order: list[int] = [0]
        self._figures: list[float] = []
        if len(keys) == 1:  # most functions: nothing to rank
            if not isinstance(raws[0], tuple):
                self.shares = [_exact_share(profile, keys[0], callee, raws[0])]
            return
        try:
            if profile.cumtime[callee] > 0:
                self._figures = list(map(_CUMTIME, raws))  # type: ignore[arg-type]
            elif profile.primitive_calls[callee] > 0:
                self._figures = list(map(_PRIMITIVE, raws))  # type: ignore[arg-type]
            else:
                raise TypeError("no figure to rank by")
        except TypeError:  # bare counts, or a callee with nothing to share
            self._figures = [
                _exact_share(profile, key, callee, raw) for key, raw in zip(keys, raws, strict=True)
            ]
            self.shares = self._figures
        self._rank(FIRST_RANKED)

    def _rank(self, count: int) -> None:
        n = len(self._keys)
        everyone = range(n)
        if count >= n:
            self._order = sorted(everyone, key=self._figures.__getitem__, reverse=True)
        else:
            self._order = heapq.nlargest(count, everyone, key=self._figures.__getitem__)

    def __len__(self) -> int:
        return len(self._keys)

    def _at(self, position: int) -> int:
        order = self._order
        if position >= len(order):
            self._rank(4 * position)
            order = self._order
        return order[position]

    def key(self, position: int) -> FunctionKey:
        """The key of the caller at ``position`` in the order."""
        return self._keys[self._at(position)]

    def share(self, position: int) -> float:
        """The share of the callee that the caller at ``position`` holds."""
        at = self._at(position)
        if self.shares is not None:
            return self.shares[at]
        return edge_share(self.profile, -1, self.callee, self._raws[at])


def _exact_share(profile: Profile, key: FunctionKey, callee: int, raw: RawEdge) -> float:
    caller = profile.index.get(key)
    return edge_share(profile, -1 if caller is None else caller, callee, raw)


def heaviest_path(profile: Profile, fid: int) -> list[int] | None:
    """Function numbers from a root down to ``fid``'s heaviest tree node, or None."""
    roots = {root: profile.root_share(root) for root in profile.roots()}
    callers_raw = profile.checked_callers()
    find = profile.index.get
    below: dict[int, int] = {}
    """The next function down towards ``fid``, for each settled function."""
    best_share = -1.0
    best_root = -1
    settled: set[int] = set()
    # One entry per settled function with callers left to try:
    # (-share of the path through its next caller, tie-breaker, its share, its callers, position).
    heap: list[tuple[float, int, float, Ranked, int]] = []
    count = 0

    def settle(current: int, share: float, down: int) -> None:
        nonlocal best_share, best_root, count
        settled.add(current)
        below[current] = down
        root_share = roots.get(current)
        if root_share is not None and share * root_share > best_share:
            best_share = share * root_share
            best_root = current
        record = callers_raw[current]
        if record:
            ranked = Ranked(profile, current, record)
            count += 1
            heapq.heappush(heap, (-share * ranked.share(0), count, share, ranked, 0))

    settle(fid, 1.0, -1)
    while heap and len(settled) < MAX_SETTLED:
        negative, _, share, ranked, position = heapq.heappop(heap)
        step = -negative
        if step <= best_share:
            break
        if position + 1 < len(ranked):
            count += 1
            following = share * ranked.share(position + 1)
            heapq.heappush(heap, (-following, count, share, ranked, position + 1))
        caller = find(ranked.key(position))
        if caller is None or caller in settled:
            continue
        settle(caller, step, ranked.callee)
    if best_root < 0:
        return climb(profile, fid, roots) if len(settled) >= MAX_SETTLED else None
    path = [best_root]
    while path[-1] != fid:
        path.append(below[path[-1]])
    return path


def climb(profile: Profile, fid: int, roots: dict[int, float]) -> list[int] | None:
    """A path from a root down to ``fid``, found by climbing through the heaviest callers.

    Each step takes the caller, not yet on the path, whose edge holds the most
    of the function above it; None when the climb ends before a root.
    """
    callers_raw = profile.checked_callers()
    find: Callable[[FunctionKey], int | None] = profile.index.get
    chain = [fid]
    seen = {fid}
    while chain[-1] not in roots:
        record = callers_raw[chain[-1]]
        if len(record) == 1:  # a chain: the one caller, if it is not on the path
            best = find(next(iter(record)))
            if best is None or best in seen:
                return None
        else:
            ranked = Ranked(profile, chain[-1], record)
            found = map(find, map(ranked.key, range(len(ranked))))
            best = next((c for c in found if c is not None and c not in seen), None)
            if best is None:
                return None
        chain.append(best)
        seen.add(best)
    chain.reverse()
    return chain
