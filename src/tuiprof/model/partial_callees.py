"""The callees of a few functions, without inverting all 1.5 million caller records.

``tuiprof tree`` opens only the nodes that hold at least a share of the total
time, so it needs the callees of only the functions that big, and the callee
index (:meth:`Profile.callee_index`) would cost it more than loading the file:
it looks up every caller key among all the profile's keys, a memory fetch or
more for each of them. Here each function's caller keys are tested in one
C-level call against a table of the few functions asked for, which stays in
the processor's cache, and the callers that are not in the profile (for the
roots) are found by set operations that reuse the hashes the caller
dictionaries store. Callees of
any other function are found on demand with one C-level membership test per
function. The lists are those of the callee index, in the same order.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet

from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import Profile, RawCallers, RawEdge

Callees = list[tuple[int, RawEdge]]


class PartialCallees:
    """``(callee, raw edge)`` lists by caller, for the functions asked for."""

    def __init__(self, profile: Profile, fids: Iterable[int]) -> None:
        self.profile = profile
        self._found: dict[int, Callees] = {}
        self._first_pass(fids)

    def __call__(self, fid: int) -> Callees:
        found = self._found.get(fid)
        if found is None:
            found = self._found[fid] = self._scan_one(fid)
        return found

    def _first_pass(self, fids: Iterable[int]) -> None:
        p = self.profile
        callers_raw = p.checked_callers()
        chosen = {p.keys[fid]: fid for fid in fids}
        found = self._found
        for fid in chosen.values():
            found[fid] = []
        for callee, key, raw in edges_from(callers_raw, chosen.keys()):
            found[chosen[key]].append((callee, raw))
        p.count_roots(outside_edges(p, callers_raw))

    def _scan_one(self, fid: int) -> Callees:
        p = self.profile
        callers_raw = p.checked_callers()
        key = p.keys[fid]
        hits = itertools.compress(
            range(len(callers_raw)), map(dict.__contains__, callers_raw, itertools.repeat(key))
        )
        return [(callee, callers_raw[callee][key]) for callee in hits]


def outside_edges(profile: Profile, callers_raw: list[RawCallers]) -> Callees:
    """``(callee, raw edge)`` for every edge whose caller is not in the profile, or was
    never called (:meth:`Profile.uncalled`).

    The distinct caller keys are gathered with ``set.update`` of the caller
    dictionaries themselves, which takes the hash each dictionary stores with
    each key (a key tuple's hash is not cached: computing it reads the tuple
    and its items); the profile's keys are then taken out. Only if some are
    left (never for a file cProfile wrote) are the edges picked out,
    with those of the functions never called. The
    caller records must have been checked: their keys are then plain
    ``(file, line, name)`` tuples, whose hashes no file can make collide.
    """
    missing: set[FunctionKey] = set()
    missing.update(*callers_raw)
    missing.difference_update(profile.keys)
    missing.update(map(profile.keys.__getitem__, profile.uncalled()))
    if not missing:
        return []
    return [(callee, raw) for callee, _key, raw in edges_from(callers_raw, missing)]


def edges_from(
    callers_raw: list[RawCallers], callers: AbstractSet[FunctionKey]
) -> Iterator[tuple[int, FunctionKey, RawEdge]]:
    """``(callee, caller key, raw edge)`` for the edges from ``callers``, a small set.

    In the callee index's order. One C-level test per function (its caller
    keys against the small set, which stays in the processor's cache), then a
    Python loop over only the records that hold one of them.
    """
    untouched = map(callers.isdisjoint, callers_raw)
    for callee in itertools.compress(range(len(callers_raw)), map(operator.not_, untouched)):
        for key, raw in callers_raw[callee].items():
            if key in callers:
                yield callee, key, raw
