"""The source of one diff row, with per-line before/after/Δ when both runs have line data.

Lines are aligned by their offset from the function's first line (the after
side's source is shown). When the function's length changed, lines at the
same offset may be different statements, and the notice above says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tuiprof.model.diff import ProfileDiff
from tuiprof.model.diff_format import format_signed_time
from tuiprof.model.format import format_time
from tuiprof.model.line_diff import LineDiff
from tuiprof.model.matching import NONE
from tuiprof.model.profile import LineTiming
from tuiprof.model.source import SourceFinder
from tuiprof.views.row_table import Column, RowTable
from tuiprof.views.signed_strip import SIGNED_CSS, signed_row_strip


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One line of the view: its number, its timings before and after, its text."""

    line: int
    before: LineTiming | None
    after: LineTiming | None
    text: str


def _span(finder: SourceFinder, key: tuple[str, int, str]) -> tuple[list[str], int] | None:
    """The function's source lines and its first line, or None when not found."""
    file, first, name = key
    found = finder.find(file, first).path
    if found is None:
        return None
    text = finder.read(found)
    if text.error or not 1 <= first <= len(text.lines):
        return None
    start, end = finder.span(found, first, name)
    return list(text.lines[start - 1 : end]), start


class LineDiffTable(RowTable):
    """The lines of one function, each with its timings before, after and Δ."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"diff-table--slower", "diff-table--faster"}

    DEFAULT_CSS = "LineDiffTable { height: 1fr; }" + SIGNED_CSS.format(name="LineDiffTable")

    min_flexible_width: ClassVar[int] = 20
    least_flexible_width: ClassVar[int] = 20  # code scrolls sideways rather than shrink

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[SourceRow] = []
        self.columns = (
            Column("line", 5),
            Column("hits bef", 8, drop=2),
            Column("hits aft", 8, drop=2),
            Column("before", 8, drop=1),
            Column("after", 8),
            Column("Δ time", 9),
            Column("source", 0, align="left"),
        )

    def show_lines(self, lines: list[SourceRow]) -> None:
        self.lines = lines
        self.cursor_row = 0
        self.rows_changed()

    def row_count(self) -> int:
        return len(self.lines)

    def empty_message(self) -> str:
        return "no source and no line data"

    def _delta(self, row: SourceRow) -> float | None:
        if row.before is None and row.after is None:
            return None
        return (row.after.seconds if row.after else 0.0) - (
            row.before.seconds if row.before else 0.0
        )

    def cells(self, row: int) -> Sequence[str]:
        r = self.lines[row]
        delta = self._delta(r)
        return (
            str(r.line) if r.line > 0 else "",
            "" if r.before is None else str(r.before.hits),
            "" if r.after is None else str(r.after.hits),
            "" if r.before is None else format_time(r.before.seconds),
            "" if r.after is None else format_time(r.after.seconds),
            "" if delta is None else format_signed_time(delta),
            r.text.expandtabs(4),
        )

    def row_strip(self, row: int, width: int, is_cursor: bool) -> Strip:
        signs = {5: self._delta(self.lines[row]) or 0.0}
        return signed_row_strip(self, row, width, is_cursor, self.cells(row), signs)


class DiffSourceView(Vertical):
    """A notice line over the selected function's lines."""

    DEFAULT_CSS = """
    DiffSourceView { height: 1fr; }
    DiffSourceView > #source-notice { height: auto; max-height: 2; background: $boost; }
    """

    def __init__(
        self,
        diff: ProfileDiff,
        finders: tuple[SourceFinder, SourceFinder],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.diff = diff
        self.finders = finders
        self.row: int | None = None
        self.notice = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="source-notice", markup=False)
        yield LineDiffTable(id="line-diff")

    @property
    def table(self) -> LineDiffTable:
        return self.query_one(LineDiffTable)

    def show(self, row: int | None) -> None:
        """Show diff row ``row``'s source and line diff."""
        if row is None or row == self.row:
            return
        self.row = row
        lines, self.notice = self.rows_for(row)
        self.query_one("#source-notice", Static).update(self.notice)
        self.table.show_lines(lines)

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        """Show the selected diff row's source (no row: stay)."""
        self.show(fid)

    def focus_target(self) -> Widget | None:
        return self.table

    def percent_changed(self) -> None:
        """Line times read in seconds."""

    def call_graph_ready(self) -> None:
        """Nothing here waits for the call graph."""

    def rows_for(self, row: int) -> tuple[list[SourceRow], str]:
        """The view's lines for a diff row, and the notice above them."""
        diff = self.diff
        spans = []
        for side, (profile, ids) in enumerate(
            ((diff.before, diff.before_ids), (diff.after, diff.after_ids))
        ):
            fid = ids[row]
            spans.append(None if fid == NONE else _span(self.finders[side], profile.keys[fid]))
        after_span = spans[1] or spans[0]
        lengths = None
        if spans[0] is not None and spans[1] is not None:
            lengths = (len(spans[0][0]), len(spans[1][0]))
        line_diff = diff.line_diff(row, lengths)
        key = diff.key(row)
        if line_diff is None:
            notice = " no line data on both sides: the source only"
            if after_span is None:
                return [], f" {diff.label(row)}: source not found"
            text, start = after_span
            return [SourceRow(start + i, None, None, t) for i, t in enumerate(text)], notice
        notice = (
            f" {format_time(line_diff.before_total)} → {format_time(line_diff.after_total)}"
            f" · lines by offset from the first line"
            f" ({line_diff.before_first_line} → {line_diff.after_first_line})"
        )
        if line_diff.length_changed:
            notice += "\n the function's length changed: lines at one offset may differ"
        return _aligned(line_diff, after_span, key[1]), notice


def _aligned(
    line_diff: LineDiff, span: tuple[list[str], int] | None, first_line: int
) -> list[SourceRow]:
    """The after side's source lines, each with the timings at its offset."""
    text, start = span if span is not None else ([], line_diff.after_first_line)
    base = line_diff.after_first_line
    timings = {base + r.offset: r for r in line_diff.rows}
    out = []
    for line in sorted(set(range(start, start + len(text))) | set(timings)):
        timing = timings.get(line)
        index = line - start
        source = text[index] if 0 <= index < len(text) else ""
        before = timing.before if timing else None
        after = timing.after if timing else None
        out.append(SourceRow(line, before, after, source))
    return out
