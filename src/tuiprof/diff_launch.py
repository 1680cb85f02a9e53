"""Open the diff screen on a loaded diff (Textual is imported only here)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tuiprof.model.diff import ProfileDiff
from tuiprof.model.source import SourceFinder


def run_diff_screen(
    diff: ProfileDiff,
    options: argparse.Namespace,
    source_roots: Sequence[str],
    path_maps: Sequence[tuple[str, str]],
) -> int:
    """Run the app on a diff screen; the exit status.

    ``--path-map`` reads before-side paths as after-side ones, so it applies
    to the before side's source lookups only.
    """
    from tuiprof.app import TuiprofApp
    from tuiprof.launch import run_to_the_end

    finders = (
        SourceFinder(diff.before.files, source_roots, path_maps),
        SourceFinder(diff.after.files, source_roots),
    )
    status = run_to_the_end(TuiprofApp(diff=diff, diff_finders=finders))
    return status if isinstance(status, int) else 0
