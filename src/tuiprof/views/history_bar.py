"""The history trail: one line of breadcrumbs, the current function marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tuiprof.model.history import History
from tuiprof.model.names import visible_name
from tuiprof.model.profile import Profile

SEPARATOR = " › "


class HistoryBar(Static):
    """``‹ a › b › [c] › d ›``: where back and forward lead."""

    DEFAULT_CSS = """
    HistoryBar {
        height: 1; background: $boost; color: $text-muted;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.profile = profile

    def show(self, history: History) -> None:
        """Redraw the trail from ``history``."""
        entries, current = history.trail()
        text = Text(no_wrap=True, overflow="ellipsis")
        if not entries:
            text.append("history: empty (enter on a function goes there)")
            self.update(text, layout=False)
            return
        text.append("‹ " if history.can_go_back else "  ", style="bold")
        if history.position > current:
            text.append("… ")
        for index, fid in enumerate(entries):
            if index:
                text.append(SEPARATOR)
            name = visible_name(self.profile.keys[fid]) if 0 <= fid < len(self.profile) else "?"
            text.append(name, style="bold reverse" if index == current else "")
        if history.position - current + len(entries) < len(history.entries):
            text.append(" …")
        text.append(" ›" if history.can_go_forward else "", style="bold")
        self.update(text, layout=False)  # always one line
