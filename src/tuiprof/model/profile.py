"""The profile: functions, their numbers, and the call graph between them.

Functions are numbered ``0 .. n-1`` and their numbers live in parallel lists
(one list per column), so that sorting and filtering 300,000 functions never
builds a Python object per row. The caller dictionaries are kept as pstats
stores them; the callee index, which pstats does not store, is built by
inverting them the first time it is asked for.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from tuiprof.model.collector import collector_paused
from tuiprof.model.edges import check_callers
from tuiprof.model.errors import ProfileError
from tuiprof.model.names import FunctionKey, label
from tuiprof.model.sums import sum_in_order

RawEdge = tuple[int, int, float, float] | int
"""An edge as pstats stores it inside ``callers``: ``(nc, cc, tt, ct)``, or a bare
call count from the pure-Python ``profile`` module."""

RawCallers = dict[FunctionKey, RawEdge]


class Edge(NamedTuple):
    """One caller→callee edge, seen from one of its ends.

    ``other`` is the function at the far end; ``other_key`` its key, which is
    all there is when the far end is not in the profile (pstats keeps such
    edges, and so do we: ``other`` is then -1).
    """

    other: int
    other_key: FunctionKey
    ncalls: int
    primitive_calls: int
    tottime: float
    cumtime: float
    timed: bool
    """False for the ``profile`` module's bare call counts: no times are known."""


@dataclass(frozen=True, slots=True)
class LineTiming:
    """One source line's line_profiler figures."""

    line: int
    hits: int
    seconds: float
    raw_time: float | None = None
    """The time in the file's timer units, as line_profiler stores it (None when
    files with different units were summed). Showing ``raw_time * unit / output_unit``
    reproduces ``python -m line_profiler``'s rounding to the last digit."""


@dataclass(frozen=True, slots=True)
class FunctionLines:
    """A function's line_profiler data, in seconds."""

    file: str
    first_line: int
    name: str
    """As line_profiler recorded it (a qualified name from version 5 on)."""
    lines: tuple[LineTiming, ...]
    unit: float | None = None
    """The timer unit in seconds shared by every input holding this function, or None."""

    @property
    def total(self) -> float:
        """The function's time: its lines' times added in order (:mod:`tuiprof.model.sums`)."""
        return sum_in_order(t.seconds for t in self.lines)

    @property
    def hits(self) -> int:
        return sum(t.hits for t in self.lines)


def edge_figures(raw: RawEdge) -> tuple[int, int, float, float]:
    """ncalls, primitive calls, tottime, cumtime of a pstats caller value.

    A bare count (the ``profile`` module's) is both call counts, with no times.
    """
    if isinstance(raw, tuple):
        return raw
    return raw, raw, 0.0, 0.0


def edge_from_raw(other: int, key: FunctionKey, raw: RawEdge) -> Edge:
    """Turn a pstats caller value into an :class:`Edge`."""
    return Edge(other, key, *edge_figures(raw), isinstance(raw, tuple))


@dataclass(eq=False, repr=False)
class Profile:
    """A loaded profile: one or more pstats files, line data, or both.

    Attributes are columns indexed by function number. ``tottime`` and friends
    hold exactly what pstats holds, so every figure shown equals pstats'.
    """

    keys: list[FunctionKey]
    primitive_calls: list[int]
    ncalls: list[int]
    tottime: list[float]
    cumtime: list[float]
    callers_raw: list[RawCallers]
    total_time: float
    """``pstats.Stats.total_tt``: the sum of every function's own time."""
    total_calls: int
    total_primitive_calls: int
    files: tuple[str, ...]
    """The input files, as given."""
    lines: dict[int, FunctionLines] = field(default_factory=dict)
    """Line data by function number."""
    has_call_data: bool = True
    """False when only ``.lprof`` files were loaded: there are no call counts or edges."""
    warnings: list[str] = field(default_factory=list)
    """Things the loaders noticed and the user should know (shown once)."""
    unchecked_edges: str | None = None
    """The input to name in an error while its caller records are still unchecked.

    ``load_profile(paths, check_edges=False)`` leaves the 1.5 million caller
    records of a big profile to be checked on first use, after the first screen
    (see :meth:`check_edges`)."""
    edge_problem: ProfileError | None = None
    """What was wrong with the caller records, when a late check found a problem."""

    _index: dict[FunctionKey, int] | None = field(default=None, repr=False)
    _callees: list[list[tuple[int, RawEdge]]] | None = field(default=None, repr=False)
    _labels: list[str] | None = field(default=None, repr=False)
    _unaccounted: list[int] = field(default_factory=list, repr=False)
    """Per function, the calls that no caller in the profile accounts for."""
    _roots: list[int] | None = field(default=None, repr=False)
    _roots_counted: bool = field(default=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _edge_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _decoded: object = field(default=None, repr=False)
    """The loader's decoded data, kept until :meth:`check_edges` (see :meth:`defer_edge_check`)."""

    call_data_functions: int = field(init=False)
    """How many functions came from pstats files (set when the profile is made).

    The loader appends the functions only line_profiler saw after these: a
    call count of -1 alone cannot tell them from pyinstrument's functions,
    whose every count is -1 but whose times are recorded."""

    def __post_init__(self) -> None:
        self.call_data_functions = len(self.keys) if self.has_call_data else 0

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def index(self) -> dict[FunctionKey, int]:
        """Function number by key."""
        if self._index is None:
            self._index = {key: i for i, key in enumerate(self.keys)}
        return self._index

    def find(self, key: FunctionKey) -> int:
        """The number of the function with this key, or -1."""
        return self.index.get(key, -1)

    def label(self, fid: int) -> str:
        """``name  file:line`` of a function (cached: labels are asked for per row)."""
        if self._labels is None:
            self._labels = [""] * len(self.keys)
        text = self._labels[fid]
        if not text:
            text = self._labels[fid] = label(self.keys[fid])
        return text

    def is_recursive(self, fid: int) -> bool:
        """pstats shows ``nc/cc`` when the two counts differ: recursion."""
        return self.ncalls[fid] != self.primitive_calls[fid]

    def defer_edge_check(self, path: str, decoded: object) -> None:
        """Leave the caller records to :meth:`check_edges`, which names ``path``.

        ``decoded``, the loader's decoded data, is kept until then: freeing a
        big profile's 300,000 decoded value tuples takes about 40 ms, which a
        first screen need not wait for.
        """
        self.unchecked_edges = path
        self._decoded = decoded

    def check_edges(self) -> None:
        """Check the caller records if the loader left them unchecked.

        Raises :class:`ProfileError` when a record is malformed, now and on
        every later call. The profile then keeps no edges at all: callers,
        callees and the call tree show nothing rather than nonsense, and the
        problem is added to :attr:`warnings`.
        """
        if self.unchecked_edges is not None:
            with self._edge_lock:
                path = self.unchecked_edges
                if path is not None:
                    try:
                        # Its passes build many short-lived lists and tuples,
                        # whose allocations would set off collections (a
                        # quarter of the check's time on a big profile).
                        with collector_paused():
                            check_callers(path, self.callers_raw)
                    except ProfileError as error:
                        self.edge_problem = error
                        self.callers_raw = [{} for _ in self.keys]
                        self.warnings.append(f"{error}; callers and callees are not shown")
                    self.unchecked_edges = None
                    self._decoded = None
        if self.edge_problem is not None:
            raise self.edge_problem

    def checked_callers(self) -> list[RawCallers]:
        """:attr:`callers_raw`, once checked; empty records if the check failed."""
        with contextlib.suppress(ProfileError):  # recorded, and the edges dropped
            self.check_edges()
        return self.callers_raw

    @property
    def call_graph_ready(self) -> bool:
        """Whether callers, callees and roots can be had without waiting.

        True once the caller records are checked and the callee index is
        built; a screen can show a placeholder until then rather than block
        on the thread that builds them.
        """
        return self.unchecked_edges is None and self._callees is not None

    def callers(self, fid: int) -> list[Edge]:
        """The functions that called ``fid``, with each edge's own figures."""
        find = self.index.get
        return [
            edge_from_raw(find(key, -1), key, raw)
            for key, raw in self.checked_callers()[fid].items()
        ]

    def callees(self, fid: int) -> list[Edge]:
        """The functions ``fid`` called, with each edge's own figures."""
        keys = self.keys
        return [edge_from_raw(other, keys[other], raw) for other, raw in self.callee_index()[fid]]

    def callee_index(self) -> list[list[tuple[int, RawEdge]]]:
        """For each function, ``(callee, raw edge)`` pairs, built on first use.

        Edges whose caller is not in the profile have no place here: they show
        only among that callee's callers, as in pstats.
        """
        if self._callees is None:
            self.checked_callers()
            with self._lock:
                if self._callees is None:
                    with collector_paused():
                        self._callees = self._build_callees()
        return self._callees

    def _build_callees(self) -> list[list[tuple[int, RawEdge]]]:
        # The key lookups, the biggest cost, run in one C-level map over all
        # edges; the Python loop only appends.
        callers_raw = self.callers_raw
        callers = map(self.index.get, itertools.chain.from_iterable(callers_raw))
        callee_ids = itertools.chain.from_iterable(
            map(itertools.repeat, range(len(callers_raw)), map(len, callers_raw))
        )
        raws = itertools.chain.from_iterable(map(dict.values, callers_raw))
        callees: list[list[tuple[int, RawEdge]]] = [[] for _ in self.keys]
        outside: list[tuple[int, RawEdge]] = []
        for caller, callee, raw in zip(callers, callee_ids, raws, strict=True):
            if caller is not None:
                callees[caller].append((callee, raw))
            else:
                outside.append((callee, raw))
        for caller in self.uncalled():
            outside += callees[caller]
        self.count_roots(outside)
        return callees

    def uncalled(self) -> list[int]:
        """Functions with no calls of their own: what they called came from outside.

        The ``profile`` module records a ``profiler`` stand-in, never called,
        as the caller of the function it ran; such calls enter the tree at
        the top, as the calls of callers missing from the profile do.
        """
        calls = self.primitive_calls[: self.call_data_functions]
        return list(itertools.compress(range(len(calls)), map((0).__ge__, calls)))

    def count_roots(self, outside: list[tuple[int, RawEdge]]) -> None:
        """Count each function's unaccounted calls, given the edges from outside the profile."""
        if not self._roots_counted:
            self._unaccounted = self._count_unaccounted(outside)
            self._roots_counted = True

    def _count_unaccounted(self, outside: list[tuple[int, RawEdge]]) -> list[int]:
        """Per function, its calls minus those its callers in the profile made.

        Every call cProfile records with a caller is counted in that caller's
        edge too, so what is left are the calls made from outside the
        profile: ``python -m cProfile``'s one ``exec``, ``runcall``'s function.
        ``outside`` holds the edges from callers missing from the profile and
        from functions never called (:meth:`uncalled`).
        """
        callers_raw = self.callers_raw
        first = operator.itemgetter(0)
        try:
            # One C-level sum per function; a bare count (the profile module's)
            # makes the item getter fail, and the slow loop below does it.
            per_function: Iterable[Iterable[int]] = map(
                map,  # type: ignore[arg-type]
                itertools.repeat(first),
                map(dict.values, callers_raw),
            )
            made = list(map(sum, per_function))
        except TypeError:
            made = [sum(map(_edge_calls, record.values())) for record in callers_raw]
        for callee, raw in outside:
            made[callee] -= _edge_calls(raw)
        return list(map(operator.sub, self.ncalls, made))

    def root_calls(self, fid: int) -> int:
        """The primitive calls of ``fid`` that its callers in the profile do not account for."""
        if not self._roots_counted:
            self.callee_index()
        if not self._unaccounted:
            return 0
        return max(0, min(self._unaccounted[fid], self.primitive_calls[fid]))

    def roots(self) -> list[int]:
        """Where the call tree starts: functions with calls no recorded caller accounts for.

        For ``python -m cProfile -o`` that is the one ``exec`` running the
        script (nested ``exec`` calls of imports have callers) and the
        profiler's ``disable``; for ``runcall`` its function (for the
        ``profile`` module's, called by its never-called ``profiler``:
        :meth:`uncalled`). Largest root cumulative time first, by size (its
        share, :meth:`root_share`, of its cumulative time; calibration can
        make times negative). When every call has a caller (a profile of one
        big cycle), the function with the largest cumulative time stands in
        as the root. Line data alone has no calls: each function is a root.
        """
        if self._roots is not None:
            return list(self._roots)
        if not self.has_call_data:
            self._roots = sorted(range(len(self.keys)), key=lambda f: (-abs(self.cumtime[f]), f))
            return list(self._roots)
        if not self._roots_counted:
            self.callee_index()
        unaccounted = self._unaccounted
        roots = [
            fid
            for fid in itertools.compress(range(len(unaccounted)), map((0).__lt__, unaccounted))
            if self.primitive_calls[fid] > 0
        ]
        if not roots and self.keys:
            roots = [max(range(len(self.keys)), key=self.cumtime.__getitem__)]
        roots.sort(key=lambda fid: (-abs(self.root_share(fid) * self.cumtime[fid]), fid))
        self._roots = roots
        return list(roots)

    def root_share(self, fid: int) -> float:
        """The part of ``fid`` its root holds: unaccounted primitive calls over primitive calls."""
        primitive = self.primitive_calls[fid]
        calls = self.root_calls(fid)
        if primitive <= 0 or calls <= 0 or calls >= primitive:
            return 1.0
        return calls / primitive

    def __repr__(self) -> str:
        # Short on purpose: a default repr would spell out millions of edges
        # (and frameworks build reprs for logs and worker descriptions).
        return f"<Profile {', '.join(self.files)}: {len(self.keys)} functions>"

    def pstats_dict(
        self, fids: Iterable[int] | None = None
    ) -> dict[FunctionKey, tuple[int, int, float, float, RawCallers]]:
        """The functions as a pstats ``stats`` dictionary (to compare with pstats)."""
        chosen: Sequence[int] | Iterable[int] = range(len(self.keys)) if fids is None else fids
        callers_raw = self.checked_callers()
        return {
            self.keys[i]: (
                self.primitive_calls[i],
                self.ncalls[i],
                self.tottime[i],
                self.cumtime[i],
                callers_raw[i],
            )
            for i in chosen
        }


def _edge_calls(raw: RawEdge) -> int:
    return raw[0] if isinstance(raw, tuple) else raw
