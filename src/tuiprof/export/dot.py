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
exported, so they agree with the function table.

Node ids are function numbers, so names never need to be DOT identifiers;
labels are quoted by ``DotWriter.escape`` (backslashes, quotes, newlines)
after control characters have been made visible, so ``<module>``,
``<lambda>``, ``"quoted"`` or a name with a newline all come out valid.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Sequence
from typing import TextIO

import gprof2dot

from tuiprof.export.text import shortened
from tuiprof.model.format import per_call
from tuiprof.model.names import FunctionKey, is_builtin, visible
from tuiprof.model.profile import Profile

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
) -> gprof2dot.Profile:
    """The gprof2dot profile of the chosen functions, with time ratios computed.

    Thresholds are percentages, as for :func:`write_dot`. Only functions and
    calls that gprof2dot's ``prune`` would keep are built: a function whose
    cumulative time is under ``node_threshold`` percent of the largest, and a
    call under ``edge_threshold`` percent or to or from such a function, would
    be built only to be thrown away (on a big profile, nearly all of them).
    The largest cumulative time, which every ratio divides by, is still taken
    over all the chosen functions. With thresholds of zero the graph holds
    every chosen function and call.
    """
    chosen: Sequence[int] = range(len(profile)) if fids is None else fids
    cumtime = profile.cumtime
    largest = finite(max(itertools.chain((profile.total_time,), map(cumtime.__getitem__, chosen))))
    node_min = node_threshold / 100.0
    edge_min = edge_threshold / 100.0
    kept = [fid for fid in chosen if not prune_weight(cumtime[fid], largest) < node_min]
    inside = bytearray(len(profile))
    for fid in kept:
        inside[fid] = 1

    graph = gprof2dot.Profile()
    functions = graph.functions
    keys = profile.keys
    for fid in kept:
        function = gprof2dot.Function(fid, node_name(keys[fid]))
        function.filename = visible(keys[fid][0])
        ncalls = profile.ncalls[fid]
        function.called = ncalls if ncalls >= 0 else None
        function[gprof2dot.TIME] = finite(profile.tottime[fid])
        function[gprof2dot.TOTAL_TIME] = finite(cumtime[fid])
        functions[fid] = function
    find = profile.index.get
    callers_raw = profile.checked_callers()
    for fid in kept:
        for key, edge in callers_raw[fid].items():
            caller = find(key)
            if caller is None or not inside[caller]:
                continue
            if isinstance(edge, tuple):
                calls, total = edge[0], edge[3]
            else:
                # The profile module records a bare count: share the callee's
                # time in proportion, as gprof2dot's own pstats parser does.
                calls = edge
                ncalls = profile.ncalls[fid]
                total = finite(cumtime[fid] * per_call(edge, ncalls))
            if prune_weight(total, largest) < edge_min:
                continue
            call = gprof2dot.Call(fid)
            call[gprof2dot.CALLS] = calls
            call[gprof2dot.TOTAL_TIME] = finite(total)
            functions[caller].calls[fid] = call
    graph[gprof2dot.TIME] = finite(profile.total_time)
    graph[gprof2dot.TOTAL_TIME] = largest
    graph.ratio(gprof2dot.TIME_RATIO, gprof2dot.TIME)
    graph.ratio(gprof2dot.TOTAL_TIME_RATIO, gprof2dot.TOTAL_TIME)
    return graph


def finite(value: float) -> float:
    """A time gprof2dot can divide: NaN is 0, an infinity the largest float.

    The loaders refuse non-finite times, but a sum of finite ones can
    overflow (files merged); gprof2dot's colours would be NaN and fail.
    """
    if value != value:
        return 0.0
    return max(-sys.float_info.max, min(value, sys.float_info.max))


def prune_weight(time: float, largest: float) -> float:
    """The weight gprof2dot's ``prune`` compares with a threshold: ``time / largest``.

    The same figure as ``gprof2dot.ratio`` (0/0 is 1, the result is clamped to
    0..1), without its warnings on standard error: the functions and calls
    tested here may never be drawn.
    """
    try:
        weight = float(time) / float(largest)
    except ZeroDivisionError:
        return 1.0
    if weight < 0.0:
        return 0.0
    if weight > 1.0:
        return 1.0
    return weight


def write_dot(
    profile: Profile,
    out: TextIO,
    fids: Sequence[int] | None = None,
    *,
    node_threshold: float = DEFAULT_NODE_THRESHOLD,
    edge_threshold: float = DEFAULT_EDGE_THRESHOLD,
    theme: str = "color",
) -> None:
    """Write the call graph; thresholds are percentages of the largest cumulative time."""
    graph = build_graph(profile, fids, node_threshold=node_threshold, edge_threshold=edge_threshold)
    # Already pruned as it was built; gprof2dot's own pass has the last word.
    graph.prune(node_threshold / 100.0, edge_threshold / 100.0, None, False)
    gprof2dot.DotWriter(out).graph(graph, gprof2dot.themes[theme])
