"""A function's per-line timings before and after, aligned by offset from its first line."""

from __future__ import annotations

from dataclasses import dataclass

from tuiprof.model.profile import FunctionLines, LineTiming


@dataclass(frozen=True, slots=True)
class LineDiffRow:
    """One source line of a function, by its offset from the function's first line."""

    offset: int
    before: LineTiming | None
    after: LineTiming | None

    @property
    def delta_seconds(self) -> float:
        return (self.after.seconds if self.after else 0.0) - (
            self.before.seconds if self.before else 0.0
        )

    @property
    def delta_hits(self) -> int:
        return (self.after.hits if self.after else 0) - (self.before.hits if self.before else 0)


@dataclass(frozen=True, slots=True)
class LineDiff:
    """A function's per-line timings, before and after, aligned by offset."""

    before_first_line: int
    after_first_line: int
    rows: tuple[LineDiffRow, ...]
    length_changed: bool
    """True when the function has a different number of lines after: lines at
    the same offset may then be different statements."""
    before_total: float
    after_total: float


def diff_lines(
    before: FunctionLines, after: FunctionLines, lengths: tuple[int, int] | None = None
) -> LineDiff:
    """Align two functions' line timings by offset from their first lines."""
    by_offset: dict[int, list[LineTiming | None]] = {}
    for index, lines in ((0, before), (1, after)):
        for timing in lines.lines:
            slot = by_offset.setdefault(timing.line - lines.first_line, [None, None])
            slot[index] = timing
    rows = tuple(LineDiffRow(offset, b, a) for offset, (b, a) in sorted(by_offset.items()))
    if lengths is not None:
        changed = lengths[0] != lengths[1]
    else:
        last_before = max((t.line - before.first_line for t in before.lines), default=0)
        last_after = max((t.line - after.first_line for t in after.lines), default=0)
        changed = last_before != last_after
    return LineDiff(before.first_line, after.first_line, rows, changed, before.total, after.total)
