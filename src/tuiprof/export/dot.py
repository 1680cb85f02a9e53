"""Graphviz DOT call graphs, drawn by gprof2dot used as a library.

A gprof2dot ``Profile`` is built straight from the loaded model (what its
``PstatsParser`` would build, without reading the file again), pruned by the
node and edge thresholds and written by its ``DotWriter`` with one of its
themes. The thresholds are applied to the model's columns first, with
gprof2dot's own rule (:func:`prune_weight`), so that only the functions and
calls its ``prune`` keeps become gprof2dot objects: of a big profile's
300,000 functions and 1.5 million calls, the stress profile keeps 24
functions at the default thresholds.

Percentages are of the whole profile's time, also when only part of it is
exported, so they agree with the function table: they are set here, not by
gprof2dot's ``ratio``, which divides by the largest cumulative time (above
the total when ``exec`` holds the imports' nested calls) and clamps to 100%.
A subtree's graph shows what ran under its roots, estimated, and says so in
its title.

Node ids are function numbers, so names never need to be DOT identifiers;
labels are quoted by ``DotWriter.escape`` (backslashes, quotes, newlines)
after control characters have been made visible, so ``<module>``,
``<lambda>``, ``"quoted"`` or a name with a newline all come out valid.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TextIO

import gprof2dot

from tuiprof.export.text import shortened
from tuiprof.model.bare_counts import bare_time
from tuiprof.model.format import format_time
from tuiprof.model.names import FunctionKey, is_builtin, visible
from tuiprof.model.profile import Profile
from tuiprof.model.subtree import SubtreeFigures

THEMES = tuple(sorted(gprof2dot.themes))
"""gprof2dot's colour maps: bw, color, gray, pink, print."""

DEFAULT_NODE_THRESHOLD = 0.5
DEFAULT_EDGE_THRESHOLD = 0.1


def node_name(key: FunctionKey) -> str:
    """``module:line:name`` as gprof2dot names pstats functions; built-ins by name alone."""
    file, line, name = key
    if is_builtin(key):
        text = name
    else:
        module = os.path.basename(os.path.splitext(file)[0])
        text = f"{module}:{line}:{name}"
    # DotWriter truncates at 4096 characters with a warning on stderr; a
    # label that long is unreadable anyway.
    return shortened(visible(text), 1000)


def build_graph(
    profile: Profile,
    fids: Sequence[int] | None = None,
    *,
    node_threshold: float = 0.0,
    edge_threshold: float = 0.0,
    figures: SubtreeFigures | None = None,
) -> gprof2dot.Profile:
    """The gprof2dot profile of the chosen functions, with time ratios computed.

    Thresholds are percentages of the profile's total time, as for
    :func:`write_dot`, and so are the ratios the labels show: the figures of
    the function table. Only functions and calls that gprof2dot's ``prune``
    would keep are built: a function whose cumulative time is under
    ``node_threshold`` percent of the total, and a call under
    ``edge_threshold`` percent or to or from such a function, would be built
    only to be thrown away (on a big profile, nearly all of them). With
    thresholds of zero the graph holds every chosen function and call.

    With ``figures`` (a subtree's), each function and call carries the part of
    it that ran under the subtree's roots, and the thresholds apply to those.
    """
    chosen: Sequence[int] = range(len(profile)) if fids is None else fids
    total = finite(profile.total_time)
    if total <= 0:
        total = max(map(profile.cumtime.__getitem__, chosen), default=0.0)
    cumtime: Sequence[float]
    tottime: Sequence[float]
    if figures is None:
        cumtime = profile.cumtime
        tottime = profile.tottime
        called: Sequence[float] = profile.ncalls
    else:
        share = figures.share
        cumtime = _scaled(profile.cumtime, share)
        tottime = _scaled(profile.tottime, share)
        called = _scaled([float(n) for n in profile.ncalls], share)
    node_min = node_threshold / 100.0
    edge_min = edge_threshold / 100.0
    kept = [fid for fid in chosen if not prune_weight(cumtime[fid], total) < node_min]
    inside = bytearray(len(profile))
    for fid in kept:
        inside[fid] = 1

    graph = gprof2dot.Profile()
    functions = graph.functions
    keys = profile.keys
    for fid in kept:
        function = gprof2dot.Function(fid, node_name(keys[fid]))
        function.filename = visible(keys[fid][0])
        ncalls = called[fid]
        function.called = _count(ncalls) if ncalls >= 0 else None
        function[gprof2dot.TIME] = finite(tottime[fid])
        function[gprof2dot.TOTAL_TIME] = finite(cumtime[fid])
        function[gprof2dot.TIME_RATIO] = prune_weight(tottime[fid], total)
        function[gprof2dot.TOTAL_TIME_RATIO] = prune_weight(cumtime[fid], total)
        functions[fid] = function
    find = profile.index.get
    callers_raw = profile.checked_callers()
    for fid in kept:
        for key, edge in callers_raw[fid].items():
            caller = find(key)
            if caller is None or not inside[caller]:
                continue
            if figures is not None:
                estimate = figures.edges.get((caller, fid))
                if estimate is None:
                    continue
                calls, edge_total = estimate
            elif isinstance(edge, tuple):
                calls, edge_total = edge[0], edge[3]
            else:
                calls, edge_total = edge, finite(bare_time(profile, caller, fid, edge))
            if prune_weight(edge_total, total) < edge_min:
                continue
            call = gprof2dot.Call(fid)
            call[gprof2dot.CALLS] = _count(calls)
            call[gprof2dot.TOTAL_TIME] = edge_total
            call[gprof2dot.TOTAL_TIME_RATIO] = prune_weight(edge_total, total)
            functions[caller].calls[fid] = call
    graph[gprof2dot.TIME] = total
    graph[gprof2dot.TOTAL_TIME] = total
    graph[gprof2dot.TIME_RATIO] = 1.0
    graph[gprof2dot.TOTAL_TIME_RATIO] = 1.0
    return graph


def _count(calls: float) -> int:
    """A whole call count for a label: an estimated part of a call reads 1, not 0."""
    return max(1, round(calls)) if calls > 0 else 0


def finite(value: float) -> float:
    """A time gprof2dot can divide: NaN is 0, an infinity the largest float.

    The loaders refuse non-finite times, but a sum of finite ones can
    overflow (files merged); gprof2dot's colours would be NaN and fail.
    """
    if value != value:
        return 0.0
    return max(-sys.float_info.max, min(value, sys.float_info.max))


def _scaled(column: Sequence[float], share: dict[int, float]) -> list[float]:
    """The column's figures times each function's share; 0 outside the subtree."""
    scaled = [0.0] * len(column)
    for fid, part in share.items():
        scaled[fid] = column[fid] * part
    return scaled


def prune_weight(time: float, total: float) -> float:
    """The weight gprof2dot's ``prune`` compares with a threshold: the label's ratio.

    ``time / total``, not clamped (a negative time, which the ``profile``
    module's calibration can leave, falls under any threshold; ``exec``
    holding the imports' nested calls can exceed 1); 0 without a total.
    """
    return time / total if total > 0 else 0.0


def write_dot(
    profile: Profile,
    out: TextIO,
    fids: Sequence[int] | None = None,
    *,
    node_threshold: float = DEFAULT_NODE_THRESHOLD,
    edge_threshold: float = DEFAULT_EDGE_THRESHOLD,
    theme: str = "color",
    figures: SubtreeFigures | None = None,
) -> None:
    """Write the call graph; thresholds are percentages of the total time.

    The graph's title says what its figures are: the profile's own, as the
    function table shows them, or (``figures``) what ran under a subtree's
    roots, estimated.
    """
    graph = build_graph(
        profile,
        fids,
        node_threshold=node_threshold,
        edge_threshold=edge_threshold,
        figures=figures,
    )
    # Already pruned as it was built; gprof2dot's own pass has the last word.
    graph.prune(node_threshold / 100.0, edge_threshold / 100.0, None, False)
    write_graph(graph, out, graph_title(profile, figures), theme)


def write_graph(graph: gprof2dot.Profile, out: TextIO, title: str, theme: str = "color") -> None:
    """Write a pruned graph with gprof2dot's ``DotWriter``, with ``title`` on top."""
    for function in graph.functions.values():
        # Colours and sizes go by weight, which must stay within 0..1.
        if function.weight is not None:
            function.weight = min(max(function.weight, 0.0), 1.0)
        for call in function.calls.values():
            if call.weight is not None:
                call.weight = min(max(call.weight, 0.0), 1.0)
    _TitledWriter(out, title).graph(graph, gprof2dot.themes[theme])


def graph_title(profile: Profile, figures: SubtreeFigures | None) -> str:
    """What the figures in the graph are."""
    total = format_time(profile.total_time)
    if figures is None:
        return f"total time and own time as % of the profile's {total}, calls as recorded"
    names = ", ".join(visible(profile.label(fid)) for fid in figures.tops)
    return (
        f"what ran under {shortened(names, 200)}: estimated parts of each function's "
        f"figures, as % of the profile's {total}"
    )


class _TitledWriter(gprof2dot.DotWriter):  # type: ignore[misc]
    """gprof2dot's writer with a title on the graph."""

    def __init__(self, out: TextIO, title: str) -> None:
        super().__init__(out)
        self.title = title

    def begin_graph(self) -> None:
        super().begin_graph()
        self.attr("graph", label=self.title, labelloc="t")
