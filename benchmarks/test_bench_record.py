"""``tuiprof record`` against ``python -m cProfile -o`` on the sample programs.

Target (record issue, Speed): the wall time of ``tuiprof record --no-open -o
OUT NAME.py`` at most 1.05x that of ``python -m cProfile -o OUT NAME.py``. Both
are whole commands in a fresh interpreter, so tuiprof's start-up counts. The
rounds alternate (cProfile, record, cProfile, …) so that both are measured over
the same minutes of a shared machine; the ratio divides the best of each. The
CPU time of the same runs (user + system, from the children's rusage) is
recorded beside it: on a busy machine it moves much less than the wall time.

For information (docs/record.md): how much ``--lines`` inflates the
function-level times of the functions it covers (every function of the
sample's file), from the same kind of runs.
"""

from __future__ import annotations

import marshal
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from measure import record, run_quietly

RECORD_TARGET = 1.05
ROUNDS = 7
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "sample_profiles"
SAMPLES = ("taylor", "particles", "bottlenecks")


def _run(command: list[str]) -> tuple[float, float]:
    """The wall time and the CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = run_quietly(command)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed: {done.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def _timed(command: list[str]) -> float:
    return _run(command)[0]


def _cprofile(script: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "cProfile", "-o", str(out), str(script)]


def _record(script: Path, out: Path, *options: str) -> list[str]:
    command = [sys.executable, "-m", "tuiprof", "record", "--no-open", "--force"]
    return [*command, *options, "-o", str(out), "--", str(script)]


def _stats(path: Path) -> dict[Any, Any]:
    with open(path, "rb") as stream:
        stats: dict[Any, Any] = marshal.load(stream)
    return stats


@pytest.mark.parametrize("name", SAMPLES)
def test_record_overhead_equals_cprofiles(benchmark, name: str, tmp_path: Path) -> None:
    script = SAMPLES_DIR / f"{name}.py"
    reference = _cprofile(script, tmp_path / "cprofile.prof")
    ours = _record(script, tmp_path / "record.prof")
    _timed(reference)  # warm the file cache and the bytecode caches of both
    _timed(ours)
    runs: dict[str, list[tuple[float, float]]] = {"cprofile": [], "record": []}

    def one_round() -> None:
        runs["cprofile"].append(_run(reference))
        runs["record"].append(_run(ours))

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    wall = {kind: min(wall for wall, _ in figures) for kind, figures in runs.items()}
    cpu = {kind: min(cpu for _, cpu in figures) for kind, figures in runs.items()}
    record(benchmark, f"record {name}: python -m cProfile -o, wall", wall["cprofile"], "s")
    record(benchmark, f"record {name}: tuiprof record, wall", wall["record"], "s")
    record(
        benchmark,
        f"record {name}: record / python -m cProfile, wall",
        wall["record"] / wall["cprofile"],
        "x",
        RECORD_TARGET,
    )
    record(
        benchmark,
        f"record {name}: record / python -m cProfile, CPU",
        cpu["record"] / cpu["cprofile"],
        "x",
        note=f"{cpu['cprofile']:.3f} s / {cpu['record']:.3f} s",
    )
    # Both files describe the same run: the same functions of the program, with
    # the same calls. (What the import system ran differs with the bytecode
    # caches, and built-ins named by address differ from run to run.)
    assert _program(tmp_path / "record.prof", script) == _program(
        tmp_path / "cprofile.prof", script
    )


def _program(path: Path, script: Path) -> dict[tuple[int, str], int]:
    """The calls of each function defined in ``script``, as a profile file records them."""
    return {
        (key[1], key[2]): figures[1]
        for key, figures in _stats(path).items()
        if Path(key[0]).resolve() == script.resolve()
    }


@pytest.mark.parametrize("name", SAMPLES)
def test_line_profiling_inflation(benchmark, name: str, tmp_path: Path) -> None:
    """Covered functions' tottime and cumtime with ``--lines`` over without (best of rounds)."""
    script = SAMPLES_DIR / f"{name}.py"
    plain_out, lines_out = tmp_path / "plain.prof", tmp_path / "lines.prof"
    plain, lines = _record(script, plain_out), _record(script, lines_out, "--lines")
    best: dict[str, float] = {"plain": float("inf"), "lines": float("inf")}
    kept: dict[str, dict[Any, Any]] = {}

    def one_round() -> None:
        for kind, command, out in (("plain", plain, plain_out), ("lines", lines, lines_out)):
            seconds = _timed(command)
            if seconds < best[kind]:
                best[kind] = seconds
                kept[kind] = _stats(out)

    benchmark.pedantic(one_round, rounds=3, iterations=1)
    mine = os.path.abspath(script)

    def covered_tottime(stats: dict[Any, Any]) -> float:
        return sum(
            entry[2]
            for (file, _, function), entry in stats.items()
            if file == mine and not function.startswith("<")
        )

    def main_cumtime(stats: dict[Any, Any]) -> float:
        return float(stats[next(key for key in stats if key[0] == mine and key[2] == "main")][3])

    figures = {
        "covered functions' tottime": covered_tottime,
        "main's cumtime": main_cumtime,
    }
    for what, figure in figures.items():
        ratio = figure(kept["lines"]) / figure(kept["plain"])
        record(benchmark, f"lines {name}: {what}, with / without", ratio, "x")
    wall = best["lines"] / best["plain"]
    record(benchmark, f"lines {name}: wall time, with / without", wall, "x")
