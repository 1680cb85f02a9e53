"""The diff's figures: every before and after number is pstats' own, deltas their differences."""

from __future__ import annotations

import math
import pstats
from pathlib import Path

import pytest
from line_profiler import load_stats

from tests.model.diff_support import APPEND_IS_NEW, kernprof_program, profiled_change
from tuiprof.model.diff import Measure, ProfileDiff, Side, Status, diff_profiles
from tuiprof.model.diff_table import NAME, DiffTableModel
from tuiprof.model.loaders import load_profile
from tuiprof.model.matching import NONE


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``python -m cProfile -o`` of the report program, before and after ``+=`` became ``join``."""
    return profiled_change(tmp_path_factory.mktemp("change"))


@pytest.fixture(scope="module")
def diff(change: tuple[Path, Path]) -> ProfileDiff:
    before, after = change
    return diff_profiles(load_profile([str(before)]), load_profile([str(after)]))


def _row_named(diff: ProfileDiff, name: str) -> int:
    rows = [row for row in range(len(diff)) if diff.key(row)[2] == name]
    assert len(rows) == 1, name
    return rows[0]


def test_every_figure_is_pstats_own(diff: ProfileDiff, change: tuple[Path, Path]) -> None:
    sides = [pstats.Stats(str(path)) for path in change]
    for row in range(len(diff)):
        for after, stats in ((False, sides[0]), (True, sides[1])):
            fid = (diff.after_ids if after else diff.before_ids)[row]
            figures = diff.figures(row, after)
            if fid == NONE:
                assert figures is None
                continue
            key = (diff.after if after else diff.before).keys[fid]
            cc, nc, tt, ct, _ = stats.stats[key]  # type: ignore[attr-defined]
            assert figures is not None
            assert (figures.primitive_calls, figures.ncalls, figures.tottime, figures.cumtime) == (
                cc,
                nc,
                tt,
                ct,
            )
    assert diff.before_total == sides[0].total_tt  # type: ignore[attr-defined]
    assert diff.after_total == sides[1].total_tt  # type: ignore[attr-defined]
    assert diff.total_delta == diff.after_total - diff.before_total


def test_deltas_are_after_minus_before(diff: ProfileDiff) -> None:
    for measure in Measure:
        before = diff.column(measure, Side.BEFORE)
        after = diff.column(measure, Side.AFTER)
        delta = diff.column(measure, Side.DELTA)
        percent = diff.column(measure, Side.PERCENT)
        for row in range(len(diff)):
            assert delta[row] == after[row] - before[row]
            if before[row]:
                assert percent[row] == pytest.approx(100 * delta[row] / before[row])


@APPEND_IS_NEW
def test_the_change_reads_as_it_happened(diff: ProfileDiff) -> None:
    status = diff.status()
    add_row = _row_named(diff, "add_row")
    assert status[add_row] == Status.CHANGED
    assert diff.column(Measure.CUMTIME, Side.DELTA)[add_row] < 0  # join is faster
    append = _row_named(diff, "<method 'append' of 'list' objects>")
    assert status[append] == Status.NEW
    assert diff.figures(append, False) is None
    assert (
        diff.column(Measure.NCALLS, Side.DELTA)[append] == diff.after.ncalls[diff.after_ids[append]]
    )
    # unchanged functions kept their call counts
    tiny = _row_named(diff, "tiny")
    assert diff.column(Measure.NCALLS, Side.DELTA)[tiny] == 0
    assert diff.before_ids[tiny] != NONE and diff.after_ids[tiny] != NONE
    assert diff.total_delta < 0
    assert diff.total_percent == pytest.approx(100 * diff.total_delta / diff.before_total)


def test_statuses_cover_every_function_once(diff: ProfileDiff) -> None:
    before = [fid for fid in diff.before_ids if fid != NONE]
    after = [fid for fid in diff.after_ids if fid != NONE]
    assert sorted(before) == list(range(len(diff.before)))
    assert sorted(after) == list(range(len(diff.after)))
    status = diff.status()
    for row in range(len(diff)):
        if status[row] == Status.SAME:
            assert diff.figures(row, False) == diff.figures(row, True)


def test_normalize_scales_the_before_side(change: tuple[Path, Path]) -> None:
    before, after = (load_profile([str(path)]) for path in change)
    diff = diff_profiles(before, after, normalize=True)
    scale = after.total_time / before.total_time
    assert diff.scale == scale
    assert diff.before_total == pytest.approx(diff.after_total)
    row = _row_named(diff, "add_row")
    figures = diff.figures(row, False)
    assert figures is not None
    assert figures.tottime == before.tottime[diff.before_ids[row]] * scale
    assert figures.ncalls == before.ncalls[diff.before_ids[row]]  # counts are not scaled


def test_edge_diff_holds_each_edge_before_and_after(
    diff: ProfileDiff, change: tuple[Path, Path]
) -> None:
    sides = [pstats.Stats(str(path)) for path in change]
    add_row = _row_named(diff, "add_row")
    callers = diff.callers(add_row)
    assert [diff.key(edge.row)[2] for edge in callers] == ["build_report"]
    edge = callers[0]
    for figures, stats, profile, ids in (
        (edge.before, sides[0], diff.before, diff.before_ids),
        (edge.after, sides[1], diff.after, diff.after_ids),
    ):
        callee_key = profile.keys[ids[add_row]]
        caller_key = profile.keys[ids[edge.row]]
        nc, cc, tt, ct = stats.stats[callee_key][4][caller_key]  # type: ignore[attr-defined]
        assert figures is not None
        assert (figures.ncalls, figures.primitive_calls, figures.tottime, figures.cumtime) == (
            nc,
            cc,
            tt,
            ct,
        )
    assert edge.delta(Measure.CUMTIME) == edge.after.cumtime - edge.before.cumtime  # type: ignore[union-attr]
    callees = diff.callees(add_row)
    by_name = {diff.key(e.row)[2]: e for e in callees}
    assert by_name["<method 'append' of 'list' objects>"].before is None
    assert by_name["<method 'append' of 'list' objects>"].after is not None


def test_line_diff_aligns_lines_by_offset(tmp_path: Path) -> None:
    before_prof, after_prof = profiled_change(tmp_path)
    before_lprof = kernprof_program(tmp_path / "before" / "run.py", tmp_path / "before.lprof")
    after_lprof = kernprof_program(tmp_path / "after" / "run.py", tmp_path / "after.lprof")
    diff = diff_profiles(
        load_profile([str(before_prof), str(before_lprof)]),
        load_profile([str(after_prof), str(after_lprof)]),
    )
    row = _row_named(diff, "add_row")
    lines = diff.line_diff(row)
    assert lines is not None
    assert not lines.length_changed
    raw = [load_stats(str(path)) for path in (before_lprof, after_lprof)]
    for side, stats in enumerate(raw):
        ((key, timings),) = [(k, v) for k, v in stats.timings.items() if k[2].endswith("add_row")]
        first = key[1]
        got = {}
        for r in lines.rows:
            timing = r.after if side else r.before
            if timing is not None:
                got[r.offset] = (timing.hits, timing.seconds)
        assert got == {line - first: (hits, time * stats.unit) for line, hits, time in timings}
    for r in lines.rows:
        assert r.delta_seconds == (r.after.seconds if r.after else 0) - (
            r.before.seconds if r.before else 0
        )
    assert diff.line_diff(_row_named(diff, "tiny")) is None  # no line data


def test_line_diff_says_when_the_length_changed(diff: ProfileDiff) -> None:
    from tuiprof.model.line_diff import diff_lines
    from tuiprof.model.profile import FunctionLines, LineTiming

    before = FunctionLines("a.py", 10, "f", (LineTiming(11, 1, 1.0), LineTiming(12, 1, 2.0)))
    after = FunctionLines("a.py", 20, "f", (LineTiming(21, 1, 0.5), LineTiming(24, 1, 2.0)))
    lines = diff_lines(before, after)
    assert [r.offset for r in lines.rows] == [1, 2, 4]
    assert lines.length_changed
    assert not diff_lines(before, after, lengths=(5, 5)).length_changed


def test_table_sorts_by_delta_largest_slowdown_first(diff: ProfileDiff) -> None:
    table = DiffTableModel(diff)
    delta = diff.column(Measure.TOTTIME, Side.DELTA)
    values = [delta[row] for row in table.rows]
    assert values == sorted(values, reverse=True)
    table.set_sort((Measure.TOTTIME, Side.DELTA))
    assert [delta[row] for row in table.rows] == sorted(values)
    table.set_sort(NAME)
    names = [diff.key(row)[2].lower() for row in table.rows]
    assert names == sorted(names)


def test_table_filters_and_hides(diff: ProfileDiff) -> None:
    table = DiffTableModel(diff)
    table.set_filter("report")
    assert table.rows and all("report" in diff.row_text(row) for row in table.rows)
    table.set_filter("")
    table.set_hidden(builtins=True)
    assert all(diff.key(row)[0] != "~" for row in table.rows)
    assert len(table.rows) < len(diff)


def test_percent_change_of_nothing() -> None:
    from tuiprof.model.diff import percent_change

    assert percent_change(0.0, 0.0) == 0.0
    assert percent_change(0.0, 1.0) == math.inf
    assert percent_change(2.0, 1.0) == -50.0
