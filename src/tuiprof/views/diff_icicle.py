"""The differential icicle: the after run's icicle, each block coloured by its change.

The blocks are the after run's call tree (:class:`~tuiprof.views.icicle.IcicleView`);
each carries the :class:`~tuiprof.model.icicle.Change` of its call path since
the before run (:class:`~tuiprof.model.diff_icicle.PathChanges`), which the
painter colours red or green and the status line gives with its sign.
"""

from __future__ import annotations

from tuiprof.model.diff_icicle import PathChanges
from tuiprof.model.diff_session import DiffSession
from tuiprof.model.matching import NONE
from tuiprof.model.names import visible
from tuiprof.views.icicle import IcicleView


class DiffIcicleView(IcicleView):
    """The after run's icicle, blocks by their change; the selection is a diff row."""

    def __init__(self, state: DiffSession, *, id: str | None = None) -> None:
        changes = PathChanges(state.diff, state.before.call_tree, state.after.call_tree)
        super().__init__(state.after, delta=changes.change, id=id)
        self.state = state
        self.changes = changes
        """Each block's call path before and after."""

    def show_selection(self, fid: int | None) -> None:
        """Zoom on the selected row's heaviest node in the after run (a removed one: stay)."""
        if fid is None or not self.state.holds(fid):
            return
        after = self.state.diff.after_ids[fid]
        if after == NONE:
            name = visible(self.state.diff.label(fid))
            self.notify(
                f"{name} is not in the after run: the icicle draws the after run's calls",
                timeout=4,
                markup=False,
            )
            return
        self.chart.show_function(after)
