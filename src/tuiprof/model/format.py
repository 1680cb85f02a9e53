"""How numbers read on screen: times in s/ms/µs, percentages, call counts.

Pure functions with no Textual or Rich: the table widgets and any text report
share them, so a figure reads the same everywhere.
"""

from __future__ import annotations

_UNITS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"))


def format_time(seconds: float) -> str:
    """A duration in a readable unit with about four significant digits.

    ``1.234s``, ``12.35ms``, ``456.7µs``; exactly zero is ``0``; below one
    microsecond stays in µs (``0.042µs``) rather than inventing a smaller unit.
    """
    if seconds != seconds:  # NaN
        return "?"
    if seconds == 0:
        return "0"
    sign = "-" if seconds < 0 else ""
    value = abs(seconds)
    if value < 1000:
        # Rounded to the digits shown before the unit is chosen: 0.99996s is
        # 1.000s, not 1000.0ms.
        value = float(f"{value:.4g}")
    for scale, unit in _UNITS:
        if value >= scale:
            return f"{sign}{_digits(value / scale)}{unit}"
    return f"{sign}{value / 1e-6:.3f}µs"


def format_functions(count: int) -> str:
    """``1 function``, ``83 functions``."""
    return f"{count} function{'' if count == 1 else 's'}"


def format_total(seconds: float) -> str:
    """A total in a heading: as :func:`format_time`, but zero reads ``0s``, with its unit."""
    return "0s" if seconds == 0 else format_time(seconds)


_TIME_DIGITS = ((1000.0, 0), (100.0, 1), (10.0, 2), (0.0, 3))
_SHARE_DIGITS = ((1000.0, 0), (10.0, 1), (0.0, 2))


def _digits(value: float) -> str:
    return _fixed(value, _TIME_DIGITS)


def _fixed(value: float, steps: tuple[tuple[float, int], ...]) -> str:
    """``value`` (not negative) with the decimals of the first step it reaches, once
    rounded: 9.9996 with ``_TIME_DIGITS`` is ``10.00``, not ``10.000``."""
    for bigger, (least, decimals) in zip(((float("inf"), 0), *steps), steps, strict=False):
        if value >= least:
            text = f"{value:.{decimals}f}"
            if float(text) >= bigger[0]:
                return f"{value:.{bigger[1]}f}"
            return text
    return f"{value:.{steps[-1][1]}f}"


def format_percent(part: float, whole: float) -> str:
    """``part`` as a percentage of ``whole``; ``-`` when there is no whole."""
    if whole <= 0 or part != part:
        return "-"
    return format_share(100.0 * part / whole)


def format_share(percent: float) -> str:
    """A percentage: ``5.01%``, ``25.0%``, ``1234%`` (the digits of every percent shown)."""
    if percent != percent:  # NaN
        return "?"
    text = _fixed(abs(percent), _SHARE_DIGITS)
    return f"{'-' if percent < 0 and float(text) != 0 else ''}{text}%"


def format_count(count: int) -> str:
    """A call count; negative means unknown (functions only line_profiler saw)."""
    return "?" if count < 0 else str(count)


def format_calls(ncalls: int, primitive_calls: int) -> str:
    """pstats' ncalls column: ``nc/cc`` when recursion makes the two differ."""
    if ncalls < 0 or primitive_calls < 0:
        return "?"
    if ncalls == primitive_calls:
        return str(ncalls)
    return f"{ncalls}/{primitive_calls}"


def format_duration_or_percent(seconds: float, total: float, percent: bool) -> str:
    """A time cell: the time itself, or its share of ``total`` in percent mode."""
    return format_percent(seconds, total) if percent else format_time(seconds)


def format_per_call(seconds: float, calls: int) -> str:
    """Time per call: blank with no calls (as pstats prints it), ``?`` when unknown."""
    if calls < 0:
        return "?"
    return format_time(per_call(seconds, calls)) if calls else ""


def per_call(seconds: float, calls: int) -> float:
    """Time per call as pstats prints it: 0 when there were no calls.

    A count too big for a float (a damaged file can hold one) makes the share
    0 rather than an ``OverflowError`` in the middle of drawing a table.
    """
    if calls <= 0:
        return 0.0
    try:
        return seconds / calls
    except OverflowError:
        return 0.0
