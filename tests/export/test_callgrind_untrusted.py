"""Callgrind from odd but admitted inputs: pyinstrument's unknown counts, odd line
numbers, figures too large for 64-bit costs. Every file must be one that
``callgrind_annotate`` and gprof2dot read."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import gprof2dot
import pytest

from tests.export.conftest import read_callgrind
from tests.model.test_loaders_support import marshal_file
from tuiprof.export.callgrind import MAX_COST, SCALE, write_callgrind
from tuiprof.export.dot import write_dot
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile

HAS_ANNOTATE = shutil.which("callgrind_annotate") is not None

ROOT = ("app.py", 1, "<module>")
MAIN = ("app.py", 3, "main")
WORK = ("app.py", 9, "work")


def pyinstrument_stats() -> dict[Any, Any]:
    """The shape pyinstrument's pstats renderer writes: every count -1, times recorded."""
    return {
        ROOT: (-1, -1, 0.0, 2.0, {}),
        MAIN: (-1, -1, 0.5, 2.0, {ROOT: (-1, -1, 0.5, 2.0)}),
        WORK: (-1, -1, 1.5, 1.5, {MAIN: (-1, -1, 1.5, 1.5)}),
    }


def export(profile: Profile) -> str:
    out = io.StringIO()
    write_callgrind(profile, out)
    return out.getvalue()


def annotate(text: str, tmp_path: Path) -> str:
    path = tmp_path / "callgrind.out.check"
    path.write_text(text)
    done = subprocess.run(
        ["callgrind_annotate", "--threshold=100", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def program_total(report: str) -> int:
    found = re.search(r"^([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", report, re.M)
    assert found is not None, report
    return int(found.group(1).replace(",", ""))


def test_pyinstrument_files_keep_their_self_times(tmp_path: Path) -> None:
    profile = load_profile([str(marshal_file(tmp_path, "pyi.prof", pyinstrument_stats()))])
    text = export(profile)
    assert "calls=-1" not in text
    assert re.findall(r"^calls=(\d+) ", text, re.M) == ["0", "0"]  # unknown, not invented
    _events, records = read_callgrind(text)
    assert records[("app.py", "main")][3] == [round(0.5 * SCALE)]
    assert records[("app.py", "work")][9] == [round(1.5 * SCALE)]
    assert re.search(r"^summary: (\d+)$", text, re.M).group(1) == str(2 * SCALE)  # type: ignore[union-attr]
    # gprof2dot reads the inclusive cost of each call
    parsed = gprof2dot.CallgrindParser(io.StringIO(text)).parse()
    assert parsed[gprof2dot.SAMPLES] == 2 * SCALE


@pytest.mark.skipif(not HAS_ANNOTATE, reason="valgrind's callgrind_annotate not installed")
def test_callgrind_annotate_reads_pyinstrument_files(tmp_path: Path) -> None:
    profile = load_profile([str(marshal_file(tmp_path, "pyi.prof", pyinstrument_stats()))])
    assert program_total(annotate(export(profile), tmp_path)) == 2 * SCALE


def test_line_numbers_are_plain_integers(tmp_path: Path) -> None:
    stats = {
        MAIN: (1, 1, 0.5, 1.0, {}),
        ("app.py", True, "flag"): (1, 1, 0.25, 0.25, {MAIN: (1, 1, 0.25, 0.25)}),
        ("app.py", 2**40, "far"): (1, 1, 0.25, 0.25, {MAIN: (1, 1, 0.25, 0.25)}),
    }
    path = marshal_file(tmp_path, "lines.prof", stats)
    profile = load_profile([str(path)])
    text = export(profile)
    assert "True" not in text and str(2**40) not in text
    _events, records = read_callgrind(text)
    assert records[("app.py", "flag")] == {1: [round(0.25 * SCALE)]}
    assert records[("app.py", "far")] == {0: [round(0.25 * SCALE)]}
    if HAS_ANNOTATE:
        assert program_total(annotate(text, tmp_path)) == SCALE


def with_figures(tmp_path: Path, figures: dict[Any, tuple[float, float]]) -> Profile:
    """A loaded profile of MAIN calling WORK, its times then set by hand.

    Whether a loader admits such figures is the loader's decision; whatever it
    admits, the export must write validly.
    """
    stats = {MAIN: (1, 1, 0.5, 1.0, {}), WORK: (3, 3, 0.5, 0.5, {MAIN: (3, 3, 0.5, 0.5)})}
    profile = load_profile([str(marshal_file(tmp_path, "p.prof", stats))])
    for key, (tt, ct) in figures.items():
        fid = profile.find(key)
        profile.tottime[fid], profile.cumtime[fid] = tt, ct
    main, work = figures[MAIN], figures[WORK]
    profile.callers_raw[profile.find(WORK)] = {MAIN: (3, 3, work[0], work[1])}
    profile.total_time = main[0] + work[0]
    return profile


@pytest.mark.parametrize(
    "huge", [1e10, 1e200, sys.float_info.max / 2, sys.float_info.max, math.inf]
)
def test_times_too_large_for_nanoseconds_are_scaled_to_fit(tmp_path: Path, huge: float) -> None:
    profile = with_figures(tmp_path, {MAIN: (huge, huge), WORK: (huge / 4, huge / 4)})
    text = export(profile)
    costs = [int(n) for n in re.findall(r"\d+", "\n".join(text.splitlines()[7:]))]
    assert max(costs) <= MAX_COST
    assert "too large for nanoseconds" in text
    _events, records = read_callgrind(text)
    main_cost, work_cost = records[("app.py", "main")][3][0], records[("app.py", "work")][9][0]
    if math.isfinite(huge):
        assert main_cost == pytest.approx(4 * work_cost, rel=1e-9)  # proportions kept
    if HAS_ANNOTATE:
        annotate(text, tmp_path)
    # and the graph: gprof2dot's colours from finite weights
    dot = io.StringIO()
    write_dot(profile, dot, node_threshold=0.0, edge_threshold=0.0)
    assert "digraph" in dot.getvalue() and "nan" not in dot.getvalue().lower()


def test_sums_that_overflow_still_export(tmp_path: Path) -> None:
    # Finite in each file, infinite once merged: as hostile as an admitted input gets.
    stats = {MAIN: (1, 1, 1.5e308, 0.0, {}), WORK: (1, 1, 0.5, 0.5, {MAIN: (1, 1, 0.5, 0.5)})}
    a = marshal_file(tmp_path, "a.prof", stats)
    b = marshal_file(tmp_path, "b.prof", stats)
    profile = load_profile([str(a), str(b)])
    text = export(profile)
    assert max(int(n) for n in re.findall(r"^\d+ (\d+)$", text, re.M)) <= MAX_COST
    dot = io.StringIO()
    write_dot(profile, dot, node_threshold=0.0, edge_threshold=0.0)
    assert "digraph" in dot.getvalue()
