"""pstats files into the model: every number equals what ``pstats`` computes."""

from __future__ import annotations

import marshal
import math
import pstats
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.model.test_loaders_support import (
    cprofile_file,
    load_workload,
    marshal_file,
    pure_profile_file,
)
from tuiprof.model import Profile, ProfileError, load_profile
from tuiprof.model.loaders import merge_pstats


def assert_equals_pstats(profile: Profile, stats: pstats.Stats) -> None:
    """Every function, every edge and the totals, compared with ``==``."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    assert set(profile.keys) == set(raw)
    assert len(profile.keys) == len(raw)
    for fid, key in enumerate(profile.keys):
        cc, nc, tt, ct, callers = raw[key]
        assert profile.primitive_calls[fid] == cc
        assert profile.ncalls[fid] == nc
        assert profile.tottime[fid] == tt
        assert profile.cumtime[fid] == ct
        assert profile.callers_raw[fid] == callers
        edges = {edge.other_key: edge for edge in profile.callers(fid)}
        assert set(edges) == set(callers)
        for caller, value in callers.items():
            edge = edges[caller]
            assert edge.other == profile.find(caller)
            if isinstance(value, tuple):
                # inside ``callers`` pstats stores (nc, cc, tt, ct)
                assert (edge.ncalls, edge.primitive_calls, edge.tottime, edge.cumtime) == value
                assert edge.timed
            else:
                assert (edge.ncalls, edge.primitive_calls, edge.timed) == (value, value, False)
    assert profile.total_time == stats.total_tt  # type: ignore[attr-defined]
    assert profile.total_calls == stats.total_calls  # type: ignore[attr-defined]
    assert profile.total_primitive_calls == stats.prim_calls  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pstats")
    module = load_workload(folder, "workload_pstats")
    return {
        "a": cprofile_file(folder, module, "a.prof", rounds=5),
        "b": cprofile_file(folder, module, "b.prof", rounds=17),
        "c": cprofile_file(folder, module, "c.prof", rounds=9),
        "pure": pure_profile_file(folder, module, "pure.prof"),
    }


def test_cprofile_file_equals_pstats(made: dict[str, Path]) -> None:
    profile = load_profile([str(made["a"])])
    assert_equals_pstats(profile, pstats.Stats(str(made["a"])))
    names = {key[2] for key in profile.keys}
    assert {"factorial", "area", "tiny", "main"} <= names
    fact = next(i for i, k in enumerate(profile.keys) if k[2] == "factorial")
    assert profile.is_recursive(fact)
    assert profile.ncalls[fact] == 15 * 5 and profile.primitive_calls[fact] == 5


def test_pure_python_profile_module_equals_pstats(made: dict[str, Path]) -> None:
    profile = load_profile([str(made["pure"])])
    assert_equals_pstats(profile, pstats.Stats(str(made["pure"])))
    # the profile module stores bare call counts in callers: no edge times
    assert any(not edge.timed for fid in range(len(profile)) for edge in profile.callers(fid))


@pytest.mark.parametrize("names", [("a", "b"), ("a", "b", "c"), ("c", "a", "b")])
def test_merging_equals_pstats_add(made: dict[str, Path], names: tuple[str, ...]) -> None:
    paths = [str(made[name]) for name in names]
    profile = load_profile(paths)
    assert_equals_pstats(profile, pstats.Stats(*paths))
    assert profile.files == tuple(paths)


def test_merging_cprofile_and_profile_module_files(made: dict[str, Path]) -> None:
    # pstats itself fails here (it cannot add a count to an (nc, cc, tt, ct) edge);
    # tuiprof opens the pair and adds what can be added.
    paths = [str(made["pure"]), str(made["a"])]
    profile = load_profile(paths)
    pure, timed = pstats.Stats(paths[0]), pstats.Stats(paths[1])
    assert profile.total_time == pure.total_tt + timed.total_tt  # type: ignore[attr-defined]
    assert set(profile.keys) == set(pure.stats) | set(timed.stats)  # type: ignore[attr-defined]
    for fid, key in enumerate(profile.keys):
        calls = sum(s.stats[key][1] for s in (pure, timed) if key in s.stats)  # type: ignore[attr-defined]
        assert profile.ncalls[fid] == calls


def test_pyinstrument_style_unknown_counts(tmp_path: Path) -> None:
    stats = {
        ("app.py", 1, "main"): (-1, -1, 0.5, 2.0, {}),
        ("app.py", 9, "work"): (-1, -1, 1.5, 1.5, {("app.py", 1, "main"): (-1, -1, 1.5, 1.5)}),
    }
    path = marshal_file(tmp_path, "pyinstrument.prof", stats)
    profile = load_profile([str(path)])
    assert_equals_pstats(profile, pstats.Stats(str(path)))
    assert profile.ncalls == [-1, -1]


def test_sampled_marker_is_dropped_with_a_warning(tmp_path: Path) -> None:
    stats: dict[Any, Any] = {
        ("app.py", 1, "main"): (3, 3, 0.03, 0.03, {}),
        ("__sampled__",): True,
    }
    path = marshal_file(tmp_path, "sampled.prof", stats)
    profile = load_profile([str(path)])
    assert profile.keys == [("app.py", 1, "main")]
    assert profile.tottime == [0.03]
    assert any("sampled" in warning for warning in profile.warnings)


def test_unknown_caller_is_kept(tmp_path: Path) -> None:
    ghost = ("gone.py", 3, "ghost")
    stats = {("app.py", 1, "main"): (2, 2, 0.25, 0.5, {ghost: (2, 2, 0.25, 0.5)})}
    path = marshal_file(tmp_path, "ghost.prof", stats)
    profile = load_profile([str(path)])
    assert_equals_pstats(profile, pstats.Stats(str(path)))
    (edge,) = profile.callers(0)
    assert edge.other == -1 and edge.other_key == ghost
    assert profile.callees(0) == []


def test_code_object_in_a_key_is_named(tmp_path: Path) -> None:
    def helper() -> None:
        pass

    code = helper.__code__
    stats = {
        ("app.py", 1, "main"): (1, 1, 0.5, 1.0, {}),
        ("app.py", 7, code): (1, 1, 0.5, 0.5, {("app.py", 1, "main"): 1}),
        ("", 0, "max"): (1, 1, 0.0, 0.0, {("app.py", 7, code): 1}),
    }
    path = marshal_file(tmp_path, "codekey.prof", stats)
    profile = load_profile([str(path)])
    name = code.co_qualname if hasattr(code, "co_qualname") else code.co_name
    assert ("app.py", 7, name) in profile.keys
    assert all(isinstance(part, (str, int)) for key in profile.keys for part in key)
    builtin = profile.find(("", 0, "max"))
    (edge,) = profile.callers(builtin)
    assert edge.other_key == ("app.py", 7, name)
    assert edge.other == profile.find(("app.py", 7, name))
    assert profile.label(builtin) == "max"


@pytest.mark.parametrize(("tottime", "cumtime"), [(-0.001, 0.5), (0.001, -0.001)])
def test_negative_times_open_with_a_warning(tmp_path: Path, tottime: float, cumtime: float) -> None:
    # pstats sums each function's frames: a caller's cumulative time can end up
    # negative while every function's own time stays positive.
    stats: dict[Any, Any] = {("app.py", 1, "main"): (1, 1, tottime, cumtime, {})}
    path = marshal_file(tmp_path, "negative.prof", stats)
    profile = load_profile([str(path)])
    assert (profile.tottime, profile.cumtime) == ([tottime], [cumtime])
    assert profile.warnings and "negative" in profile.warnings[0]


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ({("a.py", 1, "f"): (1, 1, math.nan, 1.0, {})}, "finite"),
        ({("a.py", 1, "f"): (1, 1, 1.0, math.inf, {})}, "finite"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2, "g"): (1, 1, math.nan, 1.0)})}, "finite"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2, "g"): "x"})}, "caller"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2, "g"): (1, 1, 1.0)})}, "caller"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2, "g"): (1.5, 1, 1.0, 1.0)})}, "integer"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2, "g"): (1, 1, "1", 1.0)})}, "number"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, {7: (1, 1, 1.0, 1.0)})}, "caller"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2): (1, 1, 1.0, 1.0)})}, "caller"),
        ({("a.py", 1, "f"): (1.0, 1, 1.0, 1.0, {})}, "integer"),
        ({("a.py", 1, "f"): (True, 1, 1.0, 1.0, {})}, "integer"),
        ({("a.py", 1, "f"): (1, 1, 10**400, 1.0, {})}, "finite"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 10**400, {})}, "finite"),
        ({("a.py", 1, "f"): (1, 1, "x", 1.0, {})}, "number"),
        ({("a.py", 1, "f"): (1, 1, 1.0, 1.0, [])}, "shape"),
        ({("a.py", 1, "f"): (1, 1)}, "shape"),
        ({("a.py", 1): (1, 1, 1.0, 1.0, {})}, "shape"),
        ({1: 2}, "shape"),
    ],
)
def test_bad_numbers_and_shapes_are_refused(
    tmp_path: Path, stats: dict[Any, Any], expected: str
) -> None:
    path = marshal_file(tmp_path, "bad.prof", stats)
    with pytest.raises(ProfileError) as caught:
        load_profile([str(path)])
    assert expected in caught.value.problem
    assert caught.value.path == str(path)
    assert "\n" not in str(caught.value)


_BAD_EDGES = [
    ({("b.py", 2, "g"): (1, 1, math.nan, 1.0)}, "finite"),
    ({("b.py", 2, "g"): (1, 1, 1.0, 10**400)}, "finite"),
    ({("b.py", 2, "g"): "x"}, "caller"),
    ({("b.py", 2, "g"): (1, 1, 1.0)}, "caller"),
    ({("b.py", 2, "g"): (1.5, 1, 1.0, 1.0)}, "integer"),
    ({("b.py", 2, "g"): (1, 1, "1", 1.0)}, "number"),
    ({7: (1, 1, 1.0, 1.0)}, "caller"),
    ({("b.py", 2): (1, 1, 1.0, 1.0)}, "caller"),
    ([], "shape"),
]


@pytest.mark.parametrize(("callers", "expected"), _BAD_EDGES)
def test_bad_caller_records_found_on_first_use(tmp_path: Path, callers: Any, expected: str) -> None:
    """``check_edges=False`` leaves the records to the first use, which reports them."""
    stats = {
        ("a.py", 1, "f"): (1, 1, 1.0, 1.0, callers),
        ("b.py", 2, "g"): (1, 1, 0.5, 2.0, {}),
    }
    path = marshal_file(tmp_path, "late.prof", stats)
    with pytest.raises(ProfileError, match=expected):
        load_profile([str(path)])
    profile = load_profile([str(path)], check_edges=False)
    assert profile.unchecked_edges == str(path)
    assert profile.tottime == [1.0, 0.5]  # the functions are all there
    # What shows edges does not fail: it shows none, and says why once.
    assert profile.callers(0) == []
    assert profile.callees(1) == []
    assert profile.roots() == [1, 0]
    assert profile.pstats_dict()[("a.py", 1, "f")][4] == {}
    assert len(profile.warnings) == 1
    assert expected in profile.warnings[0]
    assert "callers and callees are not shown" in profile.warnings[0]
    with pytest.raises(ProfileError, match=expected) as caught:
        profile.check_edges()  # and every later check says it again
    assert caught.value.path == str(path)
    assert len(profile.warnings) == 1


def test_good_caller_records_checked_on_first_use(made: dict[str, Path]) -> None:
    profile = load_profile([str(made["a"])], check_edges=False)
    assert profile.unchecked_edges == str(made["a"])
    assert profile._decoded is not None  # freed by the check, not by the load
    assert not profile.call_graph_ready
    assert_equals_pstats(profile, pstats.Stats(str(made["a"])))
    assert profile.unchecked_edges is None
    assert profile._decoded is None
    assert not profile.call_graph_ready  # edges checked, callee index not built yet
    profile.callee_index()
    assert profile.call_graph_ready
    assert profile.edge_problem is None
    profile.check_edges()
    assert profile.warnings == []


def test_several_files_check_their_edges_before_merging(tmp_path: Path) -> None:
    good = marshal_file(tmp_path, "good.prof", {("a.py", 1, "f"): (1, 1, 1.0, 1.0, {})})
    bad = marshal_file(
        tmp_path, "bad.prof", {("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2, "g"): "x"})}
    )
    with pytest.raises(ProfileError, match="caller") as caught:
        load_profile([str(good), str(bad)], check_edges=False)
    assert caught.value.path == str(bad)


# --- random stats dictionaries ---------------------------------------------------------

_names = st.text(alphabet="abcxyz_<>.", min_size=1, max_size=6)
_keys = st.tuples(
    st.sampled_from(["a.py", "b.py", "~", "/lib/python3.11/x.py"]), st.integers(0, 50), _names
)
_times = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
_counts = st.integers(min_value=-1, max_value=10**6)
_edges = st.tuples(_counts, _counts, _times, _times)


@st.composite
def stats_dicts(draw: st.DrawFn) -> dict[Any, Any]:
    keys = draw(st.lists(_keys, min_size=1, max_size=12, unique=True))  # pstats refuses {}
    stats: dict[Any, Any] = {}
    for key in keys:
        callers = draw(st.dictionaries(st.sampled_from(keys) | _keys, _edges, max_size=4))
        stats[key] = (draw(_counts), draw(_counts), draw(_times), draw(_times), callers)
    return stats


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(stats_dicts(), min_size=1, max_size=3))
def test_random_stats_round_trip_equal_pstats(tmp_path: Path, parts: list[dict[Any, Any]]) -> None:
    paths = []
    for i, stats in enumerate(parts):
        path = tmp_path / f"random{i}.prof"
        path.write_bytes(marshal.dumps(stats))
        paths.append(str(path))
    profile = load_profile(paths)
    assert_equals_pstats(profile, pstats.Stats(*paths))
    if len(parts) > 1:
        assert merge_pstats(parts) == pstats.Stats(*paths).stats  # type: ignore[attr-defined]


# --- the shipped samples -----------------------------------------------------------------

SAMPLE_FOLDER = Path(__file__).resolve().parents[2] / "sample_profiles"


@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLE_FOLDER.glob("*.prof")) or ["(no samples)"]
)
def test_samples_equal_pstats(name: str) -> None:
    path = SAMPLE_FOLDER / name
    if not path.exists():
        pytest.skip("no sample profiles written yet")
    assert_equals_pstats(load_profile([str(path)]), pstats.Stats(str(path)))


@pytest.mark.parametrize(
    "name", sorted(p.name for p in SAMPLE_FOLDER.glob("*.lprof")) or ["(no samples)"]
)
def test_sample_lines_equal_line_profiler(name: str) -> None:
    import line_profiler

    path = SAMPLE_FOLDER / name
    if not path.exists():
        pytest.skip("no sample profiles written yet")
    stats = line_profiler.load_stats(str(path))
    profile = load_profile([str(path)])
    got = {
        (fl.file, fl.first_line, fl.name): [(t.line, t.hits, t.seconds) for t in fl.lines]
        for fl in profile.lines.values()
    }
    assert got == {
        key: [(line, hits, time * stats.unit) for line, hits, time in sorted(rows)]
        for key, rows in stats.timings.items()
    }


def test_merging_cprofile_and_profile_module_files_adds_their_caller_counts(
    real_runs: dict[str, Path],
) -> None:
    """pstats cannot add a timed caller record and a bare count (it raises); the merge
    adds the counts, keeps cProfile's times, and says so in one warning."""
    timed_path, bare_path = str(real_runs["app"]), str(real_runs["app-profile"])
    timed, bare = load_profile([timed_path]), load_profile([bare_path])
    merged = load_profile([timed_path, bare_path])
    assert sum("profile module" in warning for warning in merged.warnings) == 1
    square = next(f for f in range(len(merged)) if merged.keys[f][2] == "square")
    key = merged.keys[square]
    [(caller, edge)] = merged.callers_raw[square].items()
    assert caller[2] == "crunch" and isinstance(edge, tuple)
    timed_edge = timed.callers_raw[timed.find(key)][caller]
    bare_edge = bare.callers_raw[bare.find(key)][caller]
    assert isinstance(timed_edge, tuple) and isinstance(bare_edge, int)
    assert edge == (timed_edge[0] + bare_edge, timed_edge[1] + bare_edge, *timed_edge[2:])
    assert merged.ncalls[square] == timed_edge[0] + bare_edge  # the counts agree
    assert not any("profile module" in w for w in load_profile([timed_path] * 2).warnings)
