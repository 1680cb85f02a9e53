"""How a function shows itself: its identity key, the short form of its path, safe text.

A function is identified as pstats identifies it, by the tuple
``(file, first line, name)``. Keys stay plain tuples so that a 300,000-function
profile does not build an object per function.

A profile is often someone else's file, and its names can hold anything a
Python string can: escape sequences that set the clipboard (OSC 52) or the
window title or clear the screen, carriage returns and newlines that break a
table's rows, lone surrogates that no encoder accepts. :func:`visible` is the
one place that makes such text safe for a terminal (and for line-based export
formats): every output that shows a name or a file name passes it through
here, so the characters are shown as escapes (``\x1b``, ``\n``), never sent.
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


_UNSAFE = re.compile(
    # C0 controls, DEL and C1 controls (ESC, CSI, OSC, CR, LF, NEL...); the
    # Unicode line and paragraph separators; the bidirectional overrides and
    # isolates, which reorder what a terminal shows; and surrogates, which in
    # a Python string are always lone (no UTF encoder writes them).
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""``text`` with every character a terminal would act on written as an escape.

    An ESC becomes the four characters ``\x1b``, a newline ``\n``, a lone
    surrogate ``\ud800``. Backslashes are left alone (Windows paths stay
    readable): the escapes are for reading, not for decoding. The result is
    one line, and encodes to UTF-8 without error.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def visible_source(line: str) -> str:
    """A source line made safe like :func:`visible`, its tabs kept for the layout to expand.

    The profile names the source file, so what is shown as source can be any
    file on this machine.
    """
    if "\t" not in line:
        return visible(line)
    return "\t".join(map(visible, line.split("\t")))


def visible_name(key: FunctionKey) -> str:
    """The function's name alone, made safe for the terminal."""
    name = key[2]
    return visible(name if isinstance(name, str) else str(name))


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
    """``name  file:line``, or the bare name for built-ins; safe for the terminal."""
    file, line, name = key
    if not (isinstance(file, str) and isinstance(name, str)):
        # Caller keys are checked for shape only: show odd parts as text.
        file, name = str(file), str(name)
    if is_builtin(key):
        return visible(name)
    return visible(f"{name}  {short_path(file)}:{line}")


def search_text(key: FunctionKey) -> str:
    """What a filter term is matched against: the name and the full path, lower case."""
    return f"{key[2]} {key[0]}:{key[1]}".lower()
