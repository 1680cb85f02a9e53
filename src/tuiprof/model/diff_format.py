"""How a diff's numbers read: signed deltas, percent changes, run totals.

Deltas always carry a sign (``+``, or ``−`` U+2212 MINUS SIGN), so that a
slowdown reads as one without colour.
"""

from __future__ import annotations

import math

from tuiprof.model.format import format_time

MINUS = "\u2212"


def format_signed_time(seconds: float) -> str:
    """``+1.234ms``, ``−56.78µs``; exactly no change is ``0``."""
    if seconds == 0:
        return "0"
    text = format_time(abs(seconds))
    return f"{'+' if seconds > 0 else MINUS}{text}"


def format_signed_count(count: float) -> str:
    """``+3``, ``−12``, ``0``."""
    value = int(count)
    if value == 0:
        return "0"
    return f"+{value}" if value > 0 else f"{MINUS}{-value}"


def format_signed_percent(percent: float) -> str:
    """``+12.5%``, ``−74.3%``, ``new`` for a change from nothing, ``0%`` for none."""
    if math.isnan(percent):
        return "?"
    if math.isinf(percent):
        return "new" if percent > 0 else f"{MINUS}new"
    if percent == 0:
        return "0%"
    size = abs(percent)
    digits = f"{size:.0f}" if size >= 1000 else f"{size:.1f}"
    if digits in ("0.0", "0"):
        digits = f"{size:.2g}"
    return f"{'+' if percent > 0 else MINUS}{digits}%"


def format_total(seconds: float) -> str:
    """A run's total with three significant digits: ``4.70 s``, ``12.3 ms``, ``850 µs``."""
    size = abs(seconds)
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if size >= scale or unit == "µs":
            value = seconds / scale
            if abs(value) >= 100:
                return f"{value:.0f} {unit}"
            if abs(value) >= 10:
                return f"{value:.1f} {unit}"
            return f"{value:.2f} {unit}"
    raise AssertionError("unreachable")
