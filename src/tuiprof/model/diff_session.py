"""Two runs compared as a user explores them: a session for each, the selected diff row.

A :class:`DiffSession` holds the before and the after :class:`Session` and
the diff between them. A function of the diff is named, as in every message
about a function, by a session and a function number of its profile: the
after run's where the function ran after, else the before run's.
:meth:`row_of` reads such a pair back as the diff row.
"""

from __future__ import annotations

from tuiprof.model.diff import ProfileDiff
from tuiprof.model.history import History
from tuiprof.model.matching import NONE
from tuiprof.model.session import Session
from tuiprof.model.source import SourceFinder


class DiffSession:
    """The diff, both runs' sessions, the selected diff row and the visited rows.

    "No row selected" is ``None``.
    """

    def __init__(
        self,
        diff: ProfileDiff,
        finders: tuple[SourceFinder, SourceFinder] | None = None,
    ) -> None:
        self.diff = diff
        before, after = finders or (None, None)
        self.before = Session(diff.before, source_finder=before)
        self.after = Session(diff.after, source_finder=after)
        self.history = History()
        """The diff rows visited, for back and forward."""
        self.selected: int | None = None
        """The selected diff row, or None."""
        self.percent = False
        """Times as percentages of each side's total."""

    @property
    def finders(self) -> tuple[SourceFinder, SourceFinder]:
        """Each run's source finder (the before one reads ``--path-map``)."""
        return self.before.source_finder, self.after.source_finder

    def function_of(self, row: int) -> tuple[Session, int]:
        """The session and function number that name diff row ``row``."""
        aid = self.diff.after_ids[row]
        if aid != NONE:
            return self.after, aid
        return self.before, self.diff.before_ids[row]

    def row_of(self, session: Session, fid: int) -> int | None:
        """The diff row of function ``fid`` of ``session``; None if it is of neither run."""
        if not session.holds(fid):
            return None
        if session is self.after:
            return self.diff.row_of_after(fid)
        if session is self.before:
            return self.diff.row_of_before(fid)
        return None

    def holds(self, row: int | None) -> bool:
        """Whether ``row`` is a row of the diff."""
        return row is not None and 0 <= row < len(self.diff)

    def select(self, row: int | None) -> None:
        """Make ``row`` the selected row without a history step; each run's session follows."""
        self.selected = row if self.holds(row) else None
        for session, ids in (
            (self.before, self.diff.before_ids),
            (self.after, self.diff.after_ids),
        ):
            fid = ids[self.selected] if self.selected is not None else NONE
            session.select(fid if fid != NONE else None)

    def go_to(self, row: int | None) -> bool:
        """Select ``row`` and record the visit; False when it is no row of the diff."""
        if row is None or not self.holds(row):
            return False
        self.history.visit(row)
        self.select(row)
        return True

    def back(self) -> bool:
        """Step back in the history; False when there is nowhere to go."""
        return self._step(self.history.back())

    def forward(self) -> bool:
        """Step forward in the history; False when there is nowhere to go."""
        return self._step(self.history.forward())

    def _step(self, row: int | None) -> bool:
        if row is None:
            return False
        self.select(row)
        return True
