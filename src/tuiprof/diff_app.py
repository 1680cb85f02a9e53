"""The app that hosts the diff screen (``tuiprof diff`` on a terminal).

The diff screen owns its two profiles' state, so this app only starts it,
quits, and shows the keys (``?``).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuiprof.model.diff import ProfileDiff
from tuiprof.model.source import SourceFinder


class DiffHelpScreen(ModalScreen[None]):
    """Every key of the diff screen, from its bindings (``escape`` or ``?`` closes)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="diff.help_close"),
    ]

    DEFAULT_CSS = """
    DiffHelpScreen { align: center middle; }
    DiffHelpScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        from tuiprof.screens.diff import DiffScreen

        lines = ["tuiprof diff: keys", ""]
        for binding in DiffScreen.BINDINGS:
            assert isinstance(binding, Binding)
            keys = ", ".join(
                self.app.get_key_display(Binding(k, "")) for k in binding.key.split(",")
            )
            lines.append(f"{keys:>22}  {binding.tooltip or binding.description}")
        lines.append(f"{'enter':>22}  Go to the function under the cursor")
        with VerticalScroll():
            yield Static("\n".join(lines), markup=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


class DiffApp(App[int]):
    """Compare two profiles on one screen."""

    CSS_PATH = "tuiprof.tcss"
    TITLE = "tuiprof diff"

    def __init__(
        self, diff: ProfileDiff, finders: tuple[SourceFinder, SourceFinder] | None = None
    ) -> None:
        super().__init__()
        self.diff = diff
        self.finders = finders

    def on_mount(self) -> None:
        from tuiprof.screens.diff import DiffScreen

        self._apply_keymap()
        self.push_screen(DiffScreen(self.diff, self.finders))

    def _apply_keymap(self) -> None:
        # The user's keymap.toml remaps the diff screen's binding ids (diff.*);
        # ids of other screens in it are the explorer's, not unknown here.
        from tuiprof.keymap import keymap_path, load_keymap

        path = keymap_path()
        if not path.is_file():
            return
        result = load_keymap(path)
        keys = {bid: key for bid, key in result.keys.items() if bid.startswith("diff.")}
        if keys:
            self.set_keymap(keys)

    def action_help(self) -> None:
        if not isinstance(self.screen, DiffHelpScreen):
            self.push_screen(DiffHelpScreen())
