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
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.highlight import highlight
from textual.strip import Strip

from tuiprof.model.format import format_percent, format_time
from tuiprof.model.names import visible, visible_source
from tuiprof.model.profile import LineTiming, Profile
from tuiprof.model.source import LookupKind, SourceFinder, SourceText
from tuiprof.views.cursor_lines import CachedLinesView, fit

LINE_NO = 6
TIMING_COLUMNS = (("hits", 8), ("time", 9), ("per hit", 9), ("%func", 7))
HEAT_WIDTH = 6
BLOCKS = " ▏▎▍▌▋▊▉█"
CONTEXT = 2
HIGHLIGHT_NOW = 1500
"""Files up to this many lines are highlighted at once; longer ones in a thread."""
"""Lines shown above the function when scrolled to it."""


def heat_bar(share: float, width: int = HEAT_WIDTH) -> str:
    """A bar of eighth blocks, ``share`` (0..1) of ``width`` cells long."""
    share = max(0.0, min(1.0, share))
    eighths = round(share * width * 8)
    if share > 0 and eighths == 0:
        eighths = 1  # a line that took any time at all shows a sliver
    full, part = divmod(eighths, 8)
    bar = "█" * full + (BLOCKS[part] if part else "")
    return bar.ljust(width)


def timing_cells(timing: LineTiming | None, function_total: float) -> str:
    """The gutter figures of one line: hits, time, time per hit, % of the function."""
    if timing is None:
        return "".join(" " * size for _, size in TIMING_COLUMNS)
    # No hits, no time per hit: blank, as line_profiler prints it.
    per_hit = format_time(timing.seconds / timing.hits) if timing.hits else ""
    cells = (
        str(timing.hits),
        format_time(timing.seconds),
        per_hit,
        format_percent(timing.seconds, function_total),
    )
    return "".join(
        text.rjust(size - 1) + " " for text, (_, size) in zip(cells, TIMING_COLUMNS, strict=True)
    )


class SourceView(CachedLinesView, can_focus=True):
    """The selected function's source, scrolled to and highlighting the function.

    With line data, each line shows its hits, time, time per hit, share of the
    function and a heat bar (scaled to the function's slowest line); lines of the function
    that never ran are dim.

    | Key | Does |
    | :- | :- |
    | up / down | Scroll one line. |
    | left / right | Scroll the code sideways (8 columns). |
    | pageup / pagedown | Scroll one screen. |
    | home / end | Top / bottom of the file. |
    | r | Back to the function's first line. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Up", show=False, id="source.scroll_up"),
        Binding("down", "scroll_down", "Down", show=False, id="source.scroll_down"),
        Binding("left", "scroll_code(-8)", "Left", show=False, id="source.scroll_left"),
        Binding("right", "scroll_code(8)", "Right", show=False, id="source.scroll_right"),
        Binding("pageup", "page_up", "Page up", show=False, id="source.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="source.page_down"),
        Binding("home", "scroll_home", "Top", show=False, id="source.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id="source.bottom"),
        Binding("r", "to_function", "To function", id="source.to_function"),
    ]

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
        profile: Profile,
        finder: SourceFinder,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(cache_size=512, name=name, id=id, classes=classes)
        self.profile = profile
        self.finder = finder
        self.fid = -1
        """The function shown; -1 before any is."""
        self.span = (0, 0)
        """The function's first and last line."""
        self.source: SourceText | None = None
        self.message: list[str] = ["No function selected."]
        """Shown instead of source when there is none to show."""
        self.timings: dict[int, LineTiming] = {}
        self.function_total = 0.0
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
        return 2 if self.has_line_data and self.source is not None else 1

    @property
    def gutter_width(self) -> int:
        if self.has_line_data:
            return LINE_NO + sum(size for _, size in TIMING_COLUMNS) + HEAT_WIDTH + 3
        return LINE_NO + 1

    def show_function(self, fid: int) -> None:
        """Show the source of function ``fid``, scrolled to it."""
        if not 0 <= fid < len(self.profile.keys):
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
        lookup = self.finder.find(file, first_line)
        if lookup.kind is LookupKind.BUILTIN:
            self.message = [f"{name} is built in (written in C): it has no Python source."]
        elif lookup.kind is LookupKind.PSEUDO:
            self.message = [f"{name} comes from {file}, which is not a file: no source to show."]
        elif lookup.path is None:
            self.message = [
                f"Source file not found: {file}",
                "Looked in:",
                *(f"  {path}" for path in lookup.tried),
                "If the profile was taken on another machine or in a container, point",
                "tuiprof at a copy of the source: --path-map OLD=NEW rewrites a path prefix,",
                "--source-root DIR looks for the file's trailing path under DIR.",
            ]
        else:
            text = self.finder.read(lookup.path)
            if text.error:
                self.message = [f"Cannot read {lookup.path}: {text.error}"]
            else:
                self.source = text
                self.message = []
                self.span = self.finder.span(lookup.path, first_line, name)
                self._code = self._highlight(text)
                self._title += self._notes(text, lookup.path, file)
        self.clear_cache()
        width = self.gutter_width + max((c.cell_length for c in self._code), default=0)
        height = (len(self._code) or len(self.message)) + self.header_height
        self.virtual_size = Size(width, height)
        self.refresh()
        # The new virtual size takes effect on the next refresh; scroll after it.
        self.call_after_refresh(self.action_to_function)

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

    def _function_top(self) -> int:
        if self.source is None:
            return 0
        return max(0, self.span[0] - 1 - CONTEXT)

    # Keys -----------------------------------------------------------------

    def action_scroll_code(self, cells: int) -> None:
        """Scroll the code sideways; the gutter stays."""
        self.scroll_to(x=max(0, self.scroll_x + cells), animate=False)

    def action_to_function(self) -> None:
        """Scroll back to the function's first line."""
        self.scroll_to(x=0, y=self._function_top(), animate=False)

    # Rendering --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._title_strip(width)
        if y == 1 and self.header_height == 2:
            style = self.get_component_rich_style("source-view--columns")
            return _text_strip(self._columns_text(), width, style)
        row = int(self.scroll_y) + y - self.header_height
        if self.source is None:
            if row < len(self.message):
                style = self.get_component_rich_style("source-view--message")
                return _text_strip(" " + self.message[row], width, style)
            return Strip.blank(width, self.rich_style)
        if row >= len(self._code):
            return Strip.blank(width, self.rich_style)
        scroll_x = int(self.scroll_x)
        return self.cached_line(
            (row, width, scroll_x), lambda: self._code_strip(row, width, scroll_x)
        )

    def _title_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("source-view--title")
        right = ""
        if self.has_line_data:
            hits = sum(t.hits for t in self.timings.values())
            right = f"total {format_time(self.function_total)} in {hits} hits "
        elif self.source is not None:
            right = f"lines {self.span[0]}–{self.span[1]} "
        left = " " + self._title if self.fid >= 0 else " Source"
        room = max(0, width - cell_len(right) - 1)
        left = fit(left, room)
        return _text_strip(left + " " * (room - cell_len(left)) + " " + right, width, style)

    def _columns_text(self) -> str:
        figures = "".join(title.rjust(size - 1) + " " for title, size in TIMING_COLUMNS)
        return "line".rjust(LINE_NO - 1) + " " + figures + "heat".ljust(HEAT_WIDTH + 3) + "source"

    def _code_strip(self, row: int, width: int, scroll_x: int) -> Strip:
        line_no = row + 1
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
            segments.append(Segment(timing_cells(timing, self.function_total), rich_base))
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
