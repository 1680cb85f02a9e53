"""cProfile/pstats files (marshal) into raw stats dictionaries, checked.

The checks run over columns with C-level builtins (``map``, ``set``, ``zip``)
rather than a Python loop per function, a few thousand functions at a time so
that each pass finds the objects the last one fetched still in the
processor's cache: on a 300,000-function file the load stays close to the
cost of ``marshal.loads`` itself.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from types import CodeType
from typing import Any

from tuiprof.model.edges import (
    CHUNK,
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
    part = _checked_part(path, stats, warnings)
    if check_edges:
        check_callers(path, part.columns[4])
        part.edges_checked = True
    return part


def _keys_are_plain(path: str, stats: dict[Any, Any]) -> bool:
    """Whether every function key is a plain ``(str, int, str)`` tuple.

    ``zip(strict=True)`` over the keys checks their length and gives columns
    whose types one ``set(map(type, …))`` each checks, all in C loops, over
    :data:`~tuiprof.model.edges.CHUNK` keys at a time (whose objects stay in
    the processor's cache from one pass to the next).
    """
    keys = list(stats)
    plain = True
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        if not set(map(type, chunk)) <= {tuple}:
            raise not_pstats_shape(path)
        try:
            files, lines, names = zip(*chunk, strict=True)
        except ValueError:
            raise not_pstats_shape(path) from None
        if not set(map(type, lines)) <= {int}:
            raise not_pstats_shape(path)
        if not (min(lines) >= 0 and max(lines) <= LINE_LIMIT):
            raise ProfileError(path, LINE_PROBLEM)
        plain = plain and set(map(type, files)) == {str} and set(map(type, names)) == {str}
    return plain


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


def _checked_part(path: str, stats: RawStats, warnings: list[str]) -> PstatsPart:
    """The values as five columns, with the functions' own numbers checked.

    The values are split into columns :data:`~tuiprof.model.edges.CHUNK` at
    a time, and each chunk's numbers are checked while their objects are in
    the processor's cache: one type pass per column (``bool`` is an ``int``
    to ``sum``), then ``array`` copies (a count that does not fit in 64 bits
    overflows the conversion), on whose whole columns the times' ranges are
    checked without an object per item.
    """
    cc: list[int] = []
    nc: list[int] = []
    tt: list[float] = []
    ct: list[float] = []
    callers: list[RawCallers] = []
    own, cumulative = array("d"), array("d")
    values = list(stats.values())
    for start in range(0, len(values), CHUNK):
        # zip raises for a value that is not iterable or not five long. A value
        # of another iterable type (a string, a set) cannot hold a dictionary,
        # so it fails the number checks here, or else the caller-record check:
        # at load, or with late edge checks on first use, which then drops
        # every edge.
        try:
            part_cc, part_nc, part_tt, part_ct, part_callers = zip(
                *values[start : start + CHUNK], strict=True
            )
        except (TypeError, ValueError):
            raise not_pstats_shape(path) from None
        if not _only({int}, part_nc, part_cc):
            raise ProfileError(path, "has call counts that are not integers")
        try:
            array("q", part_nc), array("q", part_cc)
        except OverflowError:
            message = "has call counts too large to be real (2**63 or more)"
            raise ProfileError(path, message) from None
        if not _only({float, int}, part_tt, part_ct):
            raise ProfileError(path, "has times that are not numbers")
        try:
            own.extend(part_tt)
            cumulative.extend(part_ct)
        except OverflowError:  # an integer too big for a float
            raise ProfileError(path, "has times that are not finite numbers (too large)") from None
        cc += part_cc
        nc += part_nc
        tt += part_tt
        ct += part_ct
        callers += part_callers
    del values
    total_time = sum_in_order(tt)  # pstats.Stats.total_tt
    if not math.isfinite(total_time + sum(cumulative)):
        raise ProfileError(path, "has times that are not finite numbers (NaN or infinity)")
    if tt:
        lowest = min(min(own), min(cumulative))
        if not (lowest >= -TIME_LIMIT and max(max(own), max(cumulative)) <= TIME_LIMIT):
            raise ProfileError(path, TIME_PROBLEM)
        if lowest < 0:
            warnings.append(
                f"{path}: some times are negative (the profile module's calibration "
                "can cause this); they are shown as recorded"
            )
    columns: Columns = (cc, nc, tt, ct, callers)
    return PstatsPart(stats, columns, total_time, sum(nc), sum(cc), warnings, False)
