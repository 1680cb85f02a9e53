"""The tuiprof application: loading, the keymap, the palette and the screen stack.

Each opened profile is a :class:`~tuiprof.model.session.Session` owned by the
screen that shows it. Tests build the app with a profile they made
(``TuiprofApp(profile)``); the command line gives it either a profile it
already loaded or, for big inputs, the paths to load in a thread while a
loading indicator shows. ``tuiprof diff`` gives it a diff of two runs
(``TuiprofApp(diff=diff)``), shown on a diff screen.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static
from textual.worker import get_current_worker

from tuiprof.actions import ACTIONS, DIFF_SECTION, binding_ids, bindings_for
from tuiprof.commands import TuiprofCommands
from tuiprof.key_queue import KeyQueue
from tuiprof.keymap import keymap_path, load_keymap
from tuiprof.messages import ProfileFailed, ProfileLoaded
from tuiprof.model.diff import ProfileDiff
from tuiprof.model.diff_session import DiffSession
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.model.session import Session
from tuiprof.model.source import SourceFinder
from tuiprof.screens.diff import DiffScreen
from tuiprof.screens.help import HelpScreen
from tuiprof.screens.main import MainScreen
from tuiprof.supervise import quit_key_during_decodes

if TYPE_CHECKING:
    from tuiprof.record.recording import Recording


class LoadingScreen(Screen[None]):
    """Shown while a big profile loads in a thread; shows why, if the load fails.

    ``q`` and ``ctrl+c`` (the app's) quit at any moment, also while loading.
    Other keys typed meanwhile wait, in order, in the app's key queue
    (:mod:`tuiprof.key_queue`) and act on the main screen once it is up, so a
    ``4`` pressed while loading sorts as it would a second later.
    """

    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen > Static { width: auto; height: 1; }
    LoadingScreen > LoadingIndicator { height: 3; }
    """

    def __init__(self, paths: Sequence[str]) -> None:
        super().__init__()
        self.paths = paths

    def holds_keys(self) -> bool:
        """Keys wait for the main screen (see :class:`~tuiprof.key_queue.HoldsKeys`)."""
        return True

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
    BINDINGS: ClassVar[list[BindingType]] = bindings_for("app")

    def __init__(
        self,
        profile: Profile | None = None,
        *,
        paths: Sequence[str] = (),
        source_finder: SourceFinder | None = None,
        source_roots: Sequence[str] = (),
        path_maps: Sequence[tuple[str, str]] = (),
        keymap_file: Path | None = None,
        recording: Recording | None = None,
        diff: ProfileDiff | None = None,
        diff_finders: tuple[SourceFinder, SourceFinder] | None = None,
    ) -> None:
        super().__init__()
        if profile is None and not paths and diff is None:
            raise ValueError("TuiprofApp needs a profile, paths to load or a diff")
        self.profile = profile
        """The profile to open, when it was loaded before the app started."""
        self.diff = diff
        """The two runs to compare, for ``tuiprof diff``."""
        if diff is not None:
            self.title = "tuiprof diff"
        self._diff_finders = diff_finders
        self.paths = tuple(paths) or (profile.files if profile is not None else ())
        self._source_finder = source_finder
        self._source_roots = tuple(source_roots)
        self._path_maps = tuple(path_maps)
        self._keymap_file = keymap_file
        self.user_keys: dict[str, str] = {}
        """The user's key remapping, by binding id."""
        self.load_error: Exception | None = None
        """Set when the loading worker failed; the command line reports it."""
        self.recording = recording
        """The run ``tuiprof record`` just profiled, or None for a file opened as it is."""
        self.key_queue = KeyQueue(self, self._is_quit_key)
        """The keys received and not yet handled: each acts once the keys before it have."""
        self._quit_keys = quit_keys({})

    # Start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self._apply_keymap()
        # A decode holds the screen still: the terminal sends this key as a signal then.
        quit_key_during_decodes(self._quit_keys)
        if self.diff is not None:
            self.push_screen(DiffScreen(DiffSession(self.diff, self._diff_finders)))
        elif self.profile is not None:
            self._open(self.profile)
        else:
            self.push_screen(LoadingScreen(self.paths))
            self._load(self.paths)

    def _apply_keymap(self) -> None:
        path = keymap_path() if self._keymap_file is None else self._keymap_file
        if not path.is_file():
            return
        result = load_keymap(path, binding_ids())
        self.user_keys = result.keys
        self._quit_keys = quit_keys(result.keys)
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
        session = Session(
            profile,
            source_finder=self._source_finder,
            source_roots=self._source_roots,
            path_maps=self._path_maps,
        )
        screen = MainScreen(session)
        if isinstance(self.screen, LoadingScreen):
            # The keys typed meanwhile wait in the key queue until this screen is up.
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        hint = self.recording.compare_hint if self.recording is not None else None
        if hint is not None:
            self.notify(
                f"The run before is kept. Compare: {visible(hint)}",
                title="Recorded",
                timeout=12,
                markup=False,
            )

    # Keys ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Each key the app receives goes through the key queue: it acts once
        # the keys before it have (see tuiprof.key_queue).
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and not self.key_queue.intercept(event)
        ):
            return
        await super().on_event(event)

    def _is_quit_key(self, key: str) -> bool:
        """Is ``key`` bound to quitting now? Those keys are never held."""
        return key in self._quit_keys

    # Other screens -----------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            # The diff screen's own keys first there (its module is loaded if it is shown).
            diff = sys.modules.get("tuiprof.screens.diff")
            on_diff = diff is not None and isinstance(self.screen, diff.DiffScreen)
            self.push_screen(HelpScreen(self.user_keys, first=DIFF_SECTION if on_diff else None))


def quit_keys(user_keys: dict[str, str]) -> frozenset[str]:
    """The keys that quit, with the user's keymap: Textual's ``ctrl+q`` and the table's."""
    keys = {"ctrl+q"}
    for action in ACTIONS:
        if action.action == "quit":
            keys.update(key.strip() for key in user_keys.get(action.id, action.keys).split(","))
    return frozenset(keys)


def _load_into(paths: Sequence[str], outcome: list[Profile | Exception]) -> None:
    from tuiprof.model.loaders import load_profile

    try:
        # The caller records of one big file are checked by the warm-up after
        # the first screen; everything the first screen shows is checked here.
        outcome.append(load_profile(paths, check_edges=False))
    except Exception as error:
        outcome.append(error)
