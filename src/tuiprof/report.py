"""``tuiprof stats``: a profile's numbers as a table or as JSON, without the UI.

The rows come from :class:`~tuiprof.model.table.FunctionTableModel`, so the
sort and the filter are the explorer's. Output goes three ways: a Rich table
when stdout is a terminal (Rich is imported only then), plain aligned text in
pipes or when ``NO_COLOR`` is set, and one JSON document with ``--json``.
Textual is never imported here.

``--sort`` takes the explorer's sort keys (``cumtime-percall`` is pstats' second
``percall`` column, cumulative time per primitive call; the old spelling
``percall`` still means it) and ``file``. Times read as they do in the explorer.
Negative times (the ``profile`` module's calibration can leave them) are shown
as recorded, with a warning; NaN or infinite times are refused by the loader.

Names and file names reach the terminal only through
:func:`~tuiprof.model.names.visible`: escape sequences in them are shown, never
sent. The JSON document is :mod:`tuiprof.report_json`'s.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from tuiprof.model.format import (
    format_calls,
    format_functions,
    format_per_call,
    format_time,
    format_total,
)
from tuiprof.model.loaders import load_profile
from tuiprof.model.names import fit_label, visible, visible_source
from tuiprof.model.profile import FunctionLines, Profile
from tuiprof.model.source import (
    SourceFinder,
    check_source_roots,
    function_span,
    parse_path_maps,
)
from tuiprof.model.table import FilterError, FunctionTableModel, SortKey, TableQuery
from tuiprof.report_json import write_json

EXIT_OK = 0
EXIT_INPUT = 2

DEFAULT_LIMIT = 30

SORT_KEYS = {
    "ncalls": SortKey.NCALLS,
    "tottime": SortKey.TOTTIME,
    "tottime-percall": SortKey.TOTTIME_PERCALL,
    "cumtime": SortKey.CUMTIME,
    "cumtime-percall": SortKey.CUMTIME_PERCALL,
    "name": SortKey.NAME,
    "file": SortKey.FILE,
}
"""``--sort`` choices (``cli.SORT_CHOICES`` says what each means)."""

LINE_OUTPUT_UNIT = 1e-6
"""The per-line tables show times in microseconds, as ``kernprof -v`` usually does."""

# line_profiler's default minimum column widths (line_profiler/rc defaults).
_LINE_WIDTHS = {"line": 6, "hits": 9, "time": 12, "perhit": 8, "percent": 8}

COLUMNS = ("ncalls", "tottime", "percall", "cumtime", "percall", "function")


def run_stats(options: argparse.Namespace) -> int:
    """Print the stats of ``options.files``; returns the exit status."""
    try:
        query = TableQuery(
            sort=SORT_KEYS[options.sort], reverse=options.reverse, filter_text=options.filter
        )
        finder = SourceFinder(
            options.files,
            check_source_roots(options.source_root),
            parse_path_maps(options.path_map),
        )
        model = FunctionTableModel(load_profile(options.files), query)
        rows = model.rows
    except FilterError as error:
        print(f"tuiprof: --filter: {visible(str(error))}", file=sys.stderr)
        return EXIT_INPUT
    profile = model.profile
    for warning in profile.warnings:
        print(f"tuiprof: warning: {visible(warning)}", file=sys.stderr)
    if not rows and options.filter.split() and len(profile):
        # Not an error (a CI step may filter for code that is not there yet),
        # but a silent empty table reads like a broken profile.
        print(f"tuiprof: --filter {visible(options.filter)}: no function matches", file=sys.stderr)
    out = sys.stdout
    if options.json:
        chosen = rows if options.limit is None else rows[: options.limit]
        write_json(profile, chosen, out)
        return EXIT_OK
    limit = DEFAULT_LIMIT if options.limit is None else options.limit
    shown = rows[:limit]
    heading = header_lines(profile, len(rows), len(shown), query.sort, query.reverse)
    width = _terminal_width(out)
    if _wants_rich(out):
        _print_rich(profile, shown, heading, finder)
    else:
        out.write("\n".join(text_report(profile, shown, heading, finder, width)))
        out.write("\n")
    out.flush()
    return EXIT_OK


def _wants_rich(out: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def _terminal_width(out: TextIO) -> int | None:
    """The terminal's width when ``out`` is one; a pipe gets whole lines."""
    isatty = getattr(out, "isatty", None)
    if not (isatty and isatty()):
        return None
    import shutil

    return shutil.get_terminal_size().columns


# --- numbers as text ------------------------------------------------------------------


def row_cells(profile: Profile, fid: int) -> tuple[str, str, str, str, str, str]:
    """The six cells of a function's row, as text."""
    nc = profile.ncalls[fid]
    cc = profile.primitive_calls[fid]
    tt = profile.tottime[fid]
    ct = profile.cumtime[fid]
    return (
        format_calls(nc, cc),
        format_time(tt),
        format_per_call(tt, nc),
        format_time(ct),
        format_per_call(ct, cc),
        profile.label(fid),
    )


def header_lines(
    profile: Profile, matching: int, shown: int, sort: SortKey, reverse: bool
) -> list[str]:
    """What was loaded and what the table shows."""
    files = ", ".join(map(visible, profile.files))
    if profile.has_call_data:
        calls = f"{profile.total_calls} function calls"
        if profile.total_primitive_calls != profile.total_calls:
            calls += f" ({profile.total_primitive_calls} primitive calls)"
        summary = f"{calls} in {format_total(profile.total_time)}"
    else:
        summary = (
            f"line data only, {format_time(profile.total_time)} summed over the timed"
            " functions (a function timed inside another counts in both)"
        )
    direction = ", reversed" if reverse else ""
    return [
        f"{files}: {summary}, {format_functions(len(profile))}",
        f"showing {shown} of {matching}, sorted by {sort.title}{direction}",
    ]


# --- plain text -----------------------------------------------------------------------


def text_report(
    profile: Profile,
    fids: Sequence[int],
    heading: Sequence[str],
    finder: SourceFinder | None = None,
    width: int | None = None,
) -> Iterator[str]:
    """The plain-text report: header, function table, then per-line tables.

    With a ``width``, the function column is shortened to fit it.
    """
    yield from heading
    yield ""
    yield from function_table(profile, fids, width)
    with_lines = [fid for fid in fids if fid in profile.lines]
    if with_lines:
        yield ""
        yield f"Timer unit: {LINE_OUTPUT_UNIT:g} s"
        for fid in with_lines:
            yield ""
            yield from line_table(profile.lines[fid], finder)


def function_table(profile: Profile, fids: Sequence[int], width: int | None = None) -> list[str]:
    """Aligned columns: numbers right-aligned, the function left-aligned.

    With a ``width``, each function is shortened as the explorer shortens it
    (the path loses its left end, the ``:line`` stays), so rows never wrap.
    """
    rows = [row_cells(profile, fid) for fid in fids]
    widths = number_widths(rows)
    if width is not None:
        room = function_room(widths, width)
        rows = [(*row[:5], fit_label(row[5], room)) for row in rows]

    def line(cells: Sequence[str]) -> str:
        numbers = "  ".join(cell.rjust(width) for cell, width in zip(cells, widths, strict=False))
        return f"{numbers}  {cells[5]}".rstrip()

    return [line(COLUMNS), *(line(row) for row in rows)]


def number_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """The widths of the five number columns, titles included."""
    widths = [len(title) for title in COLUMNS[:5]]
    for row in rows:
        for i in range(5):
            widths[i] = max(widths[i], len(row[i]))
    return widths


def function_room(widths: Sequence[int], width: int) -> int:
    """What is left of ``width`` for the function column (at least its title)."""
    return max(len(COLUMNS[5]), width - sum(widths) - 2 * len(widths))


def line_table(lines: FunctionLines, finder: SourceFinder | None = None) -> list[str]:
    """A function's lines as ``python -m line_profiler -u 1e-6`` prints them.

    The figures are formatted with line_profiler's own rules (``%5.1f``, falling
    back to ``%5.3g`` when a column overflows), from the same raw times and unit.
    """
    # With the file's raw times and unit, the arithmetic is line_profiler's own
    # (raw * (unit / output unit)), so even a figure on a rounding edge prints
    # the same digit; summed files of different units fall back to seconds.
    unit = lines.unit
    if unit is not None and all(t.raw_time is not None for t in lines.lines):
        timings = [(t.line, t.hits, float(t.raw_time or 0)) for t in lines.lines]
    else:
        unit = 1.0
        timings = [(t.line, t.hits, t.seconds) for t in lines.lines]
    raw_total = sum(time for _, _, time in timings)
    total_time = raw_total * unit
    out = [f"Total time: {total_time:g} s"]
    source = function_source(lines.file, lines.first_line, finder)
    if source is None:
        out.append(f"File: {visible(lines.file)} (source not found: showing the numbers only)")
    else:
        out.append(f"File: {visible(lines.file)}")
    out.append(f"Function: {visible(lines.name)} at line {lines.first_line}")
    linenos = [line for line, _, _ in timings]
    start = lines.first_line if source is not None else min([lines.first_line, *linenos])
    source = source or []

    scalar = unit / LINE_OUTPUT_UNIT
    widths = dict(_LINE_WIDTHS)
    display: dict[int, tuple[str, str, str, str]] = {}
    for lineno, hits, time in timings:
        percent = "" if raw_total == 0 else "%5.1f" % (100 * time / raw_total)
        time_text = "%5.1f" % (time * scalar)
        if len(time_text) > _LINE_WIDTHS["time"]:
            time_text = "%5.3g" % (time * scalar)
        if hits:
            per_hit = "%5.1f" % (time * scalar / hits)
            if len(per_hit) > _LINE_WIDTHS["perhit"]:
                per_hit = "%5.3g" % (time * scalar / hits)
        else:
            per_hit = ""
        hits_text = str(hits)
        if len(hits_text) > _LINE_WIDTHS["hits"]:
            hits_text = f"{hits:g}"
        display[lineno] = (hits_text, time_text, per_hit, percent)
    for key, index in (("hits", 0), ("time", 1), ("perhit", 2)):
        widths[key] = max([widths[key], *(len(cells[index]) for cells in display.values())])

    def row(*cells: object) -> str:
        numbers = " ".join(
            str(cell).rjust(widths[key])
            for cell, key in zip(
                cells[:5], ("line", "hits", "time", "perhit", "percent"), strict=True
            )
        )
        return f"{numbers}  {cells[5]}".rstrip()

    header = row("Line #", "Hits", "Time", "Per Hit", "% Time", "Line Contents")
    out += ["", header, "=" * len(header)]
    empty = ("", "", "", "")
    for lineno in _shown_lines(start, len(source), [lines.first_line, *linenos]):
        offset = lineno - start
        text = source[offset].rstrip("\r\n") if 0 <= offset < len(source) else ""
        out.append(row(lineno, *display.get(lineno, empty), visible_source(text)))
    return out


MAX_BLANK_SPAN = 100_000
"""Above this many lines from first to last, the untimed lines without source are left out."""


def _shown_lines(start: int, source_lines: int, numbered: Sequence[int]) -> Iterator[int]:
    """Every line from ``start`` to the last source or numbered line, as line_profiler prints.

    A timed line far from its function (a damaged or hostile file can say line
    10**9) would make that a billion blank rows: past :data:`MAX_BLANK_SPAN`,
    only the source lines and the timed lines are shown.
    """
    last = max([start + source_lines - 1, *numbered])
    if last - start < MAX_BLANK_SPAN:
        return iter(range(start, last + 1))
    return iter(sorted({*range(start, start + source_lines), *numbered}))


def function_source(
    file: str, first_line: int, finder: SourceFinder | None = None
) -> list[str] | None:
    """The source block of the function starting at ``first_line``, or None.

    The file is found as the explorer finds it (next to the profile, under
    ``--source-root``, through ``--path-map``) and decoded as Python decodes
    it (a coding cookie or a BOM, else UTF-8).
    """
    finder = finder or SourceFinder(())
    found = finder.find(file, first_line).path
    if found is None:
        return None
    text = finder.read(found)
    if text.error:
        return None
    all_lines = [line + "\n" for line in text.lines]
    if not 1 <= first_line <= len(all_lines):
        return None
    first, last = function_span(text.lines, first_line)
    return all_lines[first - 1 : last]


# --- Rich -----------------------------------------------------------------------------


def _print_rich(
    profile: Profile,
    fids: Sequence[int],
    heading: Sequence[str],
    finder: SourceFinder | None = None,
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(emoji=False, markup=False, highlight=False)
    for line in heading:
        console.print(Text(line), style="bold" if line is heading[0] else "dim")
    table = Table(header_style="bold", box=None, pad_edge=False)
    for title in COLUMNS[:5]:
        table.add_column(title, justify="right", no_wrap=True)
    table.add_column(COLUMNS[5], no_wrap=True, overflow="ellipsis")
    rows = [row_cells(profile, fid) for fid in fids]
    room = function_room(number_widths(rows), console.width)
    for row in rows:
        table.add_row(*(Text(cell) for cell in (*row[:5], fit_label(row[5], room))))
    console.print(table)
    with_lines = [fid for fid in fids if fid in profile.lines]
    if with_lines:
        console.print(Text(f"\nTimer unit: {LINE_OUTPUT_UNIT:g} s"))
        for fid in with_lines:
            # line_profiler's fixed-width layout, header in bold, so the columns
            # line up exactly as in ``python -m line_profiler``.
            block = Text()
            for i, line in enumerate(line_table(profile.lines[fid], finder)):
                block.append(line + "\n", style="bold" if i == 4 else "")
            console.print(block)
