"""The marshal reader: what ``marshal`` reads it reads the same; what crashes ``marshal``
it refuses; and the forked check in front of ``marshal`` for bigger files."""

from __future__ import annotations

import marshal
import os
import signal
import struct
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuiprof.model import ProfileError, load_profile, marshal_child, marshal_decode
from tuiprof.model.marshal_values import CodePlaceholder, MarshalError, is_plain_key
from tuiprof.model.safe_marshal import MAX_DEPTH, loads

# --- values marshal writes, read back the same --------------------------------------

_atoms = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(allow_nan=False),
    st.complex_numbers(allow_nan=False),
    st.binary(max_size=40),
    st.text(max_size=40),  # lone surrogates included: marshal writes them
    st.just(Ellipsis),
)
_keys = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.tuples(st.text(max_size=10), st.integers(0, 2**31), st.text(max_size=10)),
)
_values = st.recursive(
    _atoms,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.lists(inner, max_size=6).map(tuple),
        st.dictionaries(_keys, inner, max_size=6),
        st.frozensets(_keys, max_size=4),
        st.sets(_keys, max_size=4),
    ),
    max_leaves=40,
)


@settings(max_examples=150, deadline=None)
@given(value=_values, version=st.integers(0, marshal.version))
def test_reads_what_marshal_writes(value: Any, version: int) -> None:
    data = marshal.dumps(value, version)
    decoded = loads(data)
    assert decoded.value == value
    assert decoded.used == len(data)


def test_shared_objects_come_back_shared() -> None:
    name = "".join(["sha", "red"])  # not interned: marshal flags it for reference
    key = ("a.py", 1, name)
    data = marshal.dumps({key: [key, key], "b": (key,)})
    value: Any = loads(data).value
    assert value[key][0] is value[key][1] is value["b"][0]


def test_python2_codes() -> None:
    # {'f': ('x', 'y')} as Python 2.7 writes it: interned strings, a string
    # reference, a 64-bit int, a text float.
    data = (
        b"{t\x01\x00\x00\x00f(\x04\x00\x00\x00t\x01\x00\x00\x00xR\x01\x00\x00\x00"
        + b"I"
        + struct.pack("<q", 2**40)
        + b"f\x031.50"
    )
    decoded = loads(data)
    assert decoded.value == {"f": ("x", "x", 2**40, 1.5)}
    assert decoded.python2


# --- what crashes or floods marshal -------------------------------------------------

SELF_KEY = b"{\xa9\x01r\x00\x00\x00\x00N0"
"""A dictionary whose key is a tuple holding a reference to itself: 10 bytes."""
HUGE_TUPLE = b"{)\x03\xfa\x01a\xe9\x01\x00\x00\x00\xfa\x01b(\xff\xff\xff\x7fN0"
"""A value claiming 2**31 - 1 items: ``marshal`` allocates 16 GB for it."""

REFUSED: dict[str, tuple[bytes, str]] = {
    "tuple key referring to itself": (SELF_KEY, "contains itself"),
    "frozenset member referring to its tuple": (
        b"\xa9\x01>\x01\x00\x00\x00r\x00\x00\x00\x00",
        "contains itself",
    ),
    "list referring to itself": (b"\xdb\x01\x00\x00\x00r\x00\x00\x00\x00", "contains itself"),
    "2**31 items": (HUGE_TUPLE, "truncated"),
    "2**31 list items": (b"[\xff\xff\xff\x7f", "truncated"),
    "a string longer than the file": (b"u\xff\xff\xff\x7fabc", "truncated"),
    "an int of 2**31 digits": (b"l\xff\xff\xff\x7f\x01\x00", "30,000 bits"),
    "nested too deeply": (b")\x01" * (MAX_DEPTH + 1) + b"N", "nested too deeply"),
    "a reference to nothing": (b"(\x01\x00\x00\x00r\x05\x00\x00\x00", "invalid reference"),
    "an unknown code": (b"?", "unknown type code"),
    "a float as a key": (b"{g" + struct.pack("<d", 1.0) + b"N0", "not a plain value"),
    "a list as a key": (b"{[\x00\x00\x00\x00N0", "not a plain value"),
    "an int key that can share a hash": (
        b"{l\x05\x00\x00\x00" + b"\xff\x7f" * 5 + b"N0",
        "plain value",
    ),
    "a negative size": (b"(\xff\xff\xff\xff", "negative size"),
    "empty": (b"", "truncated"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refuses_what_crashes_marshal(name: str) -> None:
    data, problem = REFUSED[name]
    with pytest.raises(MarshalError) as caught:
        loads(data)
    assert problem in str(caught.value)


def test_crashing_files_are_refused_by_the_loader(tmp_path: Path) -> None:
    assert len(SELF_KEY) == 10 and len(HUGE_TUPLE) == 21
    for name, data in (("self.prof", SELF_KEY), ("huge.prof", HUGE_TUPLE)):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ProfileError):
            load_profile([str(path)])


def test_plain_keys() -> None:
    assert is_plain_key(("a.py", 1, "f"))
    assert is_plain_key(("", 0, CodePlaceholder("f", "f", "a.py", 1)))
    assert not is_plain_key(("a.py", 2**61, "f"))
    assert not is_plain_key(("a.py", 1.0, "f"))
    assert not is_plain_key((("a.py",), 1, "f"))
    assert not is_plain_key(frozenset())
    assert not is_plain_key(tuple(range(9)))


def test_a_code_object_becomes_a_named_placeholder() -> None:
    def helper() -> None:
        pass

    data = marshal.dumps(("p", 0, helper.__code__))
    value: Any = loads(data).value
    placeholder = value[2]
    assert isinstance(placeholder, CodePlaceholder)
    assert placeholder.name == "helper"
    assert placeholder.firstlineno == helper.__code__.co_firstlineno
    assert placeholder.filename == helper.__code__.co_filename


# --- the forked check, for files above the reader's limit ---------------------------


@pytest.fixture
def fork_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform: every file goes through the safe reader")
    monkeypatch.setattr(marshal_decode, "SAFE_READER_LIMIT", 0)


@pytest.mark.usefixtures("fork_everything")
def test_forked_check_lets_marshal_read_a_good_file() -> None:
    stats = {("a.py", 1, "f"): (1, 1, 0.5, 0.5, {("b.py", 2, "g"): (1, 1, 0.5, 0.5)})}
    decoded = marshal_decode.decode(marshal.dumps(stats))
    assert decoded.value == stats


@pytest.mark.usefixtures("fork_everything")
def test_forked_check_survives_what_crashes_marshal() -> None:
    # marshal itself dies in the child (a segfault); the safe reader then says why.
    with pytest.raises(MarshalError, match="contains itself"):
        marshal_decode.decode(SELF_KEY)


@pytest.mark.usefixtures("fork_everything")
def test_forked_check_refuses_a_memory_bomb() -> None:
    with pytest.raises(MarshalError, match="memory"):
        marshal_decode.decode(HUGE_TUPLE)


@pytest.mark.usefixtures("fork_everything")
def test_forked_check_falls_back_for_what_marshal_cannot_read() -> None:
    # Python 2's string reference code: marshal refuses it, the reader reads it.
    data = b"(\x02\x00\x00\x00t\x01\x00\x00\x00xR\x00\x00\x00\x00"
    assert marshal_decode.decode(data).value == ("x", "x")


@pytest.mark.usefixtures("fork_everything")
def test_forked_check_refuses_keys_that_share_a_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    # Integers n * (2**61 - 1) all hash to 0: marshal builds the dictionary in
    # quadratic time. The child runs out of its CPU time instead.
    monkeypatch.setattr(marshal_child, "CPU_SECONDS", 1)
    with pytest.raises(MarshalError, match="longer"):
        marshal_decode.decode(colliding_keys(20_000))


@pytest.mark.usefixtures("fork_everything")
def test_forked_decode_hands_a_dictionary_back_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each piece is a short marshal.loads: a screen's thread runs between them.
    stats = {
        ("a.py", n, f"f{n}"): (1, 1, 0.5, 0.5, {("b.py", 2, "g"): (1, 1, 0.5, 0.5)})
        for n in range(5 * marshal_child.PIECE_ITEMS + 3)
    }
    sizes: list[int] = []
    real_loads = marshal.loads

    def counting_loads(data: bytes, *args: Any, **kwargs: Any) -> object:
        value = real_loads(data, *args, **kwargs)  # allow_code: the child's, on 3.13+
        sizes.append(len(value))
        return value

    monkeypatch.setattr(marshal, "loads", counting_loads)
    # In a worker thread, as the explorer loads a big file beside its screen.
    found: list[marshal_decode.Decoded] = []
    worker = threading.Thread(target=lambda: found.append(marshal_decode.decode(data)))
    data = marshal.dumps(stats)
    worker.start()
    worker.join()
    (decoded,) = found
    assert decoded.value == stats
    assert list(decoded.value) == list(stats)  # in the file's order
    assert len(sizes) == 6 and max(sizes) == marshal_child.PIECE_ITEMS


@pytest.mark.usefixtures("fork_everything")
def test_forked_decode_hands_back_a_value_that_is_not_a_dictionary() -> None:
    value = [1, (2.5, "x")]
    assert marshal_child.decode_in_child(marshal.dumps(value)) == (marshal_child.OK, value)


def colliding_keys(count: int) -> bytes:
    """A pstats dictionary of ``count`` keys sharing one hash, written without building it."""
    prime = 2**61 - 1
    value = marshal.dumps((1, 1, 0.0, 0.0, {}), 2)
    entries = (marshal.dumps(("a.py", n * prime, "f"), 2) + value for n in range(1, count + 1))
    return b"{" + b"".join(entries) + b"0"


def test_reader_refuses_keys_that_share_a_hash_at_once() -> None:
    with pytest.raises(MarshalError, match="plain value"):
        loads(colliding_keys(5_000))


def test_a_decoding_child_can_be_stopped_at_once() -> None:
    # The explorer quits while a big file decodes: the child is ended, not waited for.
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    outcome: list[tuple[int, object]] = []
    decoding = threading.Thread(
        target=lambda: outcome.append(marshal_child.decode_in_child(colliding_keys(200_000)))
    )
    decoding.start()
    try:
        deadline = time.monotonic() + 30
        while not marshal_child._running and time.monotonic() < deadline:
            time.sleep(0.01)
        marshal_child.stop_children()
    finally:
        decoding.join(60)
    assert outcome == [(-signal.SIGKILL, None)]
