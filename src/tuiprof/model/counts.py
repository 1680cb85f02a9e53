"""How wide a profile's call counts read, so no table ever cuts one short.

Worked out from the largest counts: no edge or call tree node counts more
calls than a function does, so the functions' maxima bound every table. Cut
counts would be wrong numbers, not shortened ones (``2242500/24…``), so the
count columns grow to fit them. A :class:`~tuiprof.model.session.Session`
works this out once for all its views.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuiprof.model.profile import Profile


@dataclass(frozen=True)
class CountWidths:
    """Cells the widest counts of one profile take."""

    ncalls: int
    """The largest call count alone, as the call tree shows it."""
    calls: int
    """The widest ``nc/cc`` text, as pstats' ncalls column shows it."""


def count_widths(profile: Profile) -> CountWidths:
    """The widths of ``profile``'s widest counts."""
    ncalls = len(str(max(profile.ncalls, default=0)))
    calls = ncalls
    # Every nc >= cc, so the totals differ exactly when some function recursed.
    if profile.total_calls != profile.total_primitive_calls:
        calls += 1 + len(str(max(profile.primitive_calls, default=0)))
    return CountWidths(ncalls, calls)
