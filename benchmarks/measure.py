"""Measuring helpers shared by the benchmarks: the load floor, child processes, figures.

The figures that have a target (a ratio, a peak, a latency) are collected in
:data:`FIGURES` and printed at the end of the run (see ``conftest.py``), so
that one ``uv run pytest benchmarks -n 0`` gives the table of
``docs/performance.md``.
"""

from __future__ import annotations

import gc
import marshal
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure and its target (``None`` when it is for information only)."""

    name: str
    value: float
    unit: str
    target: float | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


FIGURES: dict[str, Figure] = {}


def record(
    benchmark: Any,
    name: str,
    value: float,
    unit: str,
    target: float | None = None,
    note: str = "",
) -> Figure:
    """Keep a figure for the summary and in the benchmark's ``extra_info``."""
    figure = Figure(name, value, unit, target, note)
    FIGURES[name] = figure
    if benchmark is not None:
        benchmark.extra_info[name] = round(value, 4)
        if target is not None:
            benchmark.extra_info[f"{name} target"] = target
            benchmark.extra_info[f"{name} met"] = figure.met
    return figure


def load_floor(path: Path) -> Any:
    """The least any loader can do: the bytes in one read, ``marshal.loads``, gc paused."""
    with open(path, "rb") as handle:
        data = handle.read()
    gc.disable()
    try:
        return marshal.loads(data)
    finally:
        gc.enable()


class FloorRounds:
    """Rounds of the load floor, each taken just before a round of a benchmark, so that
    a ratio compares figures from the same minutes of a shared machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seconds: list[float] = []

    def __call__(self) -> None:
        start = time.perf_counter()
        stats = load_floor(self.path)
        self.seconds.append(time.perf_counter() - start)
        del stats

    @property
    def best(self) -> float:
        return min(self.seconds)


def best_of(
    function: Callable[[], Any], rounds: int, between: Callable[[], Any] | None = None
) -> float:
    """The shortest wall time of ``rounds`` calls (the machine is shared: minimum, not mean).

    ``between`` runs, untimed, before each call (to collect the last one's garbage).
    """
    best = float("inf")
    for _ in range(rounds):
        if between is not None:
            between()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
        del result
    return best


def pedantic_fresh(
    benchmark: Any,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    rounds: int,
    before: Callable[[], Any] | None = None,
) -> None:
    """Benchmark a loader with each round on a clean heap.

    pytest-benchmark keeps the last round's result alive while the next round
    runs; a loaded profile is millions of objects, and any garbage collection
    in the next round would walk them too. The result is dropped (untimed)
    after each round instead. ``before`` runs, untimed, just before each round.
    """
    kept: list[Any] = []

    def run() -> None:
        kept.append(function(*args))

    def drop() -> None:
        kept.clear()
        gc.collect()
        if before is not None:
            before()
            gc.collect()

    benchmark.pedantic(run, setup=drop, teardown=drop, rounds=rounds, iterations=1)


def fastest(benchmark: Any) -> float:
    """The shortest round a benchmark measured, in seconds."""
    return float(benchmark.stats.stats.min)


def peak_kib() -> int:
    """This process's peak resident memory in KiB (``VmHWM``).

    Not ``ru_maxrss``: Linux carries it over from the forking parent across
    ``exec``, so a child of a big pytest process would report the parent's peak.
    """
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_environment() -> dict[str, str]:
    """The environment for child processes, with this folder importable."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, env.get("PYTHONPATH", "")]))
    return env


# A child process prints its own peak resident size (KiB) after the code ran.
_PEAK = "from measure import peak_kib; print(peak_kib())"

CHILD_CODE = {
    "interpreter": "import sys\n",
    "floor": (
        "import gc, marshal, sys\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "gc.disable()\n"
        "stats = marshal.loads(data)\n"
    ),
    "pstats": "import pstats, sys\nstats = pstats.Stats(sys.argv[1])\n",
    "tuiprof": (
        "import sys\n"
        "from tuiprof.model import load_profile\n"
        "profile = load_profile([sys.argv[1]])\n"
    ),
    "tuiprof-first-screen": (
        "import sys\n"
        "from tuiprof.model import load_profile\n"
        "from tuiprof.model.table import FunctionTableModel\n"
        "profile = load_profile([sys.argv[1]])\n"
        "rows = FunctionTableModel(profile).rows\n"
        "labels = [profile.label(fid) for fid in rows[:60]]\n"
    ),
    "tuiprof-all-indexes": (
        "import sys\n"
        "from tuiprof.model import load_profile\n"
        "from tuiprof.model.table import FunctionTableModel, SortKey\n"
        "profile = load_profile([sys.argv[1]])\n"
        "model = FunctionTableModel(profile)\n"
        "for key in SortKey:\n"
        "    model.order(key)\n"
        "model.set_filter('a')\n"
        "rows = model.rows\n"
        "profile.callee_index()\n"
        "profile.roots()\n"
    ),
    "pstats-two": (
        "import pstats, sys\n"
        "before = pstats.Stats(sys.argv[1])\n"
        "after = pstats.Stats(sys.argv[2])\n"
    ),
    "tuiprof-diff-json": (
        "import os, sys\n"
        "from tuiprof.diff_command import parse_diff_args, run_diff\n"
        "with open(os.devnull, 'w') as out:\n"
        "    run_diff(parse_diff_args([sys.argv[1], sys.argv[2], '--json']), out)\n"
    ),
}


def child_peak_kib(kind: str, path: Path, *more: Path) -> int:
    """Peak resident memory (KiB) of a fresh interpreter running ``CHILD_CODE[kind]``."""
    code = CHILD_CODE[kind] + _PEAK
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), *map(str, more)],
        env=child_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1])


def run_quietly(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run a command with stdout thrown away (not a terminal, as in a pipe).

    Python caches bytecode as it does on a user's machine, even where the
    environment turns that off (``PYTHONDONTWRITEBYTECODE``, set on some CI
    machines): otherwise every run of a command compiles its modules again.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(
        list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )


def command_time(command: Sequence[str], rounds: int) -> float:
    """The shortest wall time of ``rounds`` runs of a command; raises on failure."""

    def run() -> None:
        done = run_quietly(command)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")

    return best_of(run, rounds)
