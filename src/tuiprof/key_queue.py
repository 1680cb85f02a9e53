"""Keys one at a time: a burst of keys acts exactly as the same keys typed slowly.

Textual sends a key to the widget that has the focus when the key arrives.
The key's binding runs later, once the key has bubbled up from that widget to
the app, and what the binding starts (a view switch, a focus change, a
message to the screen, a view mounted, a scroll after the next refresh) later
still. Keys that arrive together (typed ahead, pasted, sent by a fast
terminal) are all sent before any of that happened: to the old focus, or to
a view that is not mounted yet. ``enter tab enter`` then left the focus in the
hidden filter line, and a ``/`` followed by text lost the text.

:class:`KeyQueue` holds every key the app receives and lets the next one
through only once the app has settled after the last: every message queue of
the app and its screen is empty and the screen has refreshed. It also holds
them while something is pending that a slow typist would wait for:

- a step running in a thread (a worker in :data:`~tuiprof.views.steps.STEP_GROUP`,
  such as the call tree's hot path on a long chain);
- a screen that says so (:class:`HoldsKeys`: the loading screen, a view waiting
  for the call graph).

While keys are held, the app's quit keys go at once: leaving never waits for
a step or a load. Otherwise they take their turn like any key (typed after
``/``, ``q`` is a letter of the filter).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Protocol, runtime_checkable

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.worker import WorkerState, WorkType

from tuiprof.views.steps import STEP_GROUP

QUIET_TURNS = 3
"""Turns of the event loop with every message queue empty that make the app settled."""
SETTLE_TIMEOUT = 2.0
"""Seconds of a busy app after which the next key goes anyway."""
REFRESH_TIMEOUT = 0.5
"""Seconds to wait for a refresh (a screen that goes away never refreshes)."""
HELD_POLL = 0.02
"""Seconds between looks at whether what holds the keys is over."""


@runtime_checkable
class HoldsKeys(Protocol):
    """A screen that can ask for keys to wait."""

    def holds_keys(self) -> bool:
        """True while keys typed now must wait (they act once it is False)."""


class KeyQueue:
    """The keys the app has received and not yet handled, handled one at a time."""

    def __init__(self, app: App[Any], passes: Callable[[str], bool]) -> None:
        """``passes(key)``: True for a key handled at once, never held (quit)."""
        self.app = app
        self.passes = passes
        self._waiting: deque[events.Key] = deque()
        self._released: list[events.Key] = []
        """Keys let through, on their way back to the app."""
        self._running = False

    @property
    def pending(self) -> int:
        """Keys received and not yet let through."""
        return len(self._waiting)

    def intercept(self, event: events.Key) -> bool:
        """Called with each key the app receives: True to handle it now, False if kept."""
        for index, released in enumerate(self._released):
            if released is event:
                del self._released[index]
                return True
        held = self.held()
        if (held and self.passes(event.key)) or not (held or self._waiting or self._running):
            # Quit while held, or nothing before it is pending: it goes now (the
            # next waits for it). Otherwise a quit key waits its turn: typed
            # after `/`, `q` is a letter of the filter.
            self._start()
            return True
        self._waiting.append(event)
        self._start()
        return False

    def held(self) -> bool:
        """Is something pending that keys must wait for?"""
        screen = self.app.screen
        if isinstance(screen, HoldsKeys) and screen.holds_keys():
            return True
        return any(
            worker.group == STEP_GROUP
            and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for worker in self.app.workers
        )

    async def wait_until_done(self) -> None:
        """Wait until every key received so far has been handled (for tests)."""
        while self._running or self._waiting:
            await asyncio.sleep(HELD_POLL / 4)

    # The pump ------------------------------------------------------------------------

    def _start(self) -> None:
        if not self._running:
            self._running = True
            pump: WorkType[None] = self._pump
            self.app.run_worker(pump, group="tuiprof-keys", exclusive=False)

    async def _pump(self) -> None:
        try:
            while True:
                await self._settle()
                if not self._waiting:
                    return
                if self.held():
                    await asyncio.sleep(HELD_POLL)
                    continue
                event = self._waiting.popleft()
                self._released.append(event)
                self.app.post_message(event)
        finally:
            self._running = False

    async def _settle(self) -> None:
        """Wait until every message queue is empty and the screen has refreshed.

        The queues are looked at over a few turns of the event loop (a message
        handed on from one widget to its parent shows in the parent's queue in
        the same turn); waiting for each queue to answer a message costs as
        much as handling the key again.
        """
        loop = asyncio.get_running_loop()
        give_up = loop.time() + SETTLE_TIMEOUT
        refreshed = False
        while loop.time() < give_up:
            if not await self._quiet():
                continue
            if refreshed:
                return
            # What runs after the refresh (a scroll, a focus) may post more.
            await self._refreshed()
            refreshed = True

    async def _quiet(self) -> bool:
        """Are all the queues empty, and still so after a few turns of the loop?"""
        for _ in range(QUIET_TURNS):
            await asyncio.sleep(0)
            if any(pump.message_queue_size for pump in self._pumps()):
                return False
        return True

    def _pumps(self) -> Iterator[MessagePump]:
        yield self.app
        yield from self.app.screen.walk_children(with_self=True)

    async def _refreshed(self) -> None:
        refreshed = asyncio.Event()
        self.app.call_after_refresh(refreshed.set)
        await _wait(refreshed, REFRESH_TIMEOUT)


async def _wait(event: asyncio.Event, timeout: float) -> None:
    # Not the builtin TimeoutError before Python 3.11.
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)
