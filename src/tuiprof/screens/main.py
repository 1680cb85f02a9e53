"""The main screen: header, history trail, and one of four views.

The views are the function table (``f``), callers and callees (``c``), the
call tree (``t``) and the source (``s``). The tree and source widgets are
built the first time they are shown, so opening a profile costs only the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, Static

from tuiprof.messages import FunctionChosen, FunctionHighlighted
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.table import FilterError, SortKey
from tuiprof.views.call_tree import CallTreeView
from tuiprof.views.callers import CallersView, EdgeTable
from tuiprof.views.footer import KeysFooter
from tuiprof.views.function_table import FunctionTable
from tuiprof.views.header import StatusHeader
from tuiprof.views.history_bar import HistoryBar

if TYPE_CHECKING:
    from tuiprof.app import TuiprofApp
    from tuiprof.views.source_view import SourceView

VIEWS = ("functions", "callers", "tree", "source")
VIEW_TITLES = {
    "functions": "functions",
    "callers": "callers/callees",
    "tree": "call tree",
    "source": "source",
}


class FilterInput(Input):
    """The filter line: terms AND-ed, regex allowed.

    | Key | Does |
    | :- | :- |
    | enter | Keep the filter, back to the table. |
    | escape | Clear the filter. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", id="clear_filter"),
    ]

    def action_clear_filter(self) -> None:
        self.value = ""
        self.screen.query_one(FunctionTable).focus()


class MainScreen(Screen[None]):
    """Every view of one profile.

    | Key | Does |
    | :- | :- |
    | f / c / t / s | Function table / callers and callees / call tree / source. |
    | / | Filter the function table. |
    | i / l / b | Hide the import system / standard library / built-ins. |
    | % | Times as percentages of the total. |
    | backspace, alt+left / alt+right | Back / forward in the history. |
    | e | Export. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f", "view('functions')", "Table", tooltip="The function table", id="view_functions"
        ),
        Binding(
            "c",
            "view('callers')",
            "Callers",
            tooltip="Callers and callees of the selected function",
            id="view_callers",
        ),
        Binding("t", "view('tree')", "Tree", tooltip="The call tree", id="view_tree"),
        Binding(
            "s",
            "view('source')",
            "Source",
            tooltip="Source of the selected function",
            id="view_source",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter the function table: terms AND-ed, regex allowed",
            id="filter",
        ),
        Binding(
            "i",
            "toggle_hidden('import_system')",
            "Hide imports",
            show=False,
            tooltip="Hide or show the import system (<frozen importlib…>)",
            id="hide_imports",
        ),
        Binding(
            "l",
            "toggle_hidden('stdlib')",
            "Hide stdlib",
            show=False,
            tooltip="Hide or show the standard library",
            id="hide_stdlib",
        ),
        Binding(
            "b",
            "toggle_hidden('builtins')",
            "Hide builtins",
            show=False,
            tooltip="Hide or show built-in (C) functions",
            id="hide_builtins",
        ),
        Binding(
            "percent_sign",
            "toggle_percent",
            "%",
            key_display="%",
            show=False,
            tooltip="Times as percentages of the total",
            id="toggle_percent",
        ),
        Binding(
            "backspace,alt+left",
            "back",
            "Back",
            tooltip="Back in the navigation history",
            id="go_back",
        ),
        Binding(
            "alt+right",
            "forward",
            "Forward",
            show=False,
            tooltip="Forward in the navigation history",
            id="go_forward",
        ),
        Binding("e", "export", "Export", show=False, tooltip="Export dialog", id="export"),
    ]

    DEFAULT_CSS = """
    MainScreen #filter { height: 1; border: none; padding: 0 1; background: $boost; }
    MainScreen #filter:focus { background: $primary-background; }
    MainScreen #filter.-invalid { background: $error 40%; }
    MainScreen ContentSwitcher { height: 1fr; }
    MainScreen #functions { height: 1fr; }
    MainScreen FunctionTable { height: 1fr; }
    MainScreen #tree, MainScreen #source { height: 1fr; }
    """

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.percent = False
        self._filter_valid = True

    @property
    def tuiprof(self) -> TuiprofApp:
        from tuiprof.app import TuiprofApp

        app = self.app
        assert isinstance(app, TuiprofApp)
        return app

    def compose(self) -> ComposeResult:
        yield StatusHeader(self.profile, id="header")
        yield HistoryBar(self.profile, id="history")
        with ContentSwitcher(initial="functions"):
            with Vertical(id="functions"):
                yield FilterInput(
                    placeholder="/ filter: terms AND-ed, regex allowed; enter keeps, escape clears",
                    id="filter",
                )
                yield FunctionTable(self.profile, id="function-table")
            yield CallersView(self.profile, id="callers")
            yield Container(id="tree")
            yield Container(id="source")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.table.focus()
        if self.profile.warnings:
            warnings = "\n".join(map(visible, self.profile.warnings))
            self.notify(warnings, severity="warning", timeout=8, markup=False)
        self.refresh_status()
        self.history_bar.show(self.tuiprof.history)
        self.call_after_refresh(self.tuiprof.warm, self.table.model)

    # Parts ------------------------------------------------------------------

    @property
    def table(self) -> FunctionTable:
        return self.query_one(FunctionTable)

    @property
    def callers_view(self) -> CallersView:
        return self.query_one(CallersView)

    @property
    def history_bar(self) -> HistoryBar:
        return self.query_one(HistoryBar)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def view(self) -> str:
        """The view shown: one of ``VIEWS``."""
        return self.query_one(ContentSwitcher).current or "functions"

    def refresh_status(self) -> None:
        self.query_one(StatusHeader).show(
            self.table.table_query, len(self.table.rows), VIEW_TITLES[self.view], self.percent
        )

    # Views ------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        """Show one of the views and focus it."""
        if view not in VIEWS:
            return
        app = self.tuiprof
        self._take_table_cursor()
        if view != "functions" and app.selected >= 0:
            app.go_to(app.selected)
        self.query_one(ContentSwitcher).current = view
        if view == "tree":
            tree = self.call_tree
            if tree is None:
                # The tree starts from the roots; later visits follow the selection.
                self._mount_call_tree()
            elif app.selected >= 0:
                tree.reveal(app.selected)
        elif view == "source" and self.source_view is None:
            self._mount_source_view()
        self.show_selection(app.selected)
        self._focus_view(view)
        self.refresh_status()

    @property
    def call_tree(self) -> CallTreeView | None:
        """The call tree, once it was first shown."""
        return next(iter(self.query_one("#tree", Container).query(CallTreeView)), None)

    @property
    def source_view(self) -> SourceView | None:
        """The source view, once it was first shown."""
        pane = self.query_one("#source", Container)
        if not pane.children:
            return None
        from tuiprof.views.source_view import SourceView

        return next(iter(pane.query(SourceView)), None)

    def _mount_call_tree(self) -> None:
        pane = self.query_one("#tree", Container)
        if self.profile.has_call_data and not self.profile.call_graph_ready:
            # The roots need the callee index, which the warm-up is building:
            # wait for call_graph_ready() rather than block the screen.
            if not pane.query("#tree-waiting"):
                pane.mount(Static("indexing the call graph…", id="tree-waiting"))
            return
        pane.mount(CallTreeView(self.profile))

    def call_graph_ready(self) -> None:
        """The callee index exists: fill what was waiting for it."""
        waiting = self.query("#tree-waiting")
        if waiting:
            waiting.remove()
            self._mount_call_tree()
            if self.view == "tree":
                self.call_after_refresh(self._tree_shown)
        self.callers_view.show(self.tuiprof.selected, again=True)

    def _tree_shown(self) -> None:
        tree = self.call_tree
        if tree is not None and self.view == "tree":
            if self.tuiprof.selected >= 0:
                tree.reveal(self.tuiprof.selected)
            tree.focus()

    def _mount_source_view(self) -> None:
        # Imported here: highlighting pulls in Pygments, which a profile opened
        # only for its table never needs.
        from tuiprof.views.source_view import SourceView

        view = SourceView(self.profile, self.tuiprof.source_finder)
        self.query_one("#source", Container).mount(view)

    def _focus_view(self, view: str) -> None:
        if view == "functions":
            self.table.focus()
        elif view == "callers":
            self.callers_view.callers.focus()
        elif view == "tree":
            tree = self.call_tree
            if tree is not None:
                tree.focus()
            else:  # still indexing: keys must not move the hidden table's cursor
                self.set_focus(None)
        elif view == "source":
            source = self.source_view
            if source is not None:
                source.focus()

    def _take_table_cursor(self) -> None:
        """Select the function under the table's cursor when the table is shown.

        The table reports cursor moves as messages, and keys typed ahead (a
        burst of ``down`` then ``c``) reach an action before those messages
        do: while the table is on screen, its cursor is the selection.
        """
        if (self.view == "functions" or self.tuiprof.selected < 0) and self.table.highlighted >= 0:
            self.tuiprof.select(self.table.highlighted)

    def show_selection(self, fid: int) -> None:
        """Bring every built view to ``fid``."""
        self.table.show_function(fid)
        view = self.view
        if view == "callers":
            self.callers_view.show(fid)
        elif view == "source" and fid >= 0:
            source = self.source_view
            if source is not None:
                source.show_function(fid)
        self.history_bar.show(self.tuiprof.history)

    # Messages from the views ----------------------------------------------

    @on(FunctionHighlighted)
    def _highlighted(self, event: FunctionHighlighted) -> None:
        event.stop()
        self.tuiprof.select(event.fid)

    @on(FunctionChosen)
    def _chosen(self, event: FunctionChosen) -> None:
        event.stop()
        self.tuiprof.go_to(event.fid)
        if self.view == "functions":
            self.action_view("callers")

    @on(CallTreeView.FunctionChosen)
    def _tree_chosen(self, event: CallTreeView.FunctionChosen) -> None:
        event.stop()
        self.tuiprof.go_to(event.fid)

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
        try:
            self.table.apply(lambda: self.table.model.set_filter(text))
        except FilterError as error:
            self.filter_input.add_class("-invalid")
            if self._filter_valid:
                self.notify(
                    visible(str(error)), title="Filter", severity="error", timeout=4, markup=False
                )
            self._filter_valid = False
            return
        self._filter_valid = True
        self.filter_input.remove_class("-invalid")

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if not self._filter_valid:
            self.notify("fix the regular expression first", severity="error", timeout=3)
            return
        self.table.focus()

    def action_toggle_hidden(self, what: str) -> None:
        query = self.table.table_query
        model = self.table.model
        if what == "import_system":
            self.table.apply(lambda: model.set_hidden(import_system=not query.hide_import_system))
        elif what == "stdlib":
            self.table.apply(lambda: model.set_hidden(stdlib=not query.hide_stdlib))
        elif what == "builtins":
            self.table.apply(lambda: model.set_hidden(builtins=not query.hide_builtins))

    def action_toggle_percent(self) -> None:
        self.percent = not self.percent
        self.table.percent = self.percent
        self.callers_view.set_percent(self.percent)
        self.refresh_status()

    # History ------------------------------------------------------------------

    def action_back(self) -> None:
        if not self.tuiprof.back():
            self.notify("nothing further back", timeout=2)

    def action_forward(self) -> None:
        if not self.tuiprof.forward():
            self.notify("nothing further forward", timeout=2)

    def action_export(self) -> None:
        self._take_table_cursor()
        self.tuiprof.open_export(self.table.table_query.filter_text)
