"""Every use of Textual's internals, in one place, each with why.

Textual is pinned exactly (``pyproject.toml``): on an upgrade, this module is
what to read again. Nothing else in tuiprof calls a private Textual name or
overrides an undocumented hook.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
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


def grow_virtual_size(view: ScrollView, size: Size) -> None:
    """Set ``view``'s virtual size; the screen is laid out again only if it has to be.

    ``virtual_size`` is a reactive that asks for a layout of the screen on
    every change. When the size grows and no scrollbar appears or goes (the
    icicle building rows as it scrolls, or its first rows on a screen they
    fit), a repaint is enough: ``set_reactive`` sets it without the layout,
    ``_refresh_scrollbars`` (private) says whether a scrollbar changes.
    Anything else (a smaller size, which may move the scroll offset) takes the
    reactive's own way.
    """
    old = view.virtual_size
    if size == old:
        return
    shown = (view.show_horizontal_scrollbar, view.show_vertical_scrollbar)
    if size.width < old.width or size.height < old.height or not view.container_size:
        view.virtual_size = size
        view._refresh_scrollbars()
        return
    view.set_reactive(Widget.virtual_size, size)
    view._refresh_scrollbars()
    if (view.show_horizontal_scrollbar, view.show_vertical_scrollbar) != shown:
        view.refresh(layout=True)
        return
    view.refresh()
    if view.show_vertical_scrollbar:
        view.vertical_scrollbar.refresh()
    if view.show_horizontal_scrollbar:
        view.horizontal_scrollbar.refresh()


# The footer ----------------------------------------------------------------------
#
# ``Screen.bindings_updated_signal`` (undocumented) is what Textual's own
# ``Footer`` listens to: published whenever the focus or the bindings change.
# ``tuiprof.views.keys_footer`` draws the keys itself rather than recomposing
# Textual's footer (a widget per key) on every change.


def on_bindings_changed(widget: Widget, callback: Callable[[Screen[object]], None]) -> None:
    """Call ``callback`` with the screen each time its bindings (or the focus) change."""
    widget.screen.bindings_updated_signal.subscribe(widget, callback)
