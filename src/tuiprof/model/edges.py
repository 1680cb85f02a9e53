"""Checking pstats' caller records (1.5 million of them in a big profile), and
the bounds every number of a profile is held to.

The loader checks every function's own numbers before the first screen; the
caller records are only needed once callers, callees or the call tree are
shown, so a big profile may have them checked after its first paint
(see :meth:`tuiprof.model.profile.Profile.check_edges`).
"""

from __future__ import annotations

import itertools
import math
from array import array
from collections.abc import Sequence
from typing import Any

from tuiprof.model.errors import ProfileError, not_pstats_shape

LINE_LIMIT = 2**31 - 1
"""Line numbers are C ints in CPython: 0 to this."""
LINE_PROBLEM = "has line numbers that are not real (negative or over 2**31)"
COUNT_LIMIT = 2**63
"""Call counts and hits stay below this in size (cProfile counts in 64 bits)."""
TIME_LIMIT = 1e12
"""Times stay within this many seconds (31,000 years) of zero, so that every
figure made from them (nanoseconds, sums, percentages) stays a finite float."""
TIME_PROBLEM = "has times too large to be real (over 10**12 seconds)"


CHUNK = 4096
"""Functions whose caller records are checked together: their objects stay
in the processor's cache from one pass to the next, and the lists the passes
make stay small."""


def check_callers(path: str, callers: Sequence[Any]) -> None:
    """Each caller key is a ``(file, line, name)`` triple, each edge ``(nc, cc, tt, ct)``.

    Raises :class:`ProfileError` naming ``path`` on the first kind of problem
    found. C-level passes do the work: ``set(map(type, …))`` for types,
    ``sum`` for finiteness (a NaN or infinity stays in it), ``min``/``max``
    for bounds. They run over :data:`CHUNK` functions' records at a time:
    over all 1.5 million records of a big profile at once, every pass but the
    first would fetch each object from memory again.
    """
    # Also the one check that each function's callers are a dictionary.
    if not set(map(type, callers)) <= {dict}:
        raise not_pstats_shape(path)
    # marshal can make every function share one callers dictionary: a file
    # of kilobytes would then hold millions of edges.
    filled = list(filter(None, callers))
    if len(set(map(id, filled))) != len(filled):
        raise ProfileError(path, "has functions sharing one callers record (a crafted file?)")
    for start in range(0, len(filled), CHUNK):
        _check_records(path, filled[start : start + CHUNK])


def _check_records(path: str, filled: list[dict[Any, Any]]) -> None:
    _check_caller_keys(path, list(itertools.chain.from_iterable(filled)))
    edges: list[Any] = list(itertools.chain.from_iterable(map(dict.values, filled)))
    if not edges:
        return
    kinds = set(map(type, edges))
    if not kinds <= {tuple, int}:
        raise ProfileError(path, "has caller records of an unexpected shape")
    bare = edges if kinds == {int} else [edge for edge in edges if type(edge) is int]
    if bare and not (min(bare) >= -COUNT_LIMIT and max(bare) < COUNT_LIMIT):
        raise ProfileError(path, "has call counts too large to be real (2**63 or more)")
    timed = edges if kinds == {tuple} else [edge for edge in edges if type(edge) is tuple]
    if not timed:
        return
    _check_edge_figures(path, timed)


def _check_caller_keys(path: str, keys: list[Any]) -> None:
    problem = "has a caller that is not a (file, line, name) key"
    if not keys:
        return
    if not set(map(type, keys)) <= {tuple}:
        raise ProfileError(path, problem)
    try:
        files, lines, names = zip(*keys, strict=True)
    except ValueError:
        raise ProfileError(path, problem) from None
    if not (set(map(type, files)) == {str} and set(map(type, names)) == {str}):
        raise ProfileError(path, problem)
    if not set(map(type, lines)) <= {int}:
        raise ProfileError(path, problem)
    if not (min(lines) >= 0 and max(lines) <= LINE_LIMIT):
        raise ProfileError(path, LINE_PROBLEM)


def _check_edge_figures(path: str, timed: list[tuple[Any, ...]]) -> None:
    """Each ``(nc, cc, tt, ct)``: counts integers within 64 bits, times finite and bounded.

    ``zip(strict=True)`` makes the columns and checks that every record has
    four figures; one type pass per column (``bool`` is an ``int`` to every
    other check); ``array("q")`` copies of the counts, which overflow at 2**63
    either way; ``sum`` for the times' finiteness (a NaN stays in it) and
    ``min``/``max`` for their range.
    """
    try:
        nc, cc, tt, ct = zip(*timed, strict=True)
    except ValueError:
        raise ProfileError(path, "has caller records of an unexpected shape") from None
    count_kinds = set(map(type, nc)) | set(map(type, cc))
    time_kinds = set(map(type, tt)) | set(map(type, ct))
    if not (count_kinds | time_kinds) <= {int, float}:
        raise ProfileError(path, "has times or counts that are not numbers")
    if count_kinds != {int}:
        raise ProfileError(path, "has call counts that are not integers")
    try:
        array("q", nc), array("q", cc)
    except OverflowError:
        raise ProfileError(path, "has call counts too large to be real (2**63 or more)") from None
    try:
        times = sum(tt, 0.0) + sum(ct, 0.0)
    except OverflowError:  # an integer too big for a float among the times
        raise ProfileError(path, "has times that are not finite numbers (too large)") from None
    if not math.isfinite(times):
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
    if not (min(min(tt), min(ct)) >= -TIME_LIMIT and max(max(tt), max(ct)) <= TIME_LIMIT):
        raise ProfileError(path, TIME_PROBLEM)
