"""Decode marshal data from an untrusted file: never a crash, never unbounded.

Two decoders, one result:

- :mod:`tuiprof.model.safe_marshal`, a reader of our own, is safe by
  construction but a pure Python loop (about ten times the time of
  ``marshal.loads``). Small files, and every file where ``fork`` is missing,
  go through it alone.
- ``marshal.loads`` is fast but trusts its input. For a bigger file it runs
  first in a forked child, with its address space and CPU time limited in
  proportion to the file's size. The child decodes the very bytes the parent
  holds, with the same hash seed, so what happens there is what would happen
  here: only when the child finished cleanly does the parent run
  ``marshal.loads`` itself. A child that crashed, or that ``marshal`` refused
  (Python 2 codes, another Python's code objects), sends the file to the
  safe reader, which says precisely what is wrong, or reads it.
"""

from __future__ import annotations

import contextlib
import faulthandler
import marshal
import os
import signal
import sys
import warnings
from dataclasses import dataclass

from tuiprof.model.safe_marshal import MarshalError, loads

SAFE_READER_LIMIT = 256 * 1024
"""Files up to this size are read by the safe reader alone: forking costs more."""

MEMORY_PER_BYTE = 24
"""The child may grow by this many bytes of address space per byte of file
(a real profile needs about 7), plus :data:`MEMORY_SLACK`."""
MEMORY_SLACK = 512 * 1024 * 1024
CPU_SECONDS = 5
CPU_SECONDS_PER_MB = 0.5
"""The child's CPU time limit: a real profile takes about 0.01 s per MB."""

_OK, _TRUNCATED, _REFUSED, _NO_MEMORY = 0, 10, 11, 12


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded value, and what its keys may hold that a pstats key should not."""

    value: object
    python2: bool
    """Python 2 wrote it: its byte strings are text."""
    has_code: bool = False
    """It holds code objects, as placeholders (the safe reader's output only)."""


def decode(data: bytes) -> Decoded:
    """Decode the one marshal value ``data`` holds; :class:`MarshalError` if refused.

    Bytes left over after the value are ignored, as ``marshal.loads`` ignores them.
    """
    if len(data) > SAFE_READER_LIMIT and hasattr(os, "fork"):
        verdict = _verify_in_child(data)
        if verdict == _OK:
            return Decoded(_stdlib_loads(data), python2=False)
        if verdict == _TRUNCATED:
            raise MarshalError("truncated", truncated=True)
        if verdict == _NO_MEMORY:
            raise MarshalError("it would take far more memory to decode than its size can justify")
        if verdict == -signal.SIGXCPU:
            raise MarshalError("it would take far longer to decode than its size can justify")
    decoded = loads(data)
    return Decoded(decoded.value, decoded.python2, decoded.has_code)


def _stdlib_loads(data: bytes) -> object:
    if sys.version_info >= (3, 13):
        return marshal.loads(data, allow_code=False)
    return marshal.loads(data)


def _verify_in_child(data: bytes) -> int:
    """The exit status of a child that decodes ``data``, or minus the signal that ended it."""
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork in a process with threads; the child
        # only decodes and exits, taking no lock another thread could hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child ends in os._exit
        os._exit(_child(data))
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:  # pragma: no cover - PEP 475 retries for us
            continue
        except BaseException:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            raise
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _child(data: bytes) -> int:  # pragma: no cover - runs in the forked child
    try:
        faulthandler.disable()  # a crash here is an expected answer, not a report
        for handled in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(handled, signal.SIG_DFL)
        _limit_resources(len(data))
        _stdlib_loads(data)
    except EOFError:
        return _TRUNCATED
    except MemoryError:
        return _NO_MEMORY
    except BaseException:
        return _REFUSED
    return _OK


def _limit_resources(size: int) -> None:  # pragma: no cover - runs in the forked child
    try:
        import resource
    except ImportError:
        return
    with contextlib.suppress(ValueError, OSError):
        cpu = int(CPU_SECONDS + CPU_SECONDS_PER_MB * size / 1e6)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    with contextlib.suppress(ValueError, OSError):
        limit = _address_space() + MEMORY_PER_BYTE * size + MEMORY_SLACK
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:  # pragma: no cover - runs in the forked child
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmSize:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmSize")
