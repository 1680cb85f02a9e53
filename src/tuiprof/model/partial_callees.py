"""The callees of a few functions, without inverting all 1.5 million caller records.

``tuiprof tree`` opens only the nodes that hold at least a share of the total
time, so it needs the callees of only the functions that big, and the callee
index (:meth:`Profile.callee_index`) would cost it more than loading the file.
One pass over the caller records, its loops in C (``map``, ``compress``),
picks out the edges of those functions, and counts the calls that come from
outside the profile for the roots in the same pass. Callees of any other
function are found on demand with one C-level membership test per function.
The lists are those of the callee index, in the same order.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from tuiprof.model.profile import Profile, RawEdge

Callees = list[tuple[int, RawEdge]]


class PartialCallees:
    """``(callee, raw edge)`` lists by caller, for the functions asked for."""

    def __init__(self, profile: Profile, fids: Iterable[int]) -> None:
        self.profile = profile
        self._found: dict[int, Callees] = {}
        self._first_pass(set(fids))

    def __call__(self, fid: int) -> Callees:
        found = self._found.get(fid)
        if found is None:
            found = self._found[fid] = self._scan_one(fid)
        return found

    def _first_pass(self, fids: set[int]) -> None:
        p = self.profile
        callers_raw = p.checked_callers()
        n = len(p.keys)
        wanted = bytearray(n + 1)  # the last byte is for callers outside the profile (-1)
        for fid in fids:
            wanted[fid] = 1
            self._found[fid] = []
        caller_ids = list(
            map(p.index.get, itertools.chain.from_iterable(callers_raw), itertools.repeat(-1))
        )

        def edges() -> Iterable[tuple[int, RawEdge]]:
            callee_ids = itertools.chain.from_iterable(
                map(itertools.repeat, range(n), map(len, callers_raw))
            )
            raws = itertools.chain.from_iterable(map(dict.values, callers_raw))
            return zip(callee_ids, raws, strict=True)

        found = self._found
        pairs = zip(caller_ids, edges(), strict=True)
        chosen = itertools.compress(pairs, map(wanted.__getitem__, caller_ids))
        for caller, edge in chosen:
            found[caller].append(edge)
        outside = list(itertools.compress(edges(), map((-1).__eq__, caller_ids)))
        p.count_roots(outside)

    def _scan_one(self, fid: int) -> Callees:
        p = self.profile
        callers_raw = p.checked_callers()
        key = p.keys[fid]
        hits = itertools.compress(
            range(len(callers_raw)), map(dict.__contains__, callers_raw, itertools.repeat(key))
        )
        return [(callee, callers_raw[callee][key]) for callee in hits]
