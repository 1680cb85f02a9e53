"""Callgrind files for KCachegrind, QCachegrind and ``callgrind_annotate``.

Function-level data (``.prof``) goes through pyprof2calltree's
``CalltreeConverter``, which writes its own ``Entry``, ``Subentry`` and
``Code`` objects. They are made from the loaded profile (the file is never
read twice), one function at a time as the converter writes them: built all
at once, as pyprof2calltree's ``pstats2entries`` does, 300,000 functions and
1.5 million calls take more memory than the loaded profile itself. On the
way the data is normalized:

- names and file names holding control characters are escaped
  (:func:`~tuiprof.model.names.visible`), so a newline cannot end a record;
- the pure-Python ``profile`` module's bare call counts become
  ``(n, n, 0, estimate)`` edges, the estimate being the callee's cumulative
  time in proportion to the calls (what gprof2dot assumes too);
- callers outside the exported functions are dropped (pyprof2calltree would
  fail on them);
- self times are rounded to whole nanoseconds by largest remainder, so that
  the self costs add up to the total time exactly, not just nearly;
- unknown call counts (pyinstrument writes -1 for every count: it samples)
  are written as ``calls=0``, its recorded self times kept; line numbers are
  plain integers (a ``True`` from a damaged file is 1; one outside 0..2**31
  is 0);
- costs are 64-bit in KCachegrind and ``callgrind_annotate``: a profile whose
  times in nanoseconds would not fit (over 292 years; only a damaged or
  hostile file says so) is written in a coarser unit, all costs scaled by the
  same factor, which the event's title states.

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

import itertools
import math
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

from pyprof2calltree import CalltreeConverter, Code, Entry, Subentry

from tuiprof import __version__
from tuiprof.model.bare_counts import bare_time
from tuiprof.model.names import FunctionKey, visible
from tuiprof.model.profile import Profile, RawEdge

SCALE = 1_000_000_000
"""Costs are whole nanoseconds, as pyprof2calltree writes them."""

MAX_COST = 2**63 - 1
"""The largest cost (or call count) written: a signed 64-bit integer."""

MAX_LINE = 2**31 - 1
"""The largest line number written; callgrind positions are 32-bit in practice."""


def apportion(seconds: Sequence[float], scale: float = SCALE) -> list[int]:
    """Whole nanoseconds for each value, summing to the rounded total (largest remainder).

    Negative values (the ``profile`` module's calibration can produce them)
    count as zero: callgrind costs are unsigned. ``scale`` is the cost of a
    second (:func:`cost_scale`).
    """
    scaled = [_positive(value) * scale for value in seconds]
    floors = [math.floor(value) for value in scaled]
    short = round(math.fsum(scaled)) - sum(floors)
    if short > 0:
        by_remainder = sorted(range(len(scaled)), key=lambda i: scaled[i] - floors[i], reverse=True)
        for i in by_remainder[:short]:
            floors[i] += 1
    return floors


_TINY = 2.0**-64
"""Sums are taken of times multiplied by this (exactly), so that no sum overflows."""


def _positive(seconds: float) -> float:
    """A time as a cost can stand for it: negative or NaN is 0, infinity the largest float."""
    return min(seconds, sys.float_info.max) if seconds > 0 else 0.0


def cost_scale(*groups: Iterable[float]) -> float:
    """The cost of one second: :data:`SCALE`, or less when a figure would overflow.

    Each group is times whose sum no cost exceeds (the self times, the
    largest cumulative time, the line times).
    """
    largest = 0.0  # in units of 2**64 seconds
    for group in groups:
        largest = max(largest, math.fsum(_positive(seconds) * _TINY for seconds in group))
    if largest / _TINY * SCALE <= MAX_COST:
        return SCALE
    # Half the range: rounding to whole costs must not carry the sum past it.
    return (MAX_COST // 2) / largest * _TINY


def callgrind_line(line: object) -> int:
    """A line number as callgrind can hold it: an integer from 0 to :data:`MAX_LINE`."""
    if not isinstance(line, int):
        return 0
    number = int(line)  # True is 1
    return number if 0 <= number <= MAX_LINE else 0


def _count(calls: int) -> int:
    """A call count for ``calls=``: unknown (-1) is 0, a huge one is capped."""
    return min(max(calls, 0), MAX_COST)


def output_keys(profile: Profile, fids: Sequence[int]) -> dict[int, FunctionKey]:
    """Keys whose file, line or name had to be made safe, by function number.

    An escaped key that collides with another function's key gets a suffix,
    so that two functions never merge into one.
    """
    renamed: dict[int, FunctionKey] = {}
    taken: set[FunctionKey] | None = None
    for fid in fids:
        file, line, name = key = profile.keys[fid]
        safe = (visible(file), callgrind_line(line), visible(name))
        if safe == key and type(line) is int:
            continue
        if taken is None:
            taken = {profile.keys[i] for i in fids}
        candidate, n = safe, 1
        while candidate in taken and candidate != key:  # True == 1: the key itself
            n += 1
            candidate = (safe[0], safe[1], f"{safe[2]} [{n}]")
        taken.add(candidate)
        renamed[fid] = candidate
    return renamed


def shared_names(keys: Iterator[FunctionKey]) -> set[tuple[str, str]]:
    """The (file, name) pairs that more than one function has.

    pyprof2calltree writes such functions as ``name:line`` to keep them apart.
    """
    seen: set[tuple[str, str]] = set()
    shared: set[tuple[str, str]] = set()
    for file, _line, name in keys:
        pair = (file, name)
        if pair in seen:
            shared.add(pair)
        else:
            seen.add(pair)
    return shared


class CallsByCaller:
    """The chosen functions' calls grouped by caller, in flat arrays.

    pstats keeps each function's callers; callgrind lists each function's
    callees. This is the inversion, kept in arrays (a few bytes per call)
    rather than a list of tuples per function. Calls from functions that are
    not in the profile, or not chosen, are left out: pyprof2calltree would
    fail on them.
    """

    def __init__(self, profile: Profile, chosen: Sequence[int], inside: bytearray | None) -> None:
        callers_raw = profile.checked_callers()
        records = [callers_raw[fid] for fid in chosen]
        find = profile.index.get
        callers = array(
            "i", map(find, itertools.chain.from_iterable(records), itertools.repeat(-1))
        )
        if inside is not None:
            callers = array("i", [c if c >= 0 and inside[c] else -1 for c in callers])
        # A counting sort by caller; bucket 0 holds the calls left out.
        start = array("i", bytes(callers.itemsize * (len(profile) + 2)))
        for caller in callers:
            start[caller + 2] += 1
        for bucket in range(2, len(start)):
            start[bucket] += start[bucket - 1]
        free = array("i", start)
        callees = array("i", bytes(callers.itemsize * len(callers)))
        edges: list[RawEdge] = [0] * len(callers)
        callee_ids = itertools.chain.from_iterable(map(itertools.repeat, chosen, map(len, records)))
        raws = itertools.chain.from_iterable(map(dict.values, records))
        for caller, callee, raw in zip(callers, callee_ids, raws, strict=True):
            at = free[caller + 1]
            free[caller + 1] = at + 1
            callees[at] = callee
            edges[at] = raw
        self.start = start
        self.callees = callees
        self.edges = edges

    def __call__(self, caller: int) -> Iterator[tuple[int, RawEdge]]:
        """``(callee, raw edge)`` for each call ``caller`` made."""
        first, end = self.start[caller + 1], self.start[caller + 2]
        return zip(self.callees[first:end], self.edges[first:end], strict=True)


class Entries:
    """pyprof2calltree's ``Entry`` objects for the chosen functions, sorted by key.

    Made as they are iterated, one function with its calls at a time, so
    they never all exist at once. The figures are what pyprof2calltree's
    ``pstats2entries`` would make of the profile's pstats dictionary.
    """

    def __init__(
        self,
        profile: Profile,
        order: Sequence[int],
        keys: Sequence[FunctionKey] | dict[int, FunctionKey],
        self_ns: Sequence[int] | dict[int, int],
        calls: CallsByCaller,
        scale: float = SCALE,
    ) -> None:
        self.profile = profile
        self.order = order
        self.keys = keys
        self.self_ns = self_ns
        self.calls = calls
        self.ratio = scale / SCALE
        """pyprof2calltree multiplies by :data:`SCALE`; this brings it to ``scale``."""
        self.largest = MAX_COST / scale
        """The longest time a cost can stand for (a damaged file's edge may say more)."""

    def __iter__(self) -> Iterator[Any]:
        profile = self.profile
        keys, self_ns, calls = self.keys, self.self_ns, self.calls
        for fid in self.order:
            ncalls = profile.ncalls[fid]
            # pyprof2calltree truncates ``int(seconds * 1e9)``: half a nanosecond
            # above the apportioned figure truncates to exactly that figure.
            tt = (self_ns[fid] + 0.5) / SCALE
            subentries = [self._subentry(fid, callee, raw) for callee, raw in calls(fid)]
            if ncalls >= 0:
                cc = profile.primitive_calls[fid]
                yield Entry(Code(*keys[fid]), cc, ncalls - cc, tt, profile.cumtime[fid], subentries)
            else:  # unknown counts (pyinstrument), or only line_profiler saw it
                yield Entry(Code(*keys[fid]), 0, 0, tt, 0.0, subentries)

    def _subentry(self, caller: int, callee: int, raw: RawEdge) -> Any:
        if isinstance(raw, tuple):
            calls, recursive, tt, ct = raw[0], raw[1] - raw[0], raw[2], raw[3]
        else:
            share = bare_time(self.profile, caller, callee, raw)
            calls, recursive, tt, ct = raw, 0, 0.0, share
        # The inclusive cost is written as int(ct * SCALE): kept in range.
        ct = min(_positive(ct), self.largest) * self.ratio
        return Subentry(Code(*self.keys[callee]), _count(calls), recursive, tt, ct)


class _Converter(CalltreeConverter):  # type: ignore[misc]
    """pyprof2calltree's converter with tuiprof's header and the line-data blocks.

    pyprof2calltree finds the (file, name) pairs shared by several functions
    by walking every entry and call once before writing, and keeps a set of
    code objects per pair. Here the pairs come from the keys, so the entries
    are walked once, as they are written, and the rule for ``name:line`` is
    the same.
    """

    def __init__(
        self,
        entries: Entries,
        shared: set[tuple[str, str]],
        events: list[str],
        summary: list[int],
        line_blocks: list[tuple[FunctionKey, list[tuple[int, int]]]],
        scale: float = SCALE,
    ) -> None:
        self.shared = shared
        super().__init__(entries)
        self.events = events
        self.summary = summary
        self.line_blocks = line_blocks
        self.scale = scale

    def _populate_code_by_position(self) -> None:
        """Nothing to walk: :attr:`shared` holds the pairs already."""

    def munged_function_name(self, code: Any) -> str:
        name: str = code.co_name
        if (code.co_filename, name) in self.shared:
            return f"{name}:{code.co_firstlineno:d}"
        return name

    def output(self, out_file: TextIO) -> None:
        self.out_file = out_file
        write = out_file.write
        write(f"# callgrind format\nversion: 1\ncreator: tuiprof {__version__}\n")
        write("positions: line\n")
        titles = _scaled_titles(self.scale)
        for event in self.events:
            write(f"event: {event} : {titles[event]}\n")
        write(f"events: {' '.join(self.events)}\n")
        write(f"summary: {' '.join(map(str, self.summary))}\n\n")
        for entry in self.entries:  # already in pyprof2calltree's order
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


def _scaled_titles(scale: float) -> dict[str, str]:
    if scale == SCALE:
        return _EVENT_TITLES
    unit = f"1 = {1 / scale:.6g} s: too large for nanoseconds"
    return {
        "ns": f"Time ({unit}, cProfile self time)",
        "line_ns": f"Line time ({unit}, line_profiler)",
    }


def write_callgrind(profile: Profile, out: TextIO, fids: Sequence[int] | None = None) -> None:
    """Write the profile (or the functions ``fids``) as a callgrind file."""
    chosen: Sequence[int] = range(len(profile)) if fids is None else fids
    inside: bytearray | None = None
    if fids is not None:
        inside = bytearray(len(profile))
        for fid in fids:
            inside[fid] = 1
    renamed = output_keys(profile, chosen)
    keys: Sequence[FunctionKey] | dict[int, FunctionKey] = profile.keys
    if renamed or fids is not None:
        keys = {fid: renamed.get(fid) or profile.keys[fid] for fid in chosen}

    # Functions only line_profiler saw have no cProfile time; pyinstrument's
    # (call counts -1 too) have their sampled self time.
    from_pstats = profile.call_data_functions
    self_seconds = [profile.tottime[fid] if fid < from_pstats else 0.0 for fid in chosen]
    with_lines = [fid for fid in chosen if fid in profile.lines]
    timings = [t for fid in with_lines for t in profile.lines[fid].lines]
    cumtimes = (profile.cumtime[fid] for fid in chosen if fid < from_pstats)
    scale = cost_scale(self_seconds, [max(cumtimes, default=0.0)], (t.seconds for t in timings))
    self_ns_list = apportion(self_seconds, scale)
    self_ns: Sequence[int] | dict[int, int] = self_ns_list
    if fids is not None:
        self_ns = dict(zip(chosen, self_ns_list, strict=True))

    # pyprof2calltree's order: by file, line and name.
    order = sorted(chosen, key=keys.__getitem__)
    shared = shared_names(map(keys.__getitem__, order))
    calls = CallsByCaller(profile, chosen, inside)
    entries = Entries(profile, order, keys, self_ns, calls, scale)

    events = ["ns"] if profile.has_call_data else []
    summary = [sum(self_ns_list)] if events else []
    line_blocks: list[tuple[FunctionKey, list[tuple[int, int]]]] = []
    if with_lines:
        events.append("line_ns")
        line_ns = iter(apportion([t.seconds for t in timings], scale))
        summary.append(0)
        for fid in with_lines:
            rows = [(callgrind_line(t.line), next(line_ns)) for t in profile.lines[fid].lines]
            summary[-1] += sum(cost for _, cost in rows)
            line_blocks.append((keys[fid], rows))
    if not events:
        events, summary = ["ns"], [0]

    _Converter(entries, shared, events, summary, line_blocks, scale).output(out)
