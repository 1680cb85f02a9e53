"""A marshal reader that cannot crash the interpreter, for data from anywhere.

The standard ``marshal.loads`` trusts its input: a tuple holding a reference
to itself crashes it, a five-byte header claiming two billion items allocates
16 GB before a single item is read, and another Python's code objects end in
``SystemError``. This reader knows the marshal formats of Python 2.7 and 3.x
and guarantees:

- every size is checked against the bytes left before anything is built, and
  the objects built never outnumber the bytes read;
- nesting is limited to :data:`MAX_DEPTH`;
- a reference to an object that is still being read (the only way to build a
  cycle) is refused, so the result is always acyclic;
- dictionary keys and set members must be plain values (:func:`is_plain_key`),
  whose hashing is cheap and cannot be made to collide on purpose;
- a code object is never built: it becomes a :class:`CodePlaceholder` that
  holds its names.

It is a pure Python loop, about 15 times slower than ``marshal.loads``;
:mod:`tuiprof.model.marshal_decode` decides which of the two decodes a file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_DEPTH = 100
"""Deepest nesting of containers read (a pstats file needs 4, code objects a few more)."""

MAX_LONG_DIGITS = 2_000
"""Largest integer read, in 15-bit marshal digits (30,000 bits)."""

KEY_INT_LIMIT = (1 << 61) - 1
"""Integers in keys stay below this, where ``hash(n) == n``: no engineered collisions."""

FLAG_REF = 0x80

_INT32 = struct.Struct("<i")
_UINT32 = struct.Struct("<I")
_INT64 = struct.Struct("<q")
_FLOAT = struct.Struct("<d")
_COMPLEX = struct.Struct("<dd")


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


class _Pending:
    """Stands in a reference slot while its container is being read."""


_PENDING = _Pending()

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


# Layouts of a code object's fields by Python version: how many raw 32-bit
# integers lead, then the objects, with the type each must have.
_CODE_LAYOUTS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    # argcount posonly kwonly stacksize flags; code consts names localsplusnames
    # localspluskinds filename name qualname firstlineno linetable exceptiontable
    ("3.11", 5, ("b", "t", "t", "t", "b", "s", "s", "s", "#", "b", "b")),
    # argcount posonly kwonly nlocals stacksize flags; ... filename name firstlineno lnotab
    ("3.8", 6, ("b", "t", "t", "t", "t", "t", "s", "s", "#", "b")),
    ("3.0", 5, ("b", "t", "t", "t", "t", "t", "s", "s", "#", "b")),
    ("2.7", 4, ("b", "t", "t", "t", "t", "t", "s", "s", "#", "b")),
)


_FIELD_TYPES: dict[str, type] = {"b": bytes, "t": tuple}


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.end = len(data)
        self.pos = 0
        self.refs: list[object] = []
        self.interned: list[object] = []  # Python 2's 't' strings, for 'R'
        self.python3 = False
        """Whether a code only Python 3 writes was seen (a reference, a short string)."""
        self.code_layout: tuple[str, int, tuple[str, ...]] | None = None
        self.has_code = False

    # -- raw fields ---------------------------------------------------------

    def take(self, n: int) -> bytes:
        pos = self.pos
        if n < 0:
            raise MarshalError("bad marshal data: a negative size")
        if n > self.end - pos:
            raise MarshalError("truncated", truncated=True)
        self.pos = pos + n
        return self.data[pos : pos + n]

    def int32(self) -> int:
        pos = self.pos
        if self.end - pos < 4:
            raise MarshalError("truncated", truncated=True)
        self.pos = pos + 4
        value: int = _INT32.unpack_from(self.data, pos)[0]
        return value

    def size(self, least_bytes_each: int = 1) -> int:
        """A container's or string's length, refused if the bytes left cannot hold it."""
        n = self.int32()
        if n < 0:
            raise MarshalError("bad marshal data: a negative size")
        if n * least_bytes_each > self.end - self.pos:
            raise MarshalError("truncated", truncated=True)
        return n

    # -- objects ------------------------------------------------------------

    def read(self, depth: int) -> object:
        pos = self.pos
        if pos >= self.end:
            raise MarshalError("truncated", truncated=True)
        byte = self.data[pos]
        self.pos = pos + 1
        code = byte & 0x7F
        flag = byte & FLAG_REF
        if flag:
            self.python3 = True
        if code == 0x72:  # 'r'
            self.python3 = True
            index = self.int32()
            if not 0 <= index < len(self.refs):
                raise MarshalError("bad marshal data: invalid reference")
            target = self.refs[index]
            if target is _PENDING:
                raise MarshalError("bad marshal data: an object that contains itself")
            return target
        simple = _SIMPLE.get(code)
        if simple is not None:
            value = simple(self)
            if flag and code not in _UNREFERENCED:
                self.refs.append(value)
            return value
        if depth >= MAX_DEPTH:
            raise MarshalError("bad marshal data: nested too deeply")
        slot = -1
        if flag:
            slot = len(self.refs)
            self.refs.append(_PENDING)
        container = _CONTAINERS.get(code)
        if container is None:
            raise MarshalError(f"bad marshal data: unknown type code {byte:#04x}")
        value = container(self, depth + 1)
        if slot >= 0:
            self.refs[slot] = value
        return value

    def items(self, n: int, depth: int) -> list[object]:
        read = self.read
        return [read(depth) for _ in range(n)]

    def plain_items(self, n: int, depth: int) -> list[object]:
        items = self.items(n, depth)
        if not all(map(is_plain_key, items)):
            raise MarshalError("bad marshal data: a set member that is not a plain value")
        return items


def _none(r: _Reader) -> object:
    return None


def _false(r: _Reader) -> object:
    return False


def _true(r: _Reader) -> object:
    return True


def _ellipsis(r: _Reader) -> object:
    return Ellipsis


def _stopiter(r: _Reader) -> object:
    return Opaque("StopIteration")


def _null(r: _Reader) -> object:
    raise MarshalError("bad marshal data: a NULL object")


def _int(r: _Reader) -> object:
    return r.int32()


def _int64(r: _Reader) -> object:
    value: int = _INT64.unpack_from(r.take(8))[0]
    return value


def _long(r: _Reader) -> object:
    n = r.int32()
    count = abs(n)
    if count > MAX_LONG_DIGITS:
        raise MarshalError("bad marshal data: an integer of over 30,000 bits")
    raw = r.take(2 * count)
    value = 0
    for i in range(count - 1, -1, -1):
        digit = raw[2 * i] | (raw[2 * i + 1] << 8)
        if digit >= 1 << 15:
            raise MarshalError("bad marshal data: a digit out of range")
        value = (value << 15) | digit
    if count and value >> (15 * (count - 1)) == 0:
        raise MarshalError("bad marshal data: an unnormalized integer")
    return -value if n < 0 else value


def _binary_float(r: _Reader) -> object:
    value: float = _FLOAT.unpack_from(r.take(8))[0]
    return value


def _text_float_value(r: _Reader) -> float:
    text = r.take(r.take(1)[0])
    try:
        return float(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise MarshalError("bad marshal data: a malformed float") from None


def _text_float(r: _Reader) -> object:
    return _text_float_value(r)


def _binary_complex(r: _Reader) -> object:
    return complex(*_COMPLEX.unpack_from(r.take(16)))


def _text_complex(r: _Reader) -> object:
    real = _text_float_value(r)
    return complex(real, _text_float_value(r))


def _bytes(r: _Reader) -> object:
    return r.take(r.size())


def _interned(r: _Reader) -> object:
    # Python 2: an interned byte string that later 'R' codes refer to;
    # Python 3: an interned str. Either way text in pstats' keys.
    text = _utf8(r.take(r.size()))
    r.interned.append(text)
    return text


def _stringref(r: _Reader) -> object:
    index = r.int32()
    if not 0 <= index < len(r.interned):
        raise MarshalError("bad marshal data: invalid string reference")
    return r.interned[index]


def _unicode(r: _Reader) -> object:
    try:
        return r.take(r.size()).decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise MarshalError("bad marshal data: a malformed string") from None


def _ascii(r: _Reader) -> object:
    r.python3 = True
    return r.take(r.size()).decode("latin-1")


def _short_ascii(r: _Reader) -> object:
    r.python3 = True
    return r.take(r.take(1)[0]).decode("latin-1")


def _utf8(raw: bytes) -> str:
    return raw.decode("utf-8", "backslashreplace")


_SIMPLE = {
    ord("N"): _none,
    ord("F"): _false,
    ord("T"): _true,
    ord("."): _ellipsis,
    ord("S"): _stopiter,
    ord("0"): _null,
    ord("i"): _int,
    ord("I"): _int64,
    ord("l"): _long,
    ord("g"): _binary_float,
    ord("f"): _text_float,
    ord("y"): _binary_complex,
    ord("x"): _text_complex,
    ord("s"): _bytes,
    ord("t"): _interned,
    ord("R"): _stringref,
    ord("u"): _unicode,
    ord("a"): _ascii,
    ord("A"): _ascii,
    ord("z"): _short_ascii,
    ord("Z"): _short_ascii,
}


def _tuple(r: _Reader, depth: int) -> object:
    return tuple(r.items(r.size(), depth))


def _small_tuple(r: _Reader, depth: int) -> object:
    r.python3 = True
    return tuple(r.items(r.take(1)[0], depth))


def _list(r: _Reader, depth: int) -> object:
    return r.items(r.size(), depth)


def _set(r: _Reader, depth: int) -> object:
    return set(r.plain_items(r.size(), depth))


def _frozenset(r: _Reader, depth: int) -> object:
    return frozenset(r.plain_items(r.size(), depth))


def _dict(r: _Reader, depth: int) -> object:
    result: dict[object, object] = {}
    data = r.data
    read = r.read
    while True:
        if r.pos >= r.end:
            raise MarshalError("truncated", truncated=True)
        if data[r.pos] == 0x30:  # '0' ends a dictionary
            r.pos += 1
            return result
        key = read(depth)
        if not is_plain_key(key):
            raise MarshalError("bad marshal data: a dictionary key that is not a plain value")
        result[key] = read(depth)


def _slice(r: _Reader, depth: int) -> object:
    r.items(3, depth)
    return Opaque("slice")


def _code(r: _Reader, depth: int) -> object:
    if r.code_layout is not None:
        return _code_with(r, depth, r.code_layout)
    # The first code object decides the layout for the whole file (one Python
    # wrote it): at most four trials, each a linear read.
    start, refs, interned, python3 = r.pos, len(r.refs), len(r.interned), r.python3
    problem: MarshalError | None = None
    for layout in _CODE_LAYOUTS:
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


def _code_with(r: _Reader, depth: int, layout: tuple[str, int, tuple[str, ...]]) -> object:
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
                value = _utf8(value)
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


_UNREFERENCED = frozenset(map(ord, "NFT.S0R"))
"""Codes whose objects ``marshal`` never enters in its reference list, flag or not."""

_CONTAINERS = {
    ord("("): _tuple,
    ord(")"): _small_tuple,
    ord("["): _list,
    ord("{"): _dict,
    ord("<"): _set,
    ord(">"): _frozenset,
    ord("c"): _code,
    ord(":"): _slice,
}


@dataclass(frozen=True, slots=True)
class Decoded:
    """What :func:`loads` read: the value, and whether Python 2 wrote it."""

    value: object
    python2: bool
    """No code only Python 3 writes was seen: byte strings are Python 2's text."""
    used: int
    """How many bytes the value took."""
    has_code: bool = False
    """Whether a code object was read (now a :class:`CodePlaceholder`)."""


def loads(data: bytes) -> Decoded:
    """Decode one marshal value from the start of ``data``; :class:`MarshalError` if refused."""
    reader = _Reader(data)
    value = reader.read(0)
    return Decoded(value, not reader.python3, reader.pos, reader.has_code)
