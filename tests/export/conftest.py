"""Profiles made on the spot for the export tests, and readers for what is written."""

from __future__ import annotations

import cProfile
import marshal
import os
import profile as pure_profile
import random
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

WORK_SOURCE = textwrap.dedent(
    """\
    def leaf(n):
        total = 0
        for i in range(n):
            total += i * i
        return total


    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)


    class A:
        def run(self):
            return leaf(300)


    class B:
        def run(self):
            return sorted(leaf(50 + i) for i in range(20))


    def main():
        squares = [leaf(i) for i in range(60)]
        doubled = list(map(lambda x: x * 2, squares))
        return fib(14) + A().run() + sum(B().run()) + len(doubled)
    """
)


def _load_work(folder: Path) -> dict[str, Any]:
    source = folder / "work.py"
    source.write_text(WORK_SOURCE)
    namespace: dict[str, Any] = {"__name__": "work"}
    exec(compile(WORK_SOURCE, str(source), "exec"), namespace)
    return namespace


@pytest.fixture
def cprofile_file(tmp_path: Path) -> Path:
    """A cProfile run of small functions: recursion, lambdas, comprehensions, two ``run``."""
    work = _load_work(tmp_path)
    profiler = cProfile.Profile()
    profiler.runcall(work["main"])
    path = tmp_path / "run.prof"
    profiler.dump_stats(path)
    return path


@pytest.fixture
def pure_profile_file(tmp_path: Path) -> Path:
    """The same run under the pure-Python ``profile`` module (bare call counts)."""
    work = _load_work(tmp_path)
    profiler = pure_profile.Profile()
    profiler.runcall(work["main"])
    path = tmp_path / "pure.prof"
    profiler.dump_stats(str(path))
    return path


@pytest.fixture
def lprof_file(tmp_path: Path) -> Path:
    """A line_profiler run of the same functions."""
    line_profiler = pytest.importorskip("line_profiler")
    work = _load_work(tmp_path)
    profiler = line_profiler.LineProfiler(work["leaf"], work["fib"], work["main"])
    profiler.runcall(work["main"])
    path = tmp_path / "work.py.lprof"
    profiler.dump_stats(str(path))
    return path


NASTY_NAMES = (
    "<module>",
    "<lambda>",
    "<listcomp>",
    'say "hi"',
    "back\\slash",
    "new\nline",
    "carriage\rreturn",
    "nul\x00byte",
    "tab\tbed",
    "new\\nline",  # what "new\nline" looks like once escaped: must stay distinct
)


@pytest.fixture
def nasty_file(tmp_path: Path) -> Path:
    """A pstats file (as marshal writes it) whose function names break naive writers."""
    root = ("/src/odd\nfile.py", 1, "root")
    stats: dict[tuple[str, int, str], Any] = {
        root: (1, 1, 0.5, 10.0, {}),
    }
    for i, name in enumerate(NASTY_NAMES):
        key = ("/src/odd\nfile.py", 10 + i, name)
        stats[key] = (2, 2, 0.25 + i, 1.0 + i, {root: (2, 2, 0.25 + i, 1.0 + i)})
    path = tmp_path / "nasty.prof"
    path.write_bytes(marshal.dumps(stats))
    return path


def listing(folder: Path) -> list[str]:
    """Every name in a folder, hidden ones included, sorted."""
    return sorted(os.listdir(folder))


CallgrindRecords = dict[tuple[str, str], dict[int, list[int]]]


def read_callgrind(text: str) -> tuple[list[str], CallgrindRecords]:
    """A small reader for the subset of callgrind tuiprof writes: the events, and per
    (file, function) the self cost rows by line (calls' inclusive rows left out)."""
    events: list[str] = []
    records: CallgrindRecords = {}
    file = name = ""
    in_call = False
    for line in text.split("\n"):
        if line.startswith("events:"):
            events = line.split(":", 1)[1].split()
        elif line.startswith("fl="):
            file = line[3:]
        elif line.startswith("fn="):
            name = line[3:]
        elif line.startswith("calls="):
            in_call = True
        elif line[:1].isdigit():
            if in_call:
                in_call = False
                continue
            values = [int(v) for v in line.split()]
            row = records.setdefault((file, name), {}).setdefault(values[0], [0] * len(events))
            for i, value in enumerate(values[1:]):
                row[i] += value
    return events, records


Runner = Callable[..., int]


def generated_stats(
    seed: int,
    n: int,
    *,
    bare_counts: bool = False,
    unknown_callers: int = 0,
    negative_times: bool = False,
) -> dict[tuple[str, int, str], Any]:
    """A random pstats dictionary with the shapes exports must get right.

    Same-name functions in one file, names with control characters,
    built-ins, call rings (cycles), a few hot functions, callers outside the
    profile, the ``profile`` module's bare call counts, negative self times.
    """
    rng = random.Random(seed)
    files = [f"/src/pkg/mod{i}.py" for i in range(max(2, n // 7))] + ["~"]
    names = ["run", "work", "<lambda>", "<listcomp>", "helper", "a\nb", "x\ry"]
    found: set[tuple[str, int, str]] = set()
    while len(found) < n:
        file = rng.choice(files)
        if file == "~":
            found.add((file, 0, f"<built-in method m{rng.randint(0, 9)}>"))
        else:
            found.add((file, rng.randint(1, 60), rng.choice(names)))
    keys = sorted(found)
    rng.shuffle(keys)
    figures: dict[tuple[str, int, str], list[Any]] = {}
    for key in keys:
        nc = rng.randint(1, 50)
        cc = nc if rng.random() < 0.8 else rng.randint(1, nc)
        tt = rng.random() * (10 if rng.random() < 0.1 else 0.1)
        if negative_times and rng.random() < 0.1:
            tt = -tt
        ct = tt + rng.random() * rng.choice([0.0, 0.5, 5, 50])
        figures[key] = [cc, nc, tt, ct, {}]

    def edge(calls: int, seconds: float) -> Any:
        return calls if bare_counts else (calls, max(1, calls - 1), seconds / 3, seconds)

    for i, key in enumerate(keys):
        for caller in rng.sample(keys, min(rng.choice([0, 1, 2, 3, 5, 12]), n)):
            figures[key][4][caller] = edge(
                rng.randint(1, 9), rng.random() * rng.choice([0.01, 1, 10])
            )
        if i % 5 == 0 and i + 2 < n:  # a ring of three: a cycle
            ring = (key, keys[i + 1], keys[i + 2])
            for caller, callee in zip(ring, ring[1:] + ring[:1], strict=True):
                figures[callee][4][caller] = edge(3, rng.random())
    for j in range(unknown_callers):
        figures[keys[j]][4][("/gone/away.py", j, "vanished")] = edge(1, 0.1)
    return {key: tuple(value) for key, value in figures.items()}


GENERATED = {
    "tuples": {"seed": 1, "n": 300, "unknown_callers": 3},
    "bare-counts": {"seed": 2, "n": 300, "bare_counts": True, "unknown_callers": 2},
    "negative-times": {"seed": 3, "n": 1000, "unknown_callers": 5, "negative_times": True},
    "tiny": {"seed": 4, "n": 6},
}
"""Generated profiles the exports are checked on, by name."""


@pytest.fixture(params=sorted(GENERATED))
def generated_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Each of the :data:`GENERATED` profiles, written as a pstats file."""
    path = tmp_path / f"{request.param}.prof"
    options: dict[str, Any] = GENERATED[request.param]
    path.write_bytes(marshal.dumps(generated_stats(**options)))
    return path
