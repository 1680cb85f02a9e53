"""``tuiprof tree``: the call tree without the UI, as indented text or JSON.

The tree is the explorer's (:class:`~tuiprof.model.calltree.CallTree`): the
same roots, figures, estimate marks ``~`` and recursion marks ``↻``. What is
shown is :func:`~tuiprof.model.tree_outline.outline`'s choice. Textual and
Rich are never imported here.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator
from typing import TextIO

from tuiprof.ending import keep_until_exit
from tuiprof.export.scope import ScopeError, find_roots
from tuiprof.model.calltree import CallTree, TreeNode
from tuiprof.model.format import format_count, format_percent, format_time, format_total
from tuiprof.model.loaders import load_profile
from tuiprof.model.names import visible
from tuiprof.model.partial_callees import PartialCallees
from tuiprof.model.profile import Profile
from tuiprof.model.tree_outline import OutlineRow, least_time, outline
from tuiprof.report_json import dumps, json_number

EXIT_OK = 0
EXIT_INPUT = 2

ESTIMATE = "~"
RECURSION = "↻"
INDENT = "  "


def run_tree(options: argparse.Namespace) -> int:
    """Print the call tree of ``options.files``; returns the exit status."""
    profile = load_profile(options.files)
    keep_until_exit(profile)
    for warning in profile.warnings:
        print(f"tuiprof: warning: {visible(warning)}", file=sys.stderr)
    if not profile.has_call_data:
        # As `stats` does, line data alone is not an error; as in the explorer,
        # each timed function is a root of its own.
        print(
            "tuiprof: warning: line data only: no calls, so each function is a root of its own",
            file=sys.stderr,
        )
    # Only nodes this big are opened, and a node holds at most its function:
    # the callees of these functions are all the outline needs (others are
    # found on demand, for the hot path's small end).
    least = least_time(profile, options.min_percent)
    big = itertools.compress(range(len(profile)), map(least.__le__, map(abs, profile.cumtime)))
    tree = CallTree(profile, PartialCallees(profile, big))
    keep_until_exit(tree)
    try:
        tops = (
            [tree.under(find_top(profile, options.root))]
            if options.root is not None
            else tree.roots()
        )
    except ScopeError as error:
        print(f"tuiprof: {visible(str(error))}", file=sys.stderr)
        return EXIT_INPUT
    rows = outline(tree, tops, depth=options.depth, min_percent=options.min_percent)
    _write(profile, rows, options.json)
    return EXIT_OK


def _write(profile: Profile, rows: list[OutlineRow], as_json: bool) -> None:
    out = sys.stdout
    if as_json:
        write_json(profile, rows, out)
    else:
        for line in text_lines(profile, rows):
            out.write(line)
            out.write("\n")
    out.flush()


def find_top(profile: Profile, text: str) -> int:
    """The function ``--root`` names, as the export's ``--root`` reads it (an exact
    name, ``name:line``, else a filter): of several, the one with the largest cumtime."""
    found = find_roots(profile, text)
    return max(found, key=lambda fid: (profile.cumtime[fid], -fid))


# --- text -------------------------------------------------------------------------------


def node_figures(profile: Profile, node: TreeNode) -> tuple[str, str, str, str]:
    """calls, tottime, cumtime and % of the total, ``~`` before estimates."""
    mark = ESTIMATE if node.estimated else ""
    if node.estimated:
        calls = f"{node.ncalls:.2f}" if 0 < node.ncalls < 1 else str(round(node.ncalls))
    else:
        calls = format_count(int(node.ncalls))  # ? for line data alone, as in `stats`
    return (
        mark + calls,
        mark + format_time(node.tottime),
        mark + format_time(node.cumtime),
        mark + format_percent(node.cumtime, profile.total_time),
    )


TITLES = ("calls", "tottime", "cumtime", "%total")


def text_lines(profile: Profile, rows: list[OutlineRow]) -> Iterator[str]:
    """A heading, then one line per row: the figures, then the indented function."""
    yield f"{', '.join(profile.files)}: call tree, {format_total(profile.total_time)} in total"
    cells = [node_figures(profile, row.node) if row.node is not None else None for row in rows]
    widths = [len(title) for title in TITLES]
    for figures in cells:
        if figures is not None:
            widths = [max(w, len(text)) for w, text in zip(widths, figures, strict=True)]

    def numbers(texts: tuple[str, ...]) -> str:
        return "  ".join(text.rjust(width) for text, width in zip(texts, widths, strict=True))

    blank = numbers(("",) * len(TITLES))
    yield f"{numbers(TITLES)}  function"
    for row, figures in zip(rows, cells, strict=True):
        indent = INDENT * row.level
        if row.node is None:
            yield f"{blank}  {indent}… {row.folded} more"
            continue
        mark = f"{RECURSION} " if row.node.recursive else ""
        assert figures is not None
        label = visible(profile.label(row.node.fid))
        yield f"{numbers(figures)}  {indent}{mark}{label}"


# --- JSON -------------------------------------------------------------------------------


def node_json(profile: Profile, node: TreeNode) -> str:
    """A node's fields, before its children, as JSON text without the closing brace."""
    file, line, name = profile.keys[node.fid]
    calls: float | int = node.ncalls if node.estimated else int(node.ncalls)
    fields = {
        "file": file,
        "line": json_number(line),
        "name": name,
        "calls": json_number(calls),
        "tottime": json_number(node.tottime),
        "cumtime": json_number(node.cumtime),
        "estimated": node.estimated,
        "recursive": node.recursive,
    }
    return dumps(fields)[:-1] + ', "children": ['


def write_json(profile: Profile, rows: list[OutlineRow], out: TextIO) -> None:
    """``{"total_time": s, "roots": [node...]}``, written row by row.

    Nodes nest as deep as the tree goes, so the document is written with a
    loop rather than ``json.dumps`` of nested dictionaries (which recurses).
    Folded rows are left out.
    """
    out.write('{"total_time": ')
    out.write(dumps(json_number(profile.total_time)))
    out.write(', "roots": [')
    opened = 0  # nodes whose children list is still open
    comma = False
    for row in rows:
        if row.node is None:
            continue
        while opened > row.level:
            out.write("]}")
            opened -= 1
            comma = True
        if comma:
            out.write(", ")
        out.write(node_json(profile, row.node))
        opened += 1
        comma = False
    out.write("]}" * opened)
    out.write("]}\n")
