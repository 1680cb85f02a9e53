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

MAX_SETTLED = 200_000
"""Functions looked at before the best root reached so far is taken."""


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
        return None
    path = [best_root]
    while path[-1] != fid:
        path.append(below[path[-1]])
    return path
