"""Every use of Textual's internals, in one place, each with why.

Textual is pinned exactly (``pyproject.toml``): on an upgrade, this module is
what to read again. Nothing else in tuiprof calls a private Textual name or
overrides an undocumented hook.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget


def refresh_scrollbars_now(view: ScrollView) -> None:
    """Show or hide ``view``'s scrollbars in the layout that is coming.

    ``ScrollView._refresh_scrollbars`` (private): without it, a new virtual
    size shows its scrollbars only in a second layout, which the first one
    asks for, and a big table lays out twice.
    """
    view._refresh_scrollbars()


# The footer ----------------------------------------------------------------------
#
# ``Screen.bindings_updated_signal`` (undocumented) is what Textual's own
# ``Footer`` listens to: published whenever the focus or the bindings change.
# ``tuiprof.views.keys_footer`` draws the keys itself rather than recomposing
# Textual's footer (a widget per key) on every change.


def on_bindings_changed(widget: Widget, callback: Callable[[Screen[object]], None]) -> None:
    """Call ``callback`` with the screen each time its bindings (or the focus) change."""
    widget.screen.bindings_updated_signal.subscribe(widget, callback)
