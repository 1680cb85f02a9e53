"""The tuiprof application: one profile, the selected function, the history.

Tests build it with a profile they made (``TuiprofApp(profile)``); the command
line gives it either a profile it already loaded or, for big inputs, the paths
to load in a thread while a loading indicator shows.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static
from textual.worker import get_current_worker

from tuiprof.commands import TuiprofCommands
from tuiprof.keymap import keymap_path, load_keymap
from tuiprof.messages import CallGraphReady, ProfileFailed, ProfileLoaded
from tuiprof.model.errors import ProfileError
from tuiprof.model.history import History
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.source import SourceFinder

if TYPE_CHECKING:
    from tuiprof.model.table import FunctionTableModel
    from tuiprof.screens.main import MainScreen


FREEZE_ABOVE = 20_000
"""Above this many functions, what warming builds is moved out of the collector's sight."""


class LoadingScreen(Screen[None]):
    """Shown while a big profile loads in a thread; shows why, if the load fails.

    ``q`` and ``ctrl+c`` (the app's) quit at any moment, also while loading.
    """

    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen > Static { width: auto; height: 1; }
    LoadingScreen > LoadingIndicator { height: 3; }
    """

    def __init__(self, paths: Sequence[str]) -> None:
        super().__init__()
        self.paths = paths

    def compose(self) -> ComposeResult:
        names = ", ".join(visible(Path(p).name) for p in self.paths)
        yield Static(f"loading {names}…", markup=False, id="loading-title")
        yield LoadingIndicator()

    def show_error(self, message: str) -> None:
        """The load failed: say why, in place of the loading indicator."""
        self.query_one(LoadingIndicator).display = False
        self.query_one("#loading-title", Static).update(
            Content(f"tuiprof: {visible(message)}   (q to quit)")
        )


class TuiprofApp(App[int]):
    """Explore one profile.

    | Key | Does |
    | :- | :- |
    | ? | Help: every key. |
    | q | Quit. |
    """

    CSS_PATH = "tuiprof.tcss"
    TITLE = "tuiprof"
    COMMANDS = App.COMMANDS | {TuiprofCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark", "help", "Help", key_display="?", tooltip="Help: every key", id="help"
        ),
        Binding("q", "quit", "Quit", tooltip="Quit", id="quit"),
        # Textual's own ctrl+c only says how to quit; here it quits, at any
        # moment (a priority binding: also in the filter box, also while loading).
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="interrupt"),
    ]

    selected: reactive[int] = reactive(-1, init=False, repaint=False)
    """The selected function's number; -1 when none is.

    No repaint of its own: the views show the selection, and a repaint of the
    whole screen on every cursor move would cost more than the move.
    """

    def __init__(
        self,
        profile: Profile | None = None,
        *,
        paths: Sequence[str] = (),
        source_finder: SourceFinder | None = None,
        source_roots: Sequence[str] = (),
        path_maps: Sequence[tuple[str, str]] = (),
        keymap_file: Path | None = None,
    ) -> None:
        super().__init__()
        if profile is None and not paths:
            raise ValueError("TuiprofApp needs a profile or paths to load")
        self.profile = profile
        self.paths = tuple(paths) or (profile.files if profile is not None else ())
        self._source_finder = source_finder
        self._source_roots = tuple(source_roots)
        self._path_maps = tuple(path_maps)
        self._keymap_file = keymap_file
        self.history = History()
        self.user_keys: dict[str, str] = {}
        """The user's key remapping, by binding id."""
        self.load_error: Exception | None = None
        """Set when the loading worker failed; the command line reports it."""

    # Start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self._apply_keymap()
        if self.profile is not None:
            self._open(self.profile)
        else:
            self.push_screen(LoadingScreen(self.paths))
            self._load(self.paths)

    def _apply_keymap(self) -> None:
        path = keymap_path() if self._keymap_file is None else self._keymap_file
        if not path.is_file():
            # Nothing to remap; the binding ids would import every screen.
            return
        from tuiprof.screens.help import binding_ids

        result = load_keymap(path, binding_ids())
        self.user_keys = result.keys
        if result.keys:
            self.set_keymap(result.keys)
        for notice in result.notices:
            self.notify(
                visible(notice), title="Keymap", severity="warning", timeout=8, markup=False
            )

    @work(thread=True, exclusive=True, group="load")
    def _load(self, paths: Sequence[str]) -> None:
        # The load runs in a daemon thread of its own, which this worker waits
        # for: quitting cancels the worker at once, and the process does not
        # wait for the load (Textual's worker threads are joined at exit).
        outcome: list[Profile | Exception] = []
        loading = threading.Thread(
            target=_load_into, args=(paths, outcome), name="tuiprof-load", daemon=True
        )
        loading.start()
        worker = get_current_worker()
        while loading.is_alive():
            loading.join(0.05)
            if worker.is_cancelled:
                return
        result = outcome[0] if outcome else RuntimeError("the load stopped")
        if isinstance(result, Exception):  # reported as one line by the command line
            self.post_message(ProfileFailed(result))
        else:
            self.post_message(ProfileLoaded(result))

    def on_profile_loaded(self, message: ProfileLoaded) -> None:
        self._open(message.profile)

    def on_call_graph_ready(self, message: CallGraphReady) -> None:
        screen = self.main_screen
        if screen is not None:
            screen.call_graph_ready()

    def on_profile_failed(self, message: ProfileFailed) -> None:
        """Say why on the loading screen; quitting then exits with status 2."""
        self.load_error = message.error
        if isinstance(self.screen, LoadingScreen):
            self.screen.show_error(str(message.error))
        else:
            self.exit(2, return_code=2)

    async def action_quit(self) -> None:
        """Quit: status 2 when the input failed to load, else 0."""
        status = 2 if self.load_error is not None else 0
        self.exit(status, return_code=status)

    def _open(self, profile: Profile) -> None:
        from tuiprof.screens.main import MainScreen

        self.profile = profile
        screen = MainScreen(profile)
        if isinstance(self.screen, LoadingScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @work(thread=True, exclusive=True, group="warm")
    def warm(self, model: FunctionTableModel) -> None:
        """Get the rest of the profile ready after the first screen, off the UI thread.

        Checks the caller records the load left unchecked (a bad one becomes a
        notification), sorts every column and indexes names (the first sort of
        300,000 functions by a new column takes longer than a keystroke
        should), and builds the callee index, then says so with
        :class:`CallGraphReady`.
        """
        profile = model.profile
        try:
            profile.check_edges()
        except ProfileError as error:
            # The profile now holds no edges; the functions stay browsable.
            self.notify(
                visible(f"{error}; callers and callees are not shown"),
                markup=False,
                title="Bad caller records",
                severity="error",
                timeout=12,
            )
        model.prepare()
        profile.callee_index()
        self.post_message(CallGraphReady())
        if len(profile) >= FREEZE_ABOVE:
            # The callee index and sort orders live as long as the app; out of
            # the collector's sight, full collections stop walking them.
            gc.freeze()

    @property
    def source_finder(self) -> SourceFinder:
        """Finds the profile's source files on this machine; made on first use."""
        if self._source_finder is None:
            files = self.profile.files if self.profile is not None else ()
            self._source_finder = SourceFinder(files, self._source_roots, self._path_maps)
        return self._source_finder

    @property
    def main_screen(self) -> MainScreen | None:
        from tuiprof.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    # Selection and history -------------------------------------------------------

    def select(self, fid: int) -> None:
        """Make ``fid`` the selected function without a history step."""
        self.selected = fid

    def go_to(self, fid: int) -> None:
        """Select ``fid`` and record the visit in the history."""
        if self.profile is None or not 0 <= fid < len(self.profile):
            return
        self.history.visit(fid)
        self.selected = fid
        self._show_selection()

    def back(self) -> bool:
        """Step back in the history; False when there is nowhere to go."""
        fid = self.history.back()
        if fid < 0:
            return False
        self.selected = fid
        self._show_selection()
        return True

    def forward(self) -> bool:
        """Step forward in the history; False when there is nowhere to go."""
        fid = self.history.forward()
        if fid < 0:
            return False
        self.selected = fid
        self._show_selection()
        return True

    def _show_selection(self) -> None:
        screen = self.main_screen
        if screen is not None:
            screen.show_selection(self.selected)

    # Other screens -----------------------------------------------------------------

    def action_help(self) -> None:
        from tuiprof.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_export(self, filter_text: str = "") -> None:
        """The export dialog (``e``), for the whole profile, the selection or the filter."""
        from tuiprof.screens.export_dialog import ExportDialog

        if self.profile is None:
            return
        selected = self.selected if self.selected >= 0 else None
        self.push_screen(ExportDialog(self.profile, selected, filter_text))


def _load_into(paths: Sequence[str], outcome: list[Profile | Exception]) -> None:
    from tuiprof.model.loaders import load_profile

    try:
        # The caller records of one big file are checked by warm() after the
        # first screen; everything the first screen shows is checked here.
        outcome.append(load_profile(paths, check_edges=False))
    except Exception as error:
        outcome.append(error)
