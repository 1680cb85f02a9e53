"""Every action of the explorer, in the command palette (``ctrl+p``)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Show the function table", "screen.view('functions')", "f"),
    ("Show callers and callees", "screen.view('callers')", "c"),
    ("Show the call tree", "screen.view('tree')", "t"),
    ("Show the source", "screen.view('source')", "s"),
    ("Show the icicle of the call tree", "screen.icicle", "g"),
    ("Sort by ncalls", "screen.sort('ncalls')", "1"),
    ("Sort by tottime", "screen.sort('tottime')", "2"),
    ("Sort by tottime per call", "screen.sort('percall')", "3"),
    ("Sort by cumtime", "screen.sort('cumtime')", "4"),
    ("Sort by cumtime per call", "screen.sort('cumpercall')", "5"),
    ("Sort by name", "screen.sort('name')", "6"),
    ("Filter the function table", "screen.filter", "/"),
    ("Hide or show the import system", "screen.toggle_hidden('import_system')", "i"),
    ("Hide or show the standard library", "screen.toggle_hidden('stdlib')", "l"),
    ("Hide or show built-ins", "screen.toggle_hidden('builtins')", "b"),
    ("Toggle percentages of the total", "screen.toggle_percent", "%"),
    ("Back in the history", "screen.back", "backspace"),
    ("Forward in the history", "screen.forward", "alt+right"),
    ("Export", "screen.export", "e"),
    ("Help: every key", "app.help", "?"),
    ("Quit", "app.quit", "q"),
)
"""(title, action, default key) for each palette command."""


class TuiprofCommands(Provider):
    """The explorer's actions, by name."""

    def _available(self) -> list[tuple[str, str, str]]:
        from tuiprof.screens.main import MainScreen

        on_main = isinstance(self.screen, MainScreen)
        return [c for c in COMMANDS if on_main or not c[1].startswith("screen.")]

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
