"""``tuiprof diff`` on two 300,000-function profiles (the second 5 % changed, 1 % new).

Targets (the diff issue, Speed): the diff screen's first paint at most 2.5x
the floor of loading the two files; a sort change or a filter keystroke on it
at most 100 ms to repaint; ``tuiprof diff BEFORE AFTER --json`` at most 2x the
floor of the two files; peak memory at most 2x that of two ``pstats.Stats``.

The profiles are ``stress.build_stress_stats`` and
``stress.build_changed_stats`` (15,000 functions changed, a third of them
moved one line down, and 3,000 new). Each ratio to the floor pairs every
round with a round of the floor taken just before it, on a shared machine.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from measure import FIGURES, child_peak_kib, fastest, load_floor, record, run_quietly
from stress import StressProfile
from test_bench_app import DrivenApp
from textual.css.query import NoMatches

from tuiprof.diff_json import write_diff_json
from tuiprof.model import load_profile, marshal_decode
from tuiprof.model.diff import ProfileDiff, diff_profiles
from tuiprof.model.diff_table import DiffTableModel

app_module = pytest.importorskip("tuiprof.app")
diff_screen = pytest.importorskip("tuiprof.screens.diff")
TuiprofApp = app_module.TuiprofApp
DiffScreen = diff_screen.DiffScreen

SIZE = (120, 40)
FIRST_PAINT_TARGET = 2.5
KEY_PRESS_TARGET = 100.0  # ms, net of what Pilot's press-and-wait costs by itself
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


def diff_rows_painted(app: Any) -> bool:
    """The diff screen is up, laid out, and its table has rows to show."""
    screen = app.screen
    if not isinstance(screen, DiffScreen):
        return False
    try:
        table = screen.table
    except NoMatches:  # mounted, not yet composed
        return False
    return table.row_count() > 0 and table.region.height > 1


def test_diff_first_paint(benchmark, stress: StressProfile, stress_changed: Path) -> None:
    """``tuiprof diff A B`` on a terminal: both files loaded, matched, the screen's first frame.

    As the command's child does it: each file decoded once (the supervisor's
    mode), its caller records left for the screen's warm-up, the diff made,
    then the app started on the diff screen; the clock stops when the app
    hands the driver its first frame with rows of the diff table (see
    ``test_bench_app``'s first paint). Textual is imported beforehand here;
    the command imports it after the load.
    """
    floors: list[float] = []
    painted: list[float] = []

    async def session() -> None:
        frame: list[float] = []
        start = time.perf_counter()
        before = load_profile([str(stress.path)], check_edges=False)
        after = load_profile([str(stress_changed)], check_edges=False)
        app = TuiprofApp(diff=diff_profiles(before, after))
        display = app._display

        def timed_display(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if not frame and renderable is not None and diff_rows_painted(app):
                frame.append(time.perf_counter())

        app._display = timed_display
        async with app.run_test(size=SIZE):
            deadline = time.perf_counter() + 300
            while not frame and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            assert frame, "no frame with diff rows"
            painted.append(frame[0] - start)
            await app.workers.wait_for_complete()

    def run() -> None:
        marshal_decode.decode_in_process(lambda _path: True)
        try:
            asyncio.run(session())
        finally:
            marshal_decode.decode_in_process(None)

    def floor_round() -> tuple[tuple[()], dict[str, object]]:
        gc.collect()
        floors.append(_floor_of_two(stress.path, stress_changed))
        return (), {}

    benchmark.pedantic(run, setup=floor_round, rounds=2, iterations=1)
    seconds = min(painted)
    record(benchmark, "diff screen: first paint with rows", seconds, "s")
    record(benchmark, "diff screen: first paint / floor of two", seconds / min(floors), "x",
           FIRST_PAINT_TARGET)  # fmt: skip


@pytest.fixture(scope="module")
def stress_diff(stress: StressProfile, stress_changed: Path) -> Iterator[ProfileDiff]:
    """The two stress profiles loaded and matched, once for this module's screen benchmarks."""
    before = load_profile([str(stress.path)], check_edges=False)
    after = load_profile([str(stress_changed)], check_edges=False)
    yield diff_profiles(before, after)
    del before, after
    gc.collect()


@pytest.fixture(scope="module")
def driven_diff(stress_diff: ProfileDiff) -> Iterator[DrivenApp]:
    """The diff screen on the stress pair, its first frame painted and its workers done."""
    driven = DrivenApp(TuiprofApp(diff=stress_diff), size=SIZE)

    async def rows_on_screen() -> None:
        deadline = time.perf_counter() + 300
        while not diff_rows_painted(driven.app):
            if time.perf_counter() > deadline:
                raise TimeoutError("no diff rows on screen")
            await asyncio.sleep(0.005)
        # The warm-ups start after the first refresh: wait until they have
        # started and finished (the screen's builds both callee indexes).
        for _ in range(20):
            await driven.pilot.pause()
            await driven.app.workers.wait_for_complete()
            ready = stress_diff.before.call_graph_ready and stress_diff.after.call_graph_ready
            if ready and len(driven.app.workers) == 0:
                break
            await asyncio.sleep(0.1)

    driven.run(rows_on_screen())
    yield driven
    driven.close()


DIFF_BASELINE = "diff screen: unbound key press (Pilot baseline)"


def key_press_ms(benchmark: Any, name: str) -> None:
    """Record a key press benchmark: its best round, and net of the Pilot baseline."""
    best = fastest(benchmark) * 1000
    record(benchmark, name, best, "ms")
    worst = float(benchmark.stats.stats.max) * 1000
    record(benchmark, f"{name} (slowest round)", worst, "ms")
    baseline = FIGURES[DIFF_BASELINE].value
    record(benchmark, f"{name}, net of Pilot baseline", best - baseline, "ms", KEY_PRESS_TARGET)


def test_diff_key_press_baseline(benchmark, driven_diff: DrivenApp) -> None:
    """A key nothing is bound to on the diff screen: what Pilot's press-and-wait costs."""
    benchmark.pedantic(lambda: driven_diff.press("z"), rounds=10, iterations=1)
    record(benchmark, DIFF_BASELINE, fastest(benchmark) * 1000, "ms")


def test_diff_sort_change(benchmark, driven_diff: DrivenApp) -> None:
    """Keys ``4`` and ``2`` in turn: sorted by cumtime after, by tottime after.

    The first press of each is timed too (``slowest round``): the diff screen
    sorts a column when it is first asked for.
    """
    keys = ["2", "4"]

    def run() -> None:
        keys.reverse()
        driven_diff.press(keys[0])

    benchmark.pedantic(run, rounds=10, iterations=1)
    key_press_ms(benchmark, "diff screen: sort change")
    assert driven_diff.app.screen.table.model.query.sort[0].value == "tottime"


def test_diff_filter_keystroke(benchmark, driven_diff: DrivenApp) -> None:
    """Typing ``debug log`` into the diff table's filter, one key press (and repaint) a round."""
    text = "debug log"
    typed = iter(text.replace(" ", "\x00"))
    driven_diff.press("slash")

    def run() -> None:
        key = next(typed)
        driven_diff.press("space" if key == "\x00" else key)

    benchmark.pedantic(run, rounds=len(text), iterations=1)
    key_press_ms(benchmark, "diff screen: filter keystroke")
    assert driven_diff.app.screen.table.model.query.filter_text == text
    driven_diff.press("escape")


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
