"""Decode marshal data from an untrusted file: never a crash, never unbounded.

Two decoders, one result:

- :mod:`tuiprof.model.safe_marshal`, a reader of our own, is safe by
  construction but a pure Python loop (about ten times the time of
  ``marshal.loads``). Small files, and every file where ``fork`` is missing,
  go through it alone.
- ``marshal.loads`` is fast but trusts its input. For a bigger file it runs
  in a forked child (:mod:`tuiprof.model.marshal_child`), with its address
  space and CPU time limited in proportion to the file's size. Only when it
  finished cleanly does this process run ``marshal.loads`` itself; beside a
  screen (a worker thread) the child hands the value back in pieces instead,
  so that the screen keeps taking keys (at about twice the cost). A child
  that crashed, or that ``marshal`` refused (Python 2 codes, another
  Python's code objects), sends the file to the safe reader, which says
  precisely what is wrong, or reads it.

A process that runs under tuiprof's supervisor (:mod:`tuiprof.supervise`, the
command line) has a parent watching it: there, and only after
:func:`decode_in_process` switched it on, a big file is decoded once, by
``marshal`` in the process itself, under the same limits, lifted again right
after. A crash there ends the process, and the parent says which file did it.
The explorer's loading thread decodes that way too: the screen stands still
for the decode itself (``marshal`` holds the interpreter), about a second for
a 300,000-function profile, and takes keys again for the checks after it.
"""

from __future__ import annotations

import contextlib
import faulthandler
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tuiprof.model.collector import collector_paused
from tuiprof.model.marshal_child import (
    NO_MEMORY,
    OK,
    TRUNCATED,
    address_space,
    cpu_seconds,
    decode_in_child,
    memory_allowance,
    stdlib_loads,
)
from tuiprof.model.marshal_values import MarshalError
from tuiprof.model.safe_marshal import loads

SAFE_READER_LIMIT = 256 * 1024
"""Files up to this size are read by the safe reader alone: forking costs more."""

TOO_MUCH_MEMORY = "it would take far more memory to decode than its size can justify"
TOO_MUCH_TIME = "it would take far longer to decode than its size can justify"

Report = Callable[[str | None], bool]
"""Told the path before a decode in process and ``None`` after it; False if it cannot tell."""

_report: Report | None = None
_decoding_here = threading.Lock()
"""Held by the one decode that has the process's limits lowered."""
"""Set by :func:`decode_in_process`; None: every big file goes through the forked check."""


def decode_in_process(report: Report | None) -> None:
    """Decode big files with ``marshal`` in this process (``report``), or not (None).

    Only a process whose parent watches for its crash may switch this on:
    ``report`` tells that parent which file is being decoded.
    """
    global _report
    _report = report


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded value, and what its keys may hold that a pstats key should not."""

    value: object
    python2: bool
    """Python 2 wrote it: its byte strings are text."""
    has_code: bool = False
    """It holds code objects, as placeholders (the safe reader's output only)."""


def decode(data: bytes, path: str = "") -> Decoded:
    """Decode the one marshal value ``data`` holds; :class:`MarshalError` if refused.

    Bytes left over after the value are ignored, as ``marshal.loads`` ignores them.
    ``path`` names the file to a supervising parent.
    """
    # The one place the decoder is chosen. Only a supervised process decodes
    # untrusted bytes with marshal itself (a crash there is reported by the
    # parent). The limits are the whole process's: a worker thread (the
    # explorer's load of a big file) may decode here only while it holds the
    # interpreter for the whole decode, so that no other thread runs under
    # them, and one decode at a time sets and restores them.
    report = _report
    if len(data) > SAFE_READER_LIMIT and report is not None and _may_decode_here():
        with _decoding_here:
            if report(path):
                try:
                    return _decode_here(data)
                finally:
                    report(None)
    if len(data) > SAFE_READER_LIMIT and hasattr(os, "fork"):
        # Beside a screen with no supervisor (the explorer's loading thread in
        # a library call) the child hands the value back in pieces, so the
        # screen keeps running; elsewhere this process decodes the bytes the
        # child found safe, once, at full speed.
        beside_screen = threading.current_thread() is not threading.main_thread()
        verdict, value = decode_in_child(data, hand_back=beside_screen)
        if verdict == OK:
            return Decoded(value if beside_screen else stdlib_loads(data), python2=False)
        if verdict == TRUNCATED:
            raise MarshalError("truncated", truncated=True)
        if verdict == NO_MEMORY:
            raise MarshalError(TOO_MUCH_MEMORY)
        if verdict == -signal.SIGXCPU:
            raise MarshalError(TOO_MUCH_TIME)
    decoded = loads(data)
    return Decoded(decoded.value, decoded.python2, decoded.has_code)


def _may_decode_here() -> bool:
    """The main thread, or any thread of an interpreter with a global lock.

    ``marshal.loads`` holds that lock from start to end, and with the
    collector paused no finalizer can hand it to another thread: the screen
    stands still (for about a second per 50 MB) while the limits apply.
    """
    if threading.current_thread() is threading.main_thread():
        return True
    gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return gil_enabled is None or bool(gil_enabled())


def _decode_here(data: bytes) -> Decoded:
    """``marshal.loads`` in this process, limited; what it refuses goes to the safe reader."""
    try:
        with _quiet_faults(), collector_paused(), _limited(len(data)):
            value = stdlib_loads(data)
    except EOFError:
        raise MarshalError("truncated", truncated=True) from None
    except MemoryError:
        raise MarshalError(TOO_MUCH_MEMORY) from None
    except Exception:  # Python 2 codes, another Python's code objects: the safe reader says
        decoded = loads(data)
        return Decoded(decoded.value, decoded.python2, decoded.has_code)
    return Decoded(value, python2=False)


@contextlib.contextmanager
def _quiet_faults() -> Iterator[None]:
    """No fault handler's traceback if marshal crashes: the parent says it in one line."""
    enabled = faulthandler.is_enabled()
    if enabled:
        faulthandler.disable()
    try:
        yield
    finally:
        if enabled:
            with contextlib.suppress(Exception):
                faulthandler.enable()


@contextlib.contextmanager
def _limited(size: int) -> Iterator[None]:
    """Soft limits on address space, CPU time and core files, restored afterwards.

    Only soft limits are lowered (never below what is used, never raised): a
    process may set its soft limit back anywhere up to its hard limit.
    """
    try:
        import resource
    except ImportError:
        yield
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    wanted = [(resource.RLIMIT_CORE, 0)]
    cpu = math.ceil(used.ru_utime + used.ru_stime) + cpu_seconds(size)
    wanted.append((resource.RLIMIT_CPU, cpu))
    with contextlib.suppress(OSError):
        wanted.append((resource.RLIMIT_AS, address_space() + memory_allowance(size)))
    saved: list[tuple[int, tuple[int, int]]] = []
    for which, soft in wanted:
        with contextlib.suppress(ValueError, OSError):
            old = resource.getrlimit(which)
            for cap in old:
                if cap != resource.RLIM_INFINITY:
                    soft = min(soft, cap)
            resource.setrlimit(which, (soft, old[1]))
            saved.append((which, old))
    try:
        yield
    finally:
        for which, old in reversed(saved):
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(which, old)
