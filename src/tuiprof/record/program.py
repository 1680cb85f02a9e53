"""Run a program under cProfile the way ``python script.py`` / ``python -m module`` runs it.

The profile has the shape of ``python -m cProfile -o``: as in
``Profile.runctx``, the program runs in an ``exec`` called with the profiler
on, so the one ``builtins.exec`` call is the root, and under it the script's
``<module>`` (for ``-m``, ``runpy.run_module`` and then the module's
``<module>``). The call tree relies on that shape.

Unlike ``python -m cProfile``, the script runs in a real ``__main__`` module
(so pickling its classes works), ``sys.path[0]`` is replaced rather than
added to, and ``-m`` sets ``sys.argv[0]`` to the module's file, as Python does.
"""

from __future__ import annotations

import builtins
import contextlib
import cProfile
import gc
import importlib.machinery
import io
import os
import runpy
import shlex
import sys
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tuiprof.model.errors import ProfileError

EXIT_INTERRUPTED = 130
"""What a shell reports for a program stopped by Ctrl+C."""

_MODULE_RUNNER = "run_module(modname, run_name='__main__', alter_sys=True)"


@dataclass(frozen=True)
class Program:
    """What to run: a script's path or a module's name, and its arguments."""

    target: str
    args: tuple[str, ...] = ()
    module: bool = False

    @property
    def name(self) -> str:
        """The default name of its profile: ``taylor`` for ``taylor.py``, the module's name."""
        return self.target if self.module else Path(self.target).stem

    def describe(self) -> str:
        """The command as a user would type it without tuiprof."""
        words = ["python", *(["-m"] if self.module else []), self.target, *self.args]
        return shlex.join(words)


@dataclass(frozen=True)
class Ending:
    """How a run ended: the exit status, in words, and its wall time."""

    status: int
    how: str
    """``exit 0``, ``exit 3``, ``raised ValueError``, ``interrupted``."""
    seconds: float

    @property
    def interrupted(self) -> bool:
        return self.how == "interrupted"


Instrument = Callable[[types.CodeType], types.CodeType]
"""Turns the script's compiled code into the code to run (line profiling pads it)."""


def check_program(program: Program) -> None:
    """Fail before anything runs when the script or module is not there."""
    if program.module:
        top = program.target.partition(".")[0]
        found = bool(top) and (
            top in sys.builtin_module_names
            or top in sys.modules
            or importlib.machinery.PathFinder.find_spec(top, _search_path()) is not None
        )
        if not found:
            raise ProfileError(program.target, "no such module")
        return
    path = Path(program.target)
    if not path.exists():
        raise ProfileError(program.target, "no such file")
    if path.is_dir():
        raise ProfileError(program.target, "is a directory, not a script")
    if not os.access(path, os.R_OK):
        raise ProfileError(program.target, "permission denied")


def _search_path() -> list[str]:
    """sys.path as the program will see it (only the first entry differs)."""
    return [os.getcwd(), *sys.path[1:]]


def run(
    program: Program,
    profiler: cProfile.Profile,
    instrument: Instrument | None = None,
) -> Ending:
    """Run ``program`` under ``profiler``; every way it can end becomes an :class:`Ending`.

    An uncaught exception (``KeyboardInterrupt`` too) is printed as Python prints it
    (with ``sys.excepthook``), without tuiprof's own frames; so is the message of
    ``sys.exit("message")``, once.
    """
    if program.module:
        code = compile(_MODULE_RUNNER, "<string>", "exec", dont_inherit=True)
        namespace: dict[str, object] = {"run_module": runpy.run_module, "modname": program.target}
        sys.argv[:] = [program.target, *program.args]
        _set_path0(os.getcwd())
    else:
        path = os.path.abspath(program.target)
        with io.open_code(path) as stream:
            source = stream.read()
        try:
            code = compile(source, path, "exec", dont_inherit=True)
        except SyntaxError as error:
            sys.excepthook(type(error), error.with_traceback(None), None)
            return Ending(1, "syntax error", 0.0)
        if instrument is not None:
            code = instrument(code)
        namespace = _main_module(path).__dict__
        sys.argv[:] = [program.target, *program.args]
        _set_path0(os.path.dirname(os.path.realpath(path)))
    start = time.perf_counter()

    # tuiprof's own objects (its modules, argparse's) out of the collector's
    # sight: the program's full collections then walk its objects, not ours.
    # Frozen with them are the interpreter's start-up objects, which a full
    # collection under plain `python script.py` walks too (about 5,000).
    gc.freeze()
    # What Profile.runctx does, for a code object: exec is then the root.
    profiler.enable()
    try:
        try:
            exec(code, namespace)
        finally:
            profiler.disable()
            gc.unfreeze()
    except SystemExit as leaving:
        seconds = _since(start)
        status = _exit_status(leaving)  # prints a message: once
        # As the shell sees it: a POSIX status is one byte (sys.exit(300) is 44).
        seen = status & 0xFF if os.name == "posix" else status
        return Ending(status, f"exit {seen}", seconds)
    except KeyboardInterrupt as error:
        seconds = _since(start)
        _print_uncaught(error)
        return Ending(EXIT_INTERRUPTED, "interrupted", seconds)
    except BaseException as error:
        seconds = _since(start)
        _print_uncaught(error)
        return Ending(1, f"raised {type(error).__name__}", seconds)
    return Ending(0, "exit 0", _since(start))


def _since(start: float) -> float:
    return time.perf_counter() - start


def _main_module(path: str) -> types.ModuleType:
    """A fresh ``__main__`` with the attributes ``python script.py`` gives it."""
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None  # type: ignore[attr-defined]
    main.__loader__ = importlib.machinery.SourceFileLoader("__main__", path)
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = main
    return main


def _set_path0(folder: str) -> None:
    """Make ``folder`` the first entry of sys.path, where Python puts the script's folder.

    Under ``-P`` (safe_path) Python adds no such entry, and neither does this.
    """
    if getattr(sys.flags, "safe_path", False):
        return
    if sys.path:
        sys.path[0] = folder
    else:
        sys.path.append(folder)


def _exit_status(leaving: SystemExit) -> int:
    """The status Python exits with for ``sys.exit(code)``; prints a message code as it does.

    Call it once: a code that is not an int (``sys.exit("message")``) is printed
    each time, on the program's ``sys.stderr`` (the process's when that is None).
    """
    code = leaving.code
    if code is None:
        return 0
    if isinstance(code, int):
        return int(code)  # sys.exit(True) is exit 1
    stream = sys.stderr if sys.stderr is not None else sys.__stderr__
    if stream is not None:
        with contextlib.suppress(Exception):  # Python ignores a message it cannot print
            print(code, file=stream, flush=True)
    return 1


_OWN_FILES = frozenset(
    os.path.normcase(os.path.abspath(name))
    for name in (__file__, cProfile.__file__, runpy.__file__)
    if name is not None
)


def _print_uncaught(error: BaseException) -> None:
    """Print ``error`` through ``sys.excepthook``, starting at the program's first frame."""
    tb = error.__traceback__
    while tb is not None and _is_own(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    error = error.with_traceback(tb)  # what Python's hook prints is the error's own
    try:
        sys.excepthook(type(error), error, tb)
    except Exception:
        import traceback

        traceback.print_exception(type(error), error, tb)


def _is_own(filename: str) -> bool:
    if filename in ("<string>", "<frozen runpy>"):
        return True
    return os.path.normcase(filename) in _OWN_FILES
