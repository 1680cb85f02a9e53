"""The call tree model: exact and estimated figures, recursion marks, hot path, depth."""

from __future__ import annotations

import marshal
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.tree_rows import TreeRows

Key = tuple[str, int, str]


def key(name: str) -> Key:
    return ("app.py", abs(hash(name)) % 1000 + 1, name)


def build(tmp_path: Path, stats: dict[Key, Any], name: str = "t.prof") -> Profile:
    path = tmp_path / name
    path.write_bytes(marshal.dumps(stats))
    return load_profile([str(path)])


MAIN, A, B, C, D = (("app.py", n, name) for n, name in enumerate(["main", "a", "b", "c", "d"], 1))


@pytest.fixture
def diamond(tmp_path: Path) -> Profile:
    """main calls a and b; both call c; c calls d."""
    stats = {
        MAIN: (1, 1, 0.1, 10.0, {}),
        A: (1, 1, 0.5, 6.0, {MAIN: (1, 1, 0.5, 6.0)}),
        B: (2, 2, 0.5, 3.0, {MAIN: (2, 2, 0.5, 3.0)}),
        C: (4, 4, 2.0, 8.0, {A: (3, 3, 1.5, 6.0), B: (1, 1, 0.5, 2.0)}),
        D: (8, 8, 6.0, 6.0, {C: (8, 8, 6.0, 6.0)}),
    }
    return build(tmp_path, stats)


def by_name(profile: Profile, nodes: list[TreeNode]) -> dict[str, TreeNode]:
    return {profile.keys[n.fid][2]: n for n in nodes}


def test_roots_carry_their_functions_figures(diamond: Profile) -> None:
    tree = CallTree(diamond)
    [root] = tree.roots()
    assert diamond.keys[root.fid] == MAIN
    assert (root.ncalls, root.tottime, root.cumtime) == (1, 0.1, 10.0)
    assert not root.estimated and not root.recursive and root.depth == 0


def test_first_level_is_the_edges_own_figures(diamond: Profile) -> None:
    tree = CallTree(diamond)
    kids = tree.children(tree.roots()[0])
    assert [diamond.keys[k.fid] for k in kids] == [A, B]  # largest cumtime first
    a, b = kids
    assert (a.ncalls, a.tottime, a.cumtime, a.estimated) == (1, 0.5, 6.0, False)
    assert (b.ncalls, b.tottime, b.cumtime, b.estimated) == (2, 0.5, 3.0, False)


def test_whole_function_passes_exactness_down(diamond: Profile) -> None:
    # a is called only by main: the a node holds all of a, so a->c is exact.
    tree = CallTree(diamond)
    a = tree.children(tree.roots()[0])[0]
    [c] = tree.children(a)
    assert (c.ncalls, c.cumtime, c.estimated) == (3, 6.0, False)


def test_deeper_figures_are_scaled_estimates(diamond: Profile) -> None:
    tree = CallTree(diamond)
    a = tree.children(tree.roots()[0])[0]
    c = tree.children(a)[0]  # holds 6 of c's 8 seconds
    [d] = tree.children(c)
    assert d.estimated
    assert d.cumtime == pytest.approx(6.0 * 6.0 / 8.0)
    assert d.tottime == pytest.approx(6.0 * 6.0 / 8.0)
    assert d.ncalls == pytest.approx(8 * 6.0 / 8.0)
    # and an estimate stays an estimate all the way down
    assert all(k.estimated for k in tree.children(d))


def test_children_are_cached_and_computed_on_demand(diamond: Profile) -> None:
    tree = CallTree(diamond)
    root = tree.roots()[0]
    assert tree.children(root) is tree.children(root)


def test_self_recursion_is_marked_and_not_expanded(tmp_path: Path) -> None:
    fact = ("m.py", 3, "fact")
    stats = {
        MAIN: (1, 1, 0.0, 1.0, {}),
        fact: (1, 11, 1.0, 1.0, {MAIN: (1, 1, 0.1, 1.0), fact: (10, 10, 0.9, 0.9)}),
    }
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    [f] = tree.children(tree.roots()[0])
    assert not f.recursive and tree.has_children(f)
    [again] = tree.children(f)
    assert profile.keys[again.fid] == fact and again.recursive
    assert tree.children(again) == [] and not tree.has_children(again)
    assert [profile.keys[n.fid] for n in tree.hot_path(tree.roots()[0])] == [MAIN, fact]


def test_cycle_is_marked_where_it_closes(tmp_path: Path) -> None:
    stats = {
        MAIN: (1, 1, 0.0, 3.0, {}),
        A: (2, 2, 1.0, 3.0, {MAIN: (1, 1, 0.5, 3.0), B: (1, 1, 0.5, 1.0)}),
        B: (2, 2, 1.0, 2.0, {A: (2, 2, 1.0, 2.0)}),
    }
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    a = tree.children(tree.roots()[0])[0]
    b = tree.children(a)[0]
    [a_again] = tree.children(b)
    assert profile.keys[a_again.fid] == A
    assert a_again.recursive and not b.recursive and not a.recursive
    assert a_again.path() == [profile.find(k) for k in (MAIN, A, B, A)]


def test_hot_path_follows_largest_cumtime_to_a_leaf(diamond: Profile) -> None:
    tree = CallTree(diamond)
    path = tree.hot_path(tree.roots()[0])
    assert [diamond.keys[n.fid] for n in path] == [MAIN, A, C, D]
    assert [n.depth for n in path] == [0, 1, 2, 3]
    assert all(child.parent is parent for parent, child in pairwise(path))


def test_bare_call_counts_estimate_times_by_share_of_calls(tmp_path: Path) -> None:
    # The pure-Python profile module records bare counts: no times on edges.
    stats = {
        MAIN: (1, 1, 0.0, 10.0, {}),
        A: (2, 2, 1.0, 4.0, {MAIN: 2}),
        B: (8, 8, 8.0, 8.0, {A: 4, MAIN: 4}),
        C: (6, 6, 0.0, 0.0, {B: 6}),
    }
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    kids = by_name(profile, tree.children(tree.roots()[0]))
    a = kids["a"]  # all of a's calls: its whole figures, exact
    assert (a.ncalls, a.tottime, a.cumtime, a.estimated) == (2, 1.0, 4.0, False)
    b = tree.children(a)[0]  # half of b's calls: half of its time, estimated
    assert (b.ncalls, b.cumtime, b.estimated) == (4, 4.0, True)
    [c] = tree.children(b)
    assert c.estimated and c.ncalls == pytest.approx(6 * 4 / 8)  # this b holds half of b


def test_tree_rows_expand_collapse(diamond: Profile) -> None:
    rows = TreeRows(CallTree(diamond))
    assert len(rows) == 1
    assert rows.expand(0) and not rows.expand(0)
    assert [diamond.keys[n.fid] for n in rows.rows] == [MAIN, A, B]
    assert rows.expand(1)
    assert [diamond.keys[n.fid] for n in rows.rows] == [MAIN, A, C, B]
    assert rows.parent_index(2) == 1 and rows.parent_index(3) == 0 and rows.parent_index(0) == -1
    assert rows.collapse(0)
    assert len(rows) == 1 and not rows.is_expanded(rows.rows[0])
    rows.expand(0)
    assert len(rows) == 3  # reopening does not reopen the grandchildren


def test_tree_rows_open_path_keeps_siblings_in_order(diamond: Profile) -> None:
    tree = CallTree(diamond)
    rows = TreeRows(tree)
    path = tree.hot_path(rows.rows[0])
    last = rows.open_path(0, path)
    assert [diamond.keys[n.fid] for n in rows.rows] == [MAIN, A, C, D, B]
    assert rows.rows[last] is path[-1]
    # opening it again from a half-open state finds the open nodes
    rows.collapse(2)
    last = rows.open_path(0, path)
    assert rows.rows[last] is path[-1] and len(rows) == 5


def test_a_plan_only_reads_the_rows_and_one_made_before_a_change_is_made_again(
    diamond: Profile,
) -> None:
    tree = CallTree(diamond)
    rows = TreeRows(tree)
    path = tree.hot_path(rows.rows[0])
    plan = rows.plan_open(0, path)
    assert len(rows) == 1 and not rows.is_expanded(rows.rows[0])  # nothing done yet
    assert [diamond.keys[n.fid] for n in plan.segment] == [A, C, D, B]
    rows.expand(0)  # the rows change before the plan is applied
    last = rows.apply(plan)
    assert [diamond.keys[n.fid] for n in rows.rows] == [MAIN, A, C, D, B]
    assert rows.rows[last] is path[-1]
    assert rows.apply(rows.plan_open(0, path)) == last  # all open: nothing to add
    assert len(rows) == 5


def chain_stats(n: int) -> dict[Key, Any]:
    keys = [("chain.py", i + 1, f"f{i}") for i in range(n)]
    stats: dict[Key, Any] = {keys[0]: (1, 1, 0.0, float(n), {})}
    for i in range(1, n):
        stats[keys[i]] = (1, 1, 1.0, float(n - i), {keys[i - 1]: (1, 1, 1.0, float(n - i))})
    return stats


def test_a_chain_100000_functions_long(tmp_path: Path) -> None:
    n = 100_000
    profile = build(tmp_path, chain_stats(n))
    tree = CallTree(profile)
    path = tree.hot_path(tree.roots()[0])
    assert len(path) == n and path[-1].depth == n - 1
    assert not any(node.estimated for node in path)  # each node holds its whole function
    rows = TreeRows(tree)
    last = rows.open_path(0, path)
    assert last == n - 1 and len(rows) == n
    assert rows.parent_index(last) == n - 2
    assert rows.collapse(0) and len(rows) == 1


def test_recursion_a_million_calls_deep(tmp_path: Path) -> None:
    rec = ("deep.py", 1, "descend")
    leaf = ("deep.py", 9, "leaf")
    million = 1_000_000
    stats = {
        MAIN: (1, 1, 0.0, 2.0, {}),
        rec: (1, million, 1.0, 2.0, {MAIN: (1, 1, 0.0, 2.0), rec: (million - 1, 0, 1.0, 2.0)}),
        leaf: (1, 1, 1.0, 1.0, {rec: (1, 1, 1.0, 1.0)}),
    }
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    path = tree.hot_path(tree.roots()[0])
    assert [profile.keys[n.fid] for n in path] == [MAIN, rec, leaf]
    kids = by_name(profile, tree.children(path[1]))
    assert kids["descend"].recursive and kids["descend"].ncalls == pytest.approx(million - 1)
    assert not kids["leaf"].recursive


def test_expanding_10000_children_builds_each_once(tmp_path: Path) -> None:
    # Speed is measured in benchmarks/ (test_tree_expand_widest_node), not here.
    n = 10_000
    stats: dict[Key, Any] = {MAIN: (1, 1, 0.0, float(n), {})}
    for i in range(n):
        stats[("wide.py", i + 1, f"g{i}")] = (1, 1, 1.0, 1.0 + i / n, {MAIN: (1, 1, 1.0, 1.0)})
    profile = build(tmp_path, stats)
    tree = CallTree(profile)
    rows = TreeRows(tree)
    rows.expand(0)
    assert len(rows) == n + 1
    assert tree.children(rows.rows[0]) is tree.children(rows.rows[0])  # cached
    assert not any(node.estimated for node in rows.rows)  # main holds all of itself


def test_calls_from_a_caller_missing_from_the_file_enter_at_the_top(tmp_path: Path) -> None:
    from tuiprof.model.partial_callees import PartialCallees

    ghost = ("gone.py", 1, "ghost")
    stats = {
        MAIN: (1, 1, 0.1, 4.0, {}),
        A: (3, 3, 3.0, 3.0, {MAIN: (2, 2, 2.0, 2.0), ghost: (1, 1, 1.0, 1.0)}),
    }
    indexed = build(tmp_path, stats)
    partial = build(tmp_path, stats, "again.prof")
    PartialCallees(partial, [indexed.find(MAIN)])
    for profile in (indexed, partial):
        a = profile.find(A)
        assert profile.root_calls(a) == 1 and profile.root_share(a) == pytest.approx(1 / 3)
        roots = CallTree(profile).roots()
        assert [profile.keys[r.fid] for r in roots] == [MAIN, A]
        assert roots[1].estimated and roots[1].cumtime == pytest.approx(1.0)


def test_line_data_alone_makes_each_function_a_root_without_children() -> None:
    # .lprof files record no calls: every timed function stands on its own, largest
    # first (the fallback for a profile of one big cycle showed only the largest).
    samples = Path(__file__).resolve().parent.parent.parent / "sample_profiles"
    profile = load_profile([str(samples / "particles.lprof")])
    tree = CallTree(profile)
    roots = tree.roots()
    assert len(roots) == len(profile) == 6
    cumtimes = [node.cumtime for node in roots]
    assert cumtimes == sorted(cumtimes, reverse=True)
    assert {node.fid for node in roots} == set(range(len(profile)))
    assert all(tree.children(node) == [] and not node.estimated for node in roots)
    assert [node.cumtime for node in roots] == sorted(profile.cumtime, reverse=True)
