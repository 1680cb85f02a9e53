"""What the safe marshal reader hands back besides plain values, and its one error.

:mod:`tuiprof.model.safe_marshal` reads; the loaders and the pickle reader use
these types and the rule for keys that may be hashed safely.
"""

from __future__ import annotations

from dataclasses import dataclass

KEY_INT_LIMIT = (1 << 61) - 1
"""Integers in keys stay below this, where ``hash(n) == n``: no engineered collisions."""


class MarshalError(ValueError):
    """Data the reader refuses; ``problem`` says why, for a one-line message."""

    def __init__(self, problem: str, *, truncated: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.truncated = truncated


@dataclass(frozen=True, slots=True, eq=False)
class CodePlaceholder:
    """A code object, never built: only its names are kept.

    Hashing and equality are by identity, like a code object's are not but
    safely so: nothing from the file decides them.
    """

    name: str
    qualname: str
    filename: str
    firstlineno: int

    def __repr__(self) -> str:
        return f"<code object {self.qualname}, file {self.filename!r}, line {self.firstlineno}>"


@dataclass(frozen=True, slots=True, eq=False)
class Opaque:
    """A marshal value with no plain Python data in it (``StopIteration``, a slice)."""

    kind: str


_ATOMS = (str, bytes, int, type(None), CodePlaceholder, Opaque)


def is_plain_key(key: object) -> bool:
    """Whether ``key`` may be hashed safely: a plain value or a tuple of them.

    Strings hash with Python's secret seed; integers are kept below
    :data:`KEY_INT_LIMIT`, where no two share a hash (-1 and -2 aside).
    Floats are refused: ``1.0`` and ``2.0 ** -61`` share a hash, and so
    could thousands of crafted keys.
    """
    if type(key) is tuple:
        return len(key) <= 8 and all(map(_plain_atom, key))
    return _plain_atom(key)


def _plain_atom(value: object) -> bool:
    kind = type(value)
    if kind is int:
        return -KEY_INT_LIMIT < value < KEY_INT_LIMIT  # type: ignore[operator]
    return kind in _ATOMS or kind is bool
