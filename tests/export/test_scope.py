"""Choosing the functions an export covers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tuiprof.export.scope import ScopeError, find_roots, matching, select, subtree
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile


def chain(length: int) -> Profile:
    """f0 -> f1 -> ... : deeper than Python's recursion limit."""
    keys = [("/c.py", i + 1, f"f{i}") for i in range(length)]
    callers: list[dict[Any, Any]] = [{}] + [
        {keys[i - 1]: (1, 1, 0.0, 0.0)} for i in range(1, length)
    ]
    return Profile(
        keys=keys,
        primitive_calls=[1] * length,
        ncalls=[1] * length,
        tottime=[1.0] * length,
        cumtime=[float(length - i) for i in range(length)],
        callers_raw=callers,
        total_time=float(length),
        total_calls=length,
        total_primitive_calls=length,
        files=("c.prof",),
    )


def test_subtree_of_a_very_deep_chain() -> None:
    profile = chain(50_000)
    assert subtree(profile, [49_990]) == list(range(49_990, 50_000))
    assert len(subtree(profile, [0])) == 50_000


def test_find_roots_by_name_name_line_and_filter(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    runs = find_roots(profile, "run")
    assert len(runs) == 2
    line = profile.keys[runs[0]][1]
    assert find_roots(profile, f"run:{line}") == [runs[0]]
    assert find_roots(profile, "work.py fib") == find_roots(profile, "fib")
    with pytest.raises(ScopeError):
        find_roots(profile, "no_such_function")


def test_select(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    assert select(profile) is None
    main = find_roots(profile, "main")
    under_main = select(profile, main)
    assert under_main is not None and len(under_main) < len(profile)
    only_leaf = select(profile, main, "leaf")
    assert only_leaf is not None and [profile.keys[f][2] for f in only_leaf] == ["leaf"]
    assert matching(profile, "leaf") == only_leaf
    with pytest.raises(ScopeError):
        select(profile, (), "(")
    with pytest.raises(ScopeError):
        select(profile, (), "nothing_matches_this")
