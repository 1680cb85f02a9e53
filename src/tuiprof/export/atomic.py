"""Write a file all at once or not at all.

Every export is written to a temporary file in the target folder, flushed
to disk, then renamed into place, so a reader never sees half a file and a
failure (no permission, a missing folder, a full disk, ``dot`` failing, an
interrupt, SIGTERM or SIGHUP) leaves the folder exactly as it was. An
existing file is replaced only with ``force=True``, and only a regular file
that is not one of the export's inputs: a symlink, a fifo or a device node
(``/dev/null``, as root) at the output path is refused, never turned into a
regular file. Without ``force`` the final step is a hard link, which fails if
the name appeared in the meantime instead of replacing it.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import BinaryIO, TextIO

from tuiprof.model.names import visible


class ExportError(Exception):
    """An export that could not be written; the message is one line."""


class OutputExists(ExportError):
    """The output file exists and overwriting was not allowed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{visible(str(path))}: exists: use --force to overwrite")


def _fail(path: Path, problem: str) -> ExportError:
    return ExportError(f"{visible(str(path))}: {problem}")


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_replaceable(path: Path, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse to replace anything at ``path`` but a regular file that is not an input."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise _fail(path, _reason(error)) from None
    for is_kind, kind in _KINDS:
        if is_kind(found.st_mode):
            raise _fail(path, f"is {kind}: only a regular file is replaced, even with --force")
    if not stat.S_ISREG(found.st_mode):
        raise _fail(path, "is not a regular file: only a regular file is replaced")
    for source in inputs:
        with contextlib.suppress(OSError):
            kept = os.stat(source)
            if (kept.st_dev, kept.st_ino) == (found.st_dev, found.st_ino):
                raise _fail(path, "is an input of this export: it is never replaced")


def check_target(path: Path, *, force: bool, inputs: Iterable[str | Path] = ()) -> None:
    """Fail early, before any work, when ``path`` cannot be written.

    ``inputs`` are the files the export reads: even with ``force`` they are
    never replaced.
    """
    folder = path.parent
    try:
        if path.is_dir():
            raise _fail(path, "is a folder")
        if not folder.is_dir():
            problem = "not a folder" if folder.exists() else "no such folder"
            raise _fail(path, f"{problem}: {visible(str(folder))}")
        if not (path.exists() or path.is_symlink()):
            return
    except OSError as error:  # a name too long, a loop of symbolic links
        raise _fail(path, _reason(error)) from None
    if not force:
        raise OutputExists(path)
    _check_replaceable(path, inputs)


def write_bytes_atomic(
    path: Path,
    produce: Callable[[BinaryIO], None],
    *,
    force: bool = False,
    inputs: Iterable[str | Path] = (),
) -> None:
    """Call ``produce`` with a binary file that becomes ``path`` once it returns.

    Raises :class:`ExportError` (or :class:`OutputExists`) on any failure;
    ``produce`` may raise :class:`ExportError` itself to abandon the file.
    """
    inputs = tuple(inputs)
    check_target(path, force=force, inputs=inputs)
    install_signal_cleanup()
    temp = _create_temp(path)
    try:
        try:
            with open(temp, "wb") as stream:
                produce(stream)
                stream.flush()
                os.fsync(stream.fileno())
            _move_into_place(temp, path, force=force, inputs=inputs)
        except OSError as error:
            raise _fail(path, _reason(error)) from None
    except BaseException:
        _remove_quietly(temp)
        raise
    finally:
        _live_temps.discard(temp)


def write_text_atomic(
    path: Path,
    produce: Callable[[TextIO], None],
    *,
    force: bool = False,
    inputs: Iterable[str | Path] = (),
) -> None:
    """Like :func:`write_bytes_atomic`, for UTF-8 text with ``\\n`` line ends.

    A name that is not valid Unicode (a lone surrogate from an odd file
    system) is written backslash-escaped rather than failing the export.
    """

    def produce_text(binary: BinaryIO) -> None:
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="backslashreplace", newline="\n")
        produce(text)
        text.flush()
        text.detach()

    write_bytes_atomic(path, produce_text, force=force, inputs=inputs)


# Temporary files --------------------------------------------------------------------

TEMP_SUFFIX = ".tmp"

_live_temps: set[Path] = set()
"""Temporary files being written; a SIGTERM or SIGHUP removes them before the process ends.

A plain set, no lock: the signal handler runs between bytecodes of the main
thread, which may be holding any lock, and ``add``, ``discard`` and ``tuple``
of a set are atomic."""


_running: set[object] = set()
"""One token per export being made (:func:`export_running`), from its checks to its rename."""


@contextlib.contextmanager
def export_running() -> Iterator[None]:
    """Mark an export as being made while the block runs (:func:`exports_in_progress`)."""
    token = object()
    _running.add(token)
    try:
        yield
    finally:
        _running.discard(token)


def exports_in_progress() -> bool:
    """Whether an export is being made or written now: the command waits for it at its end."""
    return bool(_running or _live_temps)


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def temp_name(path: Path, token: str) -> str:
    """``.NAME.TOKEN.tmp``, with NAME cut so that it fits the folder's longest name.

    The final name fits there, so a temporary name that is no longer than the
    longest allowed one fits too: an output name of 255 bytes must not fail
    because its temporary name would be 269.
    """
    tail = f".{token}{TEMP_SUFFIX}".encode()
    room = max(0, _name_max(path.parent) - 1 - len(tail))
    name = os.fsencode(path.name)[:room]
    return os.fsdecode(b"." + name + tail)


def _create_temp(path: Path) -> Path:
    """A new, empty, hidden file next to ``path``.

    Created with mode 0o666 so the umask gives the final file the same
    permissions as any other new file (``mkstemp`` would make it 0o600).
    """
    for _ in range(100):
        # os.urandom, not secrets: the name needs no more, and `tuiprof record`
        # counts every module imported before the program runs as overhead.
        temp = path.with_name(temp_name(path, os.urandom(4).hex()))
        _live_temps.add(temp)  # before it exists: a signal may come at any moment
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            _live_temps.discard(temp)
            continue
        except OSError as error:
            _live_temps.discard(temp)
            raise _fail(path, _reason(error)) from None
        os.close(fd)
        return temp
    raise _fail(path, "could not create a temporary file next to it")


def _move_into_place(
    temp: Path, path: Path, *, force: bool, inputs: tuple[str | Path, ...]
) -> None:
    if force:
        # Checked again at the last moment: what was a regular file when the
        # export began may be a symlink now.
        _check_replaceable(path, inputs)
        os.replace(temp, path)
        return
    try:
        os.link(temp, path)
    except FileExistsError:
        raise OutputExists(path) from None
    except OSError:
        # No hard links on this file system: check, then rename.
        if path.exists() or path.is_symlink():
            raise OutputExists(path) from None
        os.rename(temp, path)
        return
    _remove_quietly(temp)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _reason(error: OSError) -> str:
    return error.strerror.lower() if error.strerror else str(error)


# Signals ----------------------------------------------------------------------------

CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_installed: dict[int, object] = {}
"""The handler each signal had before :func:`install_signal_cleanup`."""


def install_signal_cleanup() -> None:
    """Make SIGTERM and SIGHUP remove the temporary files being written, then act as before.

    Python's default for both signals ends the process at once, with no
    ``finally`` run, so a half-written temporary file would stay beside the
    target. The handler removes them, then hands the signal to the handler
    that was there before (by default: the process ends, killed by it).
    Installed once, from the main thread (the only one that may); from any
    other thread this does nothing, so a program that exports from a worker
    thread installs it first (the explorer does, before the screen opens).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in CLEANUP_SIGNALS:
        if signum in _installed:
            continue
        previous = signal.getsignal(signum)
        if previous is signal.SIG_IGN:
            continue  # ignored: the process goes on, and so does the export
        _installed[signum] = previous
        signal.signal(signum, _on_signal)


def _on_signal(signum: int, frame: FrameType | None) -> None:
    for temp in tuple(_live_temps):
        _remove_quietly(temp)
        _live_temps.discard(temp)
    previous = _installed.get(signum)
    if callable(previous):
        previous(signum, frame)
        return
    # The default action: end the process, killed by this signal, as it would have been.
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
