"""Shares of a callee's calls for the ``profile`` module's bare caller counts.

The pure-Python ``profile`` module records, for each caller, only how many
times it called the callee: no times, and no split into primitive and
recursive calls. A call is recursive when the callee is already running,
that is when the caller runs under the callee; a caller and a callee that
run under each other are in one strongly connected component of the call
graph. So a caller outside the callee's component made only primitive calls,
and its share of the callee is its calls over the callee's primitive calls,
exactly; the callers inside share what primitive calls are left, in
proportion to their counts (an estimate).

The components are found once per profile, with an iterative Tarjan walk
(a call chain can be 100,000 functions long), and only for profiles that
hold such counts.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from tuiprof.model.profile import Profile


@dataclass(frozen=True, slots=True)
class BareCounts:
    """Per function: its component, and the bare counts from outside and inside it."""

    component: list[int]
    outside: list[int]
    inside: list[int]


_CACHE: weakref.WeakKeyDictionary[Profile, BareCounts] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def bare_counts(profile: Profile) -> BareCounts:
    """The profile's :class:`BareCounts`, worked out on first use."""
    with _LOCK:
        found = _CACHE.get(profile)
        if found is None:
            found = _CACHE[profile] = _count(profile)
        return found


def bare_share(profile: Profile, caller: int, callee: int, calls: int) -> float:
    """The part of ``callee`` that ``calls`` bare-counted calls from ``caller`` hold, 0 to 1."""
    primitive = profile.primitive_calls[callee]
    if primitive <= 0:
        return 0.0
    counts = bare_counts(profile)
    try:
        if caller < 0 or counts.component[caller] != counts.component[callee]:
            share = calls / primitive
        else:
            left = primitive - counts.outside[callee]
            inside = counts.inside[callee]
            share = calls / inside * left / primitive if inside > 0 and left > 0 else 0.0
    except OverflowError:  # counts beyond a float's range: more than all of it
        share = 1.0
    return min(max(share, 0.0), 1.0)


def bare_time(profile: Profile, caller: int, callee: int, calls: int) -> float:
    """The callee's cumulative time that ``calls`` bare-counted calls from ``caller`` stand for.

    Its :func:`bare_share` of the callee's cumtime: the one rule of the call
    tree, the dot graph and callgrind (``caller`` -1: a caller not in the file).
    """
    return bare_share(profile, caller, callee, calls) * profile.cumtime[callee]


def _count(profile: Profile) -> BareCounts:
    component = components(profile.callee_index())
    n = len(component)
    outside = [0] * n
    inside = [0] * n
    find = profile.index.get
    for callee, record in enumerate(profile.checked_callers()):
        for key, raw in record.items():
            calls = raw if isinstance(raw, int) else raw[1]
            caller = find(key)
            if caller is not None and component[caller] == component[callee]:
                inside[callee] += calls
            else:
                outside[callee] += calls
    return BareCounts(component, outside, inside)


def components(callees: Sequence[Sequence[tuple[int, object]]]) -> list[int]:
    """The strongly connected component of each function (Tarjan's, as a loop)."""
    n = len(callees)
    index = [-1] * n
    low = [0] * n
    on_stack = bytearray(n)
    component = [-1] * n
    stack: list[int] = []
    counter = 0
    found = 0
    for start in range(n):
        if index[start] >= 0:
            continue
        # Each frame: the function and the position of the next callee to look at.
        work: list[tuple[int, int]] = [(start, 0)]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack[start] = 1
        while work:
            node, at = work[-1]
            edges = callees[node]
            if at < len(edges):
                work[-1] = (node, at + 1)
                nxt = edges[at][0]
                if index[nxt] < 0:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack[nxt] = 1
                    work.append((nxt, 0))
                elif on_stack[nxt] and index[nxt] < low[node]:
                    low[node] = index[nxt]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack[member] = 0
                    component[member] = found
                    if member == node:
                        break
                found += 1
    return component
