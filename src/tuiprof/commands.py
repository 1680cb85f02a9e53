"""Every action of the explorer in the command palette (``ctrl+p``), with its live key.

The commands are the actions of :data:`~tuiprof.actions.ACTIONS` that have a
palette title; each shows the key it has now (the user's keymap included).
An action is offered where it can run: one of the app anywhere, one of a
screen on a screen that has it.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tuiprof.actions import ACTIONS, Action, key_text

PART_TARGETS: dict[str, str] = {
    "app": "app.{action}",
    "main": "screen.{action}",
    "sort": "screen.{action}",
    "tree": "screen.in_view('tree', {action!r})",
    "source": "screen.in_view('source', {action!r})",
    "icicle": "screen.in_view('icicle', {action!r})",
    "diff": "screen.{action}",
}
"""How the palette runs an action of each part: the app's and the screen's in
their own namespace, a view's on that view (shown first). An action that is
not the app's runs on a screen whose ``PALETTE_PARTS`` name its part."""


def palette_action(action: Action) -> str:
    """The action string the palette runs for ``action``."""
    return PART_TARGETS[action.part].format(action=action.action)


class TuiprofCommands(Provider):
    """The explorer's actions, by name."""

    def _available(self) -> list[tuple[str, str, str]]:
        """(title, action string, key text) of each command that can run on this screen."""
        app = self.app
        user_keys: dict[str, str] = getattr(app, "user_keys", {})

        def display(key: str) -> str:
            return app.get_key_display(Binding(key, ""))

        found = []
        for action in ACTIONS:
            if not action.palette or action.part not in PART_TARGETS:
                continue
            run = palette_action(action)
            namespace, _, rest = run.partition(".")
            name = rest.split("(", 1)[0]
            target = app if namespace == "app" else self.screen
            if target is not app and action.part not in getattr(target, "PALETTE_PARTS", ()):
                continue
            if not hasattr(target, f"action_{name}"):
                continue
            found.append((action.palette, run, key_text(action, user_keys, display)))
        return found

    async def discover(self) -> Hits:
        for title, action, key in self._available():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, key in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    help=f"key: {key}",
                )
