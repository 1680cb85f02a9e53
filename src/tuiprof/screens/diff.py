"""The diff screen: two runs side by side, what got faster, slower, or is new.

A header with both files and totals, the history trail, then one of the
views of :data:`~tuiprof.views.diff_registry.DIFF_VIEWS`: the diff table
(``f``), callers and callees with each edge's before/after/Δ (``c``), the
source with the per-line diff (``s``) and the after run's icicle coloured by
change (``g``), shown in :class:`~tuiprof.screens.views_screen.ViewsScreen`'s
one loop. The screen owns a :class:`~tuiprof.model.diff_session.DiffSession`
(a session per run, the selected diff row, the history); its keys are the
``diff`` part of the action table, so help, palette and keymap know them.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Static

from tuiprof.actions import bindings_for
from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.diff import Measure, ProfileDiff, Side
from tuiprof.model.diff_format import format_change
from tuiprof.model.diff_session import DiffSession
from tuiprof.model.diff_table import NAME, DiffColumn
from tuiprof.model.errors import ProfileError
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.session import FREEZE_ABOVE
from tuiprof.model.table import FilterError
from tuiprof.screens.views_screen import ViewsScreen
from tuiprof.views._textual_hacks import KeysFooter
from tuiprof.views.diff_edges import DiffEdgesView, EdgeDiffTable
from tuiprof.views.diff_functions import DiffFilterInput
from tuiprof.views.diff_registry import DIFF_VIEWS
from tuiprof.views.diff_source import DiffSourceView
from tuiprof.views.diff_table import DiffTable
from tuiprof.views.header import describe_rows
from tuiprof.views.history_bar import DiffHistoryBar

SORT_COLUMNS: dict[str, DiffColumn] = {
    "ncalls": (Measure.NCALLS, Side.AFTER),
    "tottime": (Measure.TOTTIME, Side.AFTER),
    "cumtime": (Measure.CUMTIME, Side.AFTER),
    "name": NAME,
}


def total_text(diff: ProfileDiff) -> str:
    """``4.700s → 1.210s, −74.3%``."""
    return format_change(diff.before_total, diff.after_total, diff.total_percent)


class DiffHeader(Static):
    """Both files, both totals and the total delta; then the table's state."""

    DEFAULT_CSS = """
    DiffHeader {
        height: 2; background: $primary-background; color: $text;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def __init__(self, diff: ProfileDiff, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.diff = diff

    def show(self, state: str) -> None:
        diff = self.diff
        before = ", ".join(visible(os.path.basename(f)) for f in diff.before.files)
        after = ", ".join(visible(os.path.basename(f)) for f in diff.after.files)
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append(f" {before} → {after}", style="bold")
        top.append(f"  {total_text(diff)}")
        if diff.normalize:
            top.append(f"  [normalized x{diff.scale:.3g}]", style="bold")
        bottom = Text(f" {state}", no_wrap=True, overflow="ellipsis")
        self.update(Text("\n").join([top, bottom]))


class DiffScreen(ViewsScreen[DiffSession]):
    """Two runs of one program, compared; its keys are the ``diff`` part of the action table.

    | Key | Does |
    | :- | :- |
    | f / c / s / g | Diff table / callers and callees / source with the line diff / icicle. |
    | 1 2 4 6 | Sort by ncalls, tottime, cumtime (after), name; again reverses. |
    | d | Sort by the delta of the current column. |
    | r | Deltas in seconds, or as percentages of the before total. |
    | / | Filter. |
    | i / l / b | Hide the import system / standard library / built-ins. |
    | % | Times as percentages of each side's total. |
    | backspace, alt+left / alt+right | Back / forward in the history. |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("diff")
    PALETTE_PARTS: ClassVar[frozenset[str]] = frozenset({"diff", "icicle"})
    """The parts whose actions the command palette runs on this screen."""

    AUTO_FOCUS = "#diff-table"
    """Keys typed before the first paint go to the table, never to the filter line."""

    def __init__(self, state: DiffSession) -> None:
        super().__init__(DIFF_VIEWS, state)
        self.state = state
        """Both runs' sessions, the selected diff row and the history."""
        self.diff: ProfileDiff = state.diff
        self._filter_valid = True

    @property
    def selected(self) -> int | None:
        """The selected diff row, or None."""
        return self.state.selected

    def compose(self) -> ComposeResult:
        yield DiffHeader(self.diff, id="diff-header")
        yield DiffHistoryBar(self.diff, id="history")
        yield from self.compose_views()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.table.focus()
        self.state.select(self.table.highlighted)
        warnings = [*self.diff.before.warnings, *self.diff.after.warnings]
        if warnings:
            self.notify(visible("\n".join(warnings)), severity="warning", timeout=8, markup=False)
        self.refresh_status()
        self.selection_shown()
        self.call_after_refresh(self.warm)

    def profiles(self) -> Iterable[Profile]:
        return (self.diff.before, self.diff.after)

    def warm_up(self) -> list[ProfileError]:
        """Check both runs' caller records and build their callee indexes (for ``c``, ``g``)."""
        errors = []
        for profile in self.profiles():
            try:
                profile.check_edges()
            except ProfileError as error:
                errors.append(error)
            profile.callee_index()
        if len(self.diff) >= FREEZE_ABOVE:
            # As the explorer's warm-up does: the callee indexes live as long
            # as the screen; out of the collector's sight, the next full
            # collection does not walk their millions of objects (1.8 s here).
            gc.freeze()
        return errors

    # Parts ------------------------------------------------------------------

    @property
    def table(self) -> DiffTable:
        return self.query_one(DiffTable)

    @property
    def edges(self) -> DiffEdgesView:
        """Callers and callees, once first shown."""
        return self.query_one(DiffEdgesView)

    @property
    def source(self) -> DiffSourceView:
        """The source, once first shown."""
        return self.query_one(DiffSourceView)

    @property
    def history_bar(self) -> DiffHistoryBar:
        return self.query_one(DiffHistoryBar)

    def refresh_status(self) -> None:
        query = self.table.model.query
        sort = query.sort
        title = f"{sort[0].value} {sort[1].value}" if isinstance(sort, tuple) else "name"
        parts = [f"sort {title} {'▲' if query.reverse else '▼'}"]
        parts += describe_rows(query, len(self.table.rows), len(self.diff))
        if self.state.percent:
            parts.append("% of total")
        if self.table.share_deltas:
            parts.append("Δ as % of before total")
        parts.append(self.views[self.view].title)
        self.query_one(DiffHeader).show(" · ".join(parts))

    # Views ------------------------------------------------------------------

    @property
    def selection(self) -> int | None:
        return self.state.selected

    def visit_selection(self) -> None:
        self.state.go_to(self.state.selected)

    def selection_shown(self) -> None:
        self.history_bar.show(self.state.history)

    def _take_table_cursor(self) -> None:
        """While the table is shown, its cursor is the selected row (keys typed ahead)."""
        if self.view == "functions" and self.table.highlighted is not None:
            self.state.select(self.table.highlighted)

    @on(FunctionHighlighted)
    def _highlighted(self, event: FunctionHighlighted) -> None:
        event.stop()
        self.state.select(self.state.row_of(event.session, event.fid))

    @on(FunctionChosen)
    def _chosen(self, event: FunctionChosen) -> None:
        event.stop()
        if not self.state.go_to(self.state.row_of(event.session, event.fid)):
            return
        opens = self.views[self.view].choose_opens
        if opens is not None:
            self.action_view(opens)
        else:
            self.show_selection()

    @on(DiffTable.QueryChanged)
    def _query_changed(self) -> None:
        self.refresh_status()

    # Table ------------------------------------------------------------------

    def action_sort(self, name: str) -> None:
        if self.view != "functions":
            self.action_view("functions")
        self.table.sort_by(SORT_COLUMNS[name])

    def action_sort_delta(self) -> None:
        """Sort by the delta of the sorted column's measure (tottime for names)."""
        if self.view != "functions":
            self.action_view("functions")
        sort = self.table.model.query.sort
        measure = sort[0] if isinstance(sort, tuple) else Measure.TOTTIME
        self.table.sort_by((measure, Side.DELTA))

    def action_toggle_share(self) -> None:
        self.table.share_deltas = not self.table.share_deltas
        self.refresh_status()

    def action_toggle_percent(self) -> None:
        self.state.percent = not self.state.percent
        self.percent_changed()

    def action_toggle_hidden(self, what: str) -> None:
        model = self.table.model
        q = model.query
        if what == "import_system":
            self.table.apply(lambda: model.set_hidden(import_system=not q.hide_import_system))
        elif what == "stdlib":
            self.table.apply(lambda: model.set_hidden(stdlib=not q.hide_stdlib))
        elif what == "builtins":
            self.table.apply(lambda: model.set_hidden(builtins=not q.hide_builtins))

    def action_filter(self) -> None:
        if self.view != "functions":
            self.action_view("functions")
        self.set_focus(self.query_one(DiffFilterInput))

    @on(Input.Changed, "#diff-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        text = event.value
        box = self.query_one(DiffFilterInput)
        try:
            self.table.apply(lambda: self.table.model.set_filter(text))
        except FilterError as error:
            box.add_class("-invalid")
            if self._filter_valid:
                self.notify(str(error), title="Filter", severity="error", timeout=4)
            self._filter_valid = False
            return
        self._filter_valid = True
        box.remove_class("-invalid")

    @on(Input.Submitted, "#diff-filter")
    def _filter_submitted(self) -> None:
        if self._filter_valid:
            self.table.focus()

    # History ----------------------------------------------------------------

    def action_back(self) -> None:
        if self.focused is self.query_one(DiffFilterInput):
            return
        if not self.state.back():
            self.notify("nothing further back", timeout=2)
            return
        self.show_selection()

    def action_forward(self) -> None:
        if not self.state.forward():
            self.notify("nothing further forward", timeout=2)
            return
        self.show_selection()


__all__ = ["DiffScreen", "EdgeDiffTable"]
