"""How a diff's numbers read: signed deltas, percent changes, a total's change.

Every figure goes through the formatters of :mod:`tuiprof.model.format`, as
in the rest of tuiprof (``1.234s``, ``56.78µs``, ``12.5%``). Deltas always
carry a sign (``+``, or ``−`` U+2212 MINUS SIGN), so that a slowdown reads as
one without colour.
"""

from __future__ import annotations

import math

from tuiprof.model.format import format_share, format_time

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
    """``+12.5%``, ``−74.3%``, ``+5.01%``; ``new`` for a change from nothing, ``0%`` for none."""
    if math.isnan(percent):
        return "?"
    if math.isinf(percent):
        return "new" if percent > 0 else f"{MINUS}new"
    if percent == 0:
        return "0%"
    return f"{'+' if percent > 0 else MINUS}{format_share(abs(percent))}"


def format_change(before: float, after: float, percent: float) -> str:
    """Two totals and the change between them: ``4.700s → 1.210s, −74.3%``."""
    return f"{format_time(before)} → {format_time(after)}, {format_signed_percent(percent)}"
