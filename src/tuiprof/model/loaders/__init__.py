"""Bytes on disk into a :class:`~tuiprof.model.profile.Profile`.

``load_profile`` takes any mix of pstats and ``.lprof`` files. pstats files
are merged as ``pstats.Stats.add`` merges them, ``.lprof`` files are summed,
and line data is joined to functions on (file, first line).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence

from tuiprof.model.collector import collector_paused
from tuiprof.model.errors import ProfileError
from tuiprof.model.loaders.lprof_loader import RawTimings, parse_lprof
from tuiprof.model.loaders.pstats_loader import Columns, RawStats, parse_pstats_columns
from tuiprof.model.loaders.sniff import Format, describe, read_input, sniff
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import FunctionLines, LineTiming, Profile, RawCallers

__all__ = ["ProfileError", "load_profile", "merge_pstats"]


def load_profile(paths: Sequence[str]) -> Profile:
    """Load, check, merge and join the given files; :class:`ProfileError` on any problem."""
    if not paths:
        raise ValueError("no input files")
    pstats_parts: list[tuple[str, RawStats, Columns]] = []
    lprof_parts: list[tuple[str, RawTimings, float]] = []
    warnings: list[str] = []
    with collector_paused(freeze=True):
        for path in paths:
            data = read_input(path)
            kind = sniff(data)
            if kind is Format.PSTATS:
                stats, columns, notes = parse_pstats_columns(path, data)
                pstats_parts.append((path, stats, columns))
                warnings.extend(notes)
            elif kind is Format.LPROF:
                timings, unit = parse_lprof(path, data)
                lprof_parts.append((path, timings, unit))
            else:
                raise ProfileError(path, describe(data))
            del data
        if pstats_parts:
            profile = _profile_from_pstats(
                [(stats, columns) for _, stats, columns in pstats_parts], tuple(paths), warnings
            )
        else:
            profile = _empty_profile(tuple(paths), warnings)
        if lprof_parts:
            _join_lines(profile, _sum_lprof(lprof_parts))
    return profile


def merge_pstats(parts: Sequence[RawStats]) -> RawStats:
    """Merge stats dictionaries exactly as ``pstats.Stats(a, b, c)`` does.

    ``Stats.add`` adds the later files in reverse order; float addition is not
    associative, so the same order gives the same last bits.
    """
    merged: RawStats = dict(parts[0])
    for stats in reversed(parts[1:]):
        for func, stat in stats.items():
            old = merged.get(func)
            merged[func] = stat if old is None else _add_func_stats(old, stat)
    return merged


def _add_func_stats(
    target: tuple[int, int, float, float, RawCallers],
    source: tuple[int, int, float, float, RawCallers],
) -> tuple[int, int, float, float, RawCallers]:
    cc, nc, tt, ct, callers = source
    t_cc, t_nc, t_tt, t_ct, t_callers = target
    merged_callers: RawCallers = dict(t_callers)
    for func, edge in callers.items():
        old = merged_callers.get(func)
        if old is None:
            merged_callers[func] = edge
        elif isinstance(edge, tuple) and isinstance(old, tuple):
            merged_callers[func] = (
                edge[0] + old[0],
                edge[1] + old[1],
                edge[2] + old[2],
                edge[3] + old[3],
            )
        elif isinstance(edge, int) and isinstance(old, int):
            merged_callers[func] = old + edge
        else:
            merged_callers[func] = edge  # mixed profilers: no honest sum exists
    return (cc + t_cc, nc + t_nc, tt + t_tt, ct + t_ct, merged_callers)


def _profile_from_pstats(
    parts: list[tuple[RawStats, Columns]], files: tuple[str, ...], warnings: list[str]
) -> Profile:
    # pstats.Stats(a, b, c): total_tt = total(a) + total(c) + total(b)
    totals = [functools.reduce(operator.add, columns[2], 0) for _, columns in parts]
    total_time = totals[0]
    for total in reversed(totals[1:]):
        total_time += total
    if len(parts) == 1:
        stats, (cc, nc, tt, ct, callers) = parts[0]
        keys = list(stats)
    else:
        merged = merge_pstats([stats for stats, _ in parts])
        keys = list(merged)
        if keys:
            cc, nc, tt, ct, callers = (list(c) for c in zip(*merged.values(), strict=True))
        else:
            cc, nc, tt, ct, callers = [], [], [], [], []
    return Profile(
        keys=keys,
        primitive_calls=cc,
        ncalls=nc,
        tottime=tt,
        cumtime=ct,
        callers_raw=callers,
        total_time=total_time,
        total_calls=sum(nc),
        total_primitive_calls=sum(cc),
        files=files,
        warnings=warnings,
    )


def _empty_profile(files: tuple[str, ...], warnings: list[str]) -> Profile:
    return Profile(
        keys=[],
        primitive_calls=[],
        ncalls=[],
        tottime=[],
        cumtime=[],
        callers_raw=[],
        total_time=0.0,
        total_calls=0,
        total_primitive_calls=0,
        files=files,
        has_call_data=False,
        warnings=warnings,
    )


_Summed = dict[FunctionKey, tuple[dict[int, list[float]], float | None]]
"""Per function: per line ``[hits, seconds, raw time]``, and the shared unit or None."""


def _sum_lprof(parts: list[tuple[str, RawTimings, float]]) -> _Summed:
    """Sum several ``.lprof`` files: per function, per line, hits, seconds and raw time."""
    summed: _Summed = {}
    for _path, timings, unit in parts:
        for key, rows in timings.items():
            lines, known_unit = summed.get(key, ({}, unit))
            shared = known_unit if known_unit == unit else None
            summed[key] = (lines, shared)
            for line, hits, time in rows:
                cell = lines.setdefault(line, [0, 0.0, 0])
                cell[0] += hits
                cell[1] += time * unit
                cell[2] += time
    return summed


def _join_lines(profile: Profile, summed: _Summed) -> None:
    """Attach line data to functions on (file, first line).

    line_profiler 5 names methods by their qualified name (``Class.method``)
    where cProfile records ``method``, so the name only breaks ties. Functions
    that only line_profiler saw are added, with their line total as their time
    and unknown (-1) call counts.
    """
    by_place: dict[tuple[str, int], list[int]] = {}
    if profile.keys and summed:
        wanted = {(key[0], key[1]) for key in summed}
        for fid, key in enumerate(profile.keys):
            place = (key[0], key[1])
            if place in wanted:
                by_place.setdefault(place, []).append(fid)
    for key, (rows, unit) in summed.items():
        file, first_line, name = key
        timings = tuple(
            LineTiming(line, int(hits), seconds, None if unit is None else raw)
            for line, (hits, seconds, raw) in sorted(rows.items())
        )
        lines = FunctionLines(file, first_line, name, timings, unit)
        fid = _match(profile, by_place.get((file, first_line), []), name)
        if fid < 0:
            fid = len(profile.keys)
            profile.keys.append((file, first_line, name))
            profile.primitive_calls.append(-1)
            profile.ncalls.append(-1)
            profile.tottime.append(lines.total)
            profile.cumtime.append(lines.total)
            profile.callers_raw.append({})
            profile._index = None
            if not profile.has_call_data:
                profile.total_time += lines.total
        profile.lines[fid] = lines


def _match(profile: Profile, candidates: list[int], name: str) -> int:
    if not candidates:
        return -1
    if len(candidates) == 1:
        return candidates[0]
    short = name.rsplit(".", 1)[-1]
    for fid in candidates:
        if profile.keys[fid][2] in (name, short):
            return fid
    return candidates[0]
