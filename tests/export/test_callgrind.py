"""The callgrind export, read back by independent readers and compared with pstats."""

from __future__ import annotations

import io
import pstats
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import gprof2dot
import pytest
from pyprof2calltree import CalltreeConverter

from tests.export.conftest import NASTY_NAMES, read_callgrind
from tuiprof.export.callgrind import (
    SCALE,
    CallsByCaller,
    Entries,
    apportion,
    output_keys,
    write_callgrind,
)
from tuiprof.export.scope import find_roots, subtree
from tuiprof.model.bare_counts import bare_time
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile

SAMPLES = Path(__file__).resolve().parents[2] / "sample_profiles"


def export(profile: Profile, fids: list[int] | None = None) -> str:
    out = io.StringIO()
    write_callgrind(profile, out, fids)
    return out.getvalue()


def parse_with_gprof2dot(text: str) -> gprof2dot.Profile:
    return gprof2dot.CallgrindParser(io.StringIO(text)).parse()


def self_by_name(stats: pstats.Stats) -> dict[str, float]:
    """pstats self time per function name (gprof2dot's reader keys functions by name)."""
    per_file_names: dict[tuple[str, str], set[int]] = defaultdict(set)
    for file, line, name in stats.stats:  # type: ignore[attr-defined]
        per_file_names[(file, name)].add(line)
    totals: dict[str, float] = defaultdict(float)
    for (file, line, name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        # pyprof2calltree writes same-name functions of one file as ``name:line``.
        shown = name if len(per_file_names[(file, name)]) == 1 else f"{name}:{line}"
        totals[shown] += tt
    return totals


def check_against_pstats(path: Path) -> None:
    profile = load_profile([str(path)])
    stats = pstats.Stats(str(path))
    text = export(profile)
    parsed = parse_with_gprof2dot(text)
    total_ns = parsed[gprof2dot.SAMPLES]
    assert total_ns == round(stats.total_tt * SCALE)  # type: ignore[attr-defined]
    assert abs(total_ns / SCALE - profile.total_time) < 1e-9
    expected = self_by_name(stats)
    got = {name: function[gprof2dot.SAMPLES] for name, function in parsed.functions.items()}
    assert set(got) == set(expected)
    for name, seconds in expected.items():
        # Each figure is rounded to a whole nanosecond, the sum kept exact.
        assert abs(got[name] - seconds * SCALE) <= 1.0 + len(expected), name
    summary = re.search(r"^summary: (\d+)$", text, re.M)
    assert summary is not None and int(summary.group(1)) == total_ns


def test_cprofile_totals_and_self_costs_equal_pstats(cprofile_file: Path) -> None:
    check_against_pstats(cprofile_file)


def test_pure_profile_module_converts(pure_profile_file: Path) -> None:
    # pyprof2calltree alone fails on the profile module's bare call counts.
    check_against_pstats(pure_profile_file)
    text = export(load_profile([str(pure_profile_file)]))
    assert "calls=" in text


@pytest.mark.parametrize("name", ["taylor", "particles", "bottlenecks"])
def test_sample_profiles(name: str) -> None:
    path = SAMPLES / f"{name}.prof"
    if not path.exists():
        pytest.skip(f"no {path}")
    check_against_pstats(path)


def test_same_name_functions_stay_apart(cprofile_file: Path) -> None:
    text = export(load_profile([str(cprofile_file)]))
    runs = set(re.findall(r"^fn=(run:\d+)$", text, re.M))
    assert len(runs) == 2


def test_calls_carry_counts_and_inclusive_cost(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    parsed = parse_with_gprof2dot(export(profile))
    fib = parsed.functions["fib"]
    # fib's recursive calls: pstats' ncalls for fib minus the one from main
    fid = next(i for i, key in enumerate(profile.keys) if key[2] == "fib")
    assert fib.calls[fib.id][gprof2dot.CALLS] == profile.ncalls[fid] - 1


def test_nasty_names_keep_the_line_structure(nasty_file: Path) -> None:
    profile = load_profile([str(nasty_file)])
    text = export(profile)
    assert "\x00" not in text and "\r" not in text
    allowed = re.compile(r"^(|#.*|\w+: .*|c?f[ln]=.*|calls=\d+ \d+|\d+( \d+)*)$")
    for line in text.split("\n"):
        assert allowed.match(line), repr(line)
    names = set(re.findall(r"^fn=(.*)$", text, re.M))
    assert len(names) == len(NASTY_NAMES) + 1  # none merged
    # the escaped newline and the literal backslash-n share a name: told apart by line
    assert {"new\\nline:15", "new\\nline:19", "nul\\x00byte"} <= names
    parsed = parse_with_gprof2dot(text)
    assert parsed[gprof2dot.SAMPLES] == round(profile.total_time * SCALE)


def test_subtree_exports_only_reachable_functions(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    fids = subtree(profile, find_roots(profile, "fib"))
    text = export(profile, fids)
    assert set(re.findall(r"^fn=(.*)$", text, re.M)) == {"fib"}
    fib = fids[0]
    parsed = parse_with_gprof2dot(text)
    assert parsed[gprof2dot.SAMPLES] == round(profile.tottime[fib] * SCALE)


def test_apportion_keeps_the_sum() -> None:
    values = [0.1e-9 * i for i in range(1, 40)] + [1 / 3, 2 / 3, -1.0]
    ns = apportion(values)
    assert sum(ns) == round(sum(max(v, 0) for v in values) * SCALE)
    assert all(abs(n - max(v, 0) * SCALE) < 1 for n, v in zip(ns, values, strict=True))


@pytest.mark.skipif(shutil.which("callgrind_annotate") is None, reason="valgrind not installed")
def test_callgrind_annotate_reads_it(cprofile_file: Path, tmp_path: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    out = tmp_path / "callgrind.out.run"
    out.write_text(export(profile))
    done = subprocess.run(
        ["callgrind_annotate", "--threshold=100", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    total = re.search(r"^([\d,]+) \([^)]*\)\s+PROGRAM TOTALS", done.stdout, re.M)
    assert total is not None, done.stdout
    assert int(total.group(1).replace(",", "")) == round(profile.total_time * SCALE)
    rows = re.findall(r"^\s*([\d,]+) \([^)]*\)\s+(\S.*):(\S+)$", done.stdout, re.M)
    self_ns = {name: int(cost.replace(",", "")) for cost, _file, name in rows}
    leaf = next(i for i, key in enumerate(profile.keys) if key[2] == "leaf")
    assert abs(self_ns["leaf"] - profile.tottime[leaf] * SCALE) <= 1


# -- line data ---------------------------------------------------------------------


def test_lprof_alone_carries_per_line_costs(lprof_file: Path) -> None:
    profile = load_profile([str(lprof_file)])
    events, records = read_callgrind(export(profile))
    assert events == ["line_ns"]
    for lines in profile.lines.values():
        name = lines.name.rsplit(".", 1)[-1]
        rows = records[(lines.file, name)]
        for timing in lines.lines:
            assert abs(rows[timing.line][0] - timing.seconds * SCALE) <= 1
        # only the first line's zero row besides the timed lines
        assert set(rows) <= {t.line for t in lines.lines} | {lines.first_line}
    total = sum(row[0] for rows in records.values() for row in rows.values())
    assert total == round(sum(t.seconds for fl in profile.lines.values() for t in fl.lines) * SCALE)
    assert abs(total / SCALE - profile.total_time) < 1e-6
    # gprof2dot, an independent reader, agrees on the total
    parsed = parse_with_gprof2dot(export(profile))
    assert parsed[gprof2dot.SAMPLES] == total


def test_lprof_joined_with_prof_has_both_events(cprofile_file: Path, lprof_file: Path) -> None:
    profile = load_profile([str(cprofile_file), str(lprof_file)])
    assert profile.lines
    text = export(profile)
    events, records = read_callgrind(text)
    assert events == ["ns", "line_ns"]
    ns_total = sum(row[0] for rows in records.values() for row in rows.values())
    assert ns_total == round(profile.total_time * SCALE)
    for fid, lines in profile.lines.items():
        rows = records[(profile.keys[fid][0], profile.keys[fid][2])]
        for timing in lines.lines:
            assert abs(rows[timing.line][1] - timing.seconds * SCALE) <= 1
    summary = re.search(r"^summary: (\d+) (\d+)$", text, re.M)
    assert summary is not None and int(summary.group(1)) == ns_total


@pytest.mark.parametrize("name", ["taylor", "particles", "bottlenecks"])
def test_sample_lprof_joined(name: str) -> None:
    prof, lprof = SAMPLES / f"{name}.prof", SAMPLES / f"{name}.lprof"
    if not (prof.exists() and lprof.exists()):
        pytest.skip("no sample profiles")
    profile = load_profile([str(prof), str(lprof)])
    events, records = read_callgrind(export(profile))
    assert events == ["ns", "line_ns"]
    line_total = sum(row[1] for rows in records.values() for row in rows.values())
    expected = sum(t.seconds for fl in profile.lines.values() for t in fl.lines)
    assert line_total == round(expected * SCALE)


@pytest.mark.skipif(shutil.which("callgrind_annotate") is None, reason="valgrind not installed")
def test_callgrind_annotate_reads_line_costs(lprof_file: Path, tmp_path: Path) -> None:
    profile = load_profile([str(lprof_file)])
    out = tmp_path / "callgrind.out.lines"
    out.write_text(export(profile))
    done = subprocess.run(
        ["callgrind_annotate", "--auto=yes", "--threshold=100", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    # the source of leaf() annotated with its loop line's cost
    leaf = next(fl for fl in profile.lines.values() if fl.name.endswith("leaf"))
    hottest = max(leaf.lines, key=lambda t: t.seconds)
    cost = f"{round(hottest.seconds * SCALE):,}"
    assert re.search(rf"^\s*{cost} \([^)]*\)\s+", done.stdout, re.M), done.stdout


# -- entries made one function at a time ------------------------------------------


def pyprof2calltree_reference(profile: Profile, fids: list[int] | None = None) -> str:
    """pyprof2calltree's own path: a pstats dictionary through ``pstats2entries``.

    The dictionary is normalized as the export normalizes it (escaped names,
    callers outside the export dropped, bare call counts given the call tree's time share, self
    times apportioned), then handed to an unmodified ``CalltreeConverter``.
    """
    chosen = range(len(profile)) if fids is None else fids
    renamed = output_keys(profile, chosen)
    keys = {fid: renamed.get(fid) or profile.keys[fid] for fid in chosen}
    self_ns = apportion([profile.tottime[fid] for fid in chosen])
    stats = {}
    for fid, cost in zip(chosen, self_ns, strict=True):
        callers = {}
        for key, raw in profile.callers_raw[fid].items():
            caller = profile.find(key)
            if caller not in keys:
                continue
            if isinstance(raw, int):
                raw = (raw, raw, 0.0, bare_time(profile, caller, fid, raw))
            callers[keys[caller]] = raw
        figures = (profile.primitive_calls[fid], profile.ncalls[fid])
        stats[keys[fid]] = (*figures, (cost + 0.5) / SCALE, profile.cumtime[fid], callers)
    loaded = pstats.Stats()
    loaded.stats = stats  # type: ignore[attr-defined]
    out = io.StringIO()
    CalltreeConverter(loaded).output(out)
    return out.getvalue()


def records(text: str) -> str:
    """The function records, from the first ``fl=`` line on (the headers differ)."""
    return text[re.search(r"^fl=", text, re.M).start() :]  # type: ignore[union-attr]


def check_same_as_pyprof2calltree(profile: Profile, fids: list[int] | None = None) -> None:
    ours = export(profile, fids)
    reference = pyprof2calltree_reference(profile, fids)
    assert records(ours) == records(reference)
    assert ours.count("\ncalls=") == reference.count("\ncalls=")


def test_entries_match_pyprof2calltree(generated_file: Path) -> None:
    profile = load_profile([str(generated_file)])
    check_same_as_pyprof2calltree(profile)
    hottest = max(range(len(profile)), key=profile.cumtime.__getitem__)
    check_same_as_pyprof2calltree(profile, subtree(profile, [hottest]))
    check_same_as_pyprof2calltree(profile, list(range(1, len(profile), 3)))


@pytest.mark.parametrize("fixture", ["cprofile_file", "pure_profile_file", "nasty_file"])
def test_entries_match_pyprof2calltree_on_real_runs(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    profile = load_profile([str(request.getfixturevalue(fixture))])
    check_same_as_pyprof2calltree(profile)
    check_same_as_pyprof2calltree(profile, subtree(profile, profile.roots()[-1:]))


@pytest.mark.parametrize("name", ["taylor", "particles", "bottlenecks"])
def test_entries_match_pyprof2calltree_on_samples(name: str) -> None:
    path = SAMPLES / f"{name}.prof"
    if not path.exists():
        pytest.skip("no sample profile")
    check_same_as_pyprof2calltree(load_profile([str(path)]))


def test_calls_grouped_by_caller_are_every_call(generated_file: Path) -> None:
    profile = load_profile([str(generated_file)])
    index = profile.callee_index()
    everything = range(len(profile))
    grouped = CallsByCaller(profile, everything, None)
    for caller in everything:
        assert sorted(grouped(caller)) == sorted(index[caller])
    some = list(range(0, len(profile), 2))
    inside = bytearray(len(profile))
    for fid in some:
        inside[fid] = 1
    grouped = CallsByCaller(profile, some, inside)
    for caller in everything:
        expected = [(c, raw) for c, raw in index[caller] if inside[caller] and inside[c]]
        assert sorted(grouped(caller)) == sorted(expected)


def test_entries_can_be_walked_again(cprofile_file: Path) -> None:
    profile = load_profile([str(cprofile_file)])
    order = sorted(range(len(profile)), key=profile.keys.__getitem__)
    self_ns = apportion(profile.tottime)
    calls = CallsByCaller(profile, range(len(profile)), None)
    entries = Entries(profile, order, profile.keys, self_ns, calls)
    first = [(e.code.co_name, len(e.calls)) for e in entries]
    assert first == [(e.code.co_name, len(e.calls)) for e in entries]
    assert len(first) == len(profile)
    assert sum(n for _, n in first) == sum(len(c) for c in profile.callee_index())
