"""Read an input's bytes safely and tell what kind of file they are.

The format is decided by the bytes, never by the file name. Non-regular files
(directories, fifos, devices) are refused before they are opened, so that
reading can never block.
"""

from __future__ import annotations

import enum
import json
import os
import shlex
import stat

from tuiprof.model import safe_marshal
from tuiprof.model.errors import ProfileError
from tuiprof.model.marshal_values import MarshalError


class Format(enum.Enum):
    """What an input's first bytes say it is."""

    PSTATS = "pstats"
    LPROF = "lprof"


_PICKLE_PROTO = 0x80
_MARSHAL_DICT = (ord("{"), ord("{") | 0x80)  # TYPE_DICT, with or without FLAG_REF


def read_input(path: str, limit: int = -1) -> bytes:
    """A regular file's bytes in one read (the first ``limit`` of them when given).

    A :class:`ProfileError` for anything that is not a readable regular file.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ProfileError(path, "no such file") from None
    except PermissionError:
        raise ProfileError(path, "permission denied") from None
    except OSError as error:
        raise ProfileError(path, error.strerror or "cannot be read") from None
    if stat.S_ISDIR(info.st_mode):
        raise ProfileError(path, "is a directory, not a profile file")
    if not stat.S_ISREG(info.st_mode):
        raise ProfileError(path, "is not a regular file (a fifo, socket or device)")
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except PermissionError:
        raise ProfileError(path, "permission denied") from None
    except OSError as error:
        raise ProfileError(path, error.strerror or "cannot be read") from None


DESCRIBE_LIMIT = 16 * 1024 * 1024
"""Files bigger than this that are not profiles are described by their first bytes only."""

SNIFF_BYTES = 64
"""How many leading bytes :func:`sniff` needs."""


def sniff(data: bytes) -> Format | None:
    """The profile format the bytes start like, or None."""
    if not data:
        return None
    first = data[0]
    if first == _PICKLE_PROTO and (len(data) == 1 or data[1] <= 5):
        return Format.LPROF  # one byte: a cut file, which the loader says
    if first in _MARSHAL_DICT and (
        data in (b"{0", b"\xfb0") or not _looks_like_text(data[:SNIFF_BYTES])
    ):
        return Format.PSTATS
    return None


def describe(data: bytes, path: str = "") -> str:
    """What a file that is not a profile looks like, for the error message.

    A Python script given by mistake gets the commands that profile it.
    """
    if path.endswith((".py", ".pyw")) and (not data or _looks_like_text(data[:4096])):
        script = shlex.quote(path)
        return (
            "is a Python script, not a profile: profile it with"
            f" `python -m cProfile -o out.prof {script}` or `tuiprof record {script}`"
        )
    if not data:
        return "is empty"
    if data[:2] == b"\x1f\x8b":
        return "is gzip-compressed: decompress it first (gunzip)"
    if data[:4] == b"PK\x03\x04":
        return "is a zip archive, not a profile"
    head = data[:4096]
    if _looks_like_text(head):
        text = head.decode("utf-8", errors="replace")
        stripped = text.lstrip()
        if stripped.startswith(("# callgrind format", "version:", "creator:", "events:")):
            return "is a callgrind file (open it with KCachegrind), not a pstats or .lprof file"
        if stripped.startswith(("{", "[")) and _is_json(data):
            return "is JSON, not a pstats or .lprof profile"
        if stripped.startswith("digraph") or stripped.startswith("strict digraph"):
            return "is a Graphviz dot file, not a profile"
        return "is a text file, not a pstats or .lprof profile"
    kind = _marshal_type(data)
    if kind is not None:
        return f"holds marshal data of type {kind}, not a pstats dictionary"
    return "is not a profile (expected cProfile/pstats or line_profiler .lprof data)"


def _is_json(data: bytes) -> bool:
    """Whether the text is JSON; not parsed past :data:`DESCRIBE_LIMIT` bytes.

    ``json`` recurses once per nesting level: 100,000 brackets in a row would
    end in ``RecursionError``. Such text is not a profile either way.
    """
    if len(data) > DESCRIBE_LIMIT:
        return False
    try:
        json.loads(data)
    except (ValueError, RecursionError, MemoryError):
        return False
    return True


def _marshal_type(data: bytes) -> str | None:
    """The type of the one marshal object that is exactly the whole file, or None.

    Decoded by the safe reader (never ``marshal`` itself, which trusts its
    input), and only up to :data:`DESCRIBE_LIMIT` bytes; requiring every byte
    to be used keeps random bytes from passing.
    """
    if len(data) > DESCRIBE_LIMIT:
        return None
    try:
        decoded = safe_marshal.loads(data)
    except MarshalError:
        return None
    if decoded.used != len(data):
        return None
    return type(decoded.value).__name__


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut by the slice is still text (but a few
        # bytes that are not UTF-8 at all are not).
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
        if not text:
            return False
    return all(ch.isprintable() or ch in "\t\r\n\f" for ch in text)
