"""The status header: what is open, its size, and how the table is sorted and filtered."""

from __future__ import annotations

import os

from rich.text import Text
from textual.widgets import Static

from tuiprof.model.format import format_functions, format_time, format_total
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.table import FilterAndToggles, TableQuery


def describe_query(query: TableQuery, shown: int, total: int) -> str:
    """``sort tottime ▼ · filter render console\\.py · hiding stdlib · 12 of 300 shown``."""
    sort = f"sort {query.sort.title} {'▲' if query.reverse else '▼'}"
    return " · ".join([sort, *describe_rows(query, shown, total)])


def describe_rows(query: FilterAndToggles, shown: int, total: int) -> list[str]:
    """What the filter and hide toggles leave: ``filter …``, ``hiding …``, ``N of M shown``.

    The filter reads as typed (no quotes, no escaped backslashes).
    """
    parts: list[str] = []
    if query.filter_text.strip():
        parts.append(f"filter {' '.join(query.filter_text.split())}")
    hidden = [
        name
        for name, on in (
            ("imports", query.hide_import_system),
            ("stdlib", query.hide_stdlib),
            ("builtins", query.hide_builtins),
        )
        if on
    ]
    if hidden:
        parts.append("hiding " + ",".join(hidden))
    if shown != total:
        parts.append(f"{shown} of {total} shown")
    return parts


class StatusHeader(Static):
    """Two short lines: the profile, then the table's sort and filter.

    On a narrow screen the file names give way first, so that the figures
    (the total, the functions, how many have line data) stay in view.
    """

    DEFAULT_CSS = """
    StatusHeader {
        height: 2; background: $primary-background; color: $text;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.profile = profile
        self._bottom: tuple[str, str] = ("", "")
        self._percent = False

    def show(
        self,
        query: TableQuery,
        shown: int,
        view: str,
        percent: bool,
        cursor_note: str = "",
        about: str | None = None,
    ) -> None:
        """Show the table's state, or ``about`` the view shown when it is not the table's.

        ``cursor_note`` says where the cursor is when out of view (or what is
        being worked on).
        """
        p = self.profile
        status = describe_query(query, shown, len(p)) if about is None else about
        if cursor_note:
            status = " · ".join(filter(None, [status, cursor_note]))
        self._percent = percent
        self._bottom = (view, status)
        self.update(self._text(self.size.width or self.app.size.width), layout=False)

    def on_resize(self) -> None:
        if self._bottom[0]:
            self.update(self._text(self.size.width), layout=False)

    def _text(self, width: int) -> Text:
        p = self.profile
        facts = []
        if p.has_call_data:
            facts.append(f"  total {format_total(p.total_time)}  {format_functions(len(p))}")
        else:
            # line_profiler records no run time: this sums the functions it timed.
            facts.append(f"  sum of timed functions {format_time(p.total_time)}")
            facts.append(f"  {format_functions(len(p))}")
        if p.lines:
            facts.append(f"  {len(p.lines)} with line data")
        tail = "  [% of total]" if self._percent else ""
        note = "" if p.has_call_data else "  (a function timed inside another counts in both)"
        names = ", ".join(visible(os.path.basename(f)) for f in p.files) or "(no file)"
        room = width - 1 - sum(map(len, facts)) - len(tail)
        if len(names) > room:
            names = names[: max(8, room) - 1] + "…"
        top = Text(no_wrap=True, overflow="ellipsis")
        recording = getattr(self.app, "recording", None)  # set by `tuiprof record`
        if recording is not None:
            top.append(f" {visible(recording.summary)} →")
        top.append(f" {names}", style="bold")
        top.append("".join(facts))
        if tail:
            top.append(tail, style="bold")
        top.append(note)
        view, status = self._bottom
        bottom = Text(no_wrap=True, overflow="ellipsis")
        bottom.append(f" {view} ", style="reverse bold")
        bottom.append(" " + status)
        return Text("\n").join([top, bottom])  # always two lines
