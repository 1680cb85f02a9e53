"""``tuiprof diff`` on two 300,000-function profiles (the second 5 % changed, 1 % new).

Targets (the diff issue): ``tuiprof diff BEFORE AFTER --json`` at most 2x the
floor of loading the two files; peak memory at most 2x that of two
``pstats.Stats``.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from measure import child_peak_kib, fastest, load_floor, record, run_quietly
from stress import StressProfile

from tuiprof.diff_json import write_diff_json
from tuiprof.model import load_profile
from tuiprof.model.diff import diff_profiles
from tuiprof.model.diff_table import DiffTableModel

JSON_TARGET = 2.0
MEMORY_TARGET = 2.0


def _floor_of_two(first: Path, second: Path) -> float:
    start = time.perf_counter()
    a = load_floor(first)
    b = load_floor(second)
    seconds = time.perf_counter() - start
    del a, b
    gc.collect()
    return seconds


def test_diff_json_command(benchmark, stress: StressProfile, stress_changed: Path) -> None:
    """``tuiprof diff A B --json`` in a pipe, each round after a round of the two-file floor."""
    command = [sys.executable, "-m", "tuiprof", "diff", str(stress.path), str(stress_changed)]
    command.append("--json")
    floors: list[float] = []

    def floor_round() -> tuple[tuple[()], dict[str, object]]:
        floors.append(_floor_of_two(stress.path, stress_changed))
        return (), {}

    def run() -> None:
        done = run_quietly(command)
        assert done.returncode == 0, done.stderr

    benchmark.pedantic(run, setup=floor_round, rounds=3, iterations=1)
    seconds = fastest(benchmark)
    record(benchmark, "diff floor: two files", min(floors), "s")
    record(benchmark, "tuiprof diff --json", seconds, "s")
    record(benchmark, "tuiprof diff --json / floor of two", seconds / min(floors), "x", JSON_TARGET)


def test_diff_stages(benchmark, stress: StressProfile, stress_changed: Path) -> None:
    """Where ``diff --json`` spends its time, in one process: load, match, sort, JSON."""
    stages: dict[str, float] = {}

    def run() -> None:
        clock = time.perf_counter
        start = clock()
        before = load_profile([str(stress.path)], check_edges=False)
        after = load_profile([str(stress_changed)], check_edges=False)
        loaded = clock()
        diff = diff_profiles(before, after)
        diff.status()
        matched = clock()
        rows = DiffTableModel(diff).rows
        ordered = clock()
        with open(os.devnull, "w") as out:
            write_diff_json(diff, rows, out)
        written = clock()
        for name, seconds in (
            ("load both", loaded - start),
            ("match and status", matched - loaded),
            ("sort", ordered - matched),
            ("JSON", written - ordered),
        ):
            stages[name] = min(seconds, stages.get(name, float("inf")))

    benchmark.pedantic(run, setup=gc.collect, rounds=2, iterations=1)
    floor = _floor_of_two(stress.path, stress_changed)
    record(benchmark, "diff stages: floor of two (after)", floor, "s")
    for name, seconds in stages.items():
        record(benchmark, f"diff stage: {name}", seconds, "s")
        record(benchmark, f"diff stage: {name} / floor of two", seconds / floor, "x")


def test_diff_peak_memory(benchmark, stress: StressProfile, stress_changed: Path) -> None:
    """Peak resident memory of ``diff --json`` against two ``pstats.Stats``, in fresh processes."""
    reference = child_peak_kib("pstats-two", stress.path, stress_changed) / 1024
    peak = benchmark.pedantic(
        child_peak_kib,
        args=("tuiprof-diff-json", stress.path, stress_changed),
        rounds=1,
        iterations=1,
    )
    peak_mib = peak / 1024
    record(benchmark, "peak memory: two pstats.Stats", reference, "MiB")
    record(benchmark, "peak memory: tuiprof diff --json", peak_mib, "MiB")
    record(
        benchmark, "peak memory: diff --json / two pstats", peak_mib / reference, "x", MEMORY_TARGET
    )
