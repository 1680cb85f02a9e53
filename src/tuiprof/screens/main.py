"""The main screen: header, history trail, and one view of a profile at a time.

The views are the entries of :data:`~tuiprof.views.registry.VIEWS` (function
table, callers and callees, call tree, source, icicle); the screen shows, focuses and
updates them in :class:`~tuiprof.screens.views_screen.ViewsScreen`'s one loop.
It owns the :class:`~tuiprof.model.session.Session` it shows, and gets it ready
in a thread after the first screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widget import Widget
from textual.widgets import Input

from tuiprof.actions import bindings_for
from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.errors import ProfileError
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.session import Hidden, Session
from tuiprof.model.table import FilterError, SortKey
from tuiprof.screens.views_screen import ViewsScreen
from tuiprof.views._textual_hacks import KeysFooter
from tuiprof.views.callers import EdgeTable
from tuiprof.views.function_table import FunctionTable
from tuiprof.views.functions_pane import FilterInput
from tuiprof.views.header import StatusHeader
from tuiprof.views.history_bar import HistoryBar
from tuiprof.views.registry import VIEWS
from tuiprof.views.steps import StepDone, StepWorking

if TYPE_CHECKING:
    from tuiprof.export.request import ExportChoices, ExportRequest


class MainScreen(ViewsScreen[Session]):
    """Every view of one profile.

    | Key | Does |
    | :- | :- |
    | f / c / t / s / g | Function table / callers and callees / call tree / source / icicle. |
    | / | Filter the function table. |
    | i / l / b | Hide the import system / standard library / built-ins. |
    | % | Times as percentages of the total. |
    | backspace, alt+left / alt+right | Back / forward in the history. |
    | e | Export. |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("main")
    PALETTE_PARTS: ClassVar[frozenset[str]] = frozenset({"main", "sort", "tree", "source"})
    """The parts whose actions the command palette runs on this screen."""

    AUTO_FOCUS = "#function-table"
    """Keys typed before the first paint go to the table, never to the filter line
    (Textual would focus the first focusable widget, which is the filter)."""

    def __init__(self, session: Session) -> None:
        super().__init__(VIEWS, session)
        self.session = session
        self.profile = session.profile
        self._filter_valid = True
        self._cursor_note = False
        """The header says where the table's cursor is (it is out of view)."""
        self._working: list[str] = []
        """What the steps taking long are doing, for the header."""
        self.export_choices: ExportChoices | None = None
        """The last export of this profile (format, folder, thresholds), offered again."""

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.profile, id="header")
        yield HistoryBar(self.profile, id="history")
        yield from self.compose_views()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.table.focus()
        if self.profile.warnings:
            warnings = "\n".join(map(visible, self.profile.warnings))
            self.notify(warnings, severity="warning", timeout=8, markup=False)
        self.refresh_status()
        self.history_bar.show(self.session.history)
        self.call_after_refresh(self.warm)

    def warm_up(self) -> list[ProfileError]:
        error = self.session.warm()
        return [] if error is None else [error]

    def profiles(self) -> Iterable[Profile]:
        return (self.profile,)

    # Parts ------------------------------------------------------------------

    @property
    def table(self) -> FunctionTable:
        return self.query_one(FunctionTable)

    @property
    def history_bar(self) -> HistoryBar:
        return self.query_one(HistoryBar)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def call_tree(self) -> Widget | None:
        """The call tree, once it was first shown."""
        return self.view_widget("tree")

    def refresh_status(self) -> None:
        table = self.table
        note = ""
        fid = table.highlighted
        if self.view == "functions" and not table.cursor_in_view and fid is not None:
            # After a sort the view shows the top: say where the cursor stayed.
            name = self.profile.keys[fid][2]
            note = f"cursor: row {table.cursor_row + 1} (↑/↓ go there), {name}"
        self._cursor_note = bool(note)
        if self._working:
            note = " · ".join([f"working: {self._working[-1]}…", *filter(None, [note])])
        spec = VIEWS[self.view]
        self.query_one(StatusHeader).show(
            self.session.query, len(table.rows), spec.title, self.session.percent, note, spec.about
        )

    # Views ------------------------------------------------------------------

    @property
    def selection(self) -> int | None:
        return self.session.selected

    def visit_selection(self) -> None:
        self.session.go_to(self.session.selected)

    def selection_shown(self) -> None:
        self.history_bar.show(self.session.history)

    @on(StepWorking)
    def _step_working(self, event: StepWorking) -> None:
        event.stop()
        self._working.append(event.label)
        self.refresh_status()

    @on(StepDone)
    def _step_done(self, event: StepDone) -> None:
        event.stop()
        if event.label in self._working:
            self._working.remove(event.label)
        self.refresh_status()

    def _take_table_cursor(self) -> None:
        """Select the function under the table's cursor when the table is shown.

        The table reports cursor moves as messages, and keys typed ahead (a
        burst of ``down`` then ``c``) reach an action before those messages
        do: while the table is on screen, its cursor is the selection.
        """
        highlighted = self.table.highlighted
        if self.view == "functions":
            self.session.select(highlighted)  # None: a filter that matches nothing
        elif highlighted is not None and self.session.selected is None:
            self.session.select(highlighted)

    def go_to(self, fid: int | None) -> None:
        """Go to function ``fid`` (a history step) and bring the views to it."""
        if self.session.go_to(fid):
            self.show_selection()

    # Messages from the views ----------------------------------------------

    def on_resize(self) -> None:
        # A new size can bring the cursor back into view (or take it out).
        if self.view == "functions":
            self.call_after_refresh(self.refresh_status)

    @on(FunctionHighlighted)
    def _highlighted(self, event: FunctionHighlighted) -> None:
        event.stop()
        event.session.select(event.fid)
        if self._cursor_note:
            self.refresh_status()

    @on(FunctionChosen)
    def _chosen(self, event: FunctionChosen) -> None:
        event.stop()
        if event.session is self.session:
            self.go_to(event.fid)
        opens = self.views[self.view].choose_opens
        if opens is not None:
            self.action_view(opens)

    @on(FunctionTable.QueryChanged)
    def _query_changed(self) -> None:
        # A new filter or order can leave the cursor on another function, in
        # the same row (no cursor message), or on none: the table's cursor is
        # the selection, and a filter matching nothing selects nothing.
        if self.view == "functions":
            self.session.select(self.table.highlighted)
        self.refresh_status()

    @on(FunctionTable.HeaderClicked)
    def _header_clicked(self, event: FunctionTable.HeaderClicked) -> None:
        if isinstance(event.table, FunctionTable):
            event.table.action_sort(event.sort.value)

    # Table actions ------------------------------------------------------------

    def action_sort(self, value: str) -> None:
        """Sort the focused edge table, or else the function table."""
        focused = self.focused
        if isinstance(focused, EdgeTable):
            focused.action_sort(value)
        else:
            self.table.action_sort(SortKey(value).value)

    def action_filter(self) -> None:
        if self.view != "functions":
            self.action_view("functions")
        # Focus now, not after a refresh: keys typed right after ``/`` belong to the filter.
        self.set_focus(self.filter_input)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        text = event.value
        filter_input = self.filter_input
        try:
            self.table.apply(lambda: self.session.table.set_filter(text))
        except FilterError as error:
            filter_input.add_class("-invalid")
            if self._filter_valid:
                self.notify(
                    visible(str(error)), title="Filter", severity="error", timeout=4, markup=False
                )
            self._filter_valid = False
            return
        self._filter_valid = True
        filter_input.remove_class("-invalid")

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not self._filter_valid:
            self.notify("fix the regular expression first", severity="error", timeout=3)
            return
        self.table.focus()

    def action_toggle_hidden(self, what: Hidden) -> None:
        self.table.apply(lambda: self.session.toggle_hidden(what))

    def action_toggle_percent(self) -> None:
        self.session.toggle_percent()
        self.percent_changed()

    # History and export -----------------------------------------------------------

    def action_back(self) -> None:
        if self.session.back():
            self.show_selection()
        else:
            self.notify("nothing further back", timeout=2)

    def action_forward(self) -> None:
        if self.session.forward():
            self.show_selection()
        else:
            self.notify("nothing further forward", timeout=2)

    def action_export(self) -> None:
        """The export dialog, for the whole profile, the selection or the filter."""
        from tuiprof.screens.export_dialog import ExportDialog

        self._take_table_cursor()
        session = self.session
        dialog = ExportDialog(
            session.profile,
            session.selected,
            session.query.filter_text,
            remembered=self.export_choices,
        )
        self.app.push_screen(dialog, self._remember_export)

    def _remember_export(self, request: ExportRequest | None) -> None:
        from tuiprof.export.request import ExportChoices

        if request is not None:
            self.export_choices = ExportChoices.of(request)
