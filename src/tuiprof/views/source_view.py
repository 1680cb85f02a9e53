"""The source of the selected function, with its line timings when there are any.

A Line-API ``ScrollView``: the file is highlighted once (Textual's
``highlight``, whose styles follow the app's theme) and only the rows on
screen become strips. The title and the column header stay on top; the
line-timing gutter stays put while the code scrolls sideways.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.highlight import highlight
from textual.strip import Strip
from textual.widget import Widget

from tuiprof.actions import bindings_for
from tuiprof.model.format import format_time
from tuiprof.model.names import visible, visible_source
from tuiprof.model.profile import LineTiming
from tuiprof.model.session import Session
from tuiprof.model.source import SourceText
from tuiprof.model.wrap import wrap_lines
from tuiprof.views.cursor_lines import CachedLinesView, fit
from tuiprof.views.source_gutter import (
    HEAT_WIDTH,
    LINE_NO,
    TIMING_COLUMNS,
    Gutter,
    gutter_for,
    gutter_size,
    heat_bar,
    timing_cells,
)

CONTEXT = 2
"""Lines shown above the function when scrolled to it."""
HIGHLIGHT_NOW = 1500
"""Files up to this many lines are highlighted at once; longer ones in a thread."""


class SourceView(CachedLinesView, can_focus=True):
    """The selected function's source, scrolled to and highlighting the function.

    With line data, each line shows its hits, time, time per hit, share of the
    function and a heat bar (scaled to the function's slowest line); lines of the function
    that never ran are dim. When the source cannot be shown, the line data still
    is (line numbers and figures, no code), under the message that says why, as
    ``tuiprof stats`` prints it. With line data the view opens where the
    function's slowest line is on screen.

    | Key | Does |
    | :- | :- |
    | up / down | Scroll one line. |
    | left / right | Scroll the code sideways (8 columns). |
    | pageup / pagedown | Scroll one screen. |
    | home / end | Top / bottom of the file (no animation). |
    | r | Back to the function (its slowest line in view). |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("source")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-view--title",
        "source-view--columns",
        "source-view--gutter",
        "source-view--function",
        "source-view--never-hit",
        "source-view--heat",
        "source-view--message",
    }

    DEFAULT_CSS = """
    SourceView > .source-view--title { text-style: bold; background: $panel; }
    SourceView > .source-view--columns { color: $text-muted; background: $panel; }
    SourceView > .source-view--gutter { color: $text-muted; }
    SourceView > .source-view--function { background: $boost; }
    SourceView > .source-view--never-hit { text-style: dim; }
    SourceView > .source-view--heat { color: $error; }
    SourceView > .source-view--message { color: $warning; }
    """

    def __init__(
        self,
        session: Session,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(cache_size=512, name=name, id=id, classes=classes)
        self.session = session
        self.profile = session.profile
        self.finder = session.source_finder
        self.fid: int | None = None
        """The function shown; None before any is."""
        self.span = (0, 0)
        """The function's first and last line."""
        self.source: SourceText | None = None
        self.message: list[str] = ["No function selected."]
        """Shown instead of source when there is none to show (wrapped to the width)."""
        self._message_text: list[str] = self.message
        """The message as written, one line per paragraph."""
        self.timings: dict[int, LineTiming] = {}
        self.function_total = 0.0
        self.first_line_no = 1
        """The line number of the first code row (past the message when there is no source)."""
        self._code: list[Content] = []
        self._highlighted: LRUCache[str, list[Content]] = LRUCache(8)
        self._title = ""
        self._hottest = 0.0
        """The slowest line's time: the heat bars are scaled to it."""

    # What is shown ----------------------------------------------------------

    @property
    def has_line_data(self) -> bool:
        return bool(self.timings)

    @property
    def header_height(self) -> int:
        return 2 if self.has_line_data else 1

    @property
    def numbers_only(self) -> bool:
        """Line data without source to show: the message, then the figures of each line."""
        return self.source is None and self.has_line_data

    @property
    def message_rows(self) -> int:
        """Rows the message takes above the code (only when showing the numbers alone)."""
        return len(self.message) + 1 if self.numbers_only else 0

    @property
    def timing_gutter(self) -> Gutter:
        """The timing columns shown at the view's width (fewer when it is narrow)."""
        return gutter_for(self.scrollable_content_region.width or self.app.size.width)

    @property
    def gutter_width(self) -> int:
        if self.has_line_data:
            return gutter_size(self.timing_gutter)
        return LINE_NO + 1

    # What every view of the registry offers ----------------------------------

    def show_selection(self, fid: int | None) -> None:
        self.show_function(fid)

    def focus_target(self) -> Widget | None:
        return self

    def percent_changed(self) -> None:
        """Line timings are always shown as times and as a share of the function."""

    def call_graph_ready(self) -> None:
        """The source needs no call graph."""

    def show_function(self, fid: int | None) -> None:
        """Show the source of function ``fid``, scrolled to it."""
        if fid is None or not self.session.holds(fid):
            return
        self.fid = fid
        file, first_line, name = self.profile.keys[fid]
        lines = self.profile.lines.get(fid)
        self.timings = {t.line: t for t in lines.lines} if lines is not None else {}
        self.function_total = lines.total if lines is not None else 0.0
        self._hottest = max((t.seconds for t in self.timings.values()), default=0.0)
        self._title = self.profile.label(fid)
        self.source = None
        self._code = []
        self.first_line_no = 1
        lookup = self.finder.find(file, first_line)
        self.message = lookup.explanation(name)
        if lookup.path is not None:
            text = self.finder.read(lookup.path)
            if text.error:
                self.message = [f"Cannot read {lookup.path}: {text.error}"]
            else:
                self.source = text
                self.message = []
                self.span = self.finder.span(lookup.path, first_line, name)
                self._code = self._highlight(text)
                self._title += self._notes(text, lookup.path, file)
        if self.numbers_only:
            # As ``tuiprof stats`` does: the figures of each line, without its text.
            self.first_line_no = min(first_line, *self.timings)
            last = max(first_line, *self.timings)
            self.span = (first_line, last)
            self._code = [Content("")] * (last - self.first_line_no + 1)
            self.message = [*self.message, "Showing the line data without the source:"]
        self._message_text = self.message
        self._measure(self.scrollable_content_region.width or self.app.size.width)
        self.refresh()
        # The new virtual size takes effect on the next refresh; scroll after it.
        self.call_after_refresh(self.action_to_function)

    def _measure(self, width: int) -> None:
        """Wrap the message to ``width`` and size the scrolling area to what is shown."""
        self.message = wrap_lines(self._message_text, max(20, width - 2))
        self.clear_cache()
        code_width = self.gutter_width + max((c.cell_length for c in self._code), default=0)
        rows = self.message_rows + len(self._code) if self._code else len(self.message)
        self.virtual_size = Size(code_width if self._code else 0, rows + self.header_height)

    def resized(self) -> None:
        # The message wraps, and the gutter's columns follow, the width.
        if self._message_text or self.has_line_data:
            self._measure(self.scrollable_content_region.width)
            self.refresh()

    def _notes(self, text: SourceText, path: str, recorded: str) -> str:
        notes = ""
        if not path.endswith(recorded.lstrip("./")):
            notes += f"  (read from {path})"
        if text.replaced:
            notes += "  (not valid UTF-8: shown with replacement characters)"
        elif text.encoding not in ("utf-8", "utf-8-sig"):
            notes += f"  ({text.encoding})"
        return notes

    def _highlight(self, text: SourceText) -> list[Content]:
        cached = self._highlighted.get(text.path)
        if cached is not None:
            return cached
        if len(text.lines) <= HIGHLIGHT_NOW:
            cached = _highlight_lines(text.lines)
            self._highlighted.set(text.path, cached)
            return cached
        # A long file: plain now, highlighted when a thread has lexed it.
        self._highlight_in_thread(text)
        return [Content(visible_source(line)) for line in text.lines]

    @work(thread=True, exclusive=True, group="highlight")
    def _highlight_in_thread(self, text: SourceText) -> None:
        lines = _highlight_lines(text.lines)
        self.app.call_from_thread(self._highlight_ready, text.path, lines)

    def _highlight_ready(self, path: str, lines: list[Content]) -> None:
        self._highlighted.set(path, lines)
        if self.source is not None and self.source.path == path:
            self._code = lines
            self.clear_cache()
            self.refresh()

    def _row_of(self, line_no: int) -> int:
        """The content row (below the header) that shows line ``line_no``."""
        return self.message_rows + line_no - self.first_line_no

    def _function_top(self) -> int:
        """The first row to show: a little above the function, or the message.

        With line data, if the slowest line would fall below the screen (a long
        docstring, a long function), the view starts nearer to it instead.
        """
        top = 0 if self.source is None else max(0, self.span[0] - 1 - CONTEXT)
        if not self.timings:
            return top
        hottest = max(self.timings.values(), key=lambda t: t.seconds).line
        row = self._row_of(hottest)
        rows_shown = max(1, self.scrollable_content_region.height - self.header_height)
        if row >= top + rows_shown:
            top = max(0, row - max(CONTEXT, rows_shown // 3))
        return top

    # Keys -----------------------------------------------------------------

    def action_scroll_code(self, cells: int) -> None:
        """Scroll the code sideways; the gutter stays."""
        self.scroll_to(x=max(0, self.scroll_x + cells), animate=False)

    def action_to_function(self) -> None:
        """Scroll back to the function (its slowest line in view)."""
        self.scroll_to(x=0, y=self._function_top(), animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_to(x=0, y=0, animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # Rendering --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._title_strip(width)
        if y == 1 and self.header_height == 2:
            style = self.get_component_rich_style("source-view--columns")
            return _text_strip(self._columns_text(), width, style)
        # The rounded offset: the one Textual repaints on (a float scroll_y
        # left at 90.6 by an animation would show the row above the last).
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y - self.header_height
        if self.source is None and (row < len(self.message) or not self._code):
            if row < len(self.message):
                style = self.get_component_rich_style("source-view--message")
                return _text_strip(" " + self.message[row], width, style)
            return Strip.blank(width, self.rich_style)
        row -= self.message_rows
        if not 0 <= row < len(self._code):
            return Strip.blank(width, self.rich_style)
        return self.cached_line(
            (row, width, scroll_x), lambda: self._code_strip(row, width, scroll_x)
        )

    def _title_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("source-view--title")
        right = ""
        if self.has_line_data:
            hits = sum(t.hits for t in self.timings.values())
            total = format_time(self.function_total)
            # Longest first: a narrow screen keeps room for the function's name.
            choices = [f"total {total} in {hits} hits ", f"{total} ", ""]
            if self.numbers_only:
                choices.insert(0, f"lines {self.span[0]}–{self.span[1]}  {choices[0]}")
            right = next(c for c in choices if cell_len(c) <= width // 2)
        elif self.source is not None:
            right = f"lines {self.span[0]}–{self.span[1]} "
        left = " " + self._title if self.fid is not None else " Source"
        room = max(0, width - cell_len(right) - 1)
        left = fit(left, room)
        return _text_strip(left + " " * (room - cell_len(left)) + " " + right, width, style)

    def _columns_text(self) -> str:
        columns, heat = self.timing_gutter
        figures = "".join(
            TIMING_COLUMNS[i][0].rjust(TIMING_COLUMNS[i][1] - 1) + " " for i in columns
        )
        rule = "heat".ljust(HEAT_WIDTH + 3) if heat else "   "
        return "line".rjust(LINE_NO - 1) + " " + figures + rule + "source"

    def _code_strip(self, row: int, width: int, scroll_x: int) -> Strip:
        line_no = row + self.first_line_no
        start, end = self.span
        in_function = start <= line_no <= end
        base = self.visual_style
        if in_function:
            base = base + self.get_visual_style("source-view--function")
        timing = self.timings.get(line_no)
        never_hit = self.has_line_data and in_function and (timing is None or timing.hits == 0)
        if never_hit:
            base = base + self.get_visual_style("source-view--never-hit")
        rich_base = base.rich_style
        gutter_style = rich_base + self.get_component_rich_style("source-view--gutter")
        segments = [Segment(f"{line_no:>{LINE_NO - 1}} ", gutter_style)]
        if self.has_line_data:
            columns, with_heat = self.timing_gutter
            cells = timing_cells(timing, self.function_total, columns)
            segments.append(Segment(cells, rich_base))
            if with_heat:
                share = timing.seconds / self._hottest if timing and self._hottest > 0 else 0.0
                heat = rich_base + self.get_component_rich_style("source-view--heat")
                segments.append(Segment(heat_bar(share), heat))
            segments.append(Segment(" │ ", gutter_style))
        gutter = Strip(segments)
        code_width = max(0, width - gutter.cell_length)
        code = Strip(
            [
                Segment(text, style.rich_style)
                for text, style in self._code[row].render(base, end="", parse_style=self._get_style)
            ]
        )
        code = code.crop_extend(scroll_x, scroll_x + code_width, rich_base)
        return Strip.join([gutter, code]).crop_extend(0, width, rich_base)


def _highlight_lines(lines: tuple[str, ...]) -> list[Content]:
    code = highlight("\n".join(map(visible_source, lines)), language="python")
    return code.split("\n", allow_blank=True)[: len(lines)]


def _text_strip(text: str, width: int, style: Style) -> Strip:
    # Names, paths and messages from the profile: shown, never sent to the terminal.
    return Strip([Segment(fit(visible(text), width), style)]).crop_extend(0, width, style)
