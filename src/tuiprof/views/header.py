"""The status header: what is open, its size, and how the table is sorted and filtered."""

from __future__ import annotations

import os

from rich.text import Text
from textual.widgets import Static

from tuiprof.model.format import format_time
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.table import TableQuery


def describe_query(query: TableQuery, shown: int, total: int) -> str:
    """``sort tottime ▼ · filter "foo" (12 of 300) · hiding stdlib``."""
    parts = [f"sort {query.sort.title} {'▲' if query.reverse else '▼'}"]
    if query.filter_text.strip():
        parts.append(f"filter {query.filter_text.strip()!r}")
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
    return " · ".join(parts)


class StatusHeader(Static):
    """Two short lines: the profile, then the table's sort and filter."""

    DEFAULT_CSS = """
    StatusHeader {
        height: 2; background: $primary-background; color: $text;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.profile = profile

    def show(self, query: TableQuery, shown: int, view: str, percent: bool) -> None:
        p = self.profile
        names = ", ".join(visible(os.path.basename(f)) for f in p.files) or "(no file)"
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append(f" {names}", style="bold")
        top.append(f"  total {format_time(p.total_time)}  {len(p)} functions")
        if p.lines:
            top.append(f"  {len(p.lines)} with line data")
        if percent:
            top.append("  [% of total]", style="bold")
        bottom = Text(no_wrap=True, overflow="ellipsis")
        bottom.append(f" {view} ", style="reverse bold")
        bottom.append(" " + describe_query(query, shown, len(p)))
        self.update(Text("\n").join([top, bottom]), layout=False)  # always two lines
