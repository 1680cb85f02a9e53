"""Every use of Textual's internals, in one place, each with why.

Textual is pinned exactly (``pyproject.toml``): on an upgrade, this module is
what to read again. Nothing else in tuiprof calls a private Textual name or
overrides an undocumented hook.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widgets import Footer


def refresh_scrollbars_now(view: ScrollView) -> None:
    """Show or hide ``view``'s scrollbars in the layout that is coming.

    ``ScrollView._refresh_scrollbars`` (private): without it, a new virtual
    size shows its scrollbars only in a second layout, which the first one
    asks for, and a big table lays out twice.
    """
    view._refresh_scrollbars()


# The footer ----------------------------------------------------------------------
#
# Textual's ``Footer`` recomposes (removes and mounts a widget per key) on every
# focus change. Moving between the function table and the callers table shows
# the same keys, and the rebuild cost more than the view switch itself: it
# restyled every new key widget and left them behind as cyclic garbage for the
# next full collection. ``Footer.bindings_changed`` is the (undocumented) hook
# Textual calls on such a change; ``KeysFooter`` overrides it.


def shown_keys(screen: Screen[object]) -> tuple[Hashable, ...]:
    """What the footer would show for ``screen``'s bindings now."""
    get_key_display = screen.app.get_key_display
    return tuple(
        (
            binding.key,
            get_key_display(binding),
            binding.action,
            binding.description,
            binding.group,
            enabled,
            tooltip,
        )
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeysFooter(Footer):
    """A compact ``Footer`` that skips the rebuild when the shown keys are the same.

    Compact (one space between keys, none around a key): at 80 columns the
    main screen's table then shows every view's key, the filter and back.
    """

    # Textual's compact style gives every key a right margin, the palette key
    # docked on the right too: its last column then shows the keys under it.
    DEFAULT_CSS = """
    KeysFooter.-compact FooterKey.-command-palette { margin-right: 0; padding-right: 1; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: tuple[Hashable, ...] | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = shown_keys(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
