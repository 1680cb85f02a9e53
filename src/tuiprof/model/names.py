"""How a function shows itself: its identity key and the short form of its path.

A function is identified as pstats identifies it, by the tuple
``(file, first line, name)``. Keys stay plain tuples so that a 300,000-function
profile does not build an object per function.
"""

from __future__ import annotations

import re

FunctionKey = tuple[str, int, str]
"""``(file, first line, name)``, exactly as pstats keys a function."""

_SITE = re.compile(r"^.*[/\\]((?:site|dist)-packages)[/\\]")
_STDLIB = re.compile(r"^.*?[/\\]lib[/\\](python\d+(?:\.\d+)?t?)[/\\]")

IMPORT_SYSTEM_FILES = frozenset(
    {"<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>"}
)


def is_builtin(key: FunctionKey) -> bool:
    """A C function: cProfile files them under ``~``, the profile module under ``''``."""
    return key[0] in ("~", "") and key[1] == 0


def is_import_system(key: FunctionKey) -> bool:
    """A function of the import machinery (``<frozen importlib._bootstrap…>``)."""
    return key[0] in IMPORT_SYSTEM_FILES or key[0].startswith("<frozen zipimport")


def is_stdlib(key: FunctionKey) -> bool:
    """A function of the standard library: frozen modules or ``lib/pythonX.Y``."""
    file = key[0]
    if file.startswith("<frozen "):
        return True
    if "site-packages" in file or "dist-packages" in file:
        return False
    return _STDLIB.match(file) is not None


def short_path(file: str) -> str:
    """Shorten the long prefixes of installed code.

    ``/venv/lib/python3.12/site-packages/rich/text.py`` becomes
    ``site-packages/rich/text.py`` and ``/usr/lib/python3.12/json/decoder.py``
    becomes ``python3.12/json/decoder.py``.
    """
    if "-packages" in file:
        shorter = _SITE.sub(r"\1/", file, 1)
        if shorter != file:
            return shorter
    if "lib" in file:
        return _STDLIB.sub(r"\1/", file, 1)
    return file


def label(key: FunctionKey) -> str:
    """``name  file:line``, or the bare name for built-ins."""
    file, line, name = key
    if not (isinstance(file, str) and isinstance(name, str)):
        # Caller keys are checked for shape only: show odd parts as text.
        file, name = str(file), str(name)
    if is_builtin(key):
        return name
    return f"{name}  {short_path(file)}:{line}"


def search_text(key: FunctionKey) -> str:
    """What a filter term is matched against: the name, then the full ``path:line``.

    Lower case, on two lines: a term matches one or the other, never across
    both, and with the regular expressions compiled multi-line, ``render$``
    is a function named ``render`` and ``^test_`` a name starting ``test_``.
    """
    return f"{key[2]}\n{key[0]}:{key[1]}".lower()


def fit_label(text: str, width: int) -> str:
    """A :func:`label` shortened to ``width`` characters, keeping what identifies it.

    The path loses characters from its left (``…es/rich/text.py:42``) and the
    ``:line`` is kept; when the name does not fit either, it is cut at its end
    (``dispatch_re…  …:1234``), and only on the narrowest columns is the
    ``:line`` lost. A label that fits comes back as it is.
    """
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    name, gap, where = text.rpartition("  ")
    if not gap:
        return text[: width - 1] + "…"
    path, colon, line = where.rpartition(":")
    tail = f"{colon}{line}" if colon else ""
    room = width - len(name) - len(gap) - len(tail) - 1
    if room >= 0:
        path = path if colon else where
        return f"{name}{gap}…{path[len(path) - room :] if room else ''}{tail}"
    name_room = width - len(gap) - 1 - len(tail)
    if tail and name_room >= 5:
        # The name too is cut, at its end; the line number still shows.
        return f"{name[: name_room - 1]}…{gap}…{tail}"
    return text[: width - 1] + "…"
