"""cProfile/pstats files (marshal) into raw stats dictionaries, checked.

The checks run over whole columns with C-level builtins (``map``, ``set``,
``zip``) rather than a Python loop per function: on a 300,000-function file
the load stays close to the cost of ``marshal.loads`` itself.
"""

from __future__ import annotations

import functools
import itertools
import marshal
import math
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from tuiprof.model.errors import ProfileError
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import RawCallers

RawStats = dict[FunctionKey, tuple[int, int, float, float, RawCallers]]

SAMPLED_MARKER = ("__sampled__",)
"""Python 3.15's sampling profiler adds this entry to the pstats dictionary."""

_NUMBER = (int, float)


def parse_pstats(path: str, data: bytes) -> tuple[RawStats, list[str]]:
    """Decode and check a pstats file's bytes; also return warnings for the user.

    ``marshal`` builds data but never runs it, so even a file holding a code
    object is safe to decode. The caller should pause the garbage collector
    around this call: a profile is millions of small containers.
    """
    try:
        stats = marshal.loads(data)
    except EOFError:
        raise ProfileError(path, "is truncated (the pstats data ends too early)") from None
    except (ValueError, TypeError):
        raise ProfileError(path, "is not a valid pstats file (bad marshal data)") from None
    if not isinstance(stats, dict):
        kind = type(stats).__name__
        raise ProfileError(path, f"holds marshal data of type {kind}, not a pstats dictionary")
    warnings: list[str] = []
    if SAMPLED_MARKER in stats:
        stats = dict(stats)
        del stats[SAMPLED_MARKER]
        warnings.append(f"{path}: sampled profile; call counts are sample counts")
    stats = _normalize_keys(path, stats)
    _check_values(path, stats, warnings)
    return stats, warnings


def _normalize_keys(path: str, stats: dict[Any, Any]) -> RawStats:
    keys = list(stats)
    if not keys:
        return stats
    if set(map(type, keys)) != {tuple} or set(map(len, keys)) != {3}:
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    files, lines, names = zip(*keys, strict=True)
    if (
        set(map(type, files)) == {str}
        and set(map(type, lines)) == {int}
        and set(map(type, names)) == {str}
        and _caller_keys_are_plain(path, stats)
    ):
        return stats
    # The pure-Python profile module can leave a code object inside a key.
    # Rare, so the slow path may rebuild every key and every caller reference.
    fixed: RawStats = {}
    for key, value in stats.items():
        fixed[_fix_key(path, key)] = _fix_value(path, value)
    return fixed


def _caller_keys_are_plain(path: str, stats: dict[Any, Any]) -> bool:
    """Whether every caller key is a plain ``(str, int, str)`` tuple.

    Checked column by column over all edges in C loops: a set lookup per edge
    would cost more than decoding the file.
    """
    values = stats.values()
    if not set(map(type, values)) <= {tuple, list} or set(map(len, values)) != {5}:
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    callers = list(map(operator.itemgetter(4), values))
    if not set(map(type, callers)) <= {dict}:
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    keys = list(itertools.chain.from_iterable(callers))
    if not keys:
        return True
    if set(map(type, keys)) != {tuple} or set(map(len, keys)) != {3}:
        raise ProfileError(path, "has a caller that is not a (file, line, name) key")
    wanted = (str, int, str)
    return all(set(map(type, map(operator.itemgetter(i), keys))) == {wanted[i]} for i in range(3))


def _fix_key(path: str, key: tuple[Any, ...]) -> FunctionKey:
    file, line, name = key
    if not isinstance(line, int) or isinstance(line, bool):
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    return (_as_text(path, file), line, _as_text(path, name))


def _fix_value(path: str, value: Any) -> Any:
    if not isinstance(value, (tuple, list)) or len(value) != 5:
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    callers = value[4]
    if not isinstance(callers, dict):
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    fixed = {}
    for key, edge in callers.items():
        if not isinstance(key, tuple) or len(key) != 3:
            raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
        fixed[_fix_key(path, key)] = edge
    return (*value[:4], fixed)


def _as_text(path: str, part: object) -> str:
    if isinstance(part, str):
        return part
    name = getattr(part, "co_qualname", None) or getattr(part, "co_name", None)
    if isinstance(name, str):
        return name
    if isinstance(part, (bytes, int, float)):
        return repr(part)
    raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")


def _check_values(path: str, stats: RawStats, warnings: list[str]) -> None:
    values: Sequence[Any] = list(stats.values())
    if not values:
        return
    if not set(map(type, values)) <= {tuple, list} or set(map(len, values)) != {5}:
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    cc, nc, tt, ct, callers = zip(*values, strict=True)
    for column in (cc, nc):
        if not set(map(type, column)) <= {int}:
            raise ProfileError(path, "has call counts that are not integers")
    for column in (tt, ct):
        if not set(map(type, column)) <= {int, float}:
            raise ProfileError(path, "has times that are not numbers")
    if not set(map(type, callers)) <= {dict}:
        raise ProfileError(path, "is a marshal dictionary, but not of pstats' shape")
    _check_edges(path, itertools.chain.from_iterable(map(dict.values, callers)))
    total = functools.reduce(operator.add, tt, 0.0) + functools.reduce(operator.add, ct, 0.0)
    if not math.isfinite(total):
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
    if min(tt) < 0 or min(ct) < 0:
        warnings.append(
            f"{path}: some times are negative (the profile module's calibration "
            "can cause this); they are shown as recorded"
        )


def _check_edges(path: str, raw_edges: Iterable[Any]) -> None:
    """Each caller edge is ``(nc, cc, tt, ct)`` or, from the ``profile`` module, a count.

    A bad edge would only fail later, when its function's callers are shown;
    checking here keeps every problem a load error. Column-wise, in C loops.
    """
    edges = list(raw_edges)
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
    for column in (0, 1):
        if not set(map(type, map(operator.itemgetter(column), timed))) <= {int}:
            raise ProfileError(path, "has call counts that are not integers")
    # One sum over every number of every edge: a non-number makes it raise,
    # one NaN or infinity makes it NaN or infinite.
    try:
        total = sum(itertools.chain.from_iterable(timed))
        finite = math.isfinite(total)
    except TypeError:
        raise ProfileError(path, "has times that are not numbers") from None
    if not finite:
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
