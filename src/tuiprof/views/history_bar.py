"""The history trail: one line of breadcrumbs, the current entry marked.

:class:`HistoryBar` names the functions of one profile; :class:`DiffHistoryBar`
the rows of a diff of two. Both draw the same trail.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tuiprof.model.diff import ProfileDiff
from tuiprof.model.history import History
from tuiprof.model.names import FunctionKey, visible_name
from tuiprof.model.profile import Profile

SEPARATOR = " › "


class HistoryTrail(Static):
    """``‹ a › b › [c] › d ›``: where back and forward lead."""

    DEFAULT_CSS = """
    HistoryTrail {
        height: 1; background: $boost; color: $text-muted;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def entry_key(self, entry: int) -> FunctionKey | None:
        """The function a history entry stands for, or None when it names none."""
        raise NotImplementedError

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
        for index, entry in enumerate(entries):
            if index:
                text.append(SEPARATOR)
            key = self.entry_key(entry)
            name = visible_name(key) if key is not None else "?"
            text.append(name, style="bold reverse" if index == current else "")
        if history.position - current + len(entries) < len(history.entries):
            text.append(" …")
        text.append(" ›" if history.can_go_forward else "", style="bold")
        self.update(text, layout=False)  # always one line


class HistoryBar(HistoryTrail):
    """The trail of one profile's functions."""

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.profile = profile

    def entry_key(self, entry: int) -> FunctionKey | None:
        return self.profile.keys[entry] if 0 <= entry < len(self.profile) else None


class DiffHistoryBar(HistoryTrail):
    """The trail of a diff's rows (each named by the after run's key where it has one)."""

    def __init__(self, diff: ProfileDiff, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff = diff

    def entry_key(self, entry: int) -> FunctionKey | None:
        return self.diff.key(entry) if 0 <= entry < len(self.diff) else None
