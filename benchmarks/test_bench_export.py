"""Exports of the stress profile against the commands users would otherwise run.

Targets (export issue, Speed): on the stress profile, the callgrind export is
no slower than ``pyprof2calltree -i FILE -o OUT`` and the dot export no slower
than ``gprof2dot -f pstats FILE -o OUT``, each with no more peak memory.

Both reference commands crash on the stress file itself: it holds callers
that are not in the file (pyprof2calltree raises ``KeyError``, gprof2dot fails
an ``AssertionError``). The comparisons are therefore made on a variant with
every caller in the file (``write_stress_profile(..., unknown_callers=0)``):
the same dictionary but for those 25 edges.

Each command runs once, in a fresh interpreter that calls the command's own
entry point with its arguments (what the console script does) and then
prints its peak resident memory (``VmHWM``): one run gives the wall time and
the peak. The in-process export (what the export dialog does) is measured on
a profile already loaded.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from measure import FIGURES, child_environment, fastest, record
from stress import StressProfile

from tuiprof.export.request import ExportFormat, ExportRequest, export_profile
from tuiprof.model import Profile, load_profile

TIME_TARGET = 1.0
MEMORY_TARGET = 1.0

# What each command runs; ``{file}`` and ``{out}`` are filled in.
COMMANDS: dict[str, tuple[str, list[str]]] = {
    "pyprof2calltree": ("pyprof2calltree", ["pyprof2calltree", "-i", "{file}", "-o", "{out}"]),
    "gprof2dot": ("gprof2dot", ["gprof2dot", "-f", "pstats", "{file}", "-o", "{out}"]),
    "tuiprof export callgrind": (
        "tuiprof.cli",
        ["tuiprof", "export", "{file}", "--format", "callgrind", "-o", "{out}", "--force"],
    ),
    "tuiprof export dot": (
        "tuiprof.cli",
        ["tuiprof", "export", "{file}", "--format", "dot", "-o", "{out}", "--force"],
    ),
}
REFERENCE = {
    "tuiprof export callgrind": "pyprof2calltree",
    "tuiprof export dot": "gprof2dot",
    "callgrind": "pyprof2calltree",
    "dot": "gprof2dot",
}

# Run the command's ``main`` as its console script does, then print the peak (KiB).
CHILD = """\
import sys
from importlib import import_module
from measure import peak_kib
module, argv = sys.argv[1], sys.argv[2:]
sys.argv = argv
status = import_module(module).main()
if status:
    sys.exit(status)
print(peak_kib())
"""


@pytest.fixture(scope="module")
def known_profile(stress_known: StressProfile) -> Iterator[Profile]:
    """The variant with no unknown callers, loaded once for the in-process exports."""
    profile = load_profile([str(stress_known.path)])
    yield profile
    del profile
    gc.collect()


def run_command(name: str, file: Path, out: Path) -> tuple[float, float]:
    """Run one command in a fresh interpreter: (wall seconds, peak MiB)."""
    module, argv = COMMANDS[name]
    argv = [arg.format(file=file, out=out) for arg in argv]
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, module, *argv],
        env=child_environment(),
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{name} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    assert out.stat().st_size > 0, f"{name} wrote nothing"
    return seconds, int(done.stdout.split()[-1]) / 1024


# References first: the tuiprof figures are judged against them.
@pytest.mark.parametrize(
    "name", ["pyprof2calltree", "gprof2dot", "tuiprof export callgrind", "tuiprof export dot"]
)
def test_export_command(benchmark, stress_known: StressProfile, tmp_path: Path, name: str) -> None:
    """The whole command on the no-unknown-callers variant: time and peak memory."""
    times: list[float] = []
    peaks: list[float] = []

    def run() -> None:
        seconds, peak = run_command(name, stress_known.path, tmp_path / "out")
        times.append(seconds)
        peaks.append(peak)

    benchmark.pedantic(run, rounds=1, iterations=1)
    seconds, peak = min(times), min(peaks)
    reference = REFERENCE.get(name)
    ref_time = FIGURES.get(f"export: {reference} command") if reference else None
    ref_peak = FIGURES.get(f"peak memory: {reference} command") if reference else None
    record(benchmark, f"export: {name} command", seconds, "s")
    record(benchmark, f"peak memory: {name} command", peak, "MiB")
    if ref_time is not None:
        record(
            benchmark, f"export: {name} / {reference}", seconds / ref_time.value, "x", TIME_TARGET
        )
    if ref_peak is not None:
        record(
            benchmark,
            f"peak memory: {name} / {reference}",
            peak / ref_peak.value,
            "x",
            MEMORY_TARGET,
        )


@pytest.mark.parametrize("export_format", ["callgrind", "dot"])
def test_export_in_process(
    benchmark, known_profile: Profile, tmp_path: Path, export_format: str
) -> None:
    """``export_profile`` on a profile already loaded (the export dialog's path)."""
    request = ExportRequest(
        format=ExportFormat(export_format), path=tmp_path / f"out.{export_format}", force=True
    )

    def setup() -> None:
        request.path.unlink(missing_ok=True)
        gc.collect()

    benchmark.pedantic(
        lambda: export_profile(known_profile, request), setup=setup, rounds=1, iterations=1
    )
    assert request.path.stat().st_size > 0
    seconds = fastest(benchmark)
    reference = REFERENCE[export_format]
    record(benchmark, f"export: {export_format} in process (loaded)", seconds, "s")
    ref_time = FIGURES.get(f"export: {reference} command")
    if ref_time is not None:
        record(
            benchmark,
            f"export: {export_format} in process / {reference}",
            seconds / ref_time.value,
            "x",
            TIME_TARGET,
        )
