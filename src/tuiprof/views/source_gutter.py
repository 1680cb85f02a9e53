"""The source view's gutter: each line's number, line_profiler figures and heat bar.

A view too narrow to leave the code :data:`MIN_CODE` cells drops columns, in
the order of :data:`DROPPED_FIRST`. No Textual here: plain text per line.
"""

from __future__ import annotations

import functools

from tuiprof.model.format import format_percent, format_time
from tuiprof.model.profile import LineTiming

LINE_NO = 6
TIMING_COLUMNS = (("hits", 8), ("time", 9), ("per hit", 9), ("%func", 7))
HEAT_WIDTH = 6
BLOCKS = " ▏▎▍▌▋▊▉█"


def heat_bar(share: float, width: int = HEAT_WIDTH) -> str:
    """A bar of eighth blocks, ``share`` (0..1) of ``width`` cells long."""
    share = max(0.0, min(1.0, share))
    eighths = round(share * width * 8)
    if share > 0 and eighths == 0:
        eighths = 1  # a line that took any time at all shows a sliver
    full, part = divmod(eighths, 8)
    bar = "█" * full + (BLOCKS[part] if part else "")
    return bar.ljust(width)


MIN_CODE = 24
"""Cells of code a narrow view keeps beside the line timings, dropping columns for it."""

DROPPED_FIRST = ("heat", 2, 3, 0)
"""What a narrow view gives up, in turn: the heat bar, per hit, %func, hits (time stays)."""

Gutter = tuple[tuple[int, ...], bool]
"""The timing columns shown (indexes into :data:`TIMING_COLUMNS`) and whether the heat bar is."""

FULL_GUTTER: Gutter = ((0, 1, 2, 3), True)


@functools.cache
def gutter_for(width: int) -> Gutter:
    """The timing columns that leave the code :data:`MIN_CODE` cells of ``width``."""
    columns, heat = [0, 1, 2, 3], True
    for dropped in DROPPED_FIRST:
        if width - gutter_size((tuple(columns), heat)) >= MIN_CODE:
            break
        if dropped == "heat":
            heat = False
        else:
            columns.remove(int(dropped))
    return tuple(columns), heat


def gutter_size(gutter: Gutter) -> int:
    """Cells of the gutter with line data: line number, columns, heat bar, separator."""
    columns, heat = gutter
    return LINE_NO + sum(TIMING_COLUMNS[i][1] for i in columns) + (HEAT_WIDTH if heat else 0) + 3


def timing_cells(
    timing: LineTiming | None, function_total: float, columns: tuple[int, ...] = (0, 1, 2, 3)
) -> str:
    """The gutter figures of one line: hits, time, time per hit, % of the function."""
    if timing is None:
        return "".join(" " * TIMING_COLUMNS[i][1] for i in columns)
    # No hits, no time per hit: blank, as line_profiler prints it.
    per_hit = format_time(timing.seconds / timing.hits) if timing.hits else ""
    cells = (
        str(timing.hits),
        format_time(timing.seconds),
        per_hit,
        format_percent(timing.seconds, function_total),
    )
    return "".join(cells[i].rjust(TIMING_COLUMNS[i][1] - 1) + " " for i in columns)
