"""The diff screen's icicle (``g``) on two 300,000-function profiles, full screen at 200x50.

Targets (the icicle issue, Speed, for the differential icicle as well): at
most 100 ms for the first frame after ``g``, at most 30 ms per cursor move.
Measured without Textual: the layout of every row on screen with each
block's change (its call path looked up in the before run's tree) and the
painting of those rows, on fresh call trees each round; and a cursor move
down the icicle, which builds at most one row more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from measure import fastest, record
from rich.style import Style
from stress import StressProfile

from tuiprof.model import load_profile
from tuiprof.model.calltree import CallTree
from tuiprof.model.diff import ProfileDiff, diff_profiles
from tuiprof.model.diff_icicle import PathChanges
from tuiprof.model.icicle import IcicleLayout
from tuiprof.model.icicle_nav import heaviest_occurrence

WIDTH, HEIGHT = 200, 50
FIRST_FRAME_TARGET = 100.0  # ms
CURSOR_TARGET = 30.0  # ms
ROWS = HEIGHT - 8  # header, history, footer and the status lines


@pytest.fixture(scope="module")
def stress_diff(stress: StressProfile, stress_changed: Path) -> ProfileDiff:
    diff = diff_profiles(load_profile([str(stress.path)]), load_profile([str(stress_changed)]))
    diff.before.callee_index()
    diff.after.callee_index()
    return diff


def top_function(diff: ProfileDiff) -> int:
    after = diff.after
    return max(range(len(after)), key=after.cumtime.__getitem__)


def full_screen(diff: ProfileDiff, changes: PathChanges, fid: int | None) -> IcicleLayout:
    """Lay out and paint every row on screen, zoomed on ``fid``'s heaviest node (None: roots)."""
    from tuiprof.views.icicle_paint import BlockPainter

    tree = changes.after
    node = heaviest_occurrence(tree, fid) if fid is not None else None
    tops = tree.roots() if node is None else [node]
    layout = IcicleLayout(tree, tops, WIDTH, changes.change)
    painter = BlockPainter(diff.after, "256", Style(), {})
    for depth in range(ROWS):
        painter.row(layout.row(depth), WIDTH, 0, True, layout.total)
    return layout


def fresh(diff: ProfileDiff) -> PathChanges:
    return PathChanges(diff, CallTree(diff.before), CallTree(diff.after))


@pytest.mark.parametrize("start", ["roots", "top function"])
def test_diff_icicle_full_screen(benchmark: Any, stress_diff: ProfileDiff, start: str) -> None:
    """From the roots, or the function of most cumtime; fresh call trees each round."""
    top = top_function(stress_diff) if start != "roots" else None
    layout = benchmark.pedantic(
        lambda: full_screen(stress_diff, fresh(stress_diff), top), rounds=5, iterations=1
    )
    blocks = sum(len(layout.row(depth)) for depth in range(ROWS))
    changed = sum(
        1
        for depth in range(ROWS)
        for block in layout.row(depth)
        if block.delta is not None and block.delta.delta != 0
    )
    record(benchmark, f"diff icicle from the {start}: blocks on a 200x50 screen", blocks, "")
    record(benchmark, f"diff icicle from the {start}: changed blocks on it", changed, "")
    record(
        benchmark,
        f"diff icicle from the {start}: layout, changes and paint of a 200x50 screen",
        fastest(benchmark) * 1000,
        "ms",
        FIRST_FRAME_TARGET,
    )


def test_diff_icicle_cursor_move(benchmark: Any, stress_diff: ProfileDiff) -> None:
    """``down`` to the first child, repaint of its row and the row below it."""
    from tuiprof.views.icicle_paint import BlockPainter

    changes = fresh(stress_diff)
    layout = full_screen(stress_diff, changes, None)
    painter = BlockPainter(stress_diff.after, "256", Style(), {})
    at = [layout.row(0)[0]]

    def move() -> None:
        below = layout.first_child(at[0])
        if below is None:  # at the bottom: start from the top again
            below = layout.row(0)[0]
        layout.ensure(below.row + 1)
        for depth in (below.row, below.row + 1):
            painter.row(layout.row(depth), WIDTH, below.index, True, layout.total)
        at[0] = below

    benchmark.pedantic(move, rounds=30, iterations=1)
    record(
        benchmark,
        "diff icicle: cursor move (child, two rows repainted)",
        float(benchmark.stats.stats.max) * 1000,
        "ms",
        CURSOR_TARGET,
        note="slowest round",
    )


def test_diff_icicle_at_the_end_of_a_long_chain(benchmark: Any, chain: Any) -> None:
    """The deepest function of a 100,000-long chain, diffed with itself: both paths, a screen."""
    before = load_profile([str(chain.path)])
    after = load_profile([str(chain.path)])
    diff = diff_profiles(before, after)
    before.callee_index()
    after.callee_index()
    deepest = after.find(chain.leaf)
    benchmark.pedantic(lambda: full_screen(diff, fresh(diff), deepest), rounds=3, iterations=1)
    record(
        benchmark,
        "diff icicle: zoom on the end of a 100,000-long chain (both paths and screen)",
        fastest(benchmark) * 1000,
        "ms",
    )
