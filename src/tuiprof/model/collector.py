"""Pausing Python's cyclic garbage collector around bulk work.

A profile is millions of small, acyclic containers. While they are built,
every few hundred allocations set off a collection that walks the young ones
again, and from time to time a full one that walks them all: that costs more
than the work itself. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FREEZE_ABOVE = 200_000
"""Young objects left after a pause above which they are moved out of sight."""


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause the collector for the block; with ``freeze``, keep what was built out of sight.

    Everything allocated meanwhile sits in the youngest generation, and the
    first collection after re-enabling would walk all of it. Data that lives
    as long as the session (a loaded profile) is better moved to the
    permanent generation (``gc.freeze``).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze and gc.get_count()[0] > FREEZE_ABOVE:
                gc.freeze()
            gc.enable()
