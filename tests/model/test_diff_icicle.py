"""The differential icicle: each block's call path after and before, as the diff has them."""

from __future__ import annotations

import marshal
import math
from pathlib import Path
from typing import Any

import pytest

from tests.model.diff_support import profiled_change
from tests.model.test_calltree import chain_stats
from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.diff import Measure, ProfileDiff, Side, diff_profiles
from tuiprof.model.diff_icicle import PathChanges
from tuiprof.model.icicle import Block, Change, IcicleLayout, sum_changes
from tuiprof.model.icicle_nav import heaviest_occurrence
from tuiprof.model.loaders import load_profile
from tuiprof.model.matching import NONE
from tuiprof.model.profile import Profile

Key = tuple[str, int, str]
MAIN: Key = ("app.py", 1, "main")
PARSE: Key = ("app.py", 5, "parse")
WALK: Key = ("app.py", 9, "walk")
RENDER: Key = ("app.py", 14, "render")
LEN: Key = ("~", 0, "<built-in method builtins.len>")

BEFORE: dict[Key, Any] = {
    MAIN: (1, 1, 0.1, 3.0, {}),
    PARSE: (1, 1, 0.5, 1.0, {MAIN: (1, 1, 0.5, 1.0)}),
    WALK: (1, 1, 1.9, 1.9, {MAIN: (1, 1, 1.9, 1.9)}),
    LEN: (10, 10, 0.5, 0.5, {PARSE: (10, 10, 0.5, 0.5)}),
}
"""main calls parse (which calls len) and walk: 3 s."""
AFTER: dict[Key, Any] = {
    MAIN: (1, 1, 0.1, 2.5, {}),
    PARSE: (1, 1, 0.4, 2.0, {MAIN: (1, 1, 0.4, 2.0)}),
    RENDER: (1, 1, 0.4, 0.4, {MAIN: (1, 1, 0.4, 0.4)}),
    LEN: (20, 20, 1.6, 1.6, {PARSE: (20, 20, 1.6, 1.6)}),
}
"""walk is gone, render is new, parse (len) got slower: 2.5 s."""


def build(folder: Path, name: str, stats: dict[Key, Any]) -> Profile:
    path = folder / name
    path.write_bytes(marshal.dumps(stats))
    return load_profile([str(path)])


def changes_of(diff: ProfileDiff) -> PathChanges:
    return PathChanges(diff, CallTree(diff.before), CallTree(diff.after))


def hand_diff(tmp_path: Path, *, normalize: bool = False) -> ProfileDiff:
    return diff_profiles(
        build(tmp_path, "before.prof", BEFORE),
        build(tmp_path, "after.prof", AFTER),
        normalize=normalize,
    )


def layout_of(changes: PathChanges, width: int = 100) -> IcicleLayout:
    tree = changes.after
    return IcicleLayout(tree, tree.roots(), width, changes.change)


def by_name(layout: IcicleLayout, profile: Profile) -> dict[str, Block]:
    return {
        profile.keys[block.fid][2]: block
        for depth in range(layout.depth())
        for block in layout.row(depth)
        if block.node is not None
    }


def test_each_block_has_its_call_path_before_and_after(tmp_path: Path) -> None:
    diff = hand_diff(tmp_path)
    layout = layout_of(changes_of(diff))
    blocks = by_name(layout, diff.after)
    assert blocks["main"].delta == Change(3.0, 2.5)
    assert blocks["parse"].delta == Change(1.0, 2.0)
    assert blocks["<built-in method builtins.len>"].delta == Change(0.5, 1.6)
    render = blocks["render"].delta
    assert render == Change(None, 0.4)  # a new call path: all of its time is the change
    assert render is not None and render.delta == 0.4 and math.isinf(render.percent)
    assert "walk" not in blocks  # gone: the after run is drawn; main's change holds it
    main = blocks["main"].delta
    assert main is not None and main.delta == pytest.approx(-0.5) and not main.estimated


def test_exact_changes_are_the_diffs_numbers(tmp_path: Path) -> None:
    diff = hand_diff(tmp_path)
    blocks = by_name(layout_of(changes_of(diff)), diff.after)
    cumtime_delta = diff.column(Measure.CUMTIME, Side.DELTA)
    row = {diff.key(r)[2]: r for r in range(len(diff))}
    # the root holds its whole function: the table's Δ cumtime
    main = blocks["main"].delta
    assert main is not None and main.delta == cumtime_delta[row["main"]]
    # one edge below: that edge's Δ, as callers and callees show it
    edges = {diff.key(e.row)[2]: e for e in diff.callees(row["main"])}
    for callee in ("parse", "render"):
        change = blocks[callee].delta
        assert change is not None and change.delta == edges[callee].delta(Measure.CUMTIME)
    below = {diff.key(e.row)[2]: e for e in diff.callees(row["parse"])}
    change = blocks["<built-in method builtins.len>"].delta
    assert change is not None
    assert change.delta == below["<built-in method builtins.len>"].delta(Measure.CUMTIME)


def test_normalized_before_times_are_scaled(tmp_path: Path) -> None:
    diff = hand_diff(tmp_path, normalize=True)
    assert diff.scale == pytest.approx(2.5 / 3.0)
    blocks = by_name(layout_of(changes_of(diff)), diff.after)
    parse = blocks["parse"].delta
    assert parse is not None and parse.before == pytest.approx(1.0 * 2.5 / 3.0)
    main = blocks["main"].delta
    assert main is not None and main.delta == pytest.approx(0.0)  # totals match when normalized


DIAMOND_MAIN: Key = ("d.py", 1, "main")
A: Key = ("d.py", 2, "a")
B: Key = ("d.py", 3, "b")
C: Key = ("d.py", 4, "c")
D: Key = ("d.py", 5, "d")
FACT: Key = ("d.py", 6, "fact")


def diamond(scale: float) -> dict[Key, Any]:
    """main calls a and b; both call c (shared: below it, estimates); b calls fact, recursive."""
    s = scale
    return {
        DIAMOND_MAIN: (1, 1, 0.5, 10.0 * s, {}),
        A: (1, 1, 0.5, 6.0 * s, {DIAMOND_MAIN: (1, 1, 0.5, 6.0 * s)}),
        B: (2, 2, 0.5, 3.0, {DIAMOND_MAIN: (2, 2, 0.5, 3.0)}),
        C: (4, 4, 2.0, 8.0 * s, {A: (3, 3, 1.5, 6.0 * s), B: (1, 1, 0.5, 2.0)}),
        D: (8, 8, 6.0 * s, 6.0 * s, {C: (8, 8, 6.0 * s, 6.0 * s)}),
        FACT: (1, 5, 0.5, 0.5, {B: (1, 1, 0.1, 0.5), FACT: (4, 4, 0.4, 0.4)}),
    }


def independent_before(changes: PathChanges, node: TreeNode) -> float | None:
    """The before figure read another way: the before tree followed along the matched path."""
    diff = changes.diff
    fids = [diff.before_ids[diff.row_of_after(fid)] for fid in node.path()]
    if NONE in fids:
        return None
    at = next((root for root in changes.before.roots() if root.fid == fids[0]), None)
    for fid in fids[1:]:
        if at is None:
            return None
        at = next((kid for kid in changes.before.children(at) if kid.fid == fid), None)
    return None if at is None else at.cumtime * diff.scale


def test_estimates_and_recursion_on_both_sides(tmp_path: Path) -> None:
    diff = diff_profiles(
        build(tmp_path, "before.prof", diamond(1.0)), build(tmp_path, "after.prof", diamond(1.5))
    )
    changes = changes_of(diff)
    layout = layout_of(changes)
    seen = {"estimated": 0, "recursive": 0}
    for depth in range(layout.depth()):
        for block in layout.row(depth):
            assert block.node is not None and block.delta is not None
            change = block.delta
            assert change.after == block.node.cumtime
            assert change.before == independent_before(changes, block.node)
            before = changes.before_node(block.node)
            assert before is not None
            assert change.estimated == (block.node.estimated or before.estimated)
            assert before.recursive == block.node.recursive
            seen["estimated"] += change.estimated
            seen["recursive"] += block.node.recursive
    assert seen["estimated"] and seen["recursive"]  # both kinds were met


def test_a_merged_block_changes_by_its_blocks_together(tmp_path: Path) -> None:
    kids = [("many.py", i + 2, f"k{i}") for i in range(30)]

    def stats(each: float) -> dict[Key, Any]:
        out: dict[Key, Any] = {DIAMOND_MAIN: (1, 1, 0.1, 10.0 + 30 * each, {})}
        out[A] = (1, 1, 10.0, 10.0, {DIAMOND_MAIN: (1, 1, 10.0, 10.0)})
        for key in kids:
            out[key] = (1, 1, each, each, {DIAMOND_MAIN: (1, 1, each, each)})
        return out

    diff = diff_profiles(
        build(tmp_path, "before.prof", stats(0.05)), build(tmp_path, "after.prof", stats(0.08))
    )
    changes = changes_of(diff)
    row = layout_of(changes, width=40).row(1)
    merged = [b for b in row if b.node is None]
    assert len(merged) == 1 and merged[0].merged == 30  # each k is under a column wide
    root = changes.after.roots()[0]
    small = [k for k in changes.after.children(root) if diff.after.keys[k.fid][2] != "a"]
    assert merged[0].delta == sum_changes([changes.change(kid) for kid in small])
    assert merged[0].delta is not None
    assert merged[0].delta.delta == pytest.approx(30 * 0.03)


def test_a_chain_100000_functions_long(tmp_path: Path) -> None:
    n = 100_000
    profile = build(tmp_path, "chain.prof", chain_stats(n))
    diff = diff_profiles(profile, profile)  # one run against itself: every path is there before
    changes = changes_of(diff)
    last = diff.after.find(("chain.py", n, f"f{n - 1}"))
    deepest = heaviest_occurrence(changes.after, last)
    assert deepest is not None and deepest.depth == n - 1
    before = changes.before_node(deepest)  # a loop up the chain, not a recursion
    assert before is not None and before.depth == n - 1
    assert changes.change(deepest) == Change(1.0, 1.0)


# On profiles made the way users make them --------------------------------------------


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> ProfileDiff:
    """``python -m cProfile -o`` of the report program, before and after ``+=`` became ``join``."""
    before, after = profiled_change(tmp_path_factory.mktemp("change"))
    return diff_profiles(load_profile([str(before)]), load_profile([str(after)]))


def test_every_block_of_a_real_change_is_the_diffs_numbers(real: ProfileDiff) -> None:
    changes = changes_of(real)
    layout = layout_of(changes, width=200)
    cumtime_delta = real.column(Measure.CUMTIME, Side.DELTA)
    exact_edges = 0
    for depth in range(layout.depth()):
        for block in layout.row(depth):
            if block.node is None:
                continue
            node, change = block.node, block.delta
            assert change is not None and change.after == node.cumtime
            if not node.recursive:
                assert change.before == independent_before(changes, node)
            if change.estimated or change.before is None:
                continue
            row = real.row_of_after(node.fid)
            parent = node.parent
            if parent is None:
                before_root = changes.before_node(node)
                if node.whole and before_root is not None and before_root.whole:
                    assert change.delta == cumtime_delta[row]
                continue
            edges = real.callees(real.row_of_after(parent.fid))
            (edge,) = [e for e in edges if e.row == row]
            assert change.delta == edge.delta(Measure.CUMTIME)
            exact_edges += 1
    assert exact_edges >= 5
    build_report = real.after.find(next(k for k in real.after.keys if k[2] == "build_report"))
    found = heaviest_occurrence(changes.after, build_report)
    assert found is not None
    faster = changes.change(found)
    assert faster.delta < 0 and faster.percent < -50  # the join made it much faster
