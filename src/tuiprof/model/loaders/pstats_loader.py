"""cProfile/pstats files (marshal) into raw stats dictionaries, checked.

The checks run over whole columns with C-level builtins (``map``, ``set``,
``zip``) rather than a Python loop per function: on a 300,000-function file
the load stays close to the cost of ``marshal.loads`` itself.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from types import CodeType
from typing import Any

from tuiprof.model.edges import (
    LINE_LIMIT,
    LINE_PROBLEM,
    TIME_LIMIT,
    TIME_PROBLEM,
    check_callers,
)
from tuiprof.model.errors import ProfileError, not_pstats_shape
from tuiprof.model.marshal_decode import decode
from tuiprof.model.marshal_values import CodePlaceholder, MarshalError
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import RawCallers
from tuiprof.model.sums import sum_in_order

RawStats = dict[FunctionKey, tuple[int, int, float, float, RawCallers]]

SAMPLED_MARKER = ("__sampled__",)
"""Python 3.15's sampling profiler adds this entry to the pstats dictionary."""


Columns = tuple[list[int], list[int], list[float], list[float], list[RawCallers]]
"""A stats dictionary's values as five columns: cc, nc, tt, ct, callers."""


@dataclass(slots=True)
class PstatsPart:
    """One pstats file, decoded and checked, with its values as columns."""

    stats: RawStats
    columns: Columns
    total_time: float
    """``pstats.Stats.total_tt`` for this file alone (its own-time column summed in order)."""
    total_calls: int
    total_primitive_calls: int
    warnings: list[str]
    edges_checked: bool
    """False when the caller records were left for :meth:`Profile.check_edges`."""


def parse_pstats_part(path: str, data: bytes, *, check_edges: bool = True) -> PstatsPart:
    """Decode and check a pstats file's bytes.

    :func:`~tuiprof.model.marshal_decode.decode` never runs, crashes on or
    over-allocates for anything in the file. The caller should pause the
    garbage collector around this call: a profile is millions of small
    containers. With ``check_edges=False`` the caller records (five in six of
    a big file's objects) are left unchecked, for a first screen that does not
    show them.
    """
    try:
        decoded = decode(data, path)
    except MarshalError as error:
        if error.truncated:
            raise ProfileError(path, "is truncated (the pstats data ends too early)") from None
        raise ProfileError(path, f"is not a valid pstats file ({error.problem})") from None
    stats = decoded.value
    if not isinstance(stats, dict):
        kind = type(stats).__name__
        raise ProfileError(path, f"holds marshal data of type {kind}, not a pstats dictionary")
    warnings: list[str] = []
    if SAMPLED_MARKER in stats:
        stats = dict(stats)
        del stats[SAMPLED_MARKER]
        warnings.append(f"{path}: sampled profile; call counts are sample counts")
    if not _keys_are_plain(path, stats) or decoded.python2 or decoded.has_code:
        # A code object inside a key (the pure-Python profile module), or
        # Python 2's byte strings. Rare, so the slow path may rebuild every
        # key and every caller reference.
        python2 = decoded.python2
        stats = {
            _fix_key(path, key, python2): _fix_value(path, value, python2)
            for key, value in stats.items()
        }
    columns = _columns(path, stats)
    part = _checked_part(path, stats, columns, warnings)
    if check_edges:
        check_callers(path, columns[4])
        part.edges_checked = True
    return part


def _keys_are_plain(path: str, stats: dict[Any, Any]) -> bool:
    """Whether every function key is a plain ``(str, int, str)`` tuple.

    ``zip(strict=True)`` over the keys checks their length and gives columns
    whose types one ``set(map(type, …))`` each checks, all in C loops.
    """
    if not stats:
        return True
    if not set(map(type, stats)) <= {tuple}:
        raise not_pstats_shape(path)
    try:
        files, lines, names = zip(*stats, strict=True)
    except ValueError:
        raise not_pstats_shape(path) from None
    if not set(map(type, lines)) <= {int}:
        raise not_pstats_shape(path)
    if not (min(lines) >= 0 and max(lines) <= LINE_LIMIT):
        raise ProfileError(path, LINE_PROBLEM)
    return set(map(type, files)) == {str} and set(map(type, names)) == {str}


def _columns(path: str, stats: RawStats) -> Columns:
    if not stats:
        return [], [], [], [], []
    # zip raises for a value that is not iterable or not five long. A value of
    # another iterable type (a string, a set) cannot hold a dictionary, so it
    # fails the number checks here, or else the caller-record check: at load,
    # or with late edge checks on first use, which then drops every edge.
    try:
        cc, nc, tt, ct, callers = zip(*stats.values(), strict=True)
    except (TypeError, ValueError):
        raise not_pstats_shape(path) from None
    return list(cc), list(nc), list(tt), list(ct), list(callers)


def _fix_key(path: str, key: object, python2: bool) -> FunctionKey:
    if type(key) is not tuple or len(key) != 3:
        raise not_pstats_shape(path)
    file, line, name = key
    if type(line) is not int:
        raise not_pstats_shape(path)
    if not 0 <= line <= LINE_LIMIT:
        raise ProfileError(path, LINE_PROBLEM)
    return (_as_text(path, file, python2), line, _as_text(path, name, python2))


def _fix_value(path: str, value: Any, python2: bool) -> Any:
    if not isinstance(value, (tuple, list)) or len(value) != 5:
        raise not_pstats_shape(path)
    callers = value[4]
    if not isinstance(callers, dict):
        raise not_pstats_shape(path)
    fixed = {}
    for key, edge in callers.items():
        if not isinstance(key, tuple) or len(key) != 3:
            raise ProfileError(path, "has a caller that is not a (file, line, name) key")
        fixed[_fix_key(path, key, python2)] = edge
    return (*value[:4], fixed)


def _as_text(path: str, part: object, python2: bool) -> str:
    """A key's file or name as text: a code object gives its name, Python 2 its bytes."""
    if type(part) is str:
        return part
    if isinstance(part, CodePlaceholder):
        return part.qualname
    if isinstance(part, CodeType):  # decoded by marshal itself, from this Python's file
        name = getattr(part, "co_qualname", None) or part.co_name
        if isinstance(name, str):
            return name
    if python2 and type(part) is bytes:
        return part.decode("utf-8", "backslashreplace")
    raise not_pstats_shape(path)


def _only(kinds: set[type], *columns: Sequence[object]) -> bool:
    """Whether every item of ``columns`` is exactly of one of ``kinds`` (no bool for an int)."""
    return all(set(map(type, column)) <= kinds for column in columns)


def _checked_part(path: str, stats: RawStats, columns: Columns, warnings: list[str]) -> PstatsPart:
    """Check the functions' own numbers; their sums are the profile's totals anyway.

    One pass per column checks the types (``bool`` is an ``int`` to ``sum``);
    the ranges are checked on ``array`` copies (a count that does not fit in
    64 bits overflows the conversion), whose minima and maxima need no
    object per item.
    """
    cc, nc, tt, ct, _callers = columns  # the callers are check_callers' job
    if not _only({int}, nc, cc):
        raise ProfileError(path, "has call counts that are not integers")
    try:
        counts = array("q", nc), array("q", cc)
    except OverflowError:
        raise ProfileError(path, "has call counts too large to be real (2**63 or more)") from None
    del counts
    calls, primitive = sum(nc), sum(cc)
    if not _only({float, int}, tt, ct):
        raise ProfileError(path, "has times that are not numbers")
    try:
        total_time = sum_in_order(tt)  # pstats.Stats.total_tt
        check = total_time + sum(ct, 0.0)
    except OverflowError:
        raise ProfileError(path, "has times that are not finite numbers (too large)") from None
    if not math.isfinite(check):
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
    if tt:
        own, cumulative = array("d", tt), array("d", ct)
        lowest = min(min(own), min(cumulative))
        if not (lowest >= -TIME_LIMIT and max(max(own), max(cumulative)) <= TIME_LIMIT):
            raise ProfileError(path, TIME_PROBLEM)
        if lowest < 0:
            warnings.append(
                f"{path}: some times are negative (the profile module's calibration "
                "can cause this); they are shown as recorded"
            )
    return PstatsPart(stats, columns, total_time, calls, primitive, warnings, False)
