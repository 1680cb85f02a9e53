"""``.lprof`` files into the model: lines equal line_profiler's own ``LineStats``."""

from __future__ import annotations

import pickle
import pstats
import sys
import types
from pathlib import Path
from typing import Any

import line_profiler
import pytest

from tests.model.test_loaders_support import cprofile_file, load_workload, lprof_file
from tuiprof.model import ProfileError, load_profile


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lprof")
    module = load_workload(folder, "workload_lprof")
    return {
        "lprof": lprof_file(folder, module, "one.lprof"),
        "lprof2": lprof_file(folder, module, "two.lprof"),
        "prof": cprofile_file(folder, module, "run.prof"),
        "folder": folder,
    }


def expected_lines(*paths: Path) -> dict[tuple[str, int, str], dict[int, list[Any]]]:
    """Per function, per line, [hits, seconds] from line_profiler itself."""
    expected: dict[tuple[str, int, str], dict[int, list[Any]]] = {}
    for path in paths:
        stats = line_profiler.load_stats(str(path))
        for key, rows in stats.timings.items():
            lines = expected.setdefault(key, {})
            for line, hits, time in rows:
                cell = lines.setdefault(line, [0, 0.0])
                cell[0] += hits
                cell[1] += time * stats.unit
    return expected


def model_lines(paths: list[str]) -> dict[tuple[str, int, str], dict[int, list[Any]]]:
    profile = load_profile(paths)
    return {
        (fl.file, fl.first_line, fl.name): {t.line: [t.hits, t.seconds] for t in fl.lines}
        for fl in profile.lines.values()
    }


def test_lines_equal_line_profilers_linestats(made: dict[str, Path]) -> None:
    stats = line_profiler.load_stats(str(made["lprof"]))
    profile = load_profile([str(made["lprof"])])
    assert not profile.has_call_data
    assert model_lines([str(made["lprof"])]) == expected_lines(made["lprof"])
    for fl in profile.lines.values():
        raw = stats.timings[(fl.file, fl.first_line, fl.name)]
        assert [(t.line, t.hits, t.raw_time) for t in fl.lines] == sorted(raw)
        assert fl.unit == stats.unit
    names = {fl.name for fl in profile.lines.values()}
    # line_profiler 5 names functions by co_qualname, which Python 3.11 brought.
    area = "Shape.area" if sys.version_info >= (3, 11) else "area"
    assert {"factorial", area, "main"} <= names

    # Totals add one by one, in order, as pstats does (never a compensated ``sum``).
    def in_order(values: list[float]) -> float:
        total = 0.0
        for value in values:
            total += value
        return total

    for fl in profile.lines.values():
        assert fl.total == in_order([t.seconds for t in fl.lines])
    assert profile.total_time == in_order([fl.total for fl in profile.lines.values()])


def test_several_lprof_files_are_summed(made: dict[str, Path]) -> None:
    paths = [str(made["lprof"]), str(made["lprof2"])]
    assert model_lines(paths) == expected_lines(made["lprof"], made["lprof2"])


def test_prof_and_lprof_join_on_file_and_first_line(made: dict[str, Path]) -> None:
    profile = load_profile([str(made["prof"]), str(made["lprof"])])
    stats = pstats.Stats(str(made["prof"]))
    # joining adds no function: every line-profiled one is in the cProfile data
    assert set(profile.keys) == set(stats.stats)  # type: ignore[attr-defined]
    joined = {profile.keys[fid][2]: fl.name for fid, fl in profile.lines.items()}
    # line_profiler 5 says "Shape.area" where cProfile says "area"
    assert joined["area"].endswith("area")
    assert joined["factorial"] == "factorial"
    assert joined["main"] == "main"
    for fid, fl in profile.lines.items():
        assert (profile.keys[fid][0], profile.keys[fid][1]) == (fl.file, fl.first_line)
    assert profile.total_time == stats.total_tt  # type: ignore[attr-defined]


def test_lprof_named_prof_and_prof_named_lprof_open(made: dict[str, Path], tmp_path: Path) -> None:
    disguised_lprof = tmp_path / "lines.prof"
    disguised_lprof.write_bytes(made["lprof"].read_bytes())
    disguised_prof = tmp_path / "calls.lprof"
    disguised_prof.write_bytes(made["prof"].read_bytes())
    assert load_profile([str(disguised_lprof)]).lines
    profile = load_profile([str(disguised_prof)])
    assert profile.has_call_data and not profile.lines


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("_line_profiler", "LineStats"),
        ("line_profiler._line_profiler", "LineStats"),
        ("line_profiler.line_profiler", "LineStats"),
        ("line_profiler", "LineStats"),
    ],
)
@pytest.mark.parametrize("protocol", [2, 4, 5])
def test_every_linestats_class_path_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, name: str, protocol: int
) -> None:
    # A stand-in class that pickles under the given path, as each
    # line_profiler version's LineStats did.
    fake_module = types.ModuleType(module)

    class LineStats:
        def __init__(self, timings: Any, unit: float) -> None:
            self.timings = timings
            self.unit = unit

    LineStats.__module__ = module
    LineStats.__qualname__ = name
    setattr(fake_module, name, LineStats)
    monkeypatch.setitem(sys.modules, module, fake_module)
    timings = {("/src/app.py", 3, "work"): [(4, 10, 2500), (5, 10, 7500.0)]}
    path = tmp_path / "old.lprof"
    path.write_bytes(pickle.dumps(LineStats(timings, 1e-6), protocol=protocol))
    monkeypatch.delitem(sys.modules, module)  # the loader must not need it
    profile = load_profile([str(path)])
    (fl,) = profile.lines.values()
    assert [(t.line, t.hits, t.seconds) for t in fl.lines] == [
        (4, 10, 2500 * 1e-6),
        (5, 10, 7500.0 * 1e-6),
    ]


def test_python2_byte_string_paths_are_read(tmp_path: Path) -> None:
    # Protocol 2 with SHORT_BINSTRING (Python 2 str) for a non-ASCII path.
    path_bytes = "/src/café.py".encode()
    body = (
        b"\x80\x02cline_profiler\nLineStats\nq\x00)\x81q\x01}q\x02(U\x07timingsq\x03}q\x04"
        + b"U"
        + bytes([len(path_bytes)])
        + path_bytes
        + b"K\x03U\x04workq\x05\x87q\x06]q\x07K\x04K\x02M\xe8\x03\x87q\x08as"
        + b"U\x04unitq\tG>\xb0\xc6\xf7\xa0\xb5\xed\x8du"
        + b"b."
    )
    path = tmp_path / "py2.lprof"
    path.write_bytes(body)
    (fl,) = load_profile([str(path)]).lines.values()
    assert fl.file == "/src/café.py"
    assert [(t.line, t.hits, t.seconds) for t in fl.lines] == [(4, 2, 1000 * 1e-6)]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ({"timings": {("a.py", 1, "f"): [(2, 1, float("nan"))]}, "unit": 1e-6}, "finite"),
        ({"timings": {("a.py", 1, "f"): [(2, 1, 5)]}, "unit": 0}, "unit"),
        ({"timings": {("a.py", 1, "f"): [(2, 1)]}, "unit": 1e-6}, "shape"),
        ({"timings": [], "unit": 1e-6}, "shape"),
        ({"timings": {"f": [(2, 1, 5)]}, "unit": 1e-6}, "shape"),
    ],
)
def test_bad_linestats_contents_are_refused(
    tmp_path: Path, state: dict[str, Any], expected: str
) -> None:
    from line_profiler.line_profiler import LineStats

    stats = LineStats({}, 1e-6)
    stats.timings = state["timings"]
    stats.unit = state["unit"]
    path = tmp_path / "bad.lprof"
    path.write_bytes(pickle.dumps(stats))
    with pytest.raises(ProfileError) as caught:
        load_profile([str(path)])
    assert expected in caught.value.problem
