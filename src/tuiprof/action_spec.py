"""One key binding of the explorer, as the action table (:mod:`tuiprof.actions`) holds it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    """One key binding: what it does, where, and how it is shown."""

    id: str
    """The binding id, as a keymap file names it."""
    keys: str
    """Default keys, as Textual spells them, separated by commas."""
    action: str
    """The action run in the part's namespace (``view('tree')``, ``hot_path``)."""
    label: str
    """The footer's short label."""
    help: str
    """What it does, for the footer's tooltip; empty where the label says it."""
    part: str
    """Where it applies: a key of :data:`PARTS`."""
    show: bool = False
    """Shown in the footer."""
    key_display: str | None = None
    priority: bool = False
    palette: str = ""
    """The command palette's title; empty for actions not in the palette."""

    @property
    def description(self) -> str:
        """What it does, for the help screen."""
        return self.help or self.label

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            key_display=self.key_display,
            priority=self.priority,
            tooltip=self.help,
            id=self.id,
        )
