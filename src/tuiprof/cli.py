"""Command line: parse arguments, then hand over to the command that runs.

Only opening the explorer imports Textual; ``--version``, ``stats`` and
``export`` stay light so that they start fast in pipes and CI logs.
Every input problem ends here as one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Sequence

from tuiprof import __version__
from tuiprof.arguments import Parser, positive_int
from tuiprof.model.errors import ProfileError
from tuiprof.model.names import visible

EXIT_OK = 0
EXIT_INPUT = 2

COMMANDS = ("stats", "export", "tree", "record", "diff")

DESCRIPTION = """\
Explore Python profiles in the terminal.

  tuiprof run.prof                      open a cProfile/pstats file
  tuiprof script.py.lprof               open a line_profiler file
  tuiprof run.prof script.py.lprof      both, joined: functions and their lines
  tuiprof a.prof b.prof                 several runs merged, as pstats.Stats.add does
  tuiprof stats run.prof --limit 20     the numbers without the UI
  tuiprof export run.prof --format dot  KCachegrind (callgrind) and Graphviz exports
  tuiprof tree run.prof --depth 12      the call tree without the UI
  tuiprof record script.py [args]       profile a program (-m module too) and open it
  tuiprof diff before.prof after.prof   what got faster, slower, new (--json, --fail-over)
"""


SORT_CHOICES = {
    "ncalls": "calls of the function, most first (recursive calls included)",
    "tottime": "time in the function itself, without what it called (the default)",
    "tottime-percall": "tottime divided by ncalls",
    "cumtime": "time in the function and in everything it called",
    "cumtime-percall": "cumtime divided by primitive (non-recursive) calls",
    "name": "function name, A to Z",
    "file": "file, then line, A to Z",
}
"""``stats --sort`` keys: the explorer's keys 1-6 in order, then ``file``."""

SORT_ALIASES = {
    "percall": "cumtime-percall",
    "calls": "ncalls",
    "time": "tottime",
    "cumulative": "cumtime",
    "filename": "file",
}
"""Other spellings that keep working: the old ``percall`` and pstats' names."""


def _sort_choice(text: str) -> str:
    return SORT_ALIASES.get(text, text)


def _sort_epilog() -> str:
    width = max(map(len, SORT_CHOICES))
    rows = [f"  {name.ljust(width)}  {meaning}" for name, meaning in SORT_CHOICES.items()]
    aliases = [f"  {old} = {new}" for old, new in SORT_ALIASES.items()]
    return "\n".join(["sort keys (--sort):", *rows, "also accepted:", *aliases])


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source-root",
        action="append",
        default=[],
        metavar="DIR",
        help="also look for source files under DIR (repeatable)",
    )
    parser.add_argument(
        "--path-map",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="read source recorded under OLD from NEW instead (repeatable)",
    )


def build_open_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tuiprof",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "commands: tuiprof stats --help, tuiprof export --help, tuiprof tree --help,"
            " tuiprof record --help, tuiprof diff --help"
        ),
    )
    parser.add_argument("--version", action="version", version=f"tuiprof {__version__}")
    parser.add_argument("files", nargs="+", metavar="FILE", help=".prof and/or .lprof files")
    _add_source_options(parser)
    return parser


def build_stats_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tuiprof stats",
        description="Print a profile's functions as a table (or JSON), without the UI.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_sort_epilog(),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=".prof and/or .lprof files")
    parser.add_argument(
        "--sort",
        type=_sort_choice,
        choices=tuple(SORT_CHOICES),
        default="tottime",
        metavar="KEY",
        help="what to sort by, as the explorer's keys 1-6 do, or file (keys below)",
    )
    parser.add_argument("--reverse", action="store_true", help="reverse the sort order")
    parser.add_argument(
        "--limit",
        type=positive_int,
        default=None,
        metavar="N",
        help="show N functions (default 30)",
    )
    parser.add_argument("--filter", default="", metavar="TEXT", help="AND-ed terms; regex allowed")
    parser.add_argument("--json", action="store_true", help="one JSON document, raw seconds")
    _add_source_options(parser)
    return parser


def build_export_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tuiprof export",
        description="Export a profile for KCachegrind (callgrind) or Graphviz (dot, svg, png).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=".prof and/or .lprof files")
    parser.add_argument(
        "--format",
        "-f",
        required=True,
        choices=("callgrind", "dot", "svg", "png"),
        help="output format",
    )
    parser.add_argument("-o", "--output", default=None, metavar="OUT", help="output path")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument(
        "--node-threshold",
        type=float,
        default=0.5,
        metavar="PCT",
        help="graph: leave out functions under PCT%% of the total (default 0.5)",
    )
    parser.add_argument(
        "--edge-threshold",
        type=float,
        default=0.1,
        metavar="PCT",
        help="graph: leave out calls under PCT%% of the total (default 0.1)",
    )
    parser.add_argument(
        "--root", default=None, metavar="FUNCTION", help="only the subtree under FUNCTION"
    )
    parser.add_argument(
        "--filter", default="", metavar="TEXT", help="only the functions matching TEXT"
    )
    return parser


def build_tree_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="tuiprof tree",
        description="Print a profile's call tree (or JSON), without the UI.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=".prof files")
    parser.add_argument(
        "--depth", type=positive_int, default=12, metavar="N", help="levels shown (default 12)"
    )
    parser.add_argument(
        "--root", default=None, metavar="TEXT", help="start at the first function matching TEXT"
    )
    parser.add_argument(
        "--min-percent",
        type=_percentage,
        default=1.0,
        metavar="PCT",
        help="open nodes holding at least PCT%% of the total; fold the rest (default 1)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON document, raw seconds")
    return parser


def _percentage(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 100.0:
        raise argparse.ArgumentTypeError("must be a percentage from 0 to 100")
    return value


OUTPUT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, errno.EDQUOT, errno.EROFS}
)
"""What a failed write to standard output raises (a full disk, ``>/dev/full``, a closed
descriptor): one line on stderr, not a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run tuiprof; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None and args[:1] != ["record"]:
        # The shell closed it (`>&-`): every command but record prints there.
        # record runs a program, which may well do without it.
        _say_output_failed("it is closed")
        return EXIT_INPUT
    try:
        return _flushed(_run(args))
    except OSError as error:
        if error.filename is not None or error.errno not in OUTPUT_ERRNOS:
            raise
        _say_output_failed(error.strerror or str(error))
        _silence_stdout()
        return EXIT_INPUT


def _flushed(status: int) -> int:
    """``status``, once what was printed has reached standard output (``--version``
    into a full disk fails only here)."""
    if sys.stdout is not None:
        sys.stdout.flush()
    return status


def _say_output_failed(why: str) -> None:
    print(f"tuiprof: cannot write to standard output: {why}", file=sys.stderr)


def _run(args: list[str]) -> int:
    try:
        if args and args[0] == "stats":
            from tuiprof.report import run_stats

            return run_stats(build_stats_parser().parse_args(args[1:]))
        if args and args[0] == "export":
            from tuiprof.export.command import run_export

            return run_export(build_export_parser().parse_args(args[1:]))
        if args and args[0] == "tree":
            from tuiprof.tree_report import run_tree

            return run_tree(build_tree_parser().parse_args(args[1:]))
        if args and args[0] == "record":
            from tuiprof.record.command import run_record

            return run_record(args[1:])
        if args and args[0] == "diff":
            from tuiprof.diff_command import parse_diff_args, run_diff

            return run_diff(parse_diff_args(args[1:]))
        options = build_open_parser().parse_args(args)
        from tuiprof.launch import run_explorer

        return run_explorer(options)
    except ProfileError as error:
        # The file name and the problem can quote the file: shown, never sent.
        print(f"tuiprof: {visible(str(error))}", file=sys.stderr)
        return EXIT_INPUT
    except SystemExit as leaving:  # argparse: usage errors are input errors too
        code = leaving.code
        return code if isinstance(code, int) else EXIT_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tuiprof stats … | head`: the reader left; that is not an error.
        _silence_stdout()
        return EXIT_OK


def entry() -> int:
    """The ``tuiprof`` command: :func:`main` under the supervisor (:mod:`tuiprof.supervise`).

    Only here, in a program of its own, may big files be decoded with
    ``marshal`` directly; ``main`` called in-process keeps the safe decoding.
    """
    if sys.argv[1:2] == ["record"]:
        # record runs someone's program, which must get its signals exactly as
        # under python (a kill -INT to this process included), and it decodes no
        # file it did not write: no supervisor.
        return main()
    from tuiprof import ending
    from tuiprof.supervise import supervised

    ending.end_without_freeing()
    return ending.exit_if_kept(supervised(main))


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
