"""line_profiler ``.lprof`` files, read without line_profiler and without risk.

An ``.lprof`` file is a pickle of line_profiler's ``LineStats``. Unpickling can
call any importable callable named in the file, so the unpickler here resolves
no global at all except ``LineStats`` (under each module path line_profiler
has used), which it maps to a stand-in class of its own. Anything else stops
the load before a single object is built from it.
"""

from __future__ import annotations

import io
import math
import pickle
from typing import Any

from tuiprof.model.errors import ProfileError
from tuiprof.model.names import FunctionKey

LINESTATS_PATHS = frozenset(
    {
        ("_line_profiler", "LineStats"),
        ("line_profiler._line_profiler", "LineStats"),
        ("line_profiler.line_profiler", "LineStats"),
        ("line_profiler", "LineStats"),  # line_profiler 2.x, a top-level module
    }
)

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


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in LINESTATS_PATHS:
            return _LineStats
        raise pickle.UnpicklingError(f"refused to load {module}.{name}")

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError("refused a persistent reference")


def parse_lprof(path: str, data: bytes) -> tuple[RawTimings, float]:
    """Decode an ``.lprof`` file's bytes into ``(timings, unit)``, checked."""
    try:
        # Python 2's line_profiler wrote paths as byte strings: read them as UTF-8.
        obj = _SafeUnpickler(io.BytesIO(data), encoding="utf-8").load()
    except pickle.UnpicklingError as error:
        text = str(error)
        if text.startswith("refused"):
            raise ProfileError(
                path, f"is not a plain line_profiler file: {text} (nothing was run)"
            ) from None
        if "truncated" in text:
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
    ):
        raise ProfileError(path, "is not a valid .lprof file (bad pickle data)") from None
    except RecursionError:
        raise ProfileError(path, "is not a valid .lprof file (nested too deeply)") from None
    if not isinstance(obj, _LineStats):
        raise ProfileError(path, "is a pickle, but not of line_profiler's LineStats")
    return _check(path, obj.timings, obj.unit), float(obj.unit)


def _check(path: str, timings: Any, unit: Any) -> RawTimings:
    shape = "is a LineStats pickle of an unexpected shape"
    if not isinstance(timings, dict):
        raise ProfileError(path, shape)
    if isinstance(unit, bool) or not isinstance(unit, (int, float)) or not unit > 0:
        raise ProfileError(path, f"{shape} (no valid timer unit)")
    if not math.isfinite(unit):
        raise ProfileError(path, f"{shape} (no valid timer unit)")
    checked: RawTimings = {}
    for key, lines in timings.items():
        if (
            not isinstance(key, tuple)
            or len(key) != 3
            or not isinstance(key[0], str)
            or not isinstance(key[1], int)
            or not isinstance(key[2], str)
            or not isinstance(lines, (list, tuple))
        ):
            raise ProfileError(path, shape)
        rows = []
        for row in lines:
            if not isinstance(row, (tuple, list)) or len(row) != 3:
                raise ProfileError(path, shape)
            line, hits, time = row
            if not (isinstance(line, int) and isinstance(hits, int)):
                raise ProfileError(path, shape)
            if isinstance(time, bool) or not isinstance(time, (int, float)):
                raise ProfileError(path, shape)
            if not math.isfinite(time):
                raise ProfileError(path, "has line times that are not finite numbers")
            rows.append((line, hits, time))
        checked[key] = rows
    return checked
