"""The function table's pure core: sort, reverse, filter, hide; checked against pstats."""

from __future__ import annotations

import marshal
import pstats
from pathlib import Path
from typing import Any

import pytest

from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.table import (
    FilterError,
    FunctionTableModel,
    SortKey,
    TableQuery,
    compile_terms,
)

Key = tuple[str, int, str]
STATS: dict[Key, Any] = {
    ("/src/a.py", 1, "alpha"): (3, 3, 0.3, 0.9, {}),
    ("/src/b.py", 2, "beta"): (10, 12, 0.5, 0.6, {("/src/a.py", 1, "alpha"): (10, 12, 0.5, 0.6)}),
    ("/usr/lib/python3.11/json/decoder.py", 3, "decode"): (1, 1, 0.1, 0.1, {}),
    ("~", 0, "<built-in method builtins.len>"): (50, 50, 0.05, 0.05, {}),
    ("<frozen importlib._bootstrap>", 4, "_find_and_load"): (2, 2, 0.2, 0.2, {}),
}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "t.prof"
    target.write_bytes(marshal.dumps(STATS))
    return target


@pytest.fixture
def profile(path: Path) -> Profile:
    return load_profile([str(path)])


def names(model: FunctionTableModel) -> list[str]:
    return [model.profile.keys[fid][2] for fid in model.rows]


def test_tottime_descending_by_default(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    assert names(model) == [
        "beta",
        "alpha",
        "_find_and_load",
        "decode",
        "<built-in method builtins.len>",
    ]


@pytest.mark.parametrize(
    ("key", "pstats_key"),
    [
        (SortKey.NCALLS, "ncalls"),
        (SortKey.TOTTIME, "tottime"),
        (SortKey.CUMTIME, "cumulative"),
    ],
)
def test_sorts_agree_with_pstats(
    path: Path, profile: Profile, key: SortKey, pstats_key: str
) -> None:
    model = FunctionTableModel(profile, TableQuery(sort=key))
    stats = pstats.Stats(str(path)).sort_stats(pstats_key)
    column = {SortKey.NCALLS: 1, SortKey.TOTTIME: 2, SortKey.CUMTIME: 3}[key]
    ours = [profile.pstats_dict()[profile.keys[fid]][column] for fid in model.rows]
    theirs = [stats.stats[k][column] for k in stats.fcn_list]  # type: ignore[attr-defined]
    assert ours == theirs


def test_same_key_reverses(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_sort(SortKey.NAME)
    first = names(model)
    assert first[0].startswith("<built-in")
    model.set_sort(SortKey.NAME)
    assert model.query.reverse
    assert names(model) == first[::-1]
    model.set_sort(SortKey.TOTTIME)
    assert not model.query.reverse


def test_percall_columns_follow_pstats(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_sort(SortKey.TOTTIME_PERCALL)
    per_call = [profile.tottime[fid] / profile.ncalls[fid] for fid in model.rows]
    assert per_call == sorted(per_call, reverse=True)
    model.set_sort(SortKey.CUMTIME_PERCALL)
    assert names(model)[0] == "alpha"  # 0.9 / 3 primitive calls


def test_filter_terms_are_anded(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_filter("src")
    assert set(names(model)) == {"alpha", "beta"}
    model.set_filter("src b.py")
    assert names(model) == ["beta"]
    model.set_filter("")
    assert len(model.rows) == len(profile)


def test_terms_match_the_name_and_the_path_separately(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_filter("alpha$")  # the end of the name, not of the line
    assert names(model) == ["alpha"]
    model.set_filter("^b")  # a name, or a path, starting with b
    assert names(model) == ["beta"]
    model.set_filter(r"a\.py:1$")
    assert names(model) == ["alpha"]
    model.set_filter("alpha.*src")  # never across the name and the path
    assert names(model) == []


def test_filter_narrowing_and_widening(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    for text, expected in [("a", 3), ("al", 1), ("alp", 1), ("al", 1), ("a", 3), ("", 5)]:
        model.set_filter(text)
        assert len(model.rows) == expected, text


def test_regex_terms(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_filter("^(alpha|beta) ")
    assert set(names(model)) == {"alpha", "beta"}


def test_bad_regex_raises_and_keeps_the_filter(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_filter("alpha")
    with pytest.raises(FilterError):
        model.set_filter("alpha (")
    assert model.query.filter_text == "alpha"
    with pytest.raises(FilterError):
        compile_terms("[")


def test_hide_toggles(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_hidden(builtins=True)
    assert "<built-in method builtins.len>" not in names(model)
    model.set_hidden(import_system=True)
    assert "_find_and_load" not in names(model)
    model.set_hidden(stdlib=True)
    assert names(model) == ["beta", "alpha"]
    model.set_hidden(builtins=False, import_system=False, stdlib=False)
    assert len(model.rows) == len(profile)


def test_filter_and_hide_combine_and_keep_the_sort(profile: Profile) -> None:
    model = FunctionTableModel(profile)
    model.set_sort(SortKey.NCALLS)
    model.set_filter("a")
    model.set_hidden(import_system=True)
    assert set(names(model)) == {"alpha", "beta"}
    ncalls = [profile.ncalls[fid] for fid in model.rows]
    assert ncalls == sorted(ncalls, reverse=True)
