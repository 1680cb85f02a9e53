"""Bytes on disk into a :class:`~tuiprof.model.profile.Profile`.

``load_profile`` takes any mix of pstats and ``.lprof`` files. pstats files
are merged as ``pstats.Stats.add`` merges them, ``.lprof`` files are summed,
and line data is joined to functions on (file, first line).
"""

from __future__ import annotations

from collections.abc import Sequence

from tuiprof.model.collector import collector_paused
from tuiprof.model.errors import ProfileError
from tuiprof.model.loaders.lprof_loader import RawTimings, parse_lprof
from tuiprof.model.loaders.pstats_loader import PstatsPart, RawStats, parse_pstats_part
from tuiprof.model.loaders.sniff import Format, describe, read_input, sniff
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import FunctionLines, LineTiming, Profile, RawCallers

__all__ = ["ProfileError", "load_profile", "merge_pstats"]


def load_profile(paths: Sequence[str], *, check_edges: bool = True) -> Profile:
    """Load, check, merge and join the given files; :class:`ProfileError` on any problem.

    ``check_edges=False`` is for a screen that must show a big profile's
    functions as soon as it can: a single pstats file's caller records are then
    checked on first use (:meth:`Profile.check_edges`), which is where a
    malformed one is reported. Several pstats files are always checked here,
    since merging them adds up their edges.
    """
    if not paths:
        raise ValueError("no input files")
    late_edges = not check_edges and len(paths) == 1
    pstats_parts: list[PstatsPart] = []
    lprof_parts: list[tuple[str, RawTimings, float]] = []
    warnings: list[str] = []
    with collector_paused(freeze=True):
        for path in paths:
            data = read_input(path)
            kind = sniff(data)
            if kind is Format.PSTATS:
                part = parse_pstats_part(path, data, check_edges=not late_edges)
                pstats_parts.append(part)
                warnings.extend(part.warnings)
            elif kind is Format.LPROF:
                timings, unit = parse_lprof(path, data)
                lprof_parts.append((path, timings, unit))
            else:
                raise ProfileError(path, describe(data, path))
            del data
        if pstats_parts:
            profile = _profile_from_pstats(pstats_parts, tuple(paths), warnings)
            if not pstats_parts[0].edges_checked:
                profile.defer_edge_check(paths[0], pstats_parts[0].stats)
        else:
            profile = _empty_profile(tuple(paths), warnings)
        if lprof_parts:
            _join_lines(profile, _sum_lprof(lprof_parts))
    return profile


MIXED_EDGES = (
    "mixes files of cProfile and of the profile module (which records no times per "
    "caller): the call counts of callers common to both are added, their times are "
    "cProfile's alone"
)


def merge_pstats(parts: Sequence[RawStats], warnings: list[str] | None = None) -> RawStats:
    """Merge stats dictionaries exactly as ``pstats.Stats(a, b, c)`` does.

    ``Stats.add`` adds the later files in reverse order; float addition is not
    associative, so the same order gives the same last bits. A caller record
    of cProfile and one of the ``profile`` module (a bare call count) for the
    same edge, which ``pstats`` cannot add, are added as counts, keeping
    cProfile's times; :data:`MIXED_EDGES` is then added to ``warnings``.
    """
    merged: RawStats = dict(parts[0])
    mixed = [False]
    for stats in reversed(parts[1:]):
        for func, stat in stats.items():
            old = merged.get(func)
            merged[func] = stat if old is None else _add_func_stats(old, stat, mixed)
    if mixed[0] and warnings is not None:
        warnings.append(MIXED_EDGES)
    return merged


def _add_func_stats(
    target: tuple[int, int, float, float, RawCallers],
    source: tuple[int, int, float, float, RawCallers],
    mixed: list[bool],
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
            timed, bare = (edge, old) if isinstance(edge, tuple) else (old, edge)
            assert isinstance(timed, tuple) and isinstance(bare, int)
            merged_callers[func] = (timed[0] + bare, timed[1] + bare, timed[2], timed[3])
            mixed[0] = True
    return (cc + t_cc, nc + t_nc, tt + t_tt, ct + t_ct, merged_callers)


def _profile_from_pstats(
    parts: list[PstatsPart], files: tuple[str, ...], warnings: list[str]
) -> Profile:
    # pstats.Stats(a, b, c): total_tt = total(a) + total(c) + total(b)
    total_time = parts[0].total_time
    for part in reversed(parts[1:]):
        total_time += part.total_time
    if len(parts) == 1:
        part = parts[0]
        keys = list(part.stats)
        cc, nc, tt, ct, callers = part.columns
        total_calls, total_primitive = part.total_calls, part.total_primitive_calls
    else:
        merged = merge_pstats([part.stats for part in parts], warnings)
        keys = list(merged)
        columns = zip(*merged.values(), strict=True) if merged else ((),) * 5
        cc, nc, tt, ct, callers = (list(c) for c in columns)
        total_calls, total_primitive = sum(nc), sum(cc)
    return Profile(
        keys=keys,
        primitive_calls=cc,
        ncalls=nc,
        tottime=tt,
        cumtime=ct,
        callers_raw=callers,
        total_time=total_time,
        total_calls=total_calls,
        total_primitive_calls=total_primitive,
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
