"""The command's end: quitting does not wait for the app's threads, except an export's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# A headless app whose thread worker is busy for a minute; it quits as soon as
# the worker has started, as a user's `q` does while the warm-up indexes.
PROGRAM = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    from textual.app import App
    from tuiprof import ending, launch
    from tuiprof.export import atomic

    busy_for, exporting, started = float(sys.argv[1]), sys.argv[2], Path(sys.argv[3])

    class Busy(App[int]):
        def on_mount(self) -> None:
            self.run_worker(self.work, thread=True)

        def work(self) -> None:
            if exporting == "running":
                with atomic.export_running():
                    self.busy()
            else:
                if exporting == "temp":  # a temporary file is being written
                    atomic._live_temps.add(started.with_suffix(".tmp"))
                self.busy()

        def busy(self) -> None:
            started.write_text("started")
            self.call_from_thread(self.exit, 0)
            time.sleep(busy_for)
            started.write_text("finished")

    ending.end_without_freeing()
    app = Busy()
    app.run = lambda **options: App.run(app, headless=True, **options)
    status = launch.run_to_the_end(app)
    print("ran", status, flush=True)
    sys.exit(ending.exit_if_kept(7))
    """
)


def run(tmp_path: Path, busy_for: float, *, exporting: str) -> tuple[float, str, str]:
    """Seconds the program took, what it printed, and what its worker got to."""
    started = tmp_path / "started"
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(busy_for), exporting, str(started)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (7, "")
    return time.monotonic() - start, done.stdout, started.read_text()


def test_quitting_does_not_wait_for_a_busy_thread(tmp_path: Path) -> None:
    seconds, said, worker = run(tmp_path, 60, exporting="no")
    assert (said, worker) == ("ran 0\n", "started")
    assert seconds < 30  # asyncio.run would have waited the whole minute


@pytest.mark.parametrize("exporting", ["running", "temp"])
def test_quitting_waits_for_an_export_being_made(tmp_path: Path, exporting: str) -> None:
    seconds, said, worker = run(tmp_path, 2.0, exporting=exporting)
    assert (said, worker) == ("ran 0\n", "finished")
    assert seconds >= 2.0
