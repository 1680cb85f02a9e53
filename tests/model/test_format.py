"""Readable times, percentages and call counts."""

from __future__ import annotations

import pytest

from tuiprof.model.format import (
    format_calls,
    format_count,
    format_duration_or_percent,
    format_percent,
    format_time,
)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0, "0"),
        (1.2345, "1.234s"),
        (12.345, "12.35s"),
        (123.45, "123.5s"),
        (4321.0, "4321s"),
        (0.012345, "12.35ms"),
        (0.001, "1.000ms"),
        (0.0004567, "456.7µs"),
        (0.000001, "1.000µs"),
        (4.2e-8, "0.042µs"),
        (-0.5, "-500.0ms"),
        (float("nan"), "?"),
    ],
)
def test_format_time(seconds: float, text: str) -> None:
    assert format_time(seconds) == text


def test_times_fit_the_table_columns() -> None:
    for exponent in range(-9, 4):
        for mantissa in (1.0, 2.5, 9.999, 5.5):
            assert len(format_time(mantissa * 10.0**exponent)) <= 8


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(1, 4, "25.0%"), (1, 400, "0.25%"), (4, 4, "100.0%"), (0, 4, "0.00%"), (1, 0, "-")],
)
def test_format_percent(part: float, whole: float, text: str) -> None:
    assert format_percent(part, whole) == text


def test_calls_as_pstats_prints_them() -> None:
    assert format_calls(5, 5) == "5"
    assert format_calls(40, 10) == "40/10"
    assert format_calls(-1, -1) == "?"
    assert format_count(-1) == "?"
    assert format_count(7) == "7"


def test_duration_or_percent() -> None:
    assert format_duration_or_percent(0.5, 2.0, False) == "500.0ms"
    assert format_duration_or_percent(0.5, 2.0, True) == "25.0%"
