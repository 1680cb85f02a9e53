"""A screen that shows one view of a registry at a time: the one loop over its entries.

The main screen and the diff screen are both a :class:`ViewsScreen` over a
table of :class:`~tuiprof.views.registry.ViewSpec`: this class builds, shows,
focuses and updates their views, waits for the call graph where a view needs
it, and gets the profiles ready in a thread after the first screen. What
differs between the screens (what the selection is, how a visit is recorded,
what the header says) is a handful of hooks each screen fills in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from importlib import import_module
from typing import Generic

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from tuiprof.messages import CallGraphReady
from tuiprof.model.errors import ProfileError
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.views.registry import S, SessionView, ViewSpec

WAITING = "indexing the call graph…"


class ViewsScreen(Screen[None], Generic[S]):
    """One view of ``views`` at a time, each made from ``state`` when first needed."""

    DEFAULT_CSS = """
    ViewsScreen ContentSwitcher { height: 1fr; }
    ViewsScreen ContentSwitcher > Container { height: 1fr; }
    """

    def __init__(self, views: Mapping[str, ViewSpec[S]], state: S) -> None:
        super().__init__()
        self.views = views
        """The screen's views, by id; the first is shown first."""
        self.view_state = state
        """What every view is made from."""
        self._views: dict[str, Widget] = {}
        """The views built so far, by id."""
        self._waiting: set[str] = set()
        """The views waiting for the call graph."""

    # What each screen fills in ----------------------------------------------

    @property
    def selection(self) -> int | None:
        """What the views are brought to: a function number, or a diff row; None for nothing."""
        raise NotImplementedError

    def visit_selection(self) -> None:
        """Record the selection in the history: a view that follows it is being shown."""

    def _take_table_cursor(self) -> None:
        """Make the table's cursor the selection, before another view is shown."""

    def refresh_status(self) -> None:
        """Redraw what the header says (the view shown is among it)."""

    def selection_shown(self) -> None:
        """The views were brought to the selection (the history trail follows)."""

    def profiles(self) -> Iterable[Profile]:
        """The profiles whose call graph the views read."""
        return ()

    def warm_up(self) -> list[ProfileError]:
        """Get the profiles ready (in a thread); the bad caller records found."""
        return []

    # Building ---------------------------------------------------------------

    def compose_views(self) -> ComposeResult:
        """The views' switcher: a pane per view, its widget in it once built."""
        with ContentSwitcher(initial=next(iter(self.views))):
            for spec in self.views.values():
                if spec.built_on_first_show:
                    yield Container(id=spec.id)
                else:
                    widget = self._views[spec.id] = spec.make(self.view_state)
                    widget.id = spec.id
                    yield widget

    @work(thread=True, exclusive=True, group="warm")
    def warm(self) -> None:
        """Get the rest of the profiles ready after the first screen, off the UI thread."""
        for error in self.warm_up():
            self.notify(
                visible(f"{error}; callers and callees are not shown"),
                markup=False,
                title="Bad caller records",
                severity="error",
                timeout=12,
            )
        self.post_message(CallGraphReady())
        self.preload_views()

    def preload_views(self) -> None:
        """Import what the views not shown yet need (in the warm-up's thread)."""
        for spec in self.views.values():
            for name in spec.imports:
                # A module that fails here fails again, and is reported, on first show.
                with contextlib.suppress(Exception):
                    import_module(name)

    def call_graph_pending(self) -> bool:
        """Whether the warm-up is still building a call graph the views read."""
        return any(p.has_call_data and not p.call_graph_ready for p in self.profiles())

    def _build(self, spec: ViewSpec[S]) -> None:
        if spec.id in self._views:
            return
        pane = self.query_one(f"#{spec.id}", Container)
        if spec.needs_call_graph and self.call_graph_pending():
            # The view needs the callee index, which the warm-up is building:
            # wait for call_graph_ready() rather than block the screen.
            if not pane.query(".view-waiting"):
                pane.mount(Static(WAITING, id=f"{spec.id}-waiting", classes="view-waiting"))
            self._waiting.add(spec.id)
            return
        widget = self._views[spec.id] = spec.make(self.view_state)
        pane.mount(widget)

    @on(CallGraphReady)
    def call_graph_ready(self) -> None:
        """The callee index exists: fill what was waiting for it."""
        for spec in self.views.values():
            waiting = self.query(f"#{spec.id}-waiting")
            if waiting:
                waiting.remove()
                self._build(spec)
                if self.view == spec.id:
                    self.call_after_refresh(self._shown_late, spec.id)
                else:
                    self._waiting.discard(spec.id)
        for widget in self._views.values():
            as_view(widget).call_graph_ready()

    # Parts ------------------------------------------------------------------

    @property
    def view(self) -> str:
        """The id of the view shown: a key of ``views``."""
        return self.query_one(ContentSwitcher).current or next(iter(self.views))

    def view_widget(self, view: str) -> Widget | None:
        """The widget of view ``view``, once it was first shown."""
        return self._views.get(view)

    # Showing ----------------------------------------------------------------

    def action_view(self, view: str) -> None:
        """Show one of the views and focus it."""
        spec = self.views.get(view)
        if spec is None:
            return
        self._take_table_cursor()
        if spec.follows_selection:
            self.visit_selection()
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
            target = as_view(widget).focus_target() or widget
            await target.run_action(action)

    def holds_keys(self) -> bool:
        """Keys wait while the view shown waits for the call graph (``tuiprof.key_queue``).

        Typed slowly, they would have reached the view once it was up.
        """
        return self.view in self._waiting

    def _shown_late(self, view: str) -> None:
        self._waiting.discard(view)
        widget = self.view_widget(view)
        if widget is not None and self.view == view:
            as_view(widget).show_selection(self.selection)
            self._focus(view)

    def _focus(self, view: str) -> None:
        widget = self.view_widget(view)
        target = as_view(widget).focus_target() if widget is not None else None
        # Still waiting: keys must not move the hidden table's cursor.
        self.set_focus(target)

    def show_selection(self, *, skip: str | None = None) -> None:
        """Bring the views to the selection.

        Views that follow the selection are updated only while shown (the
        next show brings them up to date); the others (the table) always.
        """
        selection = self.selection
        for view, widget in self._views.items():
            if view != skip and (view == self.view or not self.views[view].follows_selection):
                as_view(widget).show_selection(selection)
        self.selection_shown()

    def percent_changed(self) -> None:
        """Tell every view built that the percent mode changed."""
        for widget in self._views.values():
            as_view(widget).percent_changed()
        self.refresh_status()


def as_view(widget: Widget) -> SessionView:
    """``widget`` as what the screen asks of a view."""
    # Every widget a registry makes offers SessionView's methods.
    view: SessionView = widget  # type: ignore[assignment]
    return view
