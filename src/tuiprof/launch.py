"""Open the explorer: check the inputs, load them, run the app.

Every input problem is found before the screen opens and raised as a
:class:`ProfileError` (one line, exit status 2 in ``cli.main``). Small inputs
load, fully checked, here, before the app starts; big ones are checked (read
and sniffed) here and loaded in the app's worker behind a loading indicator.
If that load fails, the loading screen says why until the user quits; the
exit status is then 2 and the line is printed on stderr as well. An exception
inside the app (Textual prints its traceback) gives exit status 1, never 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tuiprof.ending import ends_without_freeing, keep_until_exit
from tuiprof.export.atomic import exports_in_progress
from tuiprof.model.errors import ProfileError
from tuiprof.model.marshal_child import stop_children
from tuiprof.model.source import check_source_roots, parse_path_maps

if TYPE_CHECKING:
    from textual.app import App

    from tuiprof.record.recording import Recording

BIG_INPUT_BYTES = 20 * 1024 * 1024
"""Above this many bytes in total, load in the app with a loading indicator."""


def check_inputs(paths: Sequence[str]) -> None:
    """Check that each input is a readable profile by its first bytes.

    For inputs big enough to load behind the loading screen: the full read
    happens once, in the app. :class:`ProfileError` on any problem.
    """
    from tuiprof.model.loaders.sniff import SNIFF_BYTES, describe, read_input, sniff

    for path in paths:
        if sniff(read_input(path, SNIFF_BYTES)) is None:
            # Rare: read it all, so the message can tell JSON from text.
            raise ProfileError(path, describe(read_input(path), path))


def _total_size(paths: Sequence[str]) -> int:
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            return 0  # read_input reports it properly
    return total


EXIT_NO_TERMINAL = 2


def on_a_terminal() -> bool:
    """Whether standard input and output are both a terminal, as the explorer needs."""
    streams = (sys.__stdin__, sys.__stdout__)
    try:
        return all(stream is not None and stream.isatty() for stream in streams)
    except (ValueError, OSError):
        return False


def run_explorer(options: argparse.Namespace, *, recording: Recording | None = None) -> int:
    """Open the explorer on ``options.files``; the exit status.

    ``recording``: the run ``tuiprof record`` just profiled, for the header.
    """
    from tuiprof.model.loaders import load_profile

    paths: list[str] = list(options.files)
    path_maps = parse_path_maps(getattr(options, "path_map", None) or [])
    source_roots = check_source_roots(getattr(options, "source_root", None) or [])

    profile = None
    if _total_size(paths) > BIG_INPUT_BYTES:
        check_inputs(paths)
    else:
        profile = load_profile(paths)
    if not on_a_terminal():
        # Without one the screen would wait for keys that never come.
        print(
            "tuiprof: the explorer needs a terminal (standard input and output); "
            "for a report in a pipe or a file, use tuiprof stats or tuiprof tree",
            file=sys.stderr,
        )
        return EXIT_NO_TERMINAL

    from tuiprof.app import TuiprofApp
    from tuiprof.export.atomic import install_signal_cleanup

    # Exports run in a worker thread; only the main thread can set the handlers
    # that remove their temporary file on SIGTERM or SIGHUP.
    install_signal_cleanup()
    app = TuiprofApp(
        profile,
        paths=paths,
        source_roots=source_roots,
        path_maps=path_maps,
        recording=recording,
    )
    try:
        status = run_to_the_end(app)
    finally:
        # Quit while a big file was still decoding: its child is not waited for.
        stop_children()
    if app.load_error is not None:
        error = app.load_error
        if isinstance(error, ProfileError):
            raise error
        raise ProfileError(", ".join(paths), f"cannot be loaded: {error}")
    return exit_status(status, app.return_code)


def run_to_the_end(app: App[int]) -> object:
    """``app.run()``; under the command, without waiting for its threads at the end.

    ``asyncio.run`` waits for every thread of the loop's executor, so quitting
    while a big file loads or the warm-up indexes the call graph took seconds
    after the screen had gone. The command runs the app on a loop of its own
    and ends with :func:`os._exit` (:mod:`tuiprof.ending`): only an export still
    being written is waited for, so that it lands whole.
    """
    if not ends_without_freeing():
        return app.run()
    loop = asyncio.new_event_loop()
    try:
        return app.run(loop=loop)
    finally:
        if exports_in_progress():
            loop.run_until_complete(loop.shutdown_default_executor())
        keep_until_exit(app, loop)


def exit_status(result: object, return_code: int | None) -> int:
    """The explorer's exit status: the app's return code first (1 after a crash)."""
    if return_code:
        return return_code
    return result if isinstance(result, int) else 0
