"""An unpickler for untrusted files: resolves nothing, and stays bounded.

Built on the pure-Python ``pickle._Unpickler`` rather than the C one, whose
memo is an array: a nine-byte ``LONG_BINPUT`` of index 2**31 makes it
allocate gigabytes. Here the memo is a dictionary, every length is read from
the bytes that exist (a claimed length past the end is "truncated"), and:

- no global is resolved but those the caller allows (``allowed``), no
  persistent reference at all: either stops the load before anything is
  built from it;
- dictionary keys and set members must be plain values
  (:func:`~tuiprof.model.safe_marshal.is_plain_key`): a key nested a million
  tuples deep, whose hashing would overflow the C stack, or keys crafted to
  share a hash, are refused before they are hashed.

Nothing else in a pickle recurses: deep values are built, and freed, in loops.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from tuiprof.model.marshal_values import is_plain_key

_Load = Callable[["SafeUnpickler"], None]


class RefusedGlobal(pickle.UnpicklingError):
    """The pickle names a global that is not allowed (``str`` says which)."""


class SafeUnpickler(pickle._Unpickler):
    """A pure-Python unpickler that maps a few allowed names and refuses every other."""

    dispatch: ClassVar[dict[int, _Load]] = dict(pickle._Unpickler.dispatch)  # type: ignore[arg-type,assignment]

    if TYPE_CHECKING:  # the pure-Python unpickler's own, untyped in typeshed
        stack: list[Any]
        append: Callable[[Any], None]

        def pop_mark(self) -> list[Any]: ...

    def __init__(self, data: bytes, allowed: Mapping[tuple[str, str], object]) -> None:
        # Python 2 pickles hold paths as byte strings: read them as UTF-8.
        self._input = io.BytesIO(data)
        super().__init__(self._input, encoding="utf-8")
        self._allowed = allowed

    @property
    def exhausted(self) -> bool:
        """Whether every byte was read: an error then means the data ended too early.

        The pure-Python unpickler reports reading past the end in several ways
        (``IndexError`` for a missing byte, ``struct.error`` for a short number).
        """
        if self._input.tell() < len(self._input.getbuffer()):
            return False
        # Protocol 4 reads a frame at a time: its bytes must be used up too.
        frame = getattr(getattr(self, "_unframer", None), "current_frame", None)
        return frame is None or frame.tell() >= len(frame.getbuffer())

    def find_class(self, module: str, name: str) -> Any:
        target = self._allowed.get((module, name))
        if target is None:
            raise RefusedGlobal(f"refused to load {module}.{name}")
        return target

    def persistent_load(self, pid: Any) -> Any:
        raise RefusedGlobal("refused a persistent reference")

    # -- the opcodes that hash: keys are checked first ----------------------

    def _plain(self, keys: Any) -> None:
        if not all(map(is_plain_key, keys)):
            raise pickle.UnpicklingError("a dictionary key that is not a plain value")

    def load_setitem(self) -> None:
        stack = self.stack
        self._plain((stack[-2],))
        value = stack.pop()
        key = stack.pop()
        stack[-1][key] = value

    def load_setitems(self) -> None:
        items = self.pop_mark()
        self._plain(items[::2])
        target = self.stack[-1]
        for i in range(0, len(items), 2):
            target[items[i]] = items[i + 1]

    def load_dict(self) -> None:
        items = self.pop_mark()
        self._plain(items[::2])
        self.append({items[i]: items[i + 1] for i in range(0, len(items), 2)})

    def load_additems(self) -> None:
        items = self.pop_mark()
        self._plain(items)
        target = self.stack[-1]
        if isinstance(target, set):
            target.update(items)
        else:
            for item in items:
                target.add(item)

    def load_frozenset(self) -> None:
        items = self.pop_mark()
        self._plain(items)
        self.append(frozenset(items))

    dispatch[pickle.SETITEM[0]] = load_setitem
    dispatch[pickle.SETITEMS[0]] = load_setitems
    dispatch[pickle.DICT[0]] = load_dict
    dispatch[pickle.ADDITEMS[0]] = load_additems
    dispatch[pickle.FROZENSET[0]] = load_frozenset
