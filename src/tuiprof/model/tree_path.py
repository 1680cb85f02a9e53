"""A way down the call tree to a function: up through its largest callers to a root."""

from __future__ import annotations

from collections.abc import Collection

from tuiprof.model.profile import Profile


def caller_chain(profile: Profile, fid: int, roots: Collection[int]) -> list[int] | None:
    """Function numbers from one of ``roots`` down to ``fid``, or None when none leads there.

    Each step up takes the caller with the largest cumulative time on that
    edge, never one already on the chain (recursion, cycles).
    """
    chain = [fid]
    seen = {fid}
    while chain[-1] not in roots:
        callers = [e for e in profile.callers(chain[-1]) if e.other >= 0 and e.other not in seen]
        if not callers:
            return None
        best = max(callers, key=lambda e: e.cumtime)
        chain.append(best.other)
        seen.add(best.other)
    chain.reverse()
    return chain
