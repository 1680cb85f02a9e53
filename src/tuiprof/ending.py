"""Ending the ``tuiprof`` command without freeing what it loaded, one object at a time.

A loaded 300,000-function profile is millions of objects. Freeing two of them
when ``tuiprof diff --json`` has written its output took a fifth to two fifths
of the time to decode the two files (``benchmarks/test_bench_diff.py``), work
the user waits for and the operating system does at once when the process
ends. So a command hands what it loaded to :func:`keep_until_exit`, and the
``tuiprof`` command (:func:`tuiprof.cli.entry`) ends with :func:`os._exit`
after flushing its output. Only that command switches this on
(:func:`end_without_freeing`): in-process calls (tests, library use) keep
nothing.
"""

from __future__ import annotations

import contextlib
import os
import sys

_kept: list[object] | None = None


def end_without_freeing() -> None:
    """From now on, :func:`keep_until_exit` keeps (the command's process only)."""
    global _kept
    _kept = []


def ends_without_freeing() -> bool:
    """Whether this process ends with :func:`os._exit` once it kept something."""
    return _kept is not None


def keep_until_exit(*objects: object) -> None:
    """Keep ``objects`` alive until the process ends, when it ends without freeing."""
    if _kept is not None:
        _kept.extend(objects)


def exit_if_kept(status: int) -> int:
    """End the process now with ``status`` if anything was kept; else return ``status``."""
    if _kept:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed file
                stream.flush()
        os._exit(status)
    return status
