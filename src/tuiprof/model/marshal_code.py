"""Code objects in marshal data, read by :mod:`tuiprof.model.safe_marshal` and never built.

A profile's keys never hold code, but another Python's marshal data can: it is
read field by field in the layout of the Python that wrote it, and only its
names are kept.
"""

from __future__ import annotations

from typing import Protocol

from tuiprof.model.marshal_values import CodePlaceholder, MarshalError

CodeLayout = tuple[str, int, tuple[str, ...]]
"""(Python version, raw 32-bit integers that lead, the objects' kinds)."""

# Layouts of a code object's fields by Python version: how many raw 32-bit
# integers lead, then the objects, with the type each must have.
CODE_LAYOUTS: tuple[CodeLayout, ...] = (
    # argcount posonly kwonly stacksize flags; code consts names localsplusnames
    # localspluskinds filename name qualname firstlineno linetable exceptiontable
    ("3.11", 5, ("b", "t", "t", "t", "b", "s", "s", "s", "#", "b", "b")),
    # argcount posonly kwonly nlocals stacksize flags; ... filename name firstlineno lnotab
    ("3.8", 6, ("b", "t", "t", "t", "t", "t", "s", "s", "#", "b")),
    ("3.0", 5, ("b", "t", "t", "t", "t", "t", "s", "s", "#", "b")),
    ("2.7", 4, ("b", "t", "t", "t", "t", "t", "s", "s", "#", "b")),
)


class CodeReader(Protocol):
    """The reader's state and fields a code object is read with."""

    pos: int
    refs: list[object]
    interned: list[object]
    python3: bool
    code_layout: CodeLayout | None
    has_code: bool

    def int32(self) -> int: ...

    def read(self, depth: int) -> object: ...


def read_code(r: CodeReader, depth: int) -> object:
    """A code object, as a :class:`CodePlaceholder`: only its names are kept."""
    if r.code_layout is not None:
        return _code_with(r, depth, r.code_layout)
    # The first code object decides the layout for the whole file (one Python
    # wrote it): at most four trials, each a linear read.
    start, refs, interned, python3 = r.pos, len(r.refs), len(r.interned), r.python3
    problem: MarshalError | None = None
    for layout in CODE_LAYOUTS:
        r.code_layout = layout
        try:
            return _code_with(r, depth, layout)
        except MarshalError as error:
            problem = problem or error
            r.pos = start
            del r.refs[refs:]
            del r.interned[interned:]
            r.python3 = python3
    r.code_layout = None
    assert problem is not None
    raise problem


def _code_with(r: CodeReader, depth: int, layout: CodeLayout) -> object:
    _version, leading, fields = layout
    for _ in range(leading):
        if r.int32() < 0:
            raise MarshalError("bad marshal data: a malformed code object")
    texts: list[str] = []
    firstlineno = 0
    for kind in fields:
        if kind == "#":
            firstlineno = r.int32()
            continue
        value = r.read(depth)
        if kind == "s":
            if isinstance(value, bytes):
                value = value.decode("utf-8", "backslashreplace")
            if not isinstance(value, str):
                raise MarshalError("bad marshal data: a malformed code object")
            texts.append(value)
        elif (kind == "b" and not isinstance(value, bytes)) or (
            kind == "t" and not isinstance(value, tuple)
        ):
            raise MarshalError("bad marshal data: a malformed code object")
    r.has_code = True
    filename, name = texts[0], texts[1]
    qualname = texts[2] if len(texts) > 2 else name
    return CodePlaceholder(name, qualname, filename, firstlineno)
