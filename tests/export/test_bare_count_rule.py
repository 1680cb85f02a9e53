"""The ``profile`` module's bare caller counts: one time share for the tree, dot and callgrind."""

from __future__ import annotations

import io
from pathlib import Path

import gprof2dot
import pytest

from tuiprof.export.callgrind import write_callgrind
from tuiprof.export.dot import build_graph
from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile


def exact_edges(profile: Profile) -> list[tuple[TreeNode, TreeNode]]:
    """(parent, child) pairs of the tree under nodes holding all of their function."""
    tree = CallTree(profile)
    pairs = []
    todo = [tree.roots()[0]]
    while todo:
        node = todo.pop()
        if not node.whole:
            continue
        for child in tree.children(node):
            pairs.append((node, child))
            todo.append(child)
    return pairs


def test_dot_edges_carry_the_call_trees_time(pure_profile_file: Path) -> None:
    profile = load_profile([str(pure_profile_file)])
    graph = build_graph(profile)
    pairs = exact_edges(profile)
    names = {profile.keys[child.fid][2] for _, child in pairs}
    assert {"fib", "leaf", "run"} <= names
    assert any(child.recursive for _, child in pairs)  # fib calling itself
    for parent, child in pairs:
        call = graph.functions[parent.fid].calls[child.fid]
        assert call[gprof2dot.TOTAL_TIME] == pytest.approx(child.cumtime, rel=1e-9, abs=1e-12)


def test_callgrind_calls_carry_the_call_trees_time(pure_profile_file: Path) -> None:
    profile = load_profile([str(pure_profile_file)])
    out = io.StringIO()
    write_callgrind(profile, out)
    parsed = gprof2dot.CallgrindParser(io.StringIO(out.getvalue())).parse()
    by_name = {(f.module, f.name): f for f in parsed.functions.values()}
    assert len(by_name) == len(parsed.functions)
    names = [key[2] for key in profile.keys]
    unique = {name for name in names if names.count(name) == 1}
    checked = 0
    for parent, child in exact_edges(profile):
        if child.cumtime <= 0 or not {names[parent.fid], names[child.fid]} <= unique:
            continue
        calls = [
            call
            for caller in parsed.functions.values()
            if caller.name.startswith(profile.keys[parent.fid][2])
            for callee_id, call in caller.calls.items()
            if parsed.functions[callee_id].name.startswith(profile.keys[child.fid][2])
        ]
        cost = sum(call[gprof2dot.SAMPLES2] for call in calls if gprof2dot.SAMPLES2 in call)
        if not calls or not cost:
            continue
        # Costs are whole nanoseconds, each call's truncated.
        assert cost == pytest.approx(child.cumtime * 1e9, abs=len(calls))
        checked += 1
    assert checked >= 3
