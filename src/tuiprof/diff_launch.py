"""Open the diff screen on a loaded diff (Textual is imported only here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tuiprof.model.diff import ProfileDiff


def run_diff_screen(
    diff: ProfileDiff,
    options: argparse.Namespace,
    source_roots: Sequence[str],
    path_maps: Sequence[tuple[str, str]],
) -> int:
    """Run the app on a diff screen; the exit status."""
    from tuiprof.diff_command import DEFAULT_LIMIT, diff_text
    from tuiprof.model.diff_table import DiffTableModel

    rows = DiffTableModel(diff).rows
    sys.stdout.write("\n".join(diff_text(diff, rows[:DEFAULT_LIMIT], len(rows))) + "\n")
    return 0
