"""``tuiprof diff``: what got faster, what got slower, what is new.

``tuiprof diff BEFORE AFTER`` compares two profiles; each side may be several
files (``tuiprof diff a.prof a.lprof -- b.prof b.lprof``: the files before
``--`` are the before side, merged as usual, the files after it the after
side). Headless output is a text table (``--limit``, ``--sort``, ``--filter``)
or one JSON document (``--json``); ``--fail-over PCT`` turns the diff into a
CI gate (exit status 1). On a terminal and with none of those, the diff
screen opens. Textual is imported only for the screen.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from typing import TextIO

from tuiprof.arguments import Parser, positive_int
from tuiprof.ending import keep_until_exit
from tuiprof.model.diff import Figures, Measure, ProfileDiff, Side, Status, diff_profiles
from tuiprof.model.diff_format import format_change, format_signed_percent, format_signed_time
from tuiprof.model.diff_table import SORT_CHOICES, DiffQuery, DiffTableModel
from tuiprof.model.errors import ProfileError
from tuiprof.model.format import format_calls, format_time
from tuiprof.model.matching import NONE
from tuiprof.model.table import FilterError, compile_terms

EXIT_OK = 0
EXIT_OVER = 1
EXIT_INPUT = 2

DEFAULT_LIMIT = 30

USAGE = "tuiprof diff BEFORE AFTER | tuiprof diff BEFORE... -- AFTER..."


def build_diff_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tuiprof diff",
        usage=f"{USAGE} [options]",
        description=(
            "Compare two profiles: what got faster, what got slower, what is new. "
            "Each side is a .prof, a .lprof, or several files (put -- between the sides)."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="the before side's files")
    parser.add_argument(
        "--normalize",
        action="store_true",
        help="scale the before side's times so both totals match",
    )
    parser.add_argument(
        "--path-map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="paths under OLD in BEFORE are NEW in AFTER (matching and source; repeatable)",
    )
    parser.add_argument(
        "--source-root",
        action="append",
        default=[],
        metavar="DIR",
        help="also look for source files under DIR (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON document, raw seconds")
    parser.add_argument(
        "--sort",
        choices=sorted(SORT_CHOICES),
        default=None,
        metavar="COLUMN",
        help="text table order: tottime-delta (default), cumtime-percent, ncalls-before, "
        "name, ... (MEASURE[-before|-delta|-percent], the after side when bare)",
    )
    parser.add_argument("--reverse", action="store_true", help="reverse the sort order")
    parser.add_argument("--limit", type=positive_int, default=None, metavar="N", help="show N")
    parser.add_argument("--filter", default="", metavar="TEXT", help="AND-ed terms; regex allowed")
    parser.add_argument(
        "--fail-over",
        type=_percent,
        default=None,
        metavar="PCT",
        help="exit 1 when the after total is more than PCT%% slower than the before total",
    )
    parser.add_argument(
        "--function",
        default=None,
        metavar="TEXT",
        help="with --fail-over: judge this function's cumtime instead of the total",
    )
    return parser


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError("must be a percentage of 0 or more")
    return value


_NO_FILE = "\0"
"""Stands for the end of the before side's files while they are parsed (no path holds it)."""


def parse_diff_args(args: Sequence[str]) -> argparse.Namespace:
    """Parse ``tuiprof diff`` arguments into options with ``before`` and ``after`` file lists."""
    parser = build_diff_parser()
    args = list(args)
    if "--" in args:
        # Options may come on either side of the --; files before it are the
        # before side, files after it the after side.
        split = args.index("--")
        if not args[split + 1 :]:
            parser.error("no files after --: the after side is empty")
        # A mark after a -- of its own: argparse's "required: FILE" would not say
        # which side is missing.
        options = parser.parse_args([*args[:split], "--", _NO_FILE])
        options.files.remove(_NO_FILE)
        if not options.files:
            parser.error("no files before --: the before side is empty")
        later = parser.parse_args(args[split + 1 :])
        defaults = parser.parse_args(["-"])
        for name, value in vars(later).items():
            if isinstance(value, list) and name != "files":
                setattr(options, name, getattr(options, name) + value)
            elif name != "files" and value != getattr(defaults, name):
                setattr(options, name, value)
        options.before, options.after = list(options.files), list(later.files)
    else:
        options = parser.parse_args(args)
        if len(options.files) != 2:
            parser.error("give two files, or separate the two sides' files with --")
        options.before, options.after = [options.files[0]], [options.files[1]]
    if options.function is not None and options.fail_over is None:
        parser.error("--function needs --fail-over")
    return options


def run_diff(options: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run ``tuiprof diff``; the exit status. :class:`ProfileError` for bad inputs."""
    from tuiprof.model.loaders import load_profile
    from tuiprof.model.source import check_source_roots, parse_path_maps

    out = out or sys.stdout
    path_maps = parse_path_maps(options.path_map)
    source_roots = check_source_roots(options.source_root)
    query = DiffQuery(reverse=options.reverse, filter_text=options.filter)
    if options.sort is not None:
        query.sort = SORT_CHOICES[options.sort]
    try:
        compile_terms(options.filter)
    except FilterError as error:
        raise ProfileError("--filter", str(error)) from None
    headless = (
        options.json
        or options.fail_over is not None
        or options.sort is not None
        or options.limit is not None
        or bool(options.filter)
        or not _is_terminal(out)
    )
    # Headless runs never look at the call graph: its records are left unread.
    # The diff screen checks them in its warm-up, after its first frame.
    before = load_profile(options.before, check_edges=False)
    after = load_profile(options.after, check_edges=False)
    diff = diff_profiles(before, after, normalize=options.normalize, path_maps=path_maps)
    if headless:
        keep_until_exit(before, after, diff)
    for side, profile in (("before", before), ("after", after)):
        for warning in profile.warnings:
            print(f"tuiprof: warning: {side}: {warning}", file=sys.stderr)
    if options.normalize and not (before.total_time and after.total_time):
        empty = "before" if not before.total_time else "after"
        print(
            f"tuiprof: warning: --normalize: the {empty} side's total time is 0: "
            "the times are compared unscaled",
            file=sys.stderr,
        )
    if before.has_call_data != after.has_call_data:
        lines_only = "after" if before.has_call_data else "before"
        print(
            f"tuiprof: warning: the {lines_only} side is line data alone (.lprof): its "
            "times are the timed functions' sums, not a run's, and do not compare with "
            "the other side's",
            file=sys.stderr,
        )
    if not headless:
        from tuiprof.diff_launch import run_diff_screen

        return run_diff_screen(diff, options, source_roots, path_maps)
    verdict: tuple[bool, str] | None = None
    if options.fail_over is not None:
        verdict = judge(diff, options.fail_over, options.function)
    table = DiffTableModel(diff, query)
    rows = table.rows
    keep_until_exit(table)
    if options.json:
        from tuiprof.diff_json import write_diff_json

        write_diff_json(diff, rows if options.limit is None else rows[: options.limit], out)
    else:
        limit = DEFAULT_LIMIT if options.limit is None else options.limit
        out.write("\n".join(diff_text(diff, rows[:limit], len(rows))) + "\n")
    if verdict is not None:
        failed, line = verdict
        print(line, file=sys.stderr if options.json else out)
        out.flush()
        return EXIT_OVER if failed else EXIT_OK
    out.flush()
    return EXIT_OK


def _is_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and sys.stdin.isatty()


# --- the CI gate ----------------------------------------------------------------------


def find_function(diff: ProfileDiff, text: str) -> int:
    """The one row ``--function TEXT`` names: an exact name, else the filter's terms."""
    rows = [row for row in range(len(diff)) if diff.key(row)[2] == text]
    if not rows:
        matchers = compile_terms(text)
        rows = [
            row
            for row in range(len(diff))
            if all(matches(diff.row_text(row)) for matches in matchers)
        ]
    if not rows:
        raise ProfileError("--function", f"no function matches {text!r}")
    if len(rows) > 1:
        shown = "; ".join(diff.label(row) for row in rows[:3])
        more = ", ..." if len(rows) > 3 else ""
        raise ProfileError(
            "--function", f"{len(rows)} functions match {text!r} ({shown}{more}): be more precise"
        )
    return rows[0]


def judge(diff: ProfileDiff, limit: float, function: str | None) -> tuple[bool, str]:
    """Whether the after side is more than ``limit`` percent slower, and the line that says so."""
    if function is None:
        before, after = diff.before_total, diff.after_total
        what = "total time"
    else:
        row = find_function(diff, function)
        before = diff.column(Measure.CUMTIME, Side.BEFORE)[row]
        after = diff.column(Measure.CUMTIME, Side.AFTER)[row]
        what = f"cumtime of {diff.label(row)}"
        if diff.before_ids[row] == NONE:
            what += " (new)"
        elif diff.after_ids[row] == NONE:
            what += " (removed)"
    change = _change(before, after)
    failed = change > limit
    figures = format_change(before, after, change)
    if failed:
        return True, f"tuiprof: FAIL: {what} {figures}: over the --fail-over limit of {limit:g}%"
    return False, f"tuiprof: ok: {what} {figures}: within the --fail-over limit of {limit:g}%"


def _change(before: float, after: float) -> float:
    if before > 0:
        return 100.0 * (after - before) / before
    return math.inf if after > 0 else 0.0


# --- text -----------------------------------------------------------------------------

TEXT_COLUMNS = (
    "",
    "calls before",
    "calls after",
    "tottime before",
    "tottime after",
    "Δ tottime",
    "Δ%",
    "cumtime before",
    "cumtime after",
    "Δ cumtime",
    "Δ%",
)
_STATUS_MARKS = {Status.SAME: "=", Status.CHANGED: "", Status.NEW: "new", Status.REMOVED: "gone"}


def header_lines(diff: ProfileDiff) -> list[str]:
    """Both sides' files and totals, and the total delta."""
    scale = f" (normalized: times x {diff.scale:.4g})" if diff.normalize else ""
    return [
        f"before: {', '.join(diff.before.files)}{scale}",
        f"after:  {', '.join(diff.after.files)}",
        f"total:  {total_line(diff)}",
    ]


def total_line(diff: ProfileDiff) -> str:
    """``4.700s → 1.210s, −74.3%``."""
    return format_change(diff.before_total, diff.after_total, diff.total_percent)


def row_cells(diff: ProfileDiff, row: int) -> list[str]:
    """A row of the text table (blank cells where a side has no such function)."""
    before = diff.figures(row, False)
    after = diff.figures(row, True)
    cells = [_STATUS_MARKS[Status(diff.status()[row])]]
    cells += [
        "" if side is None else format_calls(side.ncalls, side.primitive_calls)
        for side in (before, after)
    ]
    for measure in (Measure.TOTTIME, Measure.CUMTIME):
        cells += [
            "" if side is None else format_time(_time(side, measure)) for side in (before, after)
        ]
        cells.append(format_signed_time(diff.column(measure, Side.DELTA)[row]))
        cells.append(format_signed_percent(diff.column(measure, Side.PERCENT)[row]))
    return cells


def _time(figures: Figures, measure: Measure) -> float:
    return figures.tottime if measure is Measure.TOTTIME else figures.cumtime


def diff_text(diff: ProfileDiff, rows: Sequence[int], matching: int) -> list[str]:
    """The headless text report: header, then the rows as aligned columns."""
    counts = _status_counts(diff)
    heading = [
        *header_lines(diff),
        f"{len(diff)} functions: {counts[Status.CHANGED]} changed, {counts[Status.SAME]} same, "
        f"{counts[Status.NEW]} new, {counts[Status.REMOVED]} removed; "
        f"showing {len(rows)} of {matching}",
        "",
    ]
    table = [row_cells(diff, row) for row in rows]
    widths = [len(title) for title in TEXT_COLUMNS]
    for cells in table:
        for i, cell in enumerate(cells):
            widths[i] = max(widths[i], len(cell))

    def line(cells: Sequence[str], name: str) -> str:
        numbers = "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=True))
        return f"{numbers}  {name}".rstrip()

    body = [line(cells, diff.label(row)) for cells, row in zip(table, rows, strict=True)]
    return [*heading, line(TEXT_COLUMNS, "function"), *body]


def _status_counts(diff: ProfileDiff) -> dict[Status, int]:
    status = diff.status()
    return {s: status.count(s) for s in Status}
