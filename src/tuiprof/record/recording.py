"""What the explorer says about a profile it has just recorded."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from tuiprof.model.format import format_time


@dataclass(frozen=True)
class Recording:
    """The run behind a profile ``tuiprof record`` wrote, for the header and a notice."""

    command: str
    """As typed without tuiprof: ``python taylor.py 3``."""
    ending: str
    """``exit 0``, ``exit 3``, ``raised ValueError``, ``interrupted``."""
    seconds: float
    """Wall time of the run."""
    compare: tuple[tuple[str, str], ...] = ()
    """``(previous, new)`` for each output that replaced an earlier recording."""

    @property
    def summary(self) -> str:
        """``python taylor.py 3  exit 0 after 1.234s`` (wall time)."""
        return f"{self.command}  {self.ending} after {format_time(self.seconds)}"

    @property
    def compare_hint(self) -> str | None:
        """The command that compares this run with the one before, if one was kept."""
        if not self.compare:
            return None
        previous, new = self.compare[0]
        return f"tuiprof diff {shlex.quote(previous)} {shlex.quote(new)}"
