"""Structured mutants (hypothesis): pstats dictionaries and LineStats pickles of
every shape, with huge, non-finite and boolean numbers, surrogates and control
characters in names, each through the whole harness."""

from __future__ import annotations

import marshal
import math
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import EXAMPLES
from tests.fuzz.harness import check_mutant
from tests.model.test_loaders_hostile import lprof_bytes

_names = st.one_of(
    st.sampled_from(["main", "<module>", "<lambda>", "~", "", "a\x1b]52;c;aGk=\x07b"]),
    st.text(alphabet=st.characters(codec=None), max_size=12),  # surrogates, controls
    st.text(alphabet="\x00\x1b\r\n\t\x7f\u202e\ud800", max_size=6),
)
_ints = st.one_of(
    st.integers(-3, 10**6),
    st.sampled_from([2**31 - 1, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**200, 2**2000, -(2**63)]),
    st.booleans(),
)
_floats = st.one_of(
    st.floats(min_value=-10.0, max_value=1e4),
    st.sampled_from([0.0, -0.0, 1e300, -1e300, 1e12, 1e13, math.nan, math.inf, -math.inf, 5e-324]),
)
_times = st.one_of(_floats, _ints)
_lines = st.one_of(st.integers(0, 5000), _ints)
_keys = st.one_of(
    st.tuples(_names, _lines, _names),
    st.tuples(_names, _lines),
    st.tuples(st.binary(max_size=8), _lines, _names),
    st.tuples(_names, _lines, st.complex_numbers(max_magnitude=10)),
    st.tuples(_names, _lines, st.frozensets(st.integers(0, 3), max_size=2)),
    st.integers(0, 5),
)
_edges = st.one_of(
    st.tuples(_ints, _ints, _times, _times),
    _ints,
    st.tuples(_ints, _ints, _times),
    st.just("x"),
)
_values = st.one_of(
    st.tuples(_ints, _ints, _times, _times, st.dictionaries(_keys, _edges, max_size=4)),
    st.tuples(_ints, _ints, _times, _times, st.just([])),
    st.tuples(_ints, _ints),
)
_stats = st.dictionaries(_keys, _values, max_size=6)

_rows = st.lists(st.tuples(_lines, _ints, _times), max_size=5)
_timings = st.dictionaries(st.tuples(_names, _lines, _names), _rows, max_size=4)
_units = st.one_of(st.sampled_from([1e-6, 1e-9, 1.0]), _floats, _ints)

_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"in{suffix}"
        path.write_bytes(data)
        check_mutant(path, Path(folder))


@_settings
@given(stats=_stats)
def test_pstats_of_any_shape(stats: dict[Any, Any]) -> None:
    _check(marshal.dumps(stats), ".prof")


@_settings
@given(timings=_timings, unit=_units)
def test_linestats_of_any_shape(timings: dict[Any, Any], unit: Any) -> None:
    _check(lprof_bytes(timings, unit), ".lprof")


_good_key = st.tuples(_names, st.integers(0, 5000), _names)
_good_times = st.floats(min_value=-1.0, max_value=1e6, allow_nan=False)
_good_counts = st.integers(-1, 10**9)
_good_edge = st.tuples(_good_counts, _good_counts, _good_times, _good_times)
_good_stats = st.dictionaries(
    _good_key,
    st.tuples(
        _good_counts,
        _good_counts,
        _good_times,
        _good_times,
        st.dictionaries(
            _good_key,
            st.one_of(
                st.tuples(_good_counts, _good_counts, _good_times, _good_times), _good_counts
            ),
            max_size=3,
        ),
    ),
    min_size=1,
    max_size=6,
)


@_settings
@given(stats=_good_stats)
def test_pstats_that_open_go_through_every_command(stats: dict[Any, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "in.prof"
        path.write_bytes(marshal.dumps(stats))
        assert check_mutant(path, Path(folder)) == "opened"
