"""line_profiler ``.lprof`` files, read without line_profiler and without risk.

An ``.lprof`` file is a pickle of line_profiler's ``LineStats``. Unpickling can
call any importable callable named in the file, so the unpickler here resolves
no global at all except ``LineStats`` (under each module path line_profiler
has used), which it maps to a stand-in class of its own. Anything else stops
the load before a single object is built from it.
"""

from __future__ import annotations

import math
import pickle
import struct
from typing import Any

from tuiprof.model.edges import COUNT_LIMIT, LINE_LIMIT, LINE_PROBLEM, TIME_LIMIT
from tuiprof.model.errors import ProfileError
from tuiprof.model.names import FunctionKey
from tuiprof.model.safe_pickle import RefusedGlobal, SafeUnpickler

LINESTATS_PATHS = frozenset(
    {
        ("_line_profiler", "LineStats"),
        ("line_profiler._line_profiler", "LineStats"),
        ("line_profiler.line_profiler", "LineStats"),
        ("line_profiler", "LineStats"),  # line_profiler 2.x, a top-level module
    }
)

LINE_SPAN = 100_000
"""A timed line may lie at most this many lines from its function's first line."""
UNIT_LIMIT = 1e3
"""The largest timer unit, in seconds, a file may claim (line_profiler's is 1e-6 or 1e-9)."""

RawTimings = dict[FunctionKey, list[tuple[int, int, float]]]
"""line_profiler's ``timings``: per function, ``(line, hits, time in units)``."""


class _LineStats:
    """Stands in for line_profiler's LineStats: holds state, runs nothing."""

    timings: Any = None
    unit: Any = None

    def __init__(self, *args: Any) -> None:
        if len(args) == 2:
            self.timings, self.unit = args

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple) and len(state) == 2 and state[0] is None:
            state = state[1]  # (dict state, slot state) without __dict__
        if isinstance(state, dict):
            self.timings = state.get("timings")
            self.unit = state.get("unit")


_ALLOWED: dict[tuple[str, str], object] = dict.fromkeys(LINESTATS_PATHS, _LineStats)


def parse_lprof(path: str, data: bytes) -> tuple[RawTimings, float]:
    """Decode an ``.lprof`` file's bytes into ``(timings, unit)``, checked."""
    unpickler = SafeUnpickler(data, _ALLOWED)
    try:
        # Python 2's line_profiler wrote paths as byte strings: read them as UTF-8.
        obj = unpickler.load()
    except RefusedGlobal as error:
        raise ProfileError(
            path, f"is not a plain line_profiler file: {error} (nothing was run)"
        ) from None
    except pickle.UnpicklingError as error:
        text = str(error)
        if "truncated" in text or "exhausted" in text:
            raise ProfileError(path, "is truncated (the .lprof data ends too early)") from None
        raise ProfileError(path, "is not a valid .lprof file (bad pickle data)") from None
    except EOFError:
        raise ProfileError(path, "is truncated (the .lprof data ends too early)") from None
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        MemoryError,
        OverflowError,
        struct.error,
        UnicodeDecodeError,
    ):
        if unpickler.exhausted:  # read to the end and wanted more
            raise ProfileError(path, "is truncated (the .lprof data ends too early)") from None
        raise ProfileError(path, "is not a valid .lprof file (bad pickle data)") from None
    except RecursionError:
        raise ProfileError(path, "is not a valid .lprof file (nested too deeply)") from None
    if not isinstance(obj, _LineStats):
        raise ProfileError(path, "is a pickle, but not of line_profiler's LineStats")
    return _check(path, obj.timings, obj.unit, len(data)), float(obj.unit)


def _check(path: str, timings: Any, unit: Any, size: int) -> RawTimings:
    """Every key, row and number, checked once; the rows stay in proportion to the file.

    A pickle's memo lets every function share one list of rows: a file of
    74 KB could then stand for 30 million rows. Each function must have a list
    of its own, and all of them together hold no more rows than the file has
    bytes.
    """
    shape = "is a LineStats pickle of an unexpected shape"
    if not isinstance(timings, dict):
        raise ProfileError(path, shape)
    if type(unit) not in (int, float) or not 0 < unit <= UNIT_LIMIT:
        raise ProfileError(path, f"{shape} (no valid timer unit)")
    if not math.isfinite(unit):
        raise ProfileError(path, f"{shape} (no valid timer unit)")
    row_lists = list(timings.values())
    if not all(isinstance(rows, (list, tuple)) for rows in row_lists):
        raise ProfileError(path, shape)
    filled = [rows for rows in row_lists if rows]
    if len(set(map(id, filled))) != len(filled) or sum(map(len, filled)) > size:
        raise ProfileError(path, "has functions sharing one list of line timings (a crafted file?)")
    time_limit = TIME_LIMIT / unit
    checked: RawTimings = {}
    for key, lines in timings.items():
        if (
            type(key) is not tuple
            or len(key) != 3
            or type(key[0]) is not str
            or type(key[1]) is not int
            or type(key[2]) is not str
        ):
            raise ProfileError(path, shape)
        first = key[1]
        if not 0 <= first <= LINE_LIMIT:
            raise ProfileError(path, LINE_PROBLEM)
        rows = []
        for row in lines:
            if not isinstance(row, (tuple, list)) or len(row) != 3:
                raise ProfileError(path, shape)
            line, hits, time = row
            if type(line) is not int or type(hits) is not int:
                raise ProfileError(path, shape)
            if type(time) not in (int, float):
                raise ProfileError(path, shape)
            if type(time) is float and not math.isfinite(time):
                raise ProfileError(path, "has line times that are not finite numbers")
            if not 0 <= line <= LINE_LIMIT:
                raise ProfileError(path, LINE_PROBLEM)
            if abs(line - first) > LINE_SPAN:
                raise ProfileError(
                    path, f"has a timed line {line} far from its function's first line {first}"
                )
            if not 0 <= hits < COUNT_LIMIT:
                raise ProfileError(
                    path, "has hit counts that are not real (negative or 2**63 or more)"
                )
            if not -time_limit <= time <= time_limit:
                raise ProfileError(
                    path, "has line times too large to be real (over 10**12 seconds)"
                )
            rows.append((line, hits, time))
        checked[key] = rows
    return checked
