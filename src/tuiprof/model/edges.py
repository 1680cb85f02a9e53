"""Checking pstats' caller records: 1.5 million of them in a big profile.

The loader checks every function's own numbers before the first screen; the
caller records are only needed once callers, callees or the call tree are
shown, so a big profile may have them checked after its first paint
(see :meth:`tuiprof.model.profile.Profile.check_edges`).
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence
from typing import Any

from tuiprof.model.errors import ProfileError, not_pstats_shape


def check_callers(path: str, callers: Sequence[Any]) -> None:
    """Each caller key is a ``(file, line, name)`` triple, each edge ``(nc, cc, tt, ct)``.

    Raises :class:`ProfileError` naming ``path`` on the first kind of problem
    found. One C-level ``sum`` per column does the work of a type check: a
    float among the counts makes the sum a float, a non-number makes it raise,
    a NaN or infinity stays in it. The element types of caller keys are not
    checked one by one (that alone would cost a quarter of the decoding time);
    names are shown with ``str``.
    """
    # Also the one check that each function's callers are a dictionary.
    if not set(map(type, callers)) <= {dict}:
        raise not_pstats_shape(path)
    try:
        if not set(map(len, itertools.chain.from_iterable(callers))) <= {3}:
            raise TypeError
    except TypeError:
        raise ProfileError(path, "has a caller that is not a (file, line, name) key") from None
    edges: list[Any] = list(itertools.chain.from_iterable(map(dict.values, callers)))
    if not edges:
        return
    kinds = set(map(type, edges))
    if not kinds <= {tuple, int}:
        raise ProfileError(path, "has caller records of an unexpected shape")
    timed = edges if kinds == {tuple} else [edge for edge in edges if type(edge) is tuple]
    if not timed:
        return
    if set(map(len, timed)) != {4}:
        raise ProfileError(path, "has caller records of an unexpected shape")
    try:
        counts = sum(map(operator.itemgetter(0), timed)) + sum(map(operator.itemgetter(1), timed))
        # Only finiteness matters here, not pstats' exact rounding.
        times = sum(map(operator.itemgetter(2), timed), 0.0)
        times += sum(map(operator.itemgetter(3), timed), 0.0)
    except TypeError:
        raise ProfileError(path, "has times or counts that are not numbers") from None
    except OverflowError:  # an integer too big for a float among the times
        raise ProfileError(path, "has times that are not finite numbers (too large)") from None
    if type(counts) is not int:
        raise ProfileError(path, "has call counts that are not integers")
    if not isinstance(times, float) or not math.isfinite(times):
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
