"""cProfile/pstats files (marshal) into raw stats dictionaries, checked.

The checks run over whole columns with C-level builtins (``map``, ``set``,
``zip``) rather than a Python loop per function: on a 300,000-function file
the load stays close to the cost of ``marshal.loads`` itself.
"""

from __future__ import annotations

import itertools
import marshal
import math
import operator
from typing import Any

from tuiprof.model.errors import ProfileError
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import RawCallers

RawStats = dict[FunctionKey, tuple[int, int, float, float, RawCallers]]

SAMPLED_MARKER = ("__sampled__",)
"""Python 3.15's sampling profiler adds this entry to the pstats dictionary."""


Columns = tuple[list[int], list[int], list[float], list[float], list[RawCallers]]
"""A stats dictionary's values as five columns: cc, nc, tt, ct, callers."""


def parse_pstats(path: str, data: bytes) -> tuple[RawStats, list[str]]:
    """Decode and check a pstats file's bytes; also return warnings for the user."""
    stats, _columns, warnings = parse_pstats_columns(path, data)
    return stats, warnings


def parse_pstats_columns(path: str, data: bytes) -> tuple[RawStats, Columns, list[str]]:
    """Decode and check a pstats file's bytes, returning its values as columns too.

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
    if not _keys_are_plain(path, stats):
        # The pure-Python profile module can leave a code object inside a key.
        # Rare, so the slow path may rebuild every key and every caller reference.
        stats = {_fix_key(path, key): _fix_value(path, value) for key, value in stats.items()}
    columns = _columns(path, stats)
    _check_values(path, columns, warnings)
    return stats, columns, warnings


def _shape_error(path: str) -> ProfileError:
    return ProfileError(path, "is a marshal dictionary, but not of pstats' shape")


def _keys_are_plain(path: str, stats: dict[Any, Any]) -> bool:
    """Whether every function key is a plain ``(str, int, str)`` tuple.

    ``zip(strict=True)`` over the keys checks their length and gives columns
    whose types one ``set(map(type, …))`` each checks, all in C loops.
    """
    if not stats:
        return True
    if not set(map(type, stats)) <= {tuple}:
        raise _shape_error(path)
    try:
        files, lines, names = zip(*stats, strict=True)
    except ValueError:
        raise _shape_error(path) from None
    if not set(map(type, lines)) <= {int} and not all(isinstance(n, int) for n in lines):
        raise _shape_error(path)
    return set(map(type, files)) == {str} and set(map(type, names)) == {str}


def _columns(path: str, stats: RawStats) -> Columns:
    if not stats:
        return [], [], [], [], []
    values = stats.values()
    if not set(map(type, values)) <= {tuple, list}:
        raise _shape_error(path)
    try:
        cc, nc, tt, ct, callers = zip(*values, strict=True)
    except ValueError:
        raise _shape_error(path) from None
    return list(cc), list(nc), list(tt), list(ct), list(callers)


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


def _check_values(path: str, columns: Columns, warnings: list[str]) -> None:
    cc, nc, tt, ct, callers = columns
    if not tt:
        return
    if not set(map(type, cc)) <= {int} or not set(map(type, nc)) <= {int}:
        raise ProfileError(path, "has call counts that are not integers")
    if not set(map(type, tt)) <= {int, float} or not set(map(type, ct)) <= {int, float}:
        raise ProfileError(path, "has times that are not numbers")
    if not set(map(type, callers)) <= {dict}:
        raise _shape_error(path)
    _check_callers(path, callers)
    total = sum(tt, 0.0) + sum(ct, 0.0)
    if not math.isfinite(total):
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
    if min(tt) < 0 or min(ct) < 0:
        warnings.append(
            f"{path}: some times are negative (the profile module's calibration "
            "can cause this); they are shown as recorded"
        )


def _check_callers(path: str, callers: list[RawCallers]) -> None:
    """Each caller key is a ``(file, line, name)`` triple, each edge ``(nc, cc, tt, ct)``.

    A bad edge would only fail later, when its function's callers are shown;
    checking here keeps every problem a load error. One C-level ``sum`` per
    column does the work of a type check: a float among the counts makes the
    sum a float, a non-number makes it raise, a NaN or infinity stays in it.
    The element types of caller keys are not checked one by one (that alone
    would cost a quarter of the decoding time); names are shown with ``str``.
    """
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
    if type(counts) is not int:
        raise ProfileError(path, "has call counts that are not integers")
    if not isinstance(times, float) or not math.isfinite(times):
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
