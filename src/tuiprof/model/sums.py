"""The one rule for adding up times: one by one, in order, as pstats adds them.

Float addition is not associative, so a total depends on the order of its
terms. ``pstats`` adds left to right (``total_tt``, ``Stats.add``), and so
does every total tuiprof shows. The builtin ``sum`` did the same up to
Python 3.11; from 3.12 on it compensates rounding errors, which changes the
last bits, so a total must never be a plain ``sum`` of floats.
"""

from __future__ import annotations

import functools
import operator
import sys
from collections.abc import Iterable


def sum_in_order(values: Iterable[float]) -> float:
    """``values`` added one by one from the left, starting at 0, on every Python."""
    if sys.version_info < (3, 12):
        return sum(values, 0)  # the same additions, in C
    return functools.reduce(operator.add, values, 0)
