"""The call tree on the stress profile and on a real one: ``t``, ``h`` and ``tuiprof tree``.

Targets (call tree issue, Speed): after the warm-up, ``t`` on a selected
function (opening the path to its heaviest node) and ``h`` (the hot path)
each at most 100 ms; ``tuiprof tree --json`` at most 1.5x the load floor.
Explorer polish issue: the first ``h`` on a call chain 100,000 deep at most
1 s, from the key to the path shown (it runs as a step, in a thread).

The real profile is recorded here with ``python -m cProfile -o`` of a
program that imports the standard library, Rich, Textual and Pygments and
runs the explorer headless (:mod:`real_profile`).
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from measure import FloorRounds, best_of, fastest, record, run_quietly
from real_profile import write_real_profile
from stress import StressProfile
from test_bench_app import DrivenApp, wait_for_rows

from tuiprof.model import Profile, load_profile
from tuiprof.model.calltree import CallTree
from tuiprof.model.tree_paths import heaviest_path
from tuiprof.model.tree_rows import TreeRows

TreeView: Any = pytest.importorskip("tuiprof.views.call_tree").CallTreeView
TuiprofApp: Any = pytest.importorskip("tuiprof.app").TuiprofApp

KEY_TARGET = 100.0  # ms
CHAIN_H_TARGET = 1.0  # s
TREE_COMMAND_TARGET = 1.5  # x the load floor


@pytest.fixture(scope="session")
def real_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_real_profile(tmp_path_factory.mktemp("real"))


@pytest.fixture(scope="module")
def real(real_path: Path) -> Iterator[Profile]:
    profile = load_profile([str(real_path)])
    record(None, "real profile: functions", len(profile), "")
    yield profile


def heaviest_leaf(profile: Profile) -> int:
    """The function at the end of the hot path: where a user's ``t`` most often goes."""
    tree = CallTree(profile)
    return tree.hot_path(tree.roots()[0])[-1].fid


def busiest(profile: Profile) -> int:
    """The function with the most callers (the hardest one to find a path to)."""
    return max(range(len(profile)), key=lambda fid: len(profile.callers_raw[fid]))


# The model -------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["stress", "real"])
def test_hot_path_model(benchmark: Any, which: str, request: pytest.FixtureRequest) -> None:
    profile = request.getfixturevalue("stress_profile" if which == "stress" else "real")
    profile.roots()

    def open_hot_path() -> int:
        tree = CallTree(profile)
        rows = TreeRows(tree)
        return rows.open_path(0, tree.hot_path(tree.roots()[0]))

    benchmark.pedantic(open_hot_path, rounds=5, iterations=1)
    record(
        benchmark, f"tree model: hot path opened ({which})", benchmark.stats.stats.min * 1e3, "ms"
    )


@pytest.mark.parametrize("which", ["stress", "real"])
@pytest.mark.parametrize("target", ["busiest", "leaf"])
def test_heaviest_path_model(
    benchmark: Any, which: str, target: str, request: pytest.FixtureRequest
) -> None:
    profile = request.getfixturevalue("stress_profile" if which == "stress" else "real")
    profile.roots()
    fid = busiest(profile) if target == "busiest" else heaviest_leaf(profile)
    path = benchmark.pedantic(lambda: heaviest_path(profile, fid), rounds=5, iterations=1)
    assert path is not None
    name = f"tree model: heaviest path to the {target} function ({which})"
    record(benchmark, name, benchmark.stats.stats.min * 1e3, "ms")


# The explorer ----------------------------------------------------------------------


def driven_tree(profile: Profile) -> DrivenApp:
    driven = DrivenApp(TuiprofApp(profile))
    driven.run(wait_for_rows(driven.app, driven.pilot))
    driven.run(driven.app.workers.wait_for_complete())
    driven.press("t")
    driven.run(driven.pilot.pause())
    return driven


@pytest.mark.parametrize("which", ["stress", "real"])
def test_keys_in_the_tree(benchmark: Any, which: str, request: pytest.FixtureRequest) -> None:
    """``h`` on the first root (closed between rounds), then ``t``'s reveal of two functions."""
    profile = request.getfixturevalue("stress_profile" if which == "stress" else "real")
    driven = driven_tree(profile)
    try:
        view = driven.app.screen.query_one(TreeView)

        # What Pilot's press-and-wait costs by itself, in this app: the targets
        # apply to the time beyond it (as in test_bench_app).
        baseline = best_of(lambda: driven.press("z"), rounds=5)

        def reset() -> None:
            driven.press("home", "left")

        benchmark.pedantic(lambda: driven.press("h"), setup=reset, rounds=5, iterations=1)
        best = benchmark.stats.stats.min
        record(benchmark, f"app: h, the hot path ({which})", best * 1e3, "ms")
        net = (best - baseline) * 1e3
        record(benchmark, f"app: h, the hot path ({which}), net of Pilot", net, "ms", KEY_TARGET)
        for target, fid in (("busiest", busiest(profile)), ("leaf", heaviest_leaf(profile))):

            async def reveal(fid: int = fid) -> None:
                view.reveal(fid)
                await driven.pilot.pause()

            def go_home() -> None:
                driven.press("home", "left")

            best = float("inf")
            for _ in range(5):
                go_home()
                start = time.perf_counter()
                driven.run(reveal())
                best = min(best, time.perf_counter() - start)
            record(
                benchmark,
                f"app: t to the {target} function ({which})",
                best * 1e3,
                "ms",
                KEY_TARGET,
            )
    finally:
        driven.close()


def test_h_on_the_long_chain(benchmark: Any, chain: Any) -> None:
    """The first ``h`` on the root of a chain 100,000 deep: every node built, then shown.

    Each round starts from a tree that has built no node yet (as the first
    ``h`` after opening the file), and ends when the step is done and its
    rows are painted.
    """
    profile = load_profile([str(chain.path)])
    driven = driven_tree(profile)
    try:
        app = driven.app
        view = app.screen.query_one(TreeView)
        baseline = best_of(lambda: driven.press("z"), rounds=5)

        def fresh_tree() -> None:
            view.call_tree = CallTree(profile)
            view.rows = TreeRows(view.call_tree)
            view.rows_changed()
            view.move_cursor(0)
            driven.run(driven.pilot.pause())

        async def settled() -> None:
            await app.workers.wait_for_complete()
            await app.key_queue.wait_until_done()
            await driven.pilot.pause()

        def hot_path() -> None:
            driven.press("h")
            driven.run(settled())

        benchmark.pedantic(hot_path, setup=fresh_tree, rounds=3, iterations=1)
        assert len(view.rows) == chain.functions and view.cursor_row == chain.functions - 1
        best = benchmark.stats.stats.min
        record(benchmark, "app: first h on the 100,000-deep chain", best, "s", CHAIN_H_TARGET)
        record(benchmark, "app: first h on the chain, net of Pilot", best - baseline, "s")
        worst = benchmark.stats.stats.max
        record(benchmark, "app: first h on the chain (slowest round)", worst, "s")
    finally:
        driven.close()


# tuiprof tree ----------------------------------------------------------------------


def test_tree_command(benchmark: Any, stress: StressProfile) -> None:
    """``tuiprof tree FILE --json`` in a pipe, as a user runs it (the supervised command,
    which decodes the file once), each round after a round of the floor."""
    command = [sys.executable, "-m", "tuiprof", "tree", str(stress.path), "--json"]
    floors = FloorRounds(stress.path)

    def floor_round() -> tuple[tuple[()], dict[str, object]]:
        gc.collect()
        floors()
        gc.collect()
        return (), {}

    def run() -> None:
        done = run_quietly(command)
        assert done.returncode == 0, done.stderr

    benchmark.pedantic(run, setup=floor_round, rounds=2, iterations=1)
    seconds = fastest(benchmark)
    record(benchmark, "tuiprof tree --json (stress)", seconds, "s")
    record(benchmark, "load floor, in turn with tree --json", floors.best, "s")
    record(
        benchmark, "tuiprof tree --json / floor", seconds / floors.best, "x", TREE_COMMAND_TARGET
    )
