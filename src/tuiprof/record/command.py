"""``tuiprof record``: the command line, and the run from checks to the explorer.

The arguments are split by hand: everything after the script (or after
``-m module``) belongs to the program, and ``--lines`` takes an optional list
of TARGETs, which argparse cannot tell from the script that follows.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import cProfile
import gc
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tuiprof.export.atomic import ExportError
from tuiprof.model.errors import ProfileError
from tuiprof.model.format import format_time
from tuiprof.model.names import visible
from tuiprof.record.output import (
    Outputs,
    check_outputs,
    plan_outputs,
    retire,
    write_lprof,
    write_pstats,
)
from tuiprof.record.program import Ending, Program, check_program, run
from tuiprof.record.recording import Recording

if TYPE_CHECKING:
    from tuiprof.record.lines import LineRecorder

EXIT_INPUT = 2

USAGE = """\
usage: tuiprof record [-o OUT] [--lines [TARGET ...]] [--no-open] [--force] script.py [args ...]
       tuiprof record [-o OUT] [--lines [TARGET ...]] [--no-open] [--force] -m module [args ...]"""

HELP = f"""{USAGE}

Run a program under cProfile, exactly as `python script.py args` or `python -m module args`
would run it, write its profile and open the explorer on it. Ctrl+C stops the program and
keeps the profile so far. The exit status is the program's.

options:
  -o, --output OUT      the profile to write (default: SCRIPT.prof or MODULE.prof here);
                        an existing OUT is kept as OUT.prev
  --lines [TARGET ...]  also time lines with line_profiler, in the same run, into OUT's
                        .lprof; no TARGET: every function in the script's file (for -m, in
                        the module's package); a TARGET is a module, a file, or
                        module:function (file.py:function). Put `--` before the script
                        when TARGETs precede it
  --no-open             write the profile and do not open the explorer (also when stdout is
                        not a terminal)
  --force               replace an OUT or OUT.prev that is not a profile
  -h, --help            show this help and exit
"""

_OWN_OPTIONS = frozenset({"-o", "--output", "--lines", "--no-open", "--force", "-m", "--"})


class UsageError(Exception):
    """The command line cannot be understood; printed after the usage, exit status 2."""


@dataclass(frozen=True)
class RecordOptions:
    """What ``tuiprof record`` was asked to do."""

    program: Program
    output: str | None = None
    lines: tuple[str, ...] | None = None
    """The ``--lines`` TARGETs (empty: the defaults); None without ``--lines``."""
    open: bool = True
    force: bool = False


def parse_record_args(argv: Sequence[str]) -> RecordOptions | None:
    """The options, or None for ``--help``; :class:`UsageError` when they make no sense."""
    args = list(argv)
    output: str | None = None
    lines: list[str] | None = None
    open_explorer = True
    force = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-h", "--help"):
            return None
        if arg == "--":
            return _options(args[index + 1 :], False, output, lines, open_explorer, force)
        if arg == "-m" or (arg.startswith("-m") and not arg.startswith("--")):
            rest = ([arg[2:]] if len(arg) > 2 else []) + args[index + 1 :]
            return _options(rest, True, output, lines, open_explorer, force)
        if arg in ("-o", "--output"):
            if index + 1 >= len(args):
                raise UsageError(f"{arg} needs a file name")
            output = args[index + 1]
            index += 2
            continue
        if arg.startswith("--output=") or (arg.startswith("-o") and len(arg) > 2):
            output = arg.partition("=")[2] if arg.startswith("--") else arg[2:]
            index += 1
            continue
        if arg == "--lines" or arg.startswith("--lines="):
            lines = lines or []
            if arg.startswith("--lines="):
                lines += [part for part in arg.partition("=")[2].split(",") if part]
                index += 1
                continue
            targets, index = _lines_targets(args, index + 1)
            lines += targets
            continue
        if arg == "--no-open":
            open_explorer = False
        elif arg == "--force":
            force = True
        elif arg.startswith("-"):
            raise UsageError(f"unknown option {arg} (put -- before a script that starts with -)")
        else:
            return _options(args[index:], False, output, lines, open_explorer, force)
        index += 1
    raise UsageError("no script or -m module to run")


def _lines_targets(args: list[str], start: int) -> tuple[list[str], int]:
    """The TARGETs after ``--lines``: words up to one of record's own options.

    Words that run to the end, or to an option of the program's, are the
    program itself (``--lines script.py -v``): ``--lines`` then has no TARGET.
    """
    end = start
    while end < len(args) and not args[end].startswith("-"):
        end += 1
    if end < len(args) and (args[end] in _OWN_OPTIONS or args[end].startswith("-m")):
        return args[start:end], end
    return [], start


def _options(
    command: list[str],
    module: bool,
    output: str | None,
    lines: list[str] | None,
    open_explorer: bool,
    force: bool,
) -> RecordOptions:
    if not command or not command[0]:
        raise UsageError("-m needs a module name" if module else "no script to run")
    program = Program(command[0], tuple(command[1:]), module=module)
    return RecordOptions(
        program, output, None if lines is None else tuple(lines), open_explorer, force
    )


def run_record(argv: Sequence[str]) -> int:
    """Run ``tuiprof record``; the program's exit status (2 for tuiprof's own input errors)."""
    try:
        options = parse_record_args(argv)
    except UsageError as error:
        print(f"{USAGE}\ntuiprof record: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    if options is None:
        print(HELP, end="")
        return 0
    program = options.program
    check_program(program)
    outputs = plan_outputs(options.output, program.name, lines=options.lines is not None)
    try:
        check_outputs(outputs, force=options.force)
    except ExportError as error:
        print(f"tuiprof: {error}", file=sys.stderr)
        return EXIT_INPUT
    recorder: LineRecorder | None = None
    if options.lines is not None:
        # Imported only here: without --lines, tuiprof's start-up is part of the overhead.
        from tuiprof.record.lines import (
            LineRecorder,
            LinesUnavailable,
            default_targets,
            parse_target,
        )

        targets = tuple(parse_target(text) for text in options.lines)
        try:
            recorder = LineRecorder(program, targets or default_targets(program))
        except LinesUnavailable as error:
            print(f"tuiprof: {error}", file=sys.stderr)
            return EXIT_INPUT
    start_folder = os.getcwd()

    sigint_exit = _SigintExit()  # before the program registers its own atexit handlers
    profiler = cProfile.Profile()
    if recorder is not None:
        recorder.start()
    try:
        ending = run(program, profiler, recorder.instrument_script if recorder else None)
    finally:
        if recorder is not None:
            recorder.stop()
    _flush_program_output()
    if ending.how == "syntax error":
        return ending.status
    if recorder is not None:
        outputs = _warn_unmatched(recorder, outputs, start_folder)

    try:
        with _interrupts_ignored():
            profiler.create_stats()
            kept = write_pstats(outputs.profile, profiler.stats)
            if recorder is not None and outputs.lines is not None:
                write_lprof(outputs.lines, recorder.stats())
            else:
                _retire_stale(outputs.profile, start_folder)
    except ExportError as error:
        print(f"tuiprof: cannot write the profile: {error}", file=sys.stderr)
        return EXIT_INPUT
    recording = _recording(program, ending, outputs, kept, start_folder)
    _report(recording, outputs, start_folder)
    if options.open and _on_a_terminal():
        _open_explorer(outputs, recording)
    sigint_exit.armed = ending.interrupted
    return ending.status


def _warn_unmatched(recorder: LineRecorder, outputs: Outputs, folder: str) -> Outputs:
    """Say which ``--lines`` TARGETs matched no function; without line data, no ``.lprof``."""
    for label in recorder.unmatched():
        _warn(f"--lines {label}: matched no function")
    if recorder.covered or outputs.lines is None:
        return outputs
    _warn(f"no line data recorded: {_shown(outputs.lines, folder)} not written")
    return Outputs(outputs.profile)


def _retire_stale(profile: Path, folder: str) -> None:
    """A ``.lprof`` beside the new profile is of an earlier run: it goes to ``.prev``, beside
    that run's profile, so that ``OUT`` and ``OUT.lprof`` never mix two runs."""
    lines = profile.with_suffix(".lprof")
    if lines == profile:
        return
    try:
        moved = retire(lines)
    except ExportError as error:
        _warn(f"{_shown(lines, folder)} is of an earlier run and could not be moved: {error}")
        return
    if moved is not None:
        _warn(f"{_shown(lines, folder)} of an earlier run moved to {_shown(moved, folder)}")


def _warn(message: str) -> None:
    _say(f"tuiprof: warning: {message}")


def _say(line: str) -> None:
    """One line of tuiprof's on stderr: the process's, if the program set sys.stderr to None."""
    stream = sys.stderr if sys.stderr is not None else sys.__stderr__
    if stream is None:
        return  # print(file=None) would write to the program's stdout
    with contextlib.suppress(Exception):
        print(visible(line), file=stream, flush=True)


class _SigintExit:
    """How ``python`` ends after an uncaught KeyboardInterrupt: killed by SIGINT.

    A shell tells that from ``exit 130``: a script or loop running tuiprof stops
    at Ctrl+C as it would with python. Registered with atexit before the program
    runs, so it runs after the program's own handlers (and after its threads are
    joined), as Python's does; it does nothing unless armed. Python kills itself
    once the interpreter is torn down; the part of that which programs lean on is
    done first: the program's globals are let go (so a file it left open is
    flushed and closed), and stdout and stderr are flushed.
    """

    def __init__(self) -> None:
        self.armed = False
        atexit.register(self)

    def __call__(self) -> None:
        if not self.armed or os.name != "posix":
            return
        main = sys.modules.get("__main__")
        if main is not None:
            _clear_namespace(vars(main))
        gc.collect()
        _flush_program_output()
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)


def _clear_namespace(namespace: dict[str, object]) -> None:
    """What Python does to a module at exit: ``_`` names to None first, then the others."""
    names = [name for name in namespace if name != "__builtins__"]
    for name in sorted(names, key=lambda name: not name.startswith("_")):
        namespace[name] = None


def _recording(
    program: Program, ending: Ending, outputs: Outputs, kept: Path | None, folder: str
) -> Recording:
    compare = () if kept is None else ((_shown(kept, folder), _shown(outputs.profile, folder)),)
    return Recording(program.describe(), ending.how, ending.seconds, compare)


def _shown(path: Path, folder: str) -> str:
    """A path as short as it can be said from where tuiprof was started."""
    relative = os.path.relpath(path, folder)
    return str(path) if relative.startswith("..") else relative


def _report(recording: Recording, outputs: Outputs, folder: str) -> None:
    """One line on stderr: what was written, how the run ended, how to compare."""
    written = " and ".join(_shown(path, folder) for path in outputs.paths)
    line = f"tuiprof: wrote {written} ({recording.ending}, {format_time(recording.seconds)})"
    hint = recording.compare_hint
    if hint is not None:
        line += f"; compare with the run before: {hint}"
    _say(line)


def _flush_program_output() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """The first Ctrl+C stopped the program; another one must not lose its profile."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _on_a_terminal() -> bool:
    # Imported once the program has run: the explorer's modules (asyncio among
    # them) must not be imported ahead of the program's own imports.
    from tuiprof.launch import on_a_terminal

    return on_a_terminal()


def _open_explorer(outputs: Outputs, recording: Recording) -> None:
    from tuiprof.launch import run_explorer

    with contextlib.suppress(ValueError):  # the program's own handler is not the explorer's
        signal.signal(signal.SIGINT, signal.default_int_handler)
    files = [str(path) for path in outputs.paths]
    options = argparse.Namespace(files=files, path_map=[], source_root=[])
    try:
        run_explorer(options, recording=recording)
    except ProfileError as error:
        print(f"tuiprof: {error}", file=sys.stderr)
