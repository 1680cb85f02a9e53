"""Graphviz DOT call graphs, drawn by gprof2dot used as a library.

A gprof2dot ``Profile`` is built straight from the loaded model (what its
``PstatsParser`` would build, without reading the file again), then pruned by
the node and edge thresholds and written by its ``DotWriter`` with one of its
themes. Percentages are of the whole profile's time, also when only part of
it is exported, so they agree with the function table.

Node ids are function numbers, so names never need to be DOT identifiers;
labels are quoted by ``DotWriter.escape`` (backslashes, quotes, newlines)
after control characters have been made visible, so ``<module>``,
``<lambda>``, ``"quoted"`` or a name with a newline all come out valid.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

import gprof2dot

from tuiprof.export.text import printable, shortened
from tuiprof.model.names import FunctionKey, is_builtin
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
    return shortened(printable(text), 1000)


def build_graph(profile: Profile, fids: Sequence[int] | None = None) -> gprof2dot.Profile:
    """The gprof2dot profile of the chosen functions, with time ratios computed."""
    chosen: Sequence[int] = range(len(profile)) if fids is None else fids
    inside = bytearray(len(profile))
    for fid in chosen:
        inside[fid] = 1
    graph = gprof2dot.Profile()
    functions = graph.functions
    keys = profile.keys
    largest = profile.total_time
    for fid in chosen:
        function = gprof2dot.Function(fid, node_name(keys[fid]))
        function.filename = printable(keys[fid][0])
        ncalls = profile.ncalls[fid]
        function.called = ncalls if ncalls >= 0 else None
        function[gprof2dot.TIME] = profile.tottime[fid]
        function[gprof2dot.TOTAL_TIME] = profile.cumtime[fid]
        largest = max(largest, profile.cumtime[fid])
        functions[fid] = function
    find = profile.index.get
    for fid in chosen:
        for key, edge in profile.callers_raw[fid].items():
            caller = find(key)
            if caller is None or not inside[caller]:
                continue
            call = gprof2dot.Call(fid)
            if isinstance(edge, tuple):
                call[gprof2dot.CALLS] = edge[0]
                call[gprof2dot.TOTAL_TIME] = edge[3]
            else:
                # The profile module records a bare count: share the callee's
                # time in proportion, as gprof2dot's own pstats parser does.
                call[gprof2dot.CALLS] = edge
                calls = profile.ncalls[fid]
                share = edge / calls if calls > 0 else 0.0
                call[gprof2dot.TOTAL_TIME] = share * profile.cumtime[fid]
            functions[caller].calls[fid] = call
    graph[gprof2dot.TIME] = profile.total_time
    graph[gprof2dot.TOTAL_TIME] = largest
    graph.ratio(gprof2dot.TIME_RATIO, gprof2dot.TIME)
    graph.ratio(gprof2dot.TOTAL_TIME_RATIO, gprof2dot.TOTAL_TIME)
    return graph


def write_dot(
    profile: Profile,
    out: TextIO,
    fids: Sequence[int] | None = None,
    *,
    node_threshold: float = DEFAULT_NODE_THRESHOLD,
    edge_threshold: float = DEFAULT_EDGE_THRESHOLD,
    theme: str = "color",
) -> None:
    """Write the call graph; thresholds are percentages of the total time."""
    graph = build_graph(profile, fids)
    graph.prune(node_threshold / 100.0, edge_threshold / 100.0, None, False)
    gprof2dot.DotWriter(out).graph(graph, gprof2dot.themes[theme])
