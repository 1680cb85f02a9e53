"""One opened profile as a user explores it: what is selected, where they have been.

A :class:`Session` is plain Python, owned by the screen that shows it; the
views read it and the screen changes it. A screen that compares two profiles
holds two sessions, each with its own selection and history.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from functools import cached_property
from typing import Literal

from tuiprof.model.calltree import CallTree
from tuiprof.model.counts import CountWidths, count_widths
from tuiprof.model.errors import ProfileError
from tuiprof.model.history import History
from tuiprof.model.profile import Profile
from tuiprof.model.source import SourceFinder
from tuiprof.model.table import FunctionTableModel, TableQuery

Hidden = Literal["import_system", "stdlib", "builtins"]
"""What the hide toggles (``i``, ``l``, ``b``) hide."""

FREEZE_ABOVE = 20_000
"""Above this many functions, what warming builds is moved out of the collector's sight."""


class Session:
    """A profile, its function table, the selection, the history and percent mode.

    "No function selected" is ``None``. :meth:`select` moves the selection
    without a history step (the cursor resting on a row); :meth:`go_to` also
    records the visit, and :meth:`back` and :meth:`forward` walk the visits.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        source_finder: SourceFinder | None = None,
        source_roots: Sequence[str] = (),
        path_maps: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.profile = profile
        self.table = FunctionTableModel(profile, TableQuery())
        """Sort, filter and hide toggles of the function table, and its rows."""
        self.history = History()
        self.selected: int | None = None
        """The selected function's number, or None."""
        self.percent = False
        """Times as percentages of the profile's total time."""
        self._source_finder = source_finder
        self._source_roots = tuple(source_roots)
        self._path_maps = tuple(path_maps)

    @property
    def query(self) -> TableQuery:
        """The function table's sort, filter and hide toggles."""
        return self.table.query

    @property
    def source_finder(self) -> SourceFinder:
        """Finds the profile's source files on this machine; made on first use."""
        if self._source_finder is None:
            self._source_finder = SourceFinder(
                self.profile.files, self._source_roots, self._path_maps
            )
        return self._source_finder

    @cached_property
    def count_widths(self) -> CountWidths:
        """How wide the profile's call counts read, for every table of this session."""
        return count_widths(self.profile)

    @cached_property
    def call_tree(self) -> CallTree:
        """The profile's call tree, made on first use: the tree and the icicle share its nodes."""
        return CallTree(self.profile)

    # Selection and history ---------------------------------------------------

    def holds(self, fid: int | None) -> bool:
        """Whether ``fid`` is a function of this profile."""
        return fid is not None and 0 <= fid < len(self.profile)

    def select(self, fid: int | None) -> None:
        """Make ``fid`` the selected function without a history step."""
        self.selected = fid if self.holds(fid) else None

    def go_to(self, fid: int | None) -> bool:
        """Select ``fid`` and record the visit; False when it is no function of the profile."""
        if fid is None or not self.holds(fid):
            return False
        self.history.visit(fid)
        self.selected = fid
        return True

    def back(self) -> bool:
        """Step back in the history; False when there is nowhere to go."""
        return self._step(self.history.back())

    def forward(self) -> bool:
        """Step forward in the history; False when there is nowhere to go."""
        return self._step(self.history.forward())

    def _step(self, fid: int | None) -> bool:
        if fid is None:
            return False
        self.selected = fid
        return True

    # Table state -------------------------------------------------------------

    def toggle_percent(self) -> None:
        self.percent = not self.percent

    def toggle_hidden(self, what: Hidden) -> None:
        """Hide what is shown, or show what is hidden."""
        hidden: bool = getattr(self.table.query, f"hide_{what}")
        self.table.set_hidden(**{what: not hidden})

    # Warm-up -----------------------------------------------------------------

    def warm(self) -> ProfileError | None:
        """Get the rest of the profile ready; meant for a thread after the first screen.

        Checks the caller records the load left unchecked, sorts every column
        and indexes names (the first sort of 300,000 functions by a new column
        takes longer than a keystroke should), and builds the callee index.
        A bad caller record is returned: the profile then holds no edges, and
        its functions stay browsable.
        """
        profile = self.profile
        error = None
        try:
            profile.check_edges()
        except ProfileError as bad:
            error = bad
        self.table.prepare()
        profile.callee_index()
        if len(profile) >= FREEZE_ABOVE:
            # The callee index and sort orders live as long as the program;
            # out of the collector's sight, full collections stop walking them.
            gc.freeze()
        return error
