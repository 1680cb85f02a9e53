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


def full_screen(diff: ProfileDiff, changes: PathChanges, fid: int) -> IcicleLayout:
    """Lay out and paint every row on screen, zoomed on ``fid``'s heaviest node."""
    from tuiprof.views.icicle_paint import BlockPainter

    tree = changes.after
    node = heaviest_occurrence(tree, fid)
    tops = tree.roots() if node is None else [node]
    layout = IcicleLayout(tree, tops, WIDTH, changes.change)
    painter = BlockPainter(diff.after, "256", Style(), {})
    for depth in range(ROWS):
        painter.row(layout.row(depth), WIDTH, 0, True, layout.total)
    return layout


def fresh(diff: ProfileDiff) -> PathChanges:
    return PathChanges(diff, CallTree(diff.before), CallTree(diff.after))


def test_diff_icicle_full_screen(benchmark: Any, stress_diff: ProfileDiff) -> None:
    """From the top function, fresh call trees on both sides each round (nothing cached)."""
    top = top_function(stress_diff)
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
    record(benchmark, "diff icicle: blocks on a 200x50 screen", blocks, "")
    record(benchmark, "diff icicle: changed blocks on it", changed, "")
    record(
        benchmark,
        "diff icicle: layout, changes and paint of a 200x50 screen",
        fastest(benchmark) * 1000,
        "ms",
        FIRST_FRAME_TARGET,
    )


def test_diff_icicle_cursor_move(benchmark: Any, stress_diff: ProfileDiff) -> None:
    """``down`` to the first child, repaint of its row and the row below it."""
    from tuiprof.views.icicle_paint import BlockPainter

    changes = fresh(stress_diff)
    layout = full_screen(stress_diff, changes, top_function(stress_diff))
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
