"""The icicle (``g``) on the stress profile, full screen at 200x50.

Targets (icicle issue, Speed): at most 100 ms for the first frame after
``g``, at most 30 ms per cursor move. Measured twice: the layout and the
rendering of every row on screen, without Textual (what the view itself
costs), and in the explorer driven through ``App.run_test``, net of what a
press of a key nothing is bound to costs there (Pilot's own waiting).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from measure import fastest, record
from rich.style import Style
from test_bench_app import DrivenApp, wait_for_rows

from tuiprof.model import Profile
from tuiprof.model.calltree import CallTree
from tuiprof.model.icicle import IcicleLayout
from tuiprof.model.icicle_nav import heaviest_occurrence

app_module = pytest.importorskip("tuiprof.app")
TuiprofApp = app_module.TuiprofApp

WIDTH, HEIGHT = 200, 50
FIRST_FRAME_TARGET = 100.0  # ms
CURSOR_TARGET = 30.0  # ms


def full_screen(profile: Profile, tree: CallTree, fid: int) -> int:
    """Lay out and paint every row of a full-screen icicle zoomed on ``fid``; blocks drawn."""
    from tuiprof.views.icicle_paint import BlockPainter

    node = heaviest_occurrence(tree, fid)
    tops = tree.roots() if node is None else [node]
    layout = IcicleLayout(tree, tops, WIDTH)
    painter = BlockPainter(profile, "256", Style(), {})
    drawn = 0
    for depth in range(HEIGHT - 6):
        blocks = layout.row(depth)
        painter.row(blocks, WIDTH, 0, True, layout.total)
        drawn += len(blocks)
    return drawn


def test_icicle_full_screen_layout_and_paint(benchmark: Any, stress_profile: Profile) -> None:
    """From the roots, a fresh call tree each round (nothing cached)."""
    stress_profile.callee_index()
    top = max(range(len(stress_profile)), key=stress_profile.cumtime.__getitem__)
    drawn = benchmark.pedantic(
        lambda: full_screen(stress_profile, CallTree(stress_profile), top), rounds=5, iterations=1
    )
    record(benchmark, "icicle: blocks on a 200x50 screen", drawn, "")
    record(
        benchmark,
        "icicle: layout and paint of a 200x50 screen",
        fastest(benchmark) * 1000,
        "ms",
        FIRST_FRAME_TARGET,
    )


def test_icicle_at_the_end_of_a_long_chain(benchmark: Any, chain: Any) -> None:
    """The deepest function of a 100,000-long chain: the path down to it, then a screen."""
    from tuiprof.model import load_profile

    profile = load_profile([str(chain.path)])
    profile.callee_index()
    deepest = profile.find(chain.leaf)
    benchmark.pedantic(
        lambda: full_screen(profile, CallTree(profile), deepest), rounds=3, iterations=1
    )
    record(
        benchmark,
        "icicle: zoom on the end of a 100,000-long chain (path and screen)",
        fastest(benchmark) * 1000,
        "ms",
    )


@pytest.fixture(scope="module")
def driven(stress_profile: Profile) -> Iterator[DrivenApp]:
    """The explorer at 200x50, first paint done and warm-up finished."""
    driven = DrivenApp(TuiprofApp(stress_profile), size=(WIDTH, HEIGHT))
    driven.run(wait_for_rows(driven.app, driven.pilot))
    driven.run(driven.app.workers.wait_for_complete())
    yield driven
    driven.close()


def baseline_ms(benchmark: Any, driven: DrivenApp) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        driven.press("z")
        best = min(best, time.perf_counter() - start)
    record(benchmark, "icicle app: unbound key press at 200x50 (Pilot baseline)", best * 1000, "ms")
    return best * 1000


def test_icicle_first_frame_after_g(benchmark: Any, driven: DrivenApp) -> None:
    """``g`` from the function table, the icicle and its call tree built anew each round."""
    base = baseline_ms(benchmark, driven)

    async def forget_icicle() -> None:
        screen: Any = driven.app.screen
        # The screen keeps each view it built; forgotten, the next g builds it again.
        widget = screen._views.pop("icicle", None)
        screen.session.__dict__.pop("call_tree", None)  # the session's cached tree
        if widget is not None:
            await widget.remove()

    def setup() -> None:
        driven.press("f")
        driven.run(forget_icicle())

    benchmark.pedantic(lambda: driven.press("g"), setup=setup, rounds=5, iterations=1)
    chart: Any = driven.app.screen.view_widget("icicle").chart
    assert chart is not None and chart.icicle is not None and chart.cursor is not None
    record(benchmark, "icicle app: rows on screen after g", chart.icicle.rows_built, "")
    again = float("inf")
    for _ in range(3):  # for reference: g once the icicle is built is a plain view switch
        driven.press("f")
        start = time.perf_counter()
        driven.press("g")
        again = min(again, time.perf_counter() - start)
    record(benchmark, "icicle app: g again (built: a view switch)", again * 1000, "ms")
    best = fastest(benchmark) * 1000
    record(benchmark, "icicle app: first frame after g", best, "ms")
    record(
        benchmark,
        "icicle app: first frame after g, net of Pilot baseline",
        best - base,
        "ms",
        FIRST_FRAME_TARGET,
    )


def test_icicle_cursor_move(benchmark: Any, driven: DrivenApp) -> None:
    """``down`` then ``up`` (child, parent) in turn, on the full-screen icicle."""
    base = baseline_ms(benchmark, driven)
    driven.press("g", "home")
    keys = iter(["down", "up"] * 10)
    benchmark.pedantic(lambda: driven.press(next(keys)), rounds=10, iterations=1)
    best = fastest(benchmark) * 1000
    record(benchmark, "icicle app: cursor move", best, "ms")
    record(
        benchmark,
        "icicle app: cursor move, net of Pilot baseline",
        best - base,
        "ms",
        CURSOR_TARGET,
    )
    worst = float(benchmark.stats.stats.max) * 1000
    record(benchmark, "icicle app: cursor move (slowest round)", worst, "ms")
    driven.press("f")
