"""The tree command's callees of a few functions equal the callee index's, on random graphs."""

from __future__ import annotations

import marshal
import random
from pathlib import Path
from typing import Any

import pytest

from tuiprof.model.loaders import load_profile
from tuiprof.model.partial_callees import PartialCallees, outside_edges
from tuiprof.model.profile import Profile

Key = tuple[str, int, str]


def random_profile(tmp_path: Path, seed: int, *, ghosts: int, bare: bool) -> Profile:
    """300 functions, each called by up to 8 others, some of them callers missing from
    the file (``ghosts`` of them); ``bare``: the ``profile`` module's bare call counts."""
    rng = random.Random(seed)
    keys: list[Key] = [(f"m{i % 7}.py", i + 1, f"f{i}") for i in range(300)]
    missing: list[Key] = [("gone.py", i + 1, f"ghost{i}") for i in range(ghosts)]
    stats: dict[Key, Any] = {}
    for callee in keys:
        callers: dict[Key, Any] = {}
        for caller in rng.sample(keys + missing, rng.randrange(9)):
            nc = rng.randrange(1, 50)
            callers[caller] = nc if bare else (nc, nc, rng.random(), rng.random() * 2)
        calls = sum(v if bare else v[0] for v in callers.values()) + rng.randrange(3)
        stats[callee] = (calls, calls, rng.random(), rng.random() * 3, callers)
    path = tmp_path / f"random-{seed}.prof"
    path.write_bytes(marshal.dumps(stats))
    return load_profile([str(path)])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ghosts", [0, 5])
@pytest.mark.parametrize("bare", [False, True])
def test_partial_callees_equal_the_callee_index(
    tmp_path: Path, seed: int, ghosts: int, bare: bool
) -> None:
    indexed = random_profile(tmp_path, seed, ghosts=ghosts, bare=bare)
    partial = random_profile(tmp_path, seed, ghosts=ghosts, bare=bare)
    chosen = random.Random(seed).sample(range(len(partial)), 20)
    source = PartialCallees(partial, chosen)
    index = indexed.callee_index()
    # Chosen ones from the first pass, the others on demand: the same lists, in order.
    assert [source(fid) for fid in range(len(partial))] == index
    # The calls from outside the profile give the same roots and root calls.
    assert partial.roots() == indexed.roots()
    assert [partial.root_calls(f) for f in range(len(partial))] == [
        indexed.root_calls(f) for f in range(len(indexed))
    ]


def from_outside(profile: Profile) -> list[tuple[int, Any]]:
    """Edges from callers missing from the file, and from functions never called."""
    uncalled = {profile.keys[fid] for fid in range(len(profile)) if profile.ncalls[fid] == 0}
    assert uncalled  # the random profiles have some
    return [
        (callee, raw)
        for callee, record in enumerate(profile.callers_raw)
        for caller, raw in record.items()
        if caller[0] == "gone.py" or caller in uncalled
    ]


def test_outside_edges_are_those_from_missing_or_uncalled_callers(tmp_path: Path) -> None:
    profile = random_profile(tmp_path, 7, ghosts=5, bare=False)
    expected = from_outside(profile)
    ghost_edges = sum(key[0] == "gone.py" for record in profile.callers_raw for key in record)
    assert ghost_edges > 5 and len(expected) > ghost_edges
    assert outside_edges(profile, profile.callers_raw) == expected
    whole = random_profile(tmp_path, 7, ghosts=0, bare=False)
    assert outside_edges(whole, whole.callers_raw) == from_outside(whole)
