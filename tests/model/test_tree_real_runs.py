"""The call tree on profiles made with ``python -m cProfile -o`` and ``python -m profile -o``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.model.real_runs import SCRIPTS
from tuiprof.export.scope import subtree
from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.subtree import subtree_figures
from tuiprof.model.tree_paths import heaviest_path

EXEC_NAMES = ("<built-in method builtins.exec>", "exec")


def name(profile: Profile, node: TreeNode | int) -> str:
    fid = node if isinstance(node, int) else node.fid
    return profile.keys[fid][2]


def function(profile: Profile, wanted: str, file_part: str = "") -> int:
    found = [
        fid for fid, key in enumerate(profile.keys) if key[2] == wanted and file_part in str(key[0])
    ]
    assert len(found) == 1, (wanted, found)
    return found[0]


def child(tree: CallTree, node: TreeNode, wanted: str) -> TreeNode:
    return next(kid for kid in tree.children(node) if name(tree.profile, kid) == wanted)


@pytest.fixture
def profiles(real_runs: dict[str, Path]) -> dict[str, Profile]:
    return {run: load_profile([str(path)]) for run, path in real_runs.items()}


@pytest.mark.parametrize("run", [*SCRIPTS, "app-profile"])
def test_the_first_root_runs_the_script(profiles: dict[str, Profile], run: str) -> None:
    profile = profiles[run]
    tree = CallTree(profile)
    roots = tree.roots()
    first = roots[0]
    assert first.cumtime >= 0.9 * profile.total_time
    assert [r.cumtime for r in roots] == sorted((r.cumtime for r in roots), reverse=True)
    if run.endswith("-profile"):
        # The profile module's own stand-in frame calls exec.
        assert name(profile, tree.children(first)[0]) == "exec"
        top_exec = tree.children(first)[0]
    else:
        assert name(profile, first) == "<built-in method builtins.exec>"
        top_exec = first
    # One exec call runs the script: all of exec's primitive calls, exact.
    assert top_exec.ncalls == 1 and not top_exec.estimated and top_exec.whole
    script = tree.children(top_exec)[0]
    assert name(profile, script) == "<module>" and profile.keys[script.fid][0].endswith(
        f"{run.removesuffix('-profile')}.py"
    )
    assert not script.estimated


def test_nested_exec_calls_of_imports_are_not_roots(profiles: dict[str, Profile]) -> None:
    profile = profiles["app"]
    exec_fid = function(profile, "<built-in method builtins.exec>")
    assert profile.ncalls[exec_fid] > 1  # the script and each imported module
    assert profile.root_calls(exec_fid) == 1
    assert [name(profile, r) for r in CallTree(profile).roots()].count(name(profile, exec_fid)) == 1


@pytest.mark.parametrize("run", ["app", "app-profile"])
def test_the_hot_path_reaches_the_scripts_work(profiles: dict[str, Profile], run: str) -> None:
    profile = profiles[run]
    tree = CallTree(profile)
    path = [name(profile, node) for node in tree.hot_path(tree.roots()[0])]
    assert "main" in path and "crunch" in path
    assert path.index("main") < path.index("crunch")


def test_profile_module_estimates_times_from_calls(profiles: dict[str, Profile]) -> None:
    profile = profiles["app-profile"]
    tree = CallTree(profile)
    path = tree.hot_path(tree.roots()[0])
    crunch = next(node for node in path if name(profile, node) == "crunch")
    fid = crunch.fid
    # crunch is called once, from main: all of it, exact, with its own times.
    assert crunch.cumtime == profile.cumtime[fid] and not crunch.estimated
    square = child(tree, crunch, "square")
    assert square.cumtime == pytest.approx(profile.cumtime[square.fid]) and square.timed


def test_no_estimate_under_a_whole_recursive_function(profiles: dict[str, Profile]) -> None:
    profile = profiles["fib"]
    tree = CallTree(profile)
    top = tree.roots()[0]
    main = child(tree, tree.children(top)[0], "main")
    fib = child(tree, main, "fib")
    fid = fib.fid
    assert profile.ncalls[fid] > profile.primitive_calls[fid] == 1  # nc/cc: recursive
    assert fib.whole and not fib.estimated
    [again] = tree.children(fib)
    assert again.recursive and not again.estimated
    raw = profile.callers_raw[fid][profile.keys[fid]]
    assert isinstance(raw, tuple)
    assert (again.ncalls, again.cumtime) == (raw[0], raw[3])  # the edge's own figures


def test_a_recursive_function_under_itself_counts_its_calls_once(
    profiles: dict[str, Profile],
) -> None:
    """``--root fib``: the node holds fib's primitive call, as the tree's fib node;
    the recursive calls are its recursive child's."""
    profile = profiles["fib"]
    tree = CallTree(profile)
    fid = next(f for f in range(len(profile)) if name(profile, f) == "fib")
    node = tree.under(fid)
    assert node.ncalls == profile.primitive_calls[fid] == 1
    assert node.cumtime == profile.cumtime[fid] and not node.estimated
    [again] = tree.children(node)
    assert again.recursive and again.ncalls == profile.ncalls[fid] - 1


def test_mutual_recursion_stays_exact_and_is_marked(profiles: dict[str, Profile]) -> None:
    profile = profiles["mutual"]
    tree = CallTree(profile)
    main = child(tree, tree.children(tree.roots()[0])[0], "main")
    even = child(tree, main, "is_even")
    odd = child(tree, even, "is_odd")
    back = child(tree, odd, "is_even")
    assert even.whole and odd.whole
    assert not odd.estimated and not back.estimated
    assert back.recursive and not odd.recursive
    assert tree.hot_path(even)[-1] is odd


def test_a_shared_function_is_estimated_below(profiles: dict[str, Profile]) -> None:
    profile = profiles["shared"]
    tree = CallTree(profile)
    main = child(tree, tree.children(tree.roots()[0])[0], "main")
    light_shared = child(tree, child(tree, main, "light"), "shared")
    heavy_shared = child(tree, child(tree, main, "heavy"), "shared")
    # One edge below whole functions: exact, but only part of shared.
    assert not light_shared.estimated and not light_shared.whole
    assert child(tree, light_shared, "leaf").estimated
    assert child(tree, heavy_shared, "leaf").estimated
    assert heavy_shared.cumtime > light_shared.cumtime


def test_the_heaviest_node_of_a_function(profiles: dict[str, Profile]) -> None:
    profile = profiles["shared"]
    tree = CallTree(profile)
    leaf = function(profile, "leaf")
    fids = heaviest_path(profile, leaf)
    assert fids is not None
    assert [name(profile, f) for f in fids][-4:] == ["main", "heavy", "shared", "leaf"]
    nodes = tree.follow(fids)
    assert nodes[-1].fid == leaf and nodes[0] is tree.roots()[0]
    best = max(all_nodes_of(tree, leaf), key=lambda node: node.cumtime)
    assert nodes[-1].cumtime == pytest.approx(best.cumtime)


def all_nodes_of(tree: CallTree, fid: int, depth: int = 12) -> list[TreeNode]:
    """Every node of ``fid`` down to ``depth`` (a small profile: brute force)."""
    found: list[TreeNode] = []
    stack = list(tree.roots())
    while stack:
        node = stack.pop()
        if node.fid == fid:
            found.append(node)
        if node.depth < depth:
            stack.extend(tree.children(node))
    return found


def test_a_subtree_holds_what_ran_below_and_nothing_above(profiles: dict[str, Profile]) -> None:
    profile = profiles["app"]
    report = function(profile, "report")
    inside = {name(profile, fid) for fid in subtree(profile, [report])}
    # The lazy import reaches exec, which ran the script: none of that comes in.
    assert "render" in inside and "shorten" in inside
    assert not {"main", "crunch", "<built-in method builtins.exec>"} & inside
    modules = [fid for fid in subtree(profile, [report]) if name(profile, fid) == "<module>"]
    assert not any(str(profile.keys[fid][0]).endswith("app.py") for fid in modules)
    # As in the tree, where exec is on the path above report: marked, not opened.
    node = CallTree(profile).under(report)
    assert "<built-in method builtins.exec>" in {name(profile, f) for f in node.path()}


def test_subtree_figures_are_parts_of_the_functions(profiles: dict[str, Profile]) -> None:
    profile = profiles["shared"]
    light = function(profile, "light")
    figures = subtree_figures(profile, [light])
    shared = function(profile, "shared")
    assert figures.share[light] == 1.0
    assert 0 < figures.share[shared] < 0.5  # light's one call of 201, and a small one
    assert figures.cumtime(profile, shared) == pytest.approx(
        profile.callers_raw[shared][profile.keys[light]][3]  # type: ignore[index]
    )


@pytest.mark.parametrize("sample", ["taylor", "particles", "bottlenecks"])
def test_samples_start_at_the_program(samples: Path, sample: str) -> None:
    profile = load_profile([str(samples / f"{sample}.prof")])
    tree = CallTree(profile)
    first = tree.roots()[0]
    assert name(profile, first) == "<built-in method builtins.exec>"
    assert first.cumtime >= 0.9 * profile.total_time
    path = [name(profile, node) for node in tree.hot_path(first)]
    assert path[1:3] == ["<module>", "main"]


@pytest.mark.parametrize("run", [*SCRIPTS, "app-profile"])
def test_partial_callees_give_the_same_outline(real_runs: dict[str, Path], run: str) -> None:
    from tuiprof.model.partial_callees import PartialCallees
    from tuiprof.model.tree_outline import least_time, outline

    def rows(tree: CallTree) -> list[tuple[Any, ...]]:
        return [
            (r.level, r.folded)
            if r.node is None
            else (r.level, r.node.fid, r.node.ncalls, r.node.cumtime, r.node.estimated)
            for r in outline(tree, tree.roots(), min_percent=2.0)
        ]

    indexed = load_profile([str(real_runs[run])])
    partial = load_profile([str(real_runs[run])])
    least = least_time(partial, 2.0)
    big = [fid for fid in range(len(partial)) if partial.cumtime[fid] >= least]
    source = PartialCallees(partial, big)
    assert rows(CallTree(partial, source)) == rows(CallTree(indexed))
    assert partial.roots() == indexed.roots()
    some = len(partial) // 2
    assert source(some) == indexed.callee_index()[some]  # found on demand


NEGATIVE = """\
import profile
import sys


def f():
    pass


def main():
    for _ in range(20000):
        f()


# A calibration bias far larger than the calls' cost: every time comes out negative.
runner = profile.Profile(bias=5e-6)
runner.runcall(main)
runner.dump_stats(sys.argv[1])
"""


def test_negative_times_from_calibration_keep_the_program_in_the_tree(tmp_path: Path) -> None:
    """The ``profile`` module with too large a bias: the total is negative, and the
    tree still starts at the function ``runcall`` ran, opened down to ``f``."""
    from tuiprof.model.tree_outline import outline

    script = tmp_path / "negative.py"
    script.write_text(NEGATIVE, encoding="utf-8")
    out = tmp_path / "negative.prof"
    subprocess.run([sys.executable, str(script), str(out)], check=True, timeout=120)
    profile = load_profile([str(out)])
    assert profile.total_time < 0
    tree = CallTree(profile)
    first = tree.roots()[0]
    assert name(profile, first).startswith("<function main")
    assert [name(profile, node) for node in tree.hot_path(first)][1:] == ["main", "f"]
    shown = [name(profile, r.node) for r in outline(tree, tree.roots()) if r.node is not None]
    assert {"main", "f"} <= set(shown)
