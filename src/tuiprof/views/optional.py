"""The call tree and source views, built by their own modules when present.

Each is imported on first use: opening a profile never pays for them, and a
missing module shows a note instead of failing.
"""

from __future__ import annotations

import importlib
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from tuiprof.model.profile import Profile


def _placeholder(text: str) -> Widget:
    return Static(text, classes="placeholder", markup=False)


def optional_class(module: str, name: str) -> Any:
    """``module.name``, or None when that module is not part of this build."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def make_call_tree(profile: Profile, finder: Any) -> Widget:
    """The call tree widget for ``profile``."""
    tree_view = optional_class("tuiprof.views.call_tree", "CallTreeView")
    if tree_view is None:
        return _placeholder("The call tree is not available in this build.")
    tree: Widget = tree_view(profile)
    return tree


def make_source_view(profile: Profile, finder: Any) -> Widget:
    """The source view for ``profile``."""
    source_view = optional_class("tuiprof.views.source_view", "SourceView")
    if source_view is None:
        return _placeholder("The source view is not available in this build.")
    if finder is None:
        return _placeholder("No source finder: source lookup is not available.")
    view: Widget = source_view(profile, finder)
    return view


def show_source(pane: Widget, fid: int) -> None:
    """Point the source view mounted in ``pane`` at ``fid``."""
    for child in pane.children:
        show = getattr(child, "show_function", None)
        if callable(show):
            show(fid)


def reveal_in_tree(pane: Widget, fid: int) -> None:
    """Open the call tree mounted in ``pane`` down to ``fid``."""
    if fid < 0:
        return
    for child in pane.children:
        reveal = getattr(child, "reveal", None)
        if callable(reveal):
            reveal(fid)


def make_source_finder(profile: Profile, source_roots: Any = (), path_maps: Any = ()) -> Any:
    """A ``SourceFinder`` for the profile's files, or None when the module is missing."""
    finder = optional_class("tuiprof.model.source", "SourceFinder")
    if finder is None:
        return None
    return finder(profile.files, tuple(source_roots), tuple(path_maps))
