"""The diff screen's views, one entry each, as :mod:`tuiprof.views.registry` lists the main one's.

Each is made from the screen's :class:`~tuiprof.model.diff_session.DiffSession`,
and the selection the screen brings them to is a diff row. Adding a view is
its widget's file, one :class:`~tuiprof.views.registry.ViewSpec` in
:data:`DIFF_VIEWS` and its key (``view('ID')``) in
:data:`~tuiprof.diff_actions.DIFF_KEYS`.
"""

from __future__ import annotations

from textual.widget import Widget

from tuiprof.model.diff_session import DiffSession
from tuiprof.views.registry import ViewSpec


def _functions(state: DiffSession) -> Widget:
    from tuiprof.views.diff_functions import DiffFunctionsPane

    return DiffFunctionsPane(state)


def _callers(state: DiffSession) -> Widget:
    from tuiprof.views.diff_edges import DiffEdgesView

    return DiffEdgesView(state)


def _source(state: DiffSession) -> Widget:
    from tuiprof.views.diff_source import DiffSourceView

    return DiffSourceView(state.diff, state.finders)


def _icicle(state: DiffSession) -> Widget:
    from tuiprof.views.diff_icicle import DiffIcicleView

    return DiffIcicleView(state)


DIFF_VIEWS: dict[str, ViewSpec[DiffSession]] = {
    spec.id: spec
    for spec in (
        ViewSpec(
            "functions",
            "diff",
            _functions,
            follows_selection=False,
            built_on_first_show=False,
            choose_opens="callers",
        ),
        ViewSpec("callers", "callers/callees", _callers, built_on_first_show=False),
        ViewSpec("source", "source", _source, built_on_first_show=False),
        ViewSpec(
            "icicle",
            "icicle of the after run",
            _icicle,
            needs_call_graph=True,
            imports=("tuiprof.views.diff_icicle",),
        ),
    )
}
"""Every view of the diff screen, by id, in the order of their keys."""
