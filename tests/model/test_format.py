"""Readable times, percentages and call counts."""

from __future__ import annotations

import pytest

from tuiprof.model.format import (
    format_calls,
    format_count,
    format_duration_or_percent,
    format_percent,
    format_share,
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


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        # Rounding to the digits shown carries into the next unit or decade.
        (0.99996, "1.000s"),
        (0.00099996, "1.000ms"),
        (9.99951e-7, "1.000µs"),
        (9.99951e-6, "10.00µs"),
        (9.99996, "10.00s"),
        (99.9999, "100.0s"),
        (999.96, "1000s"),
        (0.0999996, "100.0ms"),
        (-0.99996, "-1.000s"),
        # and stops short of it
        (0.99994, "999.9ms"),
        (9.9994, "9.999s"),
    ],
)
def test_a_time_rounds_before_its_unit_and_digits_are_chosen(seconds: float, text: str) -> None:
    assert format_time(seconds) == text


def test_every_time_has_four_significant_digits_or_fewer_below_a_thousand() -> None:
    # Across every boundary of units and decades, just under and over.
    for exponent in range(-7, 3):
        for near in (0.99994, 0.99995, 0.999951, 0.99996, 1.0, 1.00004):
            text = format_time(near * 10.0**exponent)
            digits = text.rstrip("smµ").replace(".", "").lstrip("0")
            assert len(digits) <= 4, text


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        (9.9996, "10.0%"),
        (99.96, "100.0%"),
        (999.96, "1000%"),
        (9.994, "9.99%"),
        (-5.0, "-5.00%"),
        (-0.001, "0.00%"),  # no sign on a figure that reads zero
        (float("nan"), "?"),
    ],
)
def test_a_share_rounds_before_its_digits_are_chosen(percent: float, text: str) -> None:
    assert format_share(percent) == text


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


def test_diff_figures_read_as_every_other_figure() -> None:
    """The diff's times and percentages go through the same formatters, with a sign."""
    from tuiprof.model.diff_format import (
        format_change,
        format_signed_count,
        format_signed_percent,
        format_signed_time,
    )
    from tuiprof.model.format import format_share

    assert format_change(5.0123, 0.2235, -95.54) == "5.012s → 223.5ms, −95.5%"
    assert format_signed_time(0.0123) == "+" + format_time(0.0123) == "+12.30ms"
    assert format_signed_time(-4.2e-8) == "\u22120.042µs"
    assert format_signed_time(0.0) == "0"
    assert format_signed_percent(12.5) == "+" + format_percent(12.5, 100) == "+12.5%"
    assert format_signed_percent(-5.01) == "\u22125.01%"
    assert format_signed_percent(1234.4) == "+1234%"
    assert format_signed_percent(float("inf")) == "new"
    assert format_signed_percent(0.0) == "0%"
    assert format_signed_count(-12) == "\u221212"
    assert [format_share(p) for p in (0.5, 25.0, 100.0, 2500.0)] == [
        "0.50%",
        "25.0%",
        "100.0%",
        "2500%",
    ]


def test_a_total_of_zero_has_its_unit() -> None:
    from tuiprof.model.format import format_total

    assert format_total(0.0) == "0s" and format_total(1.5) == "1.500s"
