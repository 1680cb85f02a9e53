"""The part of a function that one caller→callee edge holds: the step of every tree estimate."""

from __future__ import annotations

from tuiprof.model.bare_counts import bare_share
from tuiprof.model.profile import Profile, RawEdge

WHOLE = 1.0 - 1e-9
"""A share at or above this is all of a function (merged profiles sum floats in another order)."""


def edge_share(profile: Profile, caller: int, callee: int, raw: RawEdge) -> float:
    """The part of ``callee`` that one caller's edge holds, 0 to 1.

    A timed edge: its cumulative time over the callee's (its primitive calls
    over the callee's when there is no time), and exactly 1 when it holds all
    of the callee's primitive calls and cumulative time. A bare count (the
    ``profile`` module's): its share of the callee's primitive calls
    (:func:`~tuiprof.model.bare_counts.bare_share`).
    """
    if isinstance(raw, tuple):
        _nc, cc, _tt, ct = raw
        primitive = profile.primitive_calls[callee]
        cumtime = profile.cumtime[callee]
        if cc >= primitive and ct >= cumtime * WHOLE:
            return 1.0
        if cumtime > 0:
            share = ct / cumtime
        elif primitive > 0:
            share = cc / primitive
        else:
            share = 0.0
    else:
        return bare_share(profile, caller, callee, raw)
    return min(max(share, 0.0), 1.0)
