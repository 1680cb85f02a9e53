"""Hostile and pathological inputs: refused with one line, within bounds.

The resource tests run ``tuiprof stats`` in a child whose address space and
CPU time are limited (``resource.setrlimit``): a memory bomb fails there
rather than on the machine, and the bounds are generous, never tight timings.
"""

from __future__ import annotations

import marshal
import pickle
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.model.test_loaders_marshal import HUGE_TUPLE, SELF_KEY, colliding_keys
from tuiprof.model import ProfileError, load_profile
from tuiprof.model.edges import CHUNK

resource = pytest.importorskip("resource")

LINESTATS = b"\x8c\x1bline_profiler.line_profiler\x8c\tLineStats\x93"
"""``STACK_GLOBAL`` of line_profiler's ``LineStats`` (protocol 4)."""


def lprof_bytes(timings: Any, unit: Any) -> bytes:
    """A ``LineStats(timings, unit)`` pickle, made without line_profiler."""
    body = pickle.dumps((timings, unit), protocol=4)
    # Reuse pickle's own encoding of the arguments: strip its frame, PROTO and STOP.
    assert body[:2] == b"\x80\x04" and body[-1:] == b"."
    args = body[2:-1]
    if args[:1] == pickle.FRAME:
        args = args[9:]
    return b"\x80\x04" + LINESTATS + args + pickle.REDUCE + pickle.STOP


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile([str(path)])
    return caught.value.problem


def test_lprof_maker_makes_what_line_profiler_reads(tmp_path: Path) -> None:
    import line_profiler

    path = write(tmp_path, "ok.lprof", lprof_bytes({("a.py", 1, "f"): [(2, 3, 40)]}, 1e-6))
    assert line_profiler.load_stats(str(path)).timings == {("a.py", 1, "f"): [(2, 3, 40)]}
    assert load_profile([str(path)]).lines[0].lines[0].hits == 3


# --- numbers no formatter or exporter could take -----------------------------------

BAD_PSTATS: dict[str, tuple[Any, str]] = {
    "tottime 1e300": ({("a.py", 1, "f"): (1, 1, 1e300, 1e300, {})}, "too large"),
    "cumtime -1e300": ({("a.py", 1, "f"): (1, 1, 0.0, -1e300, {})}, "too large"),
    "ncalls 2**2000": ({("a.py", 1, "f"): (1, 2**2000, 0.0, 0.0, {})}, "call counts"),
    "ncalls 2**63": ({("a.py", 1, "f"): (1, 2**63, 0.0, 0.0, {})}, "call counts"),
    "line 2**200": ({("a.py", 2**200, "f"): (1, 1, 0.0, 0.0, {})}, "not a plain value"),
    "line 2**40": ({("a.py", 2**40, "f"): (1, 1, 0.0, 0.0, {})}, "line numbers"),
    "line -5": ({("a.py", -5, "f"): (1, 1, 0.0, 0.0, {})}, "line numbers"),
    "line True": ({("a.py", True, "f"): (1, 1, 0.0, 0.0, {})}, "shape"),
    "time True": ({("a.py", 1, "f"): (1, 1, True, 1.0, {})}, "not numbers"),
    "edge time 1e300": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2, "g"): (1, 1, 1e300, 0.0)})},
        "too large",
    ),
    "edge count 2**70": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2, "g"): 2**70})},
        "call counts",
    ),
    "edge count True": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2, "g"): (True, 1, 0.0, 0.0)})},
        "not numbers",
    ),
    "caller line 2**200": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2**200, "g"): 1})},
        "not a plain value",
    ),
    "caller line 2**40": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2**40, "g"): 1})},
        "line numbers",
    ),
    "caller key of bytes": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {(b"b.py", 2, "g"): 1})},
        "caller",
    ),
    "caller key of complex": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2, 1j): 1})},
        "not a plain value",
    ),
    "caller key of a frozenset": (
        {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2, frozenset({1})): 1})},
        "not a plain value",
    ),
    "function key of bytes": ({(b"a.py", 1, "f"): (1, 1, 0.0, 0.0, {})}, "shape"),
}


@pytest.mark.parametrize("name", list(BAD_PSTATS))
def test_numbers_and_keys_are_checked_once_at_load(tmp_path: Path, name: str) -> None:
    stats, problem = BAD_PSTATS[name]
    assert problem in refused(write(tmp_path, "bad.prof", marshal.dumps(stats)))


MARSHAL_DECODED_PROBLEM = {
    "line 2**200": "line numbers",
    "caller line 2**200": "line numbers",
    "caller key of complex": "caller",
    "caller key of a frozenset": "caller",
}
"""What the checks say where the safe reader (small files only) refuses a value itself."""


@pytest.mark.parametrize("name", list(BAD_PSTATS))
def test_a_bad_number_or_key_after_many_good_ones_is_found(tmp_path: Path, name: str) -> None:
    """The checks run a chunk of functions at a time: the last chunk is checked too.

    The file is big enough to be decoded by ``marshal`` (not the safe reader).
    """
    bad, problem = BAD_PSTATS[name]
    problem = MARSHAL_DECODED_PROBLEM.get(name, problem)
    good = 2 * CHUNK + 7
    stats: dict[Any, Any] = {
        ("good.py", i, f"g{i}"): (
            1,
            1,
            0.5,
            1.0,
            {("good.py", i + 1, f"g{i + 1}"): (1, 1, 0.5, 1.0)},
        )
        for i in range(1, good + 1)
    }
    stats.update(bad)
    assert list(stats)[-1] == next(iter(bad))
    assert problem in refused(write(tmp_path, "bad.prof", marshal.dumps(stats)))


def test_a_code_object_as_a_caller_key_part_is_named(tmp_path: Path) -> None:
    code = test_a_code_object_as_a_caller_key_part_is_named.__code__
    stats = {("a.py", 1, "f"): (1, 1, 0.0, 0.0, {("b.py", 2, code): 1})}
    profile = load_profile([str(write(tmp_path, "code.prof", marshal.dumps(stats)))])
    ((caller, _edge),) = profile.callers_raw[0].items()
    assert all(isinstance(part, (str, int)) for part in caller)


BAD_LPROF: dict[str, tuple[Any, Any, str]] = {
    "unit 2**200": ({("a.py", 1, "f"): [(2, 1, 1)]}, 2**200, "timer unit"),
    "unit True": ({("a.py", 1, "f"): [(2, 1, 1)]}, True, "timer unit"),
    "line 2**200": ({("a.py", 1, "f"): [(2**200, 1, 1)]}, 1e-6, "line numbers"),
    "line 1e9": ({("a.py", 1, "f"): [(10**9, 1, 1)]}, 1e-6, "far from"),
    "hits 2**2000": ({("a.py", 1, "f"): [(2, 2**70, 1)]}, 1e-6, "hit counts"),
    "time 1e300": ({("a.py", 1, "f"): [(2, 1, 1e300)]}, 1e-6, "too large"),
    "time huge int": ({("a.py", 1, "f"): [(2, 1, 10**30)]}, 1e-6, "too large"),
    "key line 2**200": ({("a.py", 2**200, "f"): [(2, 1, 1)]}, 1e-6, "not a valid .lprof"),
    "key line 2**40": ({("a.py", 2**40, "f"): [(2, 1, 1)]}, 1e-6, "line numbers"),
    "hits True": ({("a.py", 1, "f"): [(2, True, 1)]}, 1e-6, "shape"),
}


@pytest.mark.parametrize("name", list(BAD_LPROF))
def test_lprof_numbers_are_checked_once_at_load(tmp_path: Path, name: str) -> None:
    timings, unit, problem = BAD_LPROF[name]
    problem_seen = refused(write(tmp_path, "bad.lprof", lprof_bytes(timings, unit)))
    assert problem in problem_seen


# --- pathological but valid: refused at once, not after minutes ---------------------


def test_shared_callers_record_is_refused(tmp_path: Path) -> None:
    callers = {("c.py", i, "g"): (1, 1, 0.0, 0.0) for i in range(1, 5001)}
    stats = {("a.py", i, "f"): (1, 1, 0.0, 0.0, callers) for i in range(1, 5001)}
    data = marshal.dumps(stats)
    assert len(data) < 400_000  # 25 million edges in a few hundred kilobytes
    assert "sharing one callers record" in refused(write(tmp_path, "shared.prof", data))


def test_shared_row_list_is_refused(tmp_path: Path) -> None:
    rows = [(line, 1, 10) for line in range(2, 10_002)]
    timings = {("a.py", i, "f"): rows for i in range(1, 3001)}
    data = lprof_bytes(timings, 1e-6)
    assert len(data) < 300_000
    assert "sharing one list" in refused(write(tmp_path, "shared.lprof", data))


def test_colliding_pickle_keys_are_refused(tmp_path: Path) -> None:
    prime = 2**61 - 1
    timings: dict[Any, Any] = {("a.py", n * prime, "f"): [] for n in range(1, 3)}
    data = lprof_bytes(timings, 1e-6)
    assert "not a valid .lprof file" in refused(write(tmp_path, "collide.lprof", data))


def test_colliding_marshal_keys_are_refused(tmp_path: Path) -> None:
    assert "not a valid pstats file" in refused(
        write(tmp_path, "collide.prof", colliding_keys(3_000))
    )


def test_huge_memo_index_is_refused(tmp_path: Path) -> None:
    data = b"\x80\x04N" + pickle.LONG_BINPUT + struct.pack("<I", 2**31) + b"."
    assert len(data) == 9
    assert "not of line_profiler's LineStats" in refused(write(tmp_path, "memo.lprof", data))


def deep_key_pickle(depth: int) -> bytes:
    """``{((((None,),),)...): None}``, ``depth`` tuples deep, in about ``depth`` bytes."""
    return b"\x80\x04}N" + pickle.TUPLE1 * depth + b"Ns."


def test_deeply_nested_pickle_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.lprof", deep_key_pickle(1000))
    assert "not a valid .lprof file" in refused(path)


# --- the crashers, in a child with limits --------------------------------------------

MEMORY_LIMIT = 2 * 1024**3
CPU_LIMIT = 120


def run_limited(path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({CPU_LIMIT}, {CPU_LIMIT}))\n"
        "from tuiprof.cli import main\n"
        "sys.exit(main(['stats', sys.argv[1]]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=4 * CPU_LIMIT,
    )


def crashers(folder: Path) -> dict[str, Path]:
    big_tuple = b"{\xa9\x03\xfa\x01a\xe9\x01\x00\x00\x00\xfa\x01b(\xff\xff\xff\x7f"
    return {
        "self-referencing key": write(folder, "self.prof", SELF_KEY),
        "2**31-item tuple": write(folder, "huge.prof", HUGE_TUPLE),
        "2**31-item tuple, 1 MB": write(folder, "huge-big.prof", big_tuple + b"N" * 1_000_000),
        "colliding keys, 1 MB": write(folder, "collide.prof", colliding_keys(30_000)),
        "1,000,000-deep pickle key": write(folder, "deep.lprof", deep_key_pickle(1_000_000)),
        "huge memo index": write(
            folder, "memo.lprof", b"\x80\x04N" + pickle.LONG_BINPUT + b"\xff\xff\xff\x7f."
        ),
    }


@pytest.mark.parametrize(
    "name",
    [
        "self-referencing key",
        "2**31-item tuple",
        "2**31-item tuple, 1 MB",
        "colliding keys, 1 MB",
        "1,000,000-deep pickle key",
        "huge memo index",
    ],
)
def test_crashers_end_in_one_line_within_limits(tmp_path: Path, name: str) -> None:
    done = run_limited(crashers(tmp_path)[name])
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tuiprof: "), done.stderr
    assert "Traceback" not in done.stderr
