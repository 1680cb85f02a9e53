"""Navigation history: the functions visited, with back and forward like a browser.

Pure Python; the screen shows its :meth:`History.trail` as a breadcrumb.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class History:
    """Visited function numbers and where in them the user stands."""

    limit: int = 500
    """Oldest visits are forgotten beyond this many."""
    entries: list[int] = field(default_factory=list)
    position: int = -1
    """Index of the current entry in ``entries``; -1 when empty."""

    @property
    def current(self) -> int | None:
        """The function being visited, or None."""
        return self.entries[self.position] if self.position >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self.position > 0

    @property
    def can_go_forward(self) -> bool:
        return 0 <= self.position < len(self.entries) - 1

    def visit(self, fid: int) -> bool:
        """Go to ``fid``: forward entries are dropped. False if it is already current."""
        if fid == self.current:
            return False
        del self.entries[self.position + 1 :]
        self.entries.append(fid)
        if len(self.entries) > self.limit:
            del self.entries[: len(self.entries) - self.limit]
        self.position = len(self.entries) - 1
        return True

    def back(self) -> int | None:
        """Step back; the new current function, or None when there is nowhere to go."""
        if not self.can_go_back:
            return None
        self.position -= 1
        return self.current

    def forward(self) -> int | None:
        """Step forward; the new current function, or None when there is nowhere to go."""
        if not self.can_go_forward:
            return None
        self.position += 1
        return self.current

    def trail(self, before: int = 4, after: int = 2) -> tuple[list[int], int]:
        """Entries around the current one, and the current one's index in them."""
        if self.position < 0:
            return [], -1
        start = max(0, self.position - before)
        end = min(len(self.entries), self.position + after + 1)
        return self.entries[start:end], self.position - start

    def clear(self) -> None:
        self.entries.clear()
        self.position = -1
