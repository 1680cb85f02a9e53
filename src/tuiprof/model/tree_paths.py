"""The path from a root down to a function's heaviest node in the call tree.

A tree node's share of its function is the product of the edge shares
(:func:`~tuiprof.model.shares.edge_share`) along its path, times its root's
share; each is between 0 and 1. The heaviest node of a function is then a
shortest-path problem on the callers graph (with ``-log`` of the shares as
lengths), solved by Dijkstra's algorithm from the function up to the roots:
a loop over a heap, stopped as soon as no longer path can beat the best root
reached. Paths are simple, so each is a path the tree shows, with no
``↻`` node on it.
"""

from __future__ import annotations

import heapq

from tuiprof.model.profile import Profile
from tuiprof.model.shares import edge_share

MAX_SETTLED = 4_000
"""Functions looked at before giving up the search for the best path.

Then (in a big profile whose shares fall off fast, the search would settle
most of it) the path climbs from the function through the caller whose edge
holds the most of it, at each step, to a root: :func:`climb`."""


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
    # Entries: (-share, tie-breaker, function, next function down).
    heap: list[tuple[float, int, int, int]] = [(-1.0, 0, fid, -1)]
    count = 1
    while heap:
        negative, _, current, down = heapq.heappop(heap)
        share = -negative
        if share <= best_share:
            break
        if current in settled:
            continue
        settled.add(current)
        below[current] = down
        root_share = roots.get(current)
        if root_share is not None and share * root_share > best_share:
            best_share = share * root_share
            best_root = current
        if len(settled) >= MAX_SETTLED:
            break
        for key, raw in callers_raw[current].items():
            caller = find(key)
            if caller is None or caller in settled:
                continue
            step = share * edge_share(profile, caller, current, raw)
            count += 1
            heapq.heappush(heap, (-step, count, caller, current))
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
    find = profile.index.get
    chain = [fid]
    seen = {fid}
    while chain[-1] not in roots:
        current = chain[-1]
        best, best_share = -1, -1.0
        for key, raw in callers_raw[current].items():
            caller = find(key)
            if caller is None or caller in seen:
                continue
            share = edge_share(profile, caller, current, raw)
            if share > best_share:
                best, best_share = caller, share
        if best < 0:
            return None
        chain.append(best)
        seen.add(best)
    chain.reverse()
    return chain
