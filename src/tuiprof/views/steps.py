"""Steps that may take long: run in a thread, shown as working, keys held meanwhile.

A step is pure work on the model (``work``, run in a thread) and what to do
with its result on the UI thread (``done``). A step that finishes within
:data:`SYNC_BUDGET` is applied at once, as if it ran on the UI thread: small
profiles behave as before, with nothing to wait for. A longer one goes on in
the background as a worker of :data:`STEP_GROUP`: the app holds the keys typed
meanwhile and replays them once it is done (``tuiprof.key_queue``), except
quit, which works at any moment; the widget posts :class:`StepWorking`, and
the screen shows that it is working until :class:`StepDone`.

``work`` must only read what the UI thread may change meanwhile (it gets
everything else as arguments), and must not touch widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from textual.message import Message
from textual.widget import Widget
from textual.worker import WorkType

STEP_GROUP = "tuiprof-step"
"""The worker group of steps that hold the keys."""

SYNC_BUDGET = 0.05
"""Seconds a step may take on the UI thread's watch before it goes on in the background."""

T = TypeVar("T")


class StepWorking(Message):
    """A step is taking long: show that it is working."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label


class StepDone(Message):
    """The step that was working is done (its result is shown)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label


class _Outcome(Generic[T]):
    """The result of ``work``, or what it raised, and when it is there."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None

    def result(self) -> T:
        if self.error is not None:
            raise self.error
        value: T = self.value  # type: ignore[assignment]
        return value


def run_step(widget: Widget, label: str, work: Callable[[], T], done: Callable[[T], None]) -> bool:
    """Run ``work()`` in a thread, then ``done(result)`` on the UI thread.

    Returns True when the step was done at once (within :data:`SYNC_BUDGET`),
    False when it goes on in the background. ``label`` says what it does
    (``opening the hot path``).
    """
    outcome: _Outcome[T] = _Outcome()
    loop = asyncio.get_running_loop()
    finished = asyncio.Event()

    def in_thread() -> None:
        try:
            outcome.value = work()
        except BaseException as error:  # raised again on the UI thread
            outcome.error = error
        finally:
            outcome.ready.set()
            with contextlib.suppress(RuntimeError):  # the app closed its loop: nobody waits
                loop.call_soon_threadsafe(finished.set)

    # A daemon thread of its own: quitting never waits for it.
    threading.Thread(target=in_thread, name=f"tuiprof-step: {label}", daemon=True).start()
    if outcome.ready.wait(SYNC_BUDGET):
        done(outcome.result())
        return True

    async def finish() -> None:
        widget.post_message(StepWorking(label))
        try:
            await finished.wait()
            done(outcome.result())
        finally:
            widget.post_message(StepDone(label))

    step: WorkType[None] = finish  # the coroutine is made when the worker starts
    widget.run_worker(step, group=STEP_GROUP, exclusive=False, name=label)
    return False
