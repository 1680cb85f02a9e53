"""Profile the sample programs and write their .prof and .lprof files next to them.

Run from the repository root:

    uv run python sample_profiles/make_samples.py

Each program runs twice, each time in a fresh interpreter: once as users profile a
script, ``python -m cProfile -o NAME.prof NAME.py`` (so the profile holds the
``exec`` that runs the script, its imports, and the script's ``<module>``), and
once under line_profiler with its hot functions added (``NAME.lprof``). Paths into this
folder are then rewritten to bare relative ones (``/.../sample_profiles/taylor.py``
becomes ``taylor.py``), so that the source is found next to the profile on any
machine and at any checkout path. Standard library paths are left as recorded.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import marshal
import os
import pickle
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from line_profiler import LineProfiler, LineStats

SAMPLES_DIR = Path(__file__).resolve().parent
PROFILERS = ("cprofile", "line")


@dataclass(frozen=True)
class Sample:
    """A program to profile and the functions line_profiler should time."""

    module: str
    hot: tuple[str, ...]
    """Qualified names of the functions to profile line by line."""


SAMPLES = (
    Sample("taylor", ("factorial", "power", "exp_series", "sin_series", "cos_series")),
    Sample(
        "particles",
        (
            "Particle.move",
            "Particle.accelerate",
            "Simulator.forces",
            "Simulator.bounce",
            "Simulator.step",
            "Simulator.evolve",
        ),
    ),
    Sample(
        "bottlenecks",
        (
            "mandelbrot_area",
            "HtmlReport.add_row",
            "build_report",
            "daily_reports",
            "checksum",
            "is_even",
            "scramble",
            "clamp",
        ),
    ),
)


def relative_path(filename: str) -> str:
    """A path inside this folder made relative to it; any other name unchanged.

    pstats uses ``~`` as the file of built-in functions, so only absolute paths
    are considered.
    """
    if not os.path.isabs(filename):
        return filename
    try:
        return Path(filename).resolve().relative_to(SAMPLES_DIR).as_posix()
    except ValueError:
        return filename


def _rewrite_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A ``(file, line, name)`` key, as both pstats and line_profiler spell it."""
    filename, *rest = key
    return (relative_path(filename), *rest)


def _unique(keys: list[tuple[Any, ...]], path: Path) -> None:
    if len(set(keys)) != len(keys):
        raise RuntimeError(f"{path}: rewriting paths merged two functions")


def _replace_file(path: Path, write: Callable[[io.BufferedWriter], None]) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as stream:
        write(stream)
    os.replace(partial, path)


def relativize_pstats(path: Path) -> None:
    """Rewrite the paths in a pstats file: in each function key and each callers key.

    A pstats file is a marshalled dict ``{(file, line, name): (cc, nc, tt, ct,
    callers)}`` where ``callers`` is ``{(file, line, name): (nc, cc, tt, ct)}``.
    Only the keys change; every number is kept as it is.
    """
    with open(path, "rb") as stream:
        stats = marshal.load(stream)
    rewritten = {}
    for func, (cc, nc, tt, ct, callers) in stats.items():
        new_callers = {_rewrite_key(caller): edge for caller, edge in callers.items()}
        _unique(list(new_callers), path)
        rewritten[_rewrite_key(func)] = (cc, nc, tt, ct, new_callers)
    _unique(list(rewritten), path)
    _replace_file(path, lambda stream: marshal.dump(rewritten, stream))


def relativize_lprof(path: Path) -> None:
    """Rewrite the paths in an .lprof file's timings keys ``(file, first line, name)``.

    The file is re-pickled as line_profiler writes it: a ``LineStats`` with the
    same unit, at ``pickle.HIGHEST_PROTOCOL``.
    """
    with open(path, "rb") as stream:
        stats = pickle.load(stream)  # our own file, written a moment ago
    timings = {_rewrite_key(key): lines for key, lines in stats.timings.items()}
    _unique(list(timings), path)
    new_stats = LineStats(timings, stats.unit)
    _replace_file(path, lambda stream: pickle.dump(new_stats, stream, pickle.HIGHEST_PROTOCOL))


def _resolve(module: ModuleType, qualname: str) -> Callable[..., Any]:
    """The function a qualified name such as ``Simulator.step`` names in module."""
    target: Any = module
    for part in qualname.split("."):
        target = getattr(target, part)
    function: Callable[..., Any] = target
    return function


def _timed(runner: Callable[[Callable[[], None]], Any], main: Callable[[], None]) -> float:
    """Run main under a profiler with its output swallowed; return the CPU time.

    CPU time, not wall time: the figure should not depend on what else the
    machine is running.
    """
    start = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        runner(main)
    return time.process_time() - start


def run_cprofile(script: Path, out: Path) -> float:
    """``python -m cProfile -o out script`` with its output swallowed; the CPU time it took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "cProfile", "-o", str(out), str(script)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=SAMPLES_DIR)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def write_profile(sample: Sample, kind: str) -> None:
    """Profile one program and write its NAME.prof (in a child) or NAME.lprof (here)."""
    sys.path.insert(0, str(SAMPLES_DIR))
    module = importlib.import_module(sample.module) if kind != "cprofile" else None
    if kind == "cprofile":
        path = SAMPLES_DIR / f"{sample.module}.prof"
        seconds = run_cprofile(SAMPLES_DIR / f"{sample.module}.py", path)
        relativize_pstats(path)
        what = "python -m cProfile"
    else:
        path = SAMPLES_DIR / f"{sample.module}.lprof"
        assert module is not None
        line_profiler = LineProfiler(*(_resolve(module, name) for name in sample.hot))
        seconds = _timed(line_profiler.runcall, module.main)
        line_profiler.dump_stats(path)
        relativize_lprof(path)
        what = f"line_profiler on {', '.join(sample.hot)}"
    print(f"wrote {os.path.relpath(path)}  ({seconds:.2f} s CPU under {what})", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("PROGRAM", "PROFILER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    samples = {sample.module: sample for sample in SAMPLES}
    if args.one:
        program, kind = args.one
        write_profile(samples[program], kind)
        return
    # One fresh interpreter per profile: a run then does not depend on what ran
    # before it in the same process (imports, the allocator's state), and each
    # sample's timings match running that program on its own.
    for sample in SAMPLES:
        for kind in PROFILERS:
            command = [sys.executable, __file__, "--one", sample.module, kind]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
