"""Callgrind files for KCachegrind, QCachegrind and ``callgrind_annotate``.

Function-level data (``.prof``) goes through pyprof2calltree's
``CalltreeConverter``, handed a ``pstats.Stats`` whose ``stats`` dictionary is
built from the loaded profile: the file is never read twice. Before it gets
there the data is normalized:

- names and file names holding control characters are escaped
  (:func:`~tuiprof.export.text.printable`), so a newline cannot end a record;
- the pure-Python ``profile`` module's bare call counts become
  ``(n, n, 0, estimate)`` edges, the estimate being the callee's cumulative
  time in proportion to the calls (what gprof2dot assumes too);
- callers outside the exported functions are dropped (pyprof2calltree would
  fail on them);
- self times are rounded to whole nanoseconds by largest remainder, so that
  the self costs add up to the total time exactly, not just nearly.

**Line data (``.lprof``).** No converter carries line_profiler's timings into
callgrind; here is how this file does. Callgrind positions costs by line
(``positions: line``): a block ``fl=FILE`` / ``fn=NAME`` is followed by rows
``LINE COST…``, and KCachegrind's source annotation shows each row's cost
next to that line. The export declares a second event, ``line_ns``, the
line_profiler time of each line in nanoseconds, and writes one row per
timed line at its own line number, for example::

    events: ns line_ns
    fl=/src/app.py
    fn=work
    12 0 1500
    13 0 420000

Function-level time stays in the first event, ``ns`` (cProfile self time at
the function's first line, with calls and their inclusive costs), so the
call graph and its total are unchanged; pick ``line_ns`` in KCachegrind to
see the source annotated with line-level time. A ``line_ns`` row holds what
line_profiler measured for that line, which includes the time of functions
called from it: that is the figure line_profiler prints, and pstats has no
call-site lines to subtract callees with. With ``.lprof`` files alone there is
no call data and ``line_ns`` is the only event. Functions that line_profiler
saw but cProfile did not are written with no ``ns`` cost.
"""

from __future__ import annotations

import math
import pstats
from collections.abc import Sequence
from typing import Any, TextIO

from pyprof2calltree import CalltreeConverter, Code

from tuiprof import __version__
from tuiprof.export.text import printable
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import Profile, RawCallers

SCALE = 1_000_000_000
"""Costs are whole nanoseconds, as pyprof2calltree writes them."""

StatsTuple = tuple[int, int, float, float, dict[FunctionKey, tuple[int, int, float, float]]]


def apportion(seconds: Sequence[float]) -> list[int]:
    """Whole nanoseconds for each value, summing to the rounded total (largest remainder).

    Negative values (the ``profile`` module's calibration can produce them)
    count as zero: callgrind costs are unsigned.
    """
    scaled = [max(value, 0.0) * SCALE for value in seconds]
    floors = [math.floor(value) for value in scaled]
    short = round(math.fsum(scaled)) - sum(floors)
    if short > 0:
        by_remainder = sorted(range(len(scaled)), key=lambda i: scaled[i] - floors[i], reverse=True)
        for i in by_remainder[:short]:
            floors[i] += 1
    return floors


def output_keys(profile: Profile, fids: Sequence[int]) -> dict[int, FunctionKey]:
    """Keys whose file or name had to be escaped, by function number.

    An escaped key that collides with another function's key gets a suffix,
    so that two functions never merge into one.
    """
    renamed: dict[int, FunctionKey] = {}
    taken: set[FunctionKey] | None = None
    for fid in fids:
        file, line, name = key = profile.keys[fid]
        safe = (printable(file), line, printable(name))
        if safe == key:
            continue
        if taken is None:
            taken = {profile.keys[i] for i in fids}
        candidate, n = safe, 1
        while candidate in taken:
            n += 1
            candidate = (safe[0], line, f"{safe[2]} [{n}]")
        taken.add(candidate)
        renamed[fid] = candidate
    return renamed


class _LoadedStats(pstats.Stats):
    """A ``pstats.Stats`` over data already in memory: pyprof2calltree checks the type."""

    def __init__(self, stats: dict[FunctionKey, StatsTuple]) -> None:
        super().__init__()  # no arguments: loads nothing
        self.stats = stats


class _Converter(CalltreeConverter):  # type: ignore[misc]
    """pyprof2calltree's converter with tuiprof's header and the line-data blocks."""

    def __init__(
        self,
        stats: pstats.Stats,
        events: list[str],
        summary: list[int],
        line_blocks: list[tuple[FunctionKey, list[tuple[int, int]]]],
    ) -> None:
        super().__init__(stats)
        self.events = events
        self.summary = summary
        self.line_blocks = line_blocks

    def output(self, out_file: TextIO) -> None:
        self.out_file = out_file
        write = out_file.write
        write(f"# callgrind format\nversion: 1\ncreator: tuiprof {__version__}\n")
        write("positions: line\n")
        for event in self.events:
            write(f"event: {event} : {_EVENT_TITLES[event]}\n")
        write(f"events: {' '.join(self.events)}\n")
        write(f"summary: {' '.join(map(str, self.summary))}\n\n")
        for entry in sorted(self.entries, key=_entry_key):
            self._output_entry(entry)
        zeros = " 0" * (len(self.events) - 1)
        for key, rows in self.line_blocks:
            write(f"fl={key[0]}\nfn={self.munged_function_name(Code(*key))}\n")
            write("".join(f"{line}{zeros} {cost}\n" for line, cost in rows))
            write("\n")


_EVENT_TITLES = {
    "ns": "Time (ns, cProfile self time)",
    "line_ns": "Line time (ns, line_profiler)",
}


def _entry_key(entry: Any) -> tuple[str, int, str]:
    code = entry.code
    return (code.co_filename, code.co_firstlineno, code.co_name)


def write_callgrind(profile: Profile, out: TextIO, fids: Sequence[int] | None = None) -> None:
    """Write the profile (or the functions ``fids``) as a callgrind file."""
    chosen: Sequence[int] = range(len(profile)) if fids is None else fids
    inside: bytearray | None = None
    if fids is not None:
        inside = bytearray(len(profile))
        for fid in fids:
            inside[fid] = 1
    renamed = output_keys(profile, chosen)
    keys = profile.keys

    def key_of(fid: int) -> FunctionKey:
        return renamed.get(fid) or keys[fid]

    # Functions only line_profiler saw (call count -1) have no cProfile time.
    timed = [profile.ncalls[fid] >= 0 for fid in chosen]
    self_ns = apportion(
        [profile.tottime[fid] if t else 0.0 for fid, t in zip(chosen, timed, strict=True)]
    )
    find = profile.index.get
    stats: dict[FunctionKey, StatsTuple] = {}
    for fid, is_timed, cost in zip(chosen, timed, self_ns, strict=True):
        callers = _callers(profile, fid, find, inside, renamed)
        # pyprof2calltree truncates ``int(seconds * 1e9)``: half a nanosecond
        # above the apportioned figure truncates to exactly that figure.
        tt = (cost + 0.5) / SCALE
        if is_timed:
            entry = (profile.primitive_calls[fid], profile.ncalls[fid], tt, profile.cumtime[fid])
        else:
            entry = (0, 0, tt, 0.0)
        stats[key_of(fid)] = (*entry, callers)

    events = ["ns"] if profile.has_call_data else []
    summary = [sum(self_ns)] if events else []
    line_blocks: list[tuple[FunctionKey, list[tuple[int, int]]]] = []
    with_lines = [fid for fid in chosen if fid in profile.lines]
    if with_lines:
        events.append("line_ns")
        timings = [t for fid in with_lines for t in profile.lines[fid].lines]
        line_ns = iter(apportion([t.seconds for t in timings]))
        summary.append(0)
        for fid in with_lines:
            rows = [(t.line, next(line_ns)) for t in profile.lines[fid].lines]
            summary[-1] += sum(cost for _, cost in rows)
            line_blocks.append((key_of(fid), rows))
    if not events:
        events, summary = ["ns"], [0]

    _Converter(_LoadedStats(stats), events, summary, line_blocks).output(out)


def _callers(
    profile: Profile,
    fid: int,
    find: Any,
    inside: bytearray | None,
    renamed: dict[int, FunctionKey],
) -> dict[FunctionKey, tuple[int, int, float, float]]:
    raw: RawCallers = profile.callers_raw[fid]
    if not renamed and all(
        type(edge) is tuple
        and (caller := find(key)) is not None
        and (inside is None or inside[caller])
        for key, edge in raw.items()
    ):
        # The usual case: hand over the loaded dictionary, no copy.
        return raw  # type: ignore[return-value]
    result: dict[FunctionKey, tuple[int, int, float, float]] = {}
    for key, edge in raw.items():
        caller = find(key)
        if caller is None or (inside is not None and not inside[caller]):
            continue
        if isinstance(edge, int):
            calls = profile.ncalls[fid]
            share = profile.cumtime[fid] * edge / calls if calls > 0 else 0.0
            edge = (edge, edge, 0.0, share)
        result[renamed.get(caller) or key] = edge
    return result
