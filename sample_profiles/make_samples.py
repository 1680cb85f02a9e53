"""Profile the sample programs and write their .prof and .lprof files next to them.

Run from the repository root:

    uv run python sample_profiles/make_samples.py

Each program runs twice with ``tuiprof record``, each time in a fresh interpreter,
as users profile a script: once under cProfile alone (``NAME.prof``: the shape of
``python -m cProfile -o NAME.prof NAME.py``, so the profile holds the ``exec``
that runs the script, its imports, and the script's ``<module>``), and once with
``--lines`` on its hot functions (``NAME.lprof``; the ``.prof`` of that run,
whose times the line tracing inflates, is dropped). Both are written to a
temporary folder first. Paths into this folder are then rewritten to bare
relative ones (``/.../sample_profiles/taylor.py`` becomes ``taylor.py``), so that
the source is found next to the profile on any machine and at any checkout path.
Standard library paths are left as recorded.
"""

from __future__ import annotations

import argparse
import io
import marshal
import os
import pickle
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from line_profiler import LineStats

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


def run_record(script: Path, out: Path, *options: str) -> float:
    """``tuiprof record --no-open [options] -o out script``, output swallowed; its CPU time.

    CPU time, not wall time: the figure should not depend on what else the
    machine is running.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "tuiprof", "record", "--no-open", *options]
    command += ["-o", str(out), "--", str(script)]
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=SAMPLES_DIR
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def write_profile(sample: Sample, kind: str) -> None:
    """Record one program and write its NAME.prof or NAME.lprof next to it."""
    script = SAMPLES_DIR / f"{sample.module}.py"
    with tempfile.TemporaryDirectory(prefix=".record-", dir=SAMPLES_DIR) as folder:
        recorded = Path(folder) / f"{sample.module}.prof"
        if kind == "cprofile":
            seconds = run_record(script, recorded)
            made, path = recorded, SAMPLES_DIR / recorded.name
            relativize_pstats(made)
            what = "tuiprof record"
        else:
            # The script runs as __main__; its module name still names it.
            targets = ",".join(f"{sample.module}:{name}" for name in sample.hot)
            seconds = run_record(script, recorded, f"--lines={targets}")
            made = recorded.with_suffix(".lprof")
            path = SAMPLES_DIR / made.name
            relativize_lprof(made)
            what = f"tuiprof record --lines on {', '.join(sample.hot)}"
        os.replace(made, path)
    print(f"wrote {os.path.relpath(path)}  ({seconds:.2f} s CPU under {what})", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    # tuiprof record runs each program in a fresh interpreter: a run then does
    # not depend on what ran before it (imports, the allocator's state), and
    # each sample's timings match running that program on its own.
    for sample in SAMPLES:
        for kind in PROFILERS:
            write_profile(sample, kind)


if __name__ == "__main__":
    main()
