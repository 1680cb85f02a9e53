"""The views of a profile, one entry each: the main screen shows whichever is chosen.

A view is a widget over what its screen shows (the main screen's
:class:`~tuiprof.model.session.Session`, the diff screen's
:class:`~tuiprof.model.diff_session.DiffSession`) that offers
:class:`SessionView`'s four methods. Adding a view is its widget's file and one
:class:`ViewSpec` in a screen's table: :data:`VIEWS` here, ``DIFF_VIEWS`` in
:mod:`tuiprof.views.diff_registry`; the key that shows it is an
:class:`~tuiprof.actions.Action` (``view('ID')``) in the screen's part. A
screen shows them with :class:`~tuiprof.screens.views_screen.ViewsScreen`'s
one loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from textual.widget import Widget

from tuiprof.model.session import Session

S = TypeVar("S")
"""What a screen's views are made from: a ``Session``, or a ``DiffSession``."""


class SessionView(Protocol):
    """What the screen asks of every view."""

    def show_selection(self, fid: int | None) -> None:
        """Bring the view to the selection (None: nothing is selected).

        The selection is the screen's: a function number of the main screen's
        session, a row of the diff screen's diff.
        """

    def focus_target(self) -> Widget | None:
        """The widget that takes the keys when the view is shown."""

    def percent_changed(self) -> None:
        """The session's percent mode changed."""

    def call_graph_ready(self) -> None:
        """The warm-up built the callee index."""


@dataclass(frozen=True)
class ViewSpec(Generic[S]):
    """One view of a screen."""

    id: str
    """The view's name in ``view('ID')`` and the id of its pane."""
    title: str
    """How the status header names it."""
    make: Callable[[S], Widget]
    """Builds the view's widget (which must offer :class:`SessionView`) from the screen's state."""
    follows_selection: bool = True
    """Shows the selected function: showing the view records it in the history,
    and while shown the view is brought to each new selection. A view that does
    not follow (the function table) is where the selection is picked; it is
    kept on the selection whether shown or not."""
    built_on_first_show: bool = True
    """Built the first time it is shown, not with the screen."""
    starts_at_selection: bool = True
    """Brought to the selection when first shown; False: starts at its own top
    (the tree, at its roots) and follows from the second show on."""
    needs_call_graph: bool = False
    """Waits for the callee index (a placeholder shows meanwhile)."""
    choose_opens: str | None = None
    """The view that ``enter`` on a function opens from this one, if any."""
    imports: tuple[str, ...] = ()
    """Modules its widget needs that the first screen does not: the screen's
    warm-up imports them in its thread, so the first show does not wait for them."""
    about: str | None = None
    """What the status header says of the view's order; None: the function
    table's sort and filter (which only that table follows)."""


def _functions(session: Session) -> Widget:
    from tuiprof.views.functions_pane import FunctionsPane

    return FunctionsPane(session)


def _callers(session: Session) -> Widget:
    from tuiprof.views.callers import CallersView

    return CallersView(session)


def _tree(session: Session) -> Widget:
    from tuiprof.views.call_tree import CallTreeView

    return CallTreeView(session)


def _source(session: Session) -> Widget:
    # Imported on first show: highlighting pulls in Pygments, which a profile
    # opened only for its table never needs.
    from tuiprof.views.source_view import SourceView

    return SourceView(session)


def _icicle(session: Session) -> Widget:
    from tuiprof.views.icicle import IcicleView

    return IcicleView(session)


VIEWS: dict[str, ViewSpec[Session]] = {
    spec.id: spec
    for spec in (
        ViewSpec(
            "functions",
            "functions",
            _functions,
            follows_selection=False,
            built_on_first_show=False,
            choose_opens="callers",
        ),
        ViewSpec(
            "callers",
            "callers/callees",
            _callers,
            built_on_first_show=False,
            about="each list sorted by its marked column",
        ),
        ViewSpec(
            "tree",
            "call tree",
            _tree,
            starts_at_selection=False,
            needs_call_graph=True,
            imports=("tuiprof.views.call_tree",),
            about="children by cumtime, largest first",
        ),
        ViewSpec("source", "source", _source, imports=("tuiprof.views.source_view",), about=""),
        ViewSpec(
            "icicle",
            "icicle",
            _icicle,
            needs_call_graph=True,
            imports=("tuiprof.views.icicle",),
            about="widths by cumtime, largest first",
        ),
    )
}
"""Every view of the main screen, by id, in the order of their keys."""
