"""``tuiprof export``: load, export, print the path written (exit 0) or one line (exit 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tuiprof.export.atomic import ExportError
from tuiprof.export.request import (
    ExportFormat,
    ExportRequest,
    default_output,
    export_profile,
    suffix_conflict,
    suffix_message,
)
from tuiprof.export.scope import ScopeError, find_roots
from tuiprof.model.loaders import load_profile
from tuiprof.model.names import visible

EXIT_OK = 0
EXIT_PROBLEM = 2


def run_export(options: argparse.Namespace) -> int:
    """Run the export the parsed options describe; returns the exit status.

    Input files that cannot be loaded raise ``ProfileError`` (``cli.main``
    prints it). Every other problem is printed here as one line on stderr with
    exit status 2. When svg/png is asked for and Graphviz is missing, the
    ``.dot`` file is written, the line on stderr says so and how to install
    Graphviz, and the status is still 2: the image a script asked for is not
    there.
    """
    profile = load_profile(options.files)
    export_format = ExportFormat(options.format)
    if options.output is not None:
        if not options.output.strip():
            print("tuiprof: --output: empty path", file=sys.stderr)
            return EXIT_PROBLEM
        path = Path(options.output)
    else:
        path = default_output(options.files[0], export_format)
    named = suffix_conflict(path, export_format)
    if named is not None:
        # Written as asked (a script chose both), but said: the dialog asks.
        print(
            f"tuiprof: warning: {visible(suffix_message(path, export_format, named))}",
            file=sys.stderr,
        )
    try:
        roots = tuple(find_roots(profile, options.root)) if options.root is not None else ()
        for name, value in (
            ("--node-threshold", options.node_threshold),
            ("--edge-threshold", options.edge_threshold),
        ):
            if not 0.0 <= value <= 100.0:
                raise ExportError(f"{name} must be a percentage from 0 to 100, not {value:g}")
        request = ExportRequest(
            format=export_format,
            path=path,
            force=options.force,
            node_threshold=options.node_threshold,
            edge_threshold=options.edge_threshold,
            roots=roots,
            filter_text=options.filter or "",
        )
        result = export_profile(profile, request)
    except (ExportError, ScopeError) as error:
        print(f"tuiprof: {visible(str(error))}", file=sys.stderr)
        return EXIT_PROBLEM
    if result.problem is not None:
        print(f"tuiprof: {visible(result.problem)}", file=sys.stderr)
        return EXIT_PROBLEM
    print(visible(str(result.path)))
    return EXIT_OK
