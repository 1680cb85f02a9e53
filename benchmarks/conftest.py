"""Session fixtures: the stress files (written once per run), the floor, a loaded profile.

Run with ``uv run pytest benchmarks -n 0``: in one process (the project's
default runs tests in one process per core, which would time them against
each other). The figures that have targets are printed at the end of the
run, each with its target and whether it is met.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from measure import FIGURES, best_of, child_peak_kib, load_floor, record
from stress import (
    ChainProfile,
    StressProfile,
    write_chain_profile,
    write_changed_profile,
    write_stress_profile,
)

from tuiprof.model import Profile, load_profile


@pytest.fixture(scope="session")
def stress(tmp_path_factory: pytest.TempPathFactory) -> StressProfile:
    """The 300,000-function stress profile, generated once per session."""
    return write_stress_profile(tmp_path_factory.mktemp("stress"))


@pytest.fixture(scope="session")
def stress_known(tmp_path_factory: pytest.TempPathFactory) -> StressProfile:
    """The stress profile with every caller in the file (``unknown_callers=0``).

    pyprof2calltree and gprof2dot crash on callers that are not in the file;
    the export benchmarks compare with them on this variant.
    """
    folder = tmp_path_factory.mktemp("stress-known")
    return write_stress_profile(folder, unknown_callers=0, name="stress-known.prof")


@pytest.fixture(scope="session")
def stress_changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stress profile after a change: 5 % of functions changed, 1 % new."""
    return write_changed_profile(tmp_path_factory.mktemp("stress-changed"))


@pytest.fixture(scope="session")
def chain(tmp_path_factory: pytest.TempPathFactory) -> ChainProfile:
    """A call chain 100,000 functions long."""
    return write_chain_profile(tmp_path_factory.mktemp("chain"))


@pytest.fixture(scope="session")
def floor_seconds(stress: StressProfile) -> float:
    """The load floor on the stress file: best of three (bytes at once, marshal, gc paused).

    ``test_floor`` measures it again for the record; the ratios use this one,
    or the smaller of the two when both are known (the machine is shared).
    """
    seconds = best_of(lambda: load_floor(stress.path), rounds=3, between=gc.collect)
    recorded = FIGURES.get("load floor")
    return min(seconds, recorded.value) if recorded is not None else seconds


@pytest.fixture(scope="session")
def pstats_peak_mib(stress: StressProfile) -> float:
    """Peak resident memory (MiB) of a fresh interpreter running ``pstats.Stats(file)``."""
    peak = child_peak_kib("pstats", stress.path) / 1024
    record(None, "peak memory: pstats", peak, "MiB")
    return peak


@pytest.fixture(scope="module")
def stress_profile(stress: StressProfile) -> Iterator[Profile]:
    """The stress profile loaded once per module, shared read-only by its benchmarks.

    Module scope: millions of live objects would slow every garbage
    collection (and so every figure) in the modules that follow.
    """
    profile = load_profile([str(stress.path)])
    yield profile
    del profile
    gc.collect()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not FIGURES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("tuiprof figures and targets")
    write(f"{'figure':<52} {'value':>12} {'target':>10}  met")
    for figure in FIGURES.values():
        target = "" if figure.target is None else f"{figure.target:g}"
        met = {None: "", True: "yes", False: "NO"}[figure.met]
        value = f"{figure.value:.3f} {figure.unit}" if figure.unit else f"{figure.value:.3f}"
        line = f"{figure.name:<52} {value:>12} {target:>10}  {met}"
        write(f"{line}  {figure.note}" if figure.note else line)


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to time benchmarks in several processes at once (``-n 0`` runs them in one)."""
    distributed = getattr(config.option, "dist", "no") != "no"
    if distributed and not hasattr(config, "workerinput"):
        pytest.exit(
            "run the benchmarks in one process: uv run pytest benchmarks -n 0", returncode=4
        )
