"""The icicle layout: widths, the ``…`` merge, zoom, recursion, estimates, depth."""

from __future__ import annotations

import marshal
import pstats
import subprocess
import sys
import textwrap
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.app.test_call_tree import diamond_stats
from tests.model.test_calltree import chain_stats
from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.icicle import (
    Block,
    Change,
    IcicleLayout,
    colour_group,
    split_width,
    sum_changes,
)
from tuiprof.model.icicle_nav import heaviest_occurrence, zoom_out_tops
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile

Key = tuple[str, int, str]
MAIN, A, B, C, D = (("app.py", n, name) for n, name in enumerate(["main", "a", "b", "c", "d"], 1))


def build(tmp_path: Path, stats: dict[Key, Any], name: str = "t.prof") -> Profile:
    path = tmp_path / name
    path.write_bytes(marshal.dumps(stats))
    return load_profile([str(path)])


def name(profile: Profile, block: Block) -> str:
    return "…" if block.node is None else profile.keys[block.fid][2]


def names(profile: Profile, row: list[Block]) -> list[str]:
    return [name(profile, b) for b in row]


def spans(row: list[Block]) -> list[tuple[int, int]]:
    return [(b.x, b.width) for b in row]


def check_widths(layout: IcicleLayout, depth: int) -> None:
    """Every block's children lie inside it, in order, and never add up past it."""
    for r in range(1, depth):
        row = layout.row(r)
        for block in row:
            parent = layout.parent(block)
            assert parent is not None
            assert parent.x <= block.x and block.x + block.width <= parent.x + parent.width
        for left, right in pairwise(row):
            assert left.x + left.width <= right.x


@pytest.fixture
def diamond(tmp_path: Path) -> Profile:
    return build(tmp_path, diamond_stats())


# split_width --------------------------------------------------------------


def test_split_width_adds_up_exactly_by_largest_remainder() -> None:
    assert split_width([1.0, 1.0, 1.0], 10) == [4, 3, 3]  # the tie goes to the first
    assert split_width([6.0, 3.0, 1.0], 80) == [48, 24, 8]
    assert split_width([0.7, 0.2, 0.1], 7) == [5, 1, 1]
    for width in range(1, 60):
        weights = [5.3, 2.2, 1.1, 0.9, 0.05, 0.3]
        assert sum(split_width(weights, width)) == width


def test_split_width_of_nothing() -> None:
    assert split_width([0.0, 0.0], 5) == [5, 0]
    assert split_width([1.0], 0) == [0]
    assert split_width([], 5) == []


# Layout -------------------------------------------------------------------


def test_rows_split_the_parent_by_cumtime_largest_first(diamond: Profile) -> None:
    tree = CallTree(diamond)
    layout = IcicleLayout(tree, tree.roots(), 100)
    assert names(diamond, layout.row(0)) == ["main"] and spans(layout.row(0)) == [(0, 100)]
    # main: 10 s; a 6 s, b 3 s, and main's own 1 s is the part they leave
    assert names(diamond, layout.row(1)) == ["a", "b"]
    assert spans(layout.row(1)) == [(0, 60), (60, 30)]
    # a's whole 6 s is c; b's 3 s: c 2 s, fact 0.5 s, own 0.5 s
    assert names(diamond, layout.row(2)) == ["c", "c", "fact"]
    assert spans(layout.row(2)) == [(0, 60), (60, 20), (80, 5)]
    check_widths(layout, layout.depth())


def test_widths_never_exceed_the_parent_and_fill_it_when_it_has_no_own_time(
    tmp_path: Path,
) -> None:
    stats: dict[Key, Any] = {MAIN: (1, 1, 0.0, 7.0, {})}
    for i in range(7):
        stats[("w.py", i + 1, f"k{i}")] = (1, 1, 1.0, 1.0, {MAIN: (1, 1, 1.0, 1.0)})
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    for width in (10, 23, 40, 80, 199):
        row = IcicleLayout(tree, tree.roots(), width).row(1)
        assert sum(b.width for b in row) == width
        assert max(b.width for b in row) - min(b.width for b in row) <= 1


def test_narrow_children_are_merged_into_one_ellipsis_block(tmp_path: Path) -> None:
    stats: dict[Key, Any] = {MAIN: (1, 1, 0.0, 100.0, {})}
    stats[("w.py", 1, "big")] = (1, 1, 80.0, 80.0, {MAIN: (1, 1, 80.0, 80.0)})
    for i in range(40):
        stats[("w.py", i + 2, f"tiny{i}")] = (1, 1, 0.5, 0.5, {MAIN: (1, 1, 0.5, 0.5)})
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    row = IcicleLayout(tree, tree.roots(), 50).row(1)
    assert names(profile, row) == ["big", "…"]
    assert spans(row) == [(0, 40), (40, 10)]
    assert row[1].merged == 40 and row[1].cumtime == pytest.approx(20.0)
    # wide enough, every child has its own block
    wide = IcicleLayout(tree, tree.roots(), 400).row(1)
    assert len(wide) == 41 and all(b.node is not None for b in wide)


def test_zoom_makes_a_block_the_full_width(diamond: Profile) -> None:
    tree = CallTree(diamond)
    layout = IcicleLayout(tree, tree.roots(), 100)
    b = layout.row(1)[1]
    assert b.node is not None
    zoomed = IcicleLayout(tree, [b.node], 100)
    assert names(diamond, zoomed.row(0)) == ["b"] and spans(zoomed.row(0)) == [(0, 100)]
    assert zoomed.total == pytest.approx(3.0)
    # b: 3 s; c 2 s, fact 0.5 s
    assert spans(zoomed.row(1)) == [(0, 67), (67, 17)]  # ties to the first
    assert zoom_out_tops(tree, zoomed.tops) == tuple(tree.roots())
    assert zoom_out_tops(tree, tuple(tree.roots())) is None
    c = zoomed.row(1)[0].node
    assert c is not None and zoom_out_tops(tree, [c]) == (b.node,)


def test_recursion_is_drawn_once_marked_and_never_expanded(diamond: Profile) -> None:
    tree = CallTree(diamond)
    layout = IcicleLayout(tree, tree.roots(), 200)
    fact = next(b for b in layout.row(2) if name(diamond, b) == "fact")
    inner = layout.first_child(fact)
    assert inner is not None and name(diamond, inner) == "fact" and inner.recursive
    assert layout.first_child(inner) is None
    assert layout.depth() == 4  # main; a b; c c fact; d d fact (marked, not expanded)
    assert [b.recursive for b in layout.row(3)] == [False, False, True]


def test_estimate_flags_are_carried(diamond: Profile) -> None:
    tree = CallTree(diamond)
    layout = IcicleLayout(tree, tree.roots(), 100)
    assert not any(b.estimated for r in range(3) for b in layout.row(r))
    # c is shared by a and b: d below each c is an estimate
    assert names(diamond, layout.row(3))[:2] == ["d", "d"]
    assert all(b.estimated for b in layout.row(3)[:2])
    assert [round(b.cumtime, 3) for b in layout.row(3)[:2]] == [4.5, 1.5]


def test_cursor_lookups(diamond: Profile) -> None:
    tree = CallTree(diamond)
    layout = IcicleLayout(tree, tree.roots(), 100)
    main = layout.row(0)[0]
    a = layout.first_child(main)
    assert a is not None and name(diamond, a) == "a"
    b = layout.next(a)
    assert b is not None and name(diamond, b) == "b"
    assert layout.next(b) is None and layout.previous(a) is None
    assert layout.previous(b) is a and layout.parent(b) is main and layout.parent(main) is None
    c_under_b = layout.first_child(b)
    assert c_under_b is not None and c_under_b.x == 60
    assert layout.block_at(2, 61) is c_under_b and layout.block_at(2, 99) is None
    assert c_under_b.node is not None and layout.find(c_under_b.node) is c_under_b


def test_delta_is_carried_for_a_differential_icicle(diamond: Profile) -> None:
    tree = CallTree(diamond)
    layout = IcicleLayout(tree, tree.roots(), 100, delta=lambda node: Change(1.0, node.cumtime))
    assert [b.delta for b in layout.row(1)] == [Change(1.0, 6.0), Change(1.0, 3.0)]
    assert [b.delta.delta for b in layout.row(1) if b.delta is not None] == [5.0, 2.0]
    assert IcicleLayout(tree, tree.roots(), 100).row(1)[0].delta is None


def test_a_change_is_signed_and_a_new_path_counts_whole() -> None:
    assert Change(2.0, 1.5).delta == -0.5 and Change(2.0, 1.5).percent == -25.0
    assert Change(None, 1.5).delta == 1.5 and Change(None, 1.5).percent == float("inf")
    assert sum_changes([Change(1.0, 2.0), None, Change(None, 0.5, estimated=True)]) == Change(
        1.0, 2.5, estimated=True
    )
    assert sum_changes([None, None]) is None
    assert sum_changes([Change(None, 1.0)]) == Change(None, 1.0)


def test_heaviest_occurrence_follows_the_largest_callers(diamond: Profile) -> None:
    tree = CallTree(diamond)
    node = heaviest_occurrence(tree, diamond.find(D))
    assert node is not None
    assert [diamond.keys[f][2] for f in node.path()] == ["main", "a", "c", "d"]
    assert heaviest_occurrence(tree, -1) is None


def test_untimed_profiles_split_by_calls(tmp_path: Path) -> None:
    stats = {
        MAIN: (1, 1, 0.0, 0.0, {}),
        A: (3, 3, 0.0, 0.0, {MAIN: 3}),
        B: (1, 1, 0.0, 0.0, {MAIN: 1}),
    }
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    row = IcicleLayout(tree, tree.roots(), 40).row(1)
    assert names(profile, row) == ["a", "b"] and spans(row) == [(0, 30), (30, 10)]


def test_colour_groups_are_packages_stdlib_or_files() -> None:
    assert colour_group(("/v/lib/python3.12/site-packages/rich/text.py", 1, "f")) == "rich"
    assert colour_group(("/v/lib/python3.12/site-packages/six.py", 1, "f")) == "six"
    assert colour_group(("/usr/lib/python3.12/json/decoder.py", 1, "f")) == "stdlib"
    assert colour_group(("~", 0, "<built-in method builtins.len>")) == "builtins"
    assert colour_group(("<frozen importlib._bootstrap>", 1, "f")) == "import system"
    assert colour_group(("/src/app.py", 1, "f")) == "/src/app.py"


# Depth --------------------------------------------------------------------


def test_a_chain_100000_functions_long(tmp_path: Path) -> None:
    n = 100_000
    profile = build(tmp_path, chain_stats(n))
    tree = CallTree(profile)
    layout = IcicleLayout(tree, tree.roots(), 200)
    assert layout.rows_built == 0
    layout.row(40)
    assert layout.rows_built == 41 and not layout.complete  # only what was asked for
    assert layout.depth() == n
    last = layout.row(n - 1)[0]
    assert name(profile, last) == f"f{n - 1}" and not last.estimated
    # one column per second of the root's n: the last function is 1 s of n
    assert last.width == 1 and layout.row(n - 2)[0].width == 1
    assert layout.parent(last) is layout.row(n - 2)[0]
    assert last.node is not None and layout.find(last.node) is last
    deepest = heaviest_occurrence(tree, profile.find(("chain.py", n, f"f{n - 1}")))
    assert deepest is not None and deepest.depth == n - 1


# Real profiles ------------------------------------------------------------


SCRIPT = """\
import json
import helper

def main():
    total = 0
    for i in range(300):
        total += helper.work(i)
    json.dumps(list(range(1000)))
    return total

main()
"""

HELPER = """\
def leaf(n):
    return sum(range(n))

def work(i):
    return leaf(i) + leaf(i // 2)
"""


@pytest.fixture(scope="module")
def script_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("script")
    (folder / "script.py").write_text(SCRIPT)
    (folder / "helper.py").write_text(textwrap.dedent(HELPER))
    out = folder / "script.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), "script.py"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return out


def whole(profile: Profile, name: str) -> TreeNode:
    """A tree node holding all of the named function: an icicle zoomed on it."""
    fid = next(i for i, k in enumerate(profile.keys) if k[2] == name and k[0].endswith(".py"))
    return TreeNode(
        fid,
        None,
        0,
        float(profile.ncalls[fid]),
        profile.tottime[fid],
        profile.cumtime[fid],
        estimated=False,
        recursive=False,
    )


def test_a_python_m_cprofile_profile(script_profile: Path) -> None:
    profile = load_profile([str(script_profile)])
    tree = CallTree(profile)
    width = 120
    roots = IcicleLayout(tree, tree.roots(), width)
    assert sum(b.width for b in roots.row(0)) == width
    check_widths(roots, roots.depth())
    layout = IcicleLayout(tree, [whole(profile, "main")], width)
    depth = layout.depth()
    assert depth >= 3  # main; work, dumps, range; leaf ...
    check_widths(layout, depth)
    stats: Any = pstats.Stats(str(script_profile)).stats  # type: ignore[attr-defined]
    main_key = next(k for k in stats if k[2] == "main")
    row1 = layout.row(1)
    assert name(profile, row1[0]) == "work"
    # one level down, a block's time is the caller→callee edge pstats recorded
    work_key = next(k for k in stats if k[2] == "work")
    assert row1[0].cumtime == stats[work_key][4][main_key][3]
    main_time = stats[main_key][3]
    assert (
        row1[0].width == round(width * row1[0].cumtime / main_time)
        or abs(row1[0].width - width * row1[0].cumtime / main_time) < 1
    )
    assert sum(b.width for b in row1) <= width
    for r in range(depth):
        for block in layout.row(r):
            if block.node is not None:
                assert block.cumtime == block.node.cumtime
                assert block.estimated == block.node.estimated
    leaf = layout.first_child(row1[0])
    assert leaf is not None and name(profile, leaf) == "leaf"


def test_only_rows_and_columns_asked_for_are_built(script_profile: Path) -> None:
    profile = load_profile([str(script_profile)])
    tree = CallTree(profile)
    layout = IcicleLayout(tree, tree.roots(), 30)
    for r in range(layout.depth()):
        row = layout.row(r)
        assert len(row) <= 30
        assert all(b.width >= 1 for b in row)


def test_merged_blocks_hide_no_time_from_the_row(tmp_path: Path) -> None:
    stats: dict[Key, Any] = {MAIN: (1, 1, 0.0, 10.0, {})}
    for i in range(100):
        stats[("w.py", i + 1, f"k{i}")] = (1, 1, 0.1, 0.1, {MAIN: (1, 1, 0.1, 0.1)})
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    row = IcicleLayout(tree, tree.roots(), 20).row(1)
    assert [b.merged for b in row] == [100] and spans(row) == [(0, 20)]
