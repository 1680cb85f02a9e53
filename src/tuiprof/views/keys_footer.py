"""The footer: the keys of what has the focus, drawn as one line by one widget.

Textual's ``Footer`` removes and mounts a widget per key whenever the keys
change (every switch between views with different keys): restyling a dozen
new widgets and laying out the screen again cost about 70 ms at 200x50, more
than the rest of a view switch. This footer draws the same line (Textual's
compact style: the key in bold, a space, its description, one column between
keys, the palette key on the right behind a thin bar) from one widget, whose
line is redrawn without a layout when the keys change. A click on a key
presses it, as on Textual's footer; the key under the mouse is highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from tuiprof.views._textual_hacks import on_bindings_changed

BAR = "▏"
"""Between the keys and the palette key (Textual's ``vkey`` left border)."""


@dataclass(frozen=True, slots=True)
class FooterKey:
    """One key shown: what is pressed, what is drawn, what it does."""

    key: str
    display: str
    description: str
    enabled: bool

    @property
    def width(self) -> int:
        text = f"{self.display} {self.description}" if self.description else self.display
        return Text(text).cell_len


@dataclass(frozen=True, slots=True)
class Span:
    """Where a key is drawn on the line."""

    start: int
    end: int
    key: FooterKey


def shown_keys(screen: Screen[object]) -> tuple[list[FooterKey], FooterKey | None]:
    """The keys the footer shows for ``screen`` now, and the palette key (or None).

    As Textual's footer: the bindings marked to be shown, one per action (the
    first), the palette key apart.
    """
    app = screen.app
    palette_binding = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
    keys: list[FooterKey] = []
    actions: set[str] = set()
    palette: FooterKey | None = None
    for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
        if key == palette_binding:
            palette = FooterKey(
                binding.key, app.get_key_display(binding), binding.description, enabled
            )
        elif binding.show and binding.action not in actions:
            actions.add(binding.action)
            keys.append(
                FooterKey(binding.key, app.get_key_display(binding), binding.description, enabled)
            )
    return keys, palette


class KeysFooter(Widget):
    """The keys of what has the focus, on the bottom line."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--bar",
        "keys-footer--hover",
    }

    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-footer--bar { color: $foreground 20%; }
        & > .keys-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[FooterKey] = []
        """The keys shown, left to right, without the palette key."""
        self.palette: FooterKey | None = None
        self._spans: list[Span] = []
        self._hover: FooterKey | None = None

    @property
    def labels(self) -> list[str]:
        """The descriptions of the keys that fit on the line, left to right (palette key last)."""
        return [span.key.description for span in self._spans]

    def on_mount(self) -> None:
        on_bindings_changed(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        keys, palette = shown_keys(screen)
        if keys != self.keys or palette != self.palette:
            self.keys, self.palette = keys, palette
            self.refresh()  # one line, always: no layout

    # Drawing ----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        gap = Style(bgcolor=self.rich_style.bgcolor)
        if y != 0 or width <= 0:
            return Strip.blank(width, gap)
        segments: list[Segment] = []
        spans: list[Span] = []
        palette_width = self.palette.width + 2 if self.palette is not None else 0  # bar, padding
        room = width - palette_width if palette_width <= width else width
        at = 0
        for key in self.keys:
            if at >= room:
                break
            at = self._draw(key, at, segments, spans)
            segments.append(Segment(" ", gap))  # the column between keys
            at += 1
        line = Strip(segments).crop_extend(0, room, gap)
        if self.palette is not None and palette_width <= width:
            segments = [Segment(BAR, self.get_component_rich_style("keys-footer--bar"))]
            self._draw(self.palette, room + 1, segments, spans)
            segments.append(Segment(" ", gap))
            line = Strip.join([line, Strip(segments)])
        self._spans = [span for span in spans if span.start < width]
        return line

    def _draw(self, key: FooterKey, at: int, segments: list[Segment], spans: list[Span]) -> int:
        """Add ``key``'s segments and span at column ``at``; the column after it."""
        style = self.get_component_rich_style
        hovered = key == self._hover
        dim = Style(dim=True) if not key.enabled else Style()
        key_style = style("keys-footer--hover" if hovered else "keys-footer--key")
        segments.append(Segment(key.display, key_style + dim))
        if key.description:
            text_style = style("keys-footer--hover" if hovered else "keys-footer--description")
            segments.append(Segment(" " + key.description, text_style + dim))
        spans.append(Span(at, at + key.width, key))
        return at + key.width

    # The mouse --------------------------------------------------------------

    def _key_at(self, x: int) -> FooterKey | None:
        return next((span.key for span in self._spans if span.start <= x < span.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
