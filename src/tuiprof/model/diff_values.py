"""The values of a diff: statuses, measures, sides, one function's or one edge's figures.

Kept apart from :mod:`tuiprof.model.diff` (which re-exports them) so that
module stays one job: the rows and columns of two matched profiles.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from tuiprof.model.names import FunctionKey


class Status(enum.IntEnum):
    """How a function fared between the runs."""

    SAME = 0
    """Found on both sides with equal call counts and times."""
    CHANGED = 1
    NEW = 2
    """Only in the after profile."""
    REMOVED = 3
    """Only in the before profile."""

    @property
    def word(self) -> str:
        return self.name.lower()


class Measure(enum.Enum):
    """A figure the diff compares."""

    NCALLS = "ncalls"
    TOTTIME = "tottime"
    CUMTIME = "cumtime"


class Side(enum.Enum):
    """Which value of a measure: either run's, their difference, or that as a percent."""

    BEFORE = "before"
    AFTER = "after"
    DELTA = "delta"
    PERCENT = "percent"
    """The delta as a percentage of the before value (infinite for new functions)."""


INFINITY = float("inf")


def percent_change(before: float, after: float) -> float:
    """``(after - before) / before`` in percent; +inf when only the after side has time."""
    if before:
        return 100.0 * (after - before) / abs(before)
    if after > 0:
        return INFINITY
    if after < 0:
        return -INFINITY
    return 0.0


@dataclass(frozen=True, slots=True)
class Figures:
    """One function's figures on one side (times scaled when normalized)."""

    ncalls: int
    primitive_calls: int
    tottime: float
    cumtime: float


@dataclass(frozen=True, slots=True)
class EdgeDiff:
    """One caller or callee edge, before and after.

    ``row`` is the far end's row in the diff, or :data:`NONE` when the far end
    is not a function of either profile (pstats keeps such callers).
    """

    row: int
    key: FunctionKey
    before: Figures | None
    after: Figures | None

    def delta(self, measure: Measure) -> float:
        return _value(self.after, measure) - _value(self.before, measure)


def _value(figures: Figures | None, measure: Measure) -> float:
    if figures is None:
        return 0
    if measure is Measure.NCALLS:
        return figures.ncalls
    if measure is Measure.TOTTIME:
        return figures.tottime
    return figures.cumtime
