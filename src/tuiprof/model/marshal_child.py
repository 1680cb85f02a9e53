"""``marshal.loads`` of untrusted bytes in a forked child, the value handed back in pieces.

The child decodes the very bytes the parent holds, with the same hash seed,
under limits on its address space and CPU time in proportion to the file's
size, so a crash or a bomb ends the child, not the caller. Its exit status
says whether the bytes are safe to decode; asked to (``hand_back``, for a
caller beside a screen), it also writes the value back through a pipe with
``marshal.dumps``, a dictionary (a pstats file) in pieces of
:data:`PIECE_ITEMS` entries. The caller decodes
each piece as it arrives: bytes that the standard ``marshal`` wrote itself,
from a value it built, load safely. Between pieces the caller's other threads
run, so a screen that loads a big profile in a worker thread keeps taking
keys (``q`` among them) while the profile is decoded; a single
``marshal.loads`` of the whole file would hold the interpreter for seconds.
"""

from __future__ import annotations

import contextlib
import faulthandler
import marshal
import os
import signal
import struct
import sys
import warnings
from typing import BinaryIO

from tuiprof.model.collector import collector_paused

MEMORY_PER_BYTE = 24
"""The child may grow by this many bytes of address space per byte of file
(a real profile needs about 7), plus :data:`MEMORY_SLACK`."""
MEMORY_SLACK = 512 * 1024 * 1024
CPU_SECONDS = 5
CPU_SECONDS_PER_MB = 0.5
"""The child's CPU time limit: a real profile takes about 0.01 s per MB."""

PIECE_ITEMS = 2048
"""Entries of a dictionary per piece: a few milliseconds of decoding each."""

OK, TRUNCATED, REFUSED, NO_MEMORY = 0, 10, 11, 12
"""The child's exit statuses."""

_LENGTH = struct.Struct("<Q")
_running: set[int] = set()
"""Children decoding now (a screen's worker thread waits for one)."""
_DICT, _WHOLE = b"D", b"V"


def cpu_seconds(size: int) -> int:
    return int(CPU_SECONDS + CPU_SECONDS_PER_MB * size / 1e6)


def memory_allowance(size: int) -> int:
    return MEMORY_PER_BYTE * size + MEMORY_SLACK


def stdlib_loads(data: bytes) -> object:
    if sys.version_info >= (3, 13):
        return marshal.loads(data, allow_code=False)
    return marshal.loads(data)


def decode_in_child(data: bytes, *, hand_back: bool = True) -> tuple[int, object]:
    """``(verdict, value)``: the child's exit status (minus the signal that ended it)
    and, when it is :data:`OK` and ``hand_back``, the value ``marshal.loads(data)`` gives.

    Without ``hand_back`` the child only decodes: the caller, which blocks no
    screen, then runs ``marshal.loads`` itself, faster than taking the pieces
    (``marshal.dumps`` costs more than a decode).
    """
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork in a process with threads; the child
        # only decodes, writes to its pipe and exits, taking no lock another
        # thread could hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            pid = os.fork()
        except OSError:  # no process to spare: the safe reader decides alone
            os.close(read_end)
            os.close(write_end)
            return REFUSED, None
    if pid == 0:  # pragma: no cover - the child ends in os._exit
        os.close(read_end)
        os._exit(_child(data, write_end if hand_back else None))
    os.close(write_end)
    value: object = None
    _running.add(pid)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            if hand_back:
                # Millions of containers, none garbage: the collector would
                # walk them again and again as they arrive.
                with collector_paused():
                    value = _receive(pipe)
        status = _wait(pid)
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    finally:
        _running.discard(pid)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status), None
    verdict = os.WEXITSTATUS(status)
    if hand_back and verdict == OK and value is None:  # pragma: no cover - wrote nothing
        verdict = REFUSED
    return verdict, value if verdict == OK else None


def stop_children() -> None:
    """End every decoding child at once (the screen is closing; its load is not wanted)."""
    for pid in list(_running):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _wait(pid: int) -> int:
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:  # pragma: no cover - PEP 475 retries for us
            continue


def _receive(pipe: BinaryIO) -> object:
    """What the child wrote: None when it stopped before the end (it crashed or was refused)."""
    kind = pipe.read(1)
    if kind == _WHOLE:
        piece = _piece(pipe)
        return None if piece is None else marshal.loads(piece)
    if kind != _DICT:
        return None
    value: dict[object, object] = {}
    while True:
        piece = _piece(pipe)
        if piece is None:
            return None
        if not piece:
            return value
        value.update(marshal.loads(piece))


def _piece(pipe: BinaryIO) -> bytes | None:
    head = pipe.read(_LENGTH.size)
    if len(head) != _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    body = pipe.read(size)
    return body if len(body) == size else None


def _child(data: bytes, out_fd: int | None) -> int:  # pragma: no cover - runs in the child
    try:
        faulthandler.disable()  # a crash here is an expected answer, not a report
        for handled in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(handled, signal.SIG_DFL)
        _limit_resources(len(data))
        value = stdlib_loads(data)
        if out_fd is not None:
            with os.fdopen(out_fd, "wb") as out:
                _send(value, out)
    except EOFError:
        return TRUNCATED
    except MemoryError:
        return NO_MEMORY
    except BaseException:
        return REFUSED
    return OK


def _send(value: object, out: BinaryIO) -> None:  # pragma: no cover - runs in the child
    if type(value) is not dict:
        piece = marshal.dumps(value)  # type: ignore[arg-type]  # what marshal.loads made
        out.write(_WHOLE + _LENGTH.pack(len(piece)) + piece)
        return
    out.write(_DICT)
    items = list(value.items())
    for start in range(0, len(items), PIECE_ITEMS):
        piece = marshal.dumps(dict(items[start : start + PIECE_ITEMS]))
        out.write(_LENGTH.pack(len(piece)))
        out.write(piece)
    out.write(_LENGTH.pack(0))


def _limit_resources(size: int) -> None:  # pragma: no cover - runs in the forked child
    try:
        import resource
    except ImportError:
        return
    with contextlib.suppress(ValueError, OSError):
        cpu = cpu_seconds(size)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    with contextlib.suppress(ValueError, OSError):
        limit = address_space() + memory_allowance(size)
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def address_space() -> int:
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmSize")
