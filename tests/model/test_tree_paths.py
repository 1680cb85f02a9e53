"""The heaviest node's path against every simple path from a root, on random call graphs.

The search ranks a function's callers by their edges' cumulative time and
tries them lazily; whatever the graph, the path it finds must be one of the
heaviest simple paths (the product of the edge shares, times the root's
share), which a brute-force walk over all of them gives here.
"""

from __future__ import annotations

import itertools
import marshal
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuiprof.model import tree_paths
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.shares import edge_share
from tuiprof.model.tree_paths import heaviest_path

Key = tuple[str, int, str]


def key(n: int) -> Key:
    return ("app.py", n + 1, f"f{n}")


@st.composite
def call_graphs(draw: st.DrawFn) -> dict[Key, tuple[int, int, float, float, dict[Key, object]]]:
    """Up to 7 functions; function 0 is called from outside; edges random, cycles allowed."""
    n = draw(st.integers(2, 7))
    stats = {}
    for callee in range(n):
        callers: dict[Key, object] = {}
        for caller in draw(st.sets(st.integers(0, n - 1), max_size=n)):
            if caller == callee and callee == 0:
                continue
            calls = draw(st.integers(1, 5))
            cumtime = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 7.0]))
            callers[key(caller)] = (calls, calls, cumtime / 2, cumtime)
        if callee != 0 and not callers:
            callers[key(0)] = (1, 1, 0.5, 1.0)
        calls = sum(edge[1] for edge in callers.values()) + (1 if callee == 0 else 0)  # type: ignore[index]
        cumtime = max([edge[3] for edge in callers.values()] + [1.0])  # type: ignore[index]
        stats[key(callee)] = (calls, calls, cumtime / 3, cumtime * 1.5, callers)
    return stats


def best_by_brute_force(profile: Profile, fid: int) -> float:
    """The largest share product over every simple path from a root down to ``fid``."""
    roots = {root: profile.root_share(root) for root in profile.roots()}
    best = -1.0
    stack = [(fid, 1.0, frozenset([fid]))]
    while stack:
        current, share, on_path = stack.pop()
        if current in roots:
            best = max(best, share * roots[current])
        for caller_key, raw in profile.checked_callers()[current].items():
            caller = profile.index.get(caller_key)
            if caller is None or caller in on_path:
                continue
            step = share * edge_share(profile, caller, current, raw)
            stack.append((caller, step, on_path | {caller}))
    return best


def path_share(profile: Profile, path: list[int]) -> float:
    share = profile.root_share(path[0])
    for caller, callee in itertools.pairwise(path):
        raw = profile.checked_callers()[callee][profile.keys[caller]]
        share *= edge_share(profile, caller, callee, raw)
    return share


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stats=call_graphs(), first_ranked=st.sampled_from([1, 2, tree_paths.FIRST_RANKED]))
def test_the_path_found_is_a_heaviest_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stats: dict[Key, object], first_ranked: int
) -> None:
    # Few callers put in order at first: the order grows as the search asks (a hub's 24,000).
    monkeypatch.setattr(tree_paths, "FIRST_RANKED", first_ranked)
    file = tmp_path / "random.prof"
    file.write_bytes(marshal.dumps(stats))
    profile = load_profile([str(file)])
    profile.callee_index()
    for fid in range(len(profile)):
        path = heaviest_path(profile, fid)
        best = best_by_brute_force(profile, fid)
        if path is None:
            assert best < 0, f"no path found to f{fid}, brute force found {best}"
            continue
        assert path[-1] == fid and path[0] in profile.roots()
        assert len(set(path)) == len(path), "a path the tree shows is simple"
        assert math.isclose(path_share(profile, path), best, rel_tol=1e-9, abs_tol=1e-12)
