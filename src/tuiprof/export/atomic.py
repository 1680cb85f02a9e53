"""Write a file all at once or not at all.

Every export is written to a temporary file in the target folder, flushed
to disk, then renamed into place, so a reader never sees half a file and a
failure (no permission, a missing folder, a full disk, ``dot`` failing, an
interrupt) leaves the folder exactly as it was. An existing file is replaced
only with ``force=True``; without it the final step is a hard link, which
fails if the name appeared in the meantime instead of replacing it.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO


class ExportError(Exception):
    """An export that could not be written; the message is one line."""


class OutputExists(ExportError):
    """The output file exists and overwriting was not allowed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path}: exists: use --force to overwrite")


def check_target(path: Path, *, force: bool) -> None:
    """Fail early, before any work, when ``path`` cannot be written."""
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"{path}: is a folder")
    if not folder.is_dir():
        raise ExportError(f"{path}: no such folder: {folder}")
    if not force and (path.exists() or path.is_symlink()):
        raise OutputExists(path)


def write_bytes_atomic(
    path: Path, produce: Callable[[BinaryIO], None], *, force: bool = False
) -> None:
    """Call ``produce`` with a binary file that becomes ``path`` once it returns.

    Raises :class:`ExportError` (or :class:`OutputExists`) on any failure;
    ``produce`` may raise :class:`ExportError` itself to abandon the file.
    """
    check_target(path, force=force)
    temp = _create_temp(path)
    try:
        try:
            with open(temp, "wb") as stream:
                produce(stream)
                stream.flush()
                os.fsync(stream.fileno())
            _move_into_place(temp, path, force=force)
        except OSError as error:
            raise ExportError(f"{path}: {_reason(error)}") from None
    except BaseException:
        _remove_quietly(temp)
        raise


def write_text_atomic(
    path: Path, produce: Callable[[TextIO], None], *, force: bool = False
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

    write_bytes_atomic(path, produce_text, force=force)


def _create_temp(path: Path) -> Path:
    """A new, empty, hidden file next to ``path``.

    Created with mode 0o666 so the umask gives the final file the same
    permissions as any other new file (``mkstemp`` would make it 0o600).
    """
    for _ in range(100):
        # os.urandom, not secrets: the name needs no more, and `tuiprof record`
        # counts every module imported before the program runs as overhead.
        temp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            raise ExportError(f"{path}: {_reason(error)}") from None
        os.close(fd)
        return temp
    raise ExportError(f"{path}: could not create a temporary file next to it")


def _move_into_place(temp: Path, path: Path, *, force: bool) -> None:
    if force:
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
