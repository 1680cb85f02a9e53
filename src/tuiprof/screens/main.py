"""The main screen: header, history trail, and one view of a profile at a time.

The views are the entries of :data:`~tuiprof.views.registry.VIEWS` (function
table, callers and callees, call tree, source, icicle); the screen shows, focuses and
updates them in one loop. It owns the :class:`~tuiprof.model.session.Session`
it shows, and gets it ready in a thread after the first screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Static

from tuiprof.actions import bindings_for
from tuiprof.messages import CallGraphReady, FunctionChosen, FunctionHighlighted
from tuiprof.model.names import visible
from tuiprof.model.session import Hidden, Session
from tuiprof.model.table import FilterError, SortKey
from tuiprof.views._textual_hacks import KeysFooter
from tuiprof.views.callers import EdgeTable
from tuiprof.views.function_table import FunctionTable
from tuiprof.views.functions_pane import FilterInput
from tuiprof.views.header import StatusHeader
from tuiprof.views.history_bar import HistoryBar
from tuiprof.views.registry import VIEWS, SessionView, ViewSpec
from tuiprof.views.steps import StepDone, StepWorking

if TYPE_CHECKING:
    from tuiprof.export.request import ExportChoices, ExportRequest

WAITING = "indexing the call graph…"


class MainScreen(Screen[None]):
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

    DEFAULT_CSS = """
    MainScreen ContentSwitcher { height: 1fr; }
    MainScreen ContentSwitcher > Container { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.profile = session.profile
        self._views: dict[str, Widget] = {}
        """The views built so far, by id."""
        self._filter_valid = True
        self._cursor_note = False
        """The header says where the table's cursor is (it is out of view)."""
        self.export_choices: ExportChoices | None = None
        """The last export of this profile (format, folder, thresholds), offered again."""
        self._waiting: set[str] = set()
        """The views waiting for the call graph."""
        self._working: list[str] = []
        """What the steps taking long are doing, for the header."""

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.profile, id="header")
        yield HistoryBar(self.profile, id="history")
        with ContentSwitcher(initial="functions"):
            for spec in VIEWS.values():
                if spec.built_on_first_show:
                    yield Container(id=spec.id)
                else:
                    widget = self._views[spec.id] = spec.make(self.session)
                    widget.id = spec.id
                    yield widget
        yield KeysFooter()

    def on_mount(self) -> None:
        self.table.focus()
        if self.profile.warnings:
            warnings = "\n".join(map(visible, self.profile.warnings))
            self.notify(warnings, severity="warning", timeout=8, markup=False)
        self.refresh_status()
        self.history_bar.show(self.session.history)
        self.call_after_refresh(self.warm)

    @work(thread=True, exclusive=True, group="warm")
    def warm(self) -> None:
        """Get the rest of the profile ready after the first screen, off the UI thread."""
        error = self.session.warm()
        if error is not None:
            self.notify(
                visible(f"{error}; callers and callees are not shown"),
                markup=False,
                title="Bad caller records",
                severity="error",
                timeout=12,
            )
        self.post_message(CallGraphReady())

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
    def view(self) -> str:
        """The id of the view shown: a key of ``VIEWS``."""
        return self.query_one(ContentSwitcher).current or "functions"

    def view_widget(self, view: str) -> Widget | None:
        """The widget of view ``view``, once it was first shown."""
        return self._views.get(view)

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
        self.query_one(StatusHeader).show(
            self.session.query, len(table.rows), VIEWS[self.view].title, self.session.percent, note
        )

    # Views ------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        """Show one of the views and focus it."""
        spec = VIEWS.get(view)
        if spec is None:
            return
        self._take_table_cursor()
        if spec.follows_selection:
            self.session.go_to(self.session.selected)
        self.query_one(ContentSwitcher).current = view
        fresh = view not in self._views
        self._build(spec)
        # A view that starts elsewhere (the tree, at its roots) follows from its second show.
        self.show_selection(skip=view if fresh and not spec.starts_at_selection else None)
        self._focus(view)
        self.refresh_status()

    async def action_in_view(self, view: str, action: str) -> None:
        """Show ``view`` and run ``action`` there: how the palette runs a view's own keys."""
        if self.view != view:
            self.action_view(view)
        widget = self.view_widget(view)
        if widget is not None:
            target = _view(widget).focus_target() or widget
            await target.run_action(action)

    def _build(self, spec: ViewSpec) -> None:
        if spec.id in self._views:
            return
        pane = self.query_one(f"#{spec.id}", Container)
        profile = self.profile
        if spec.needs_call_graph and profile.has_call_data and not profile.call_graph_ready:
            # The view needs the callee index, which the warm-up is building:
            # wait for call_graph_ready() rather than block the screen.
            if not pane.query(".view-waiting"):
                pane.mount(Static(WAITING, id=f"{spec.id}-waiting", classes="view-waiting"))
            self._waiting.add(spec.id)
            return
        widget = self._views[spec.id] = spec.make(self.session)
        pane.mount(widget)

    @on(CallGraphReady)
    def call_graph_ready(self) -> None:
        """The callee index exists: fill what was waiting for it."""
        for spec in VIEWS.values():
            waiting = self.query(f"#{spec.id}-waiting")
            if waiting:
                waiting.remove()
                self._build(spec)
                if self.view == spec.id:
                    self.call_after_refresh(self._shown_late, spec.id)
                else:
                    self._waiting.discard(spec.id)
        for widget in self._views.values():
            _view(widget).call_graph_ready()

    def _shown_late(self, view: str) -> None:
        self._waiting.discard(view)
        widget = self.view_widget(view)
        if widget is not None and self.view == view:
            _view(widget).show_selection(self.session.selected)
            self._focus(view)

    def holds_keys(self) -> bool:
        """Keys wait while the view shown waits for the call graph (``tuiprof.key_queue``).

        Typed slowly, they would have reached the view once it was up.
        """
        return self.view in self._waiting

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

    def _focus(self, view: str) -> None:
        widget = self.view_widget(view)
        target = _view(widget).focus_target() if widget is not None else None
        # Still waiting: keys must not move the hidden table's cursor.
        self.set_focus(target)

    def _take_table_cursor(self) -> None:
        """Select the function under the table's cursor when the table is shown.

        The table reports cursor moves as messages, and keys typed ahead (a
        burst of ``down`` then ``c``) reach an action before those messages
        do: while the table is on screen, its cursor is the selection.
        """
        highlighted = self.table.highlighted
        if highlighted is not None and (self.view == "functions" or self.session.selected is None):
            self.session.select(highlighted)

    def go_to(self, fid: int | None) -> None:
        """Go to function ``fid`` (a history step) and bring the views to it."""
        if self.session.go_to(fid):
            self.show_selection()

    def show_selection(self, *, skip: str | None = None) -> None:
        """Bring the views to the selected function.

        Views that follow the selection are updated only while shown (the
        next show brings them up to date); the function table always.
        """
        fid = self.session.selected
        for view, widget in self._views.items():
            if view != skip and (view == self.view or not VIEWS[view].follows_selection):
                _view(widget).show_selection(fid)
        self.history_bar.show(self.session.history)

    # Messages from the views ----------------------------------------------

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
        opens = VIEWS[self.view].choose_opens
        if opens is not None:
            self.action_view(opens)

    @on(FunctionTable.QueryChanged)
    def _query_changed(self) -> None:
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
        for widget in self._views.values():
            _view(widget).percent_changed()
        self.refresh_status()

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


def _view(widget: Widget) -> SessionView:
    # Every widget that VIEWS makes offers SessionView's methods.
    view: SessionView = widget  # type: ignore[assignment]
    return view
