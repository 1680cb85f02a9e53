"""Edge tables sort the profile's raw records: the same rows as sorting whole edges."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import LEN, MAIN, PARSE, WALK, wide_stats, write_profile
from tuiprof.model.edge_rows import edge_rows
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Edge, Profile
from tuiprof.model.table import DESCENDING_FIRST, SortKey, per_call


def edge_key(key: SortKey) -> Callable[[Edge], Any]:
    """Sorting ``Edge`` objects by their fields: what the tables must show."""
    return {
        SortKey.NCALLS: lambda e: e.ncalls,
        SortKey.TOTTIME: lambda e: e.tottime,
        SortKey.TOTTIME_PERCALL: lambda e: per_call(e.tottime, e.ncalls),
        SortKey.CUMTIME: lambda e: e.cumtime,
        SortKey.CUMTIME_PERCALL: lambda e: per_call(e.cumtime, e.primitive_calls),
        SortKey.NAME: lambda e: e.other_key[2].lower(),
    }[key]


SORTS = [key for key in SortKey if key is not SortKey.FILE]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("side", ["callers", "callees"])
@pytest.mark.parametrize("function", [MAIN, PARSE, WALK, LEN])
def test_rows_are_the_edges_sorted(
    small: Profile, sort: SortKey, reverse: bool, side: str, function: Any
) -> None:
    fid = small.find(function)
    rows = edge_rows(small, "callers" if side == "callers" else "callees", fid)
    descending = (sort in DESCENDING_FIRST) != reverse
    rows.sort(sort, descending)
    edges = small.callers(fid) if side == "callers" else small.callees(fid)
    edges.sort(key=edge_key(sort), reverse=descending)
    assert list(rows) == edges
    assert len(rows) == len(edges)
    if edges:
        assert rows[-1] == edges[-1]
        assert rows[0:2] == edges[0:2]
        assert rows.position(rows.item(len(edges) - 1)) == len(edges) - 1


def test_untimed_edges_sort_as_zero_times(small: Profile) -> None:
    # The profile module records bare call counts for an edge: no times.
    fid = small.find(LEN)
    small.callers_raw[fid][MAIN] = 7
    for sort in SORTS:
        rows = edge_rows(small, "callers", fid)
        rows.sort(sort, sort in DESCENDING_FIRST)
        edges = small.callers(fid)
        edges.sort(key=edge_key(sort), reverse=sort in DESCENDING_FIRST)
        assert list(rows) == edges
    assert not next(e for e in rows if e.other_key == MAIN).timed


def test_no_function_no_rows(small: Profile) -> None:
    rows = edge_rows(small, "callers", None)
    assert len(rows) == 0
    assert list(rows) == []


@pytest.mark.parametrize("sort", SORTS)
def test_ties_keep_the_profile_order(tmp_path: Path, sort: SortKey) -> None:
    # Every edge of wide_stats has the same figures: a stable sort keeps their order.
    profile = load_profile([str(write_profile(tmp_path / "wide.prof", wide_stats(50)))])
    fid = profile.find(("/src/hot.py", 1, "hot"))
    for descending in (False, True):
        rows = edge_rows(profile, "callers", fid)
        rows.sort(sort, descending)
        edges = profile.callers(fid)
        edges.sort(key=edge_key(sort), reverse=descending)
        assert list(rows) == edges


def test_ties_keep_the_order_of_the_sort_before(small: Profile) -> None:
    # As when the table sorted its list of edges in place, key after key.
    fid = small.find(MAIN)
    rows = edge_rows(small, "callees", fid)
    edges = small.callees(fid)
    for sort, descending in [
        (SortKey.CUMTIME, True),
        (SortKey.NAME, False),
        (SortKey.NCALLS, True),
        (SortKey.TOTTIME_PERCALL, False),
    ]:
        rows.sort(sort, descending)
        edges.sort(key=edge_key(sort), reverse=descending)
        assert list(rows) == edges
