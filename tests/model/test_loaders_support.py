"""Profiles the tests make themselves (helpers; no tests here): cProfile, profile, line_profiler."""

from __future__ import annotations

import cProfile
import gc
import importlib.util
import marshal
import profile as pure_profile
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any, cast

WORKLOAD = textwrap.dedent(
    '''\
    # -*- coding: latin-1 -*-
    """A small workload: recursion, a method, a loop of tiny calls. Caf\xe9."""


    def factorial(n):
        if n <= 1:  # caf\xe9: Latin-1 source
            return 1
        return n * factorial(n - 1)


    class Shape:
        def area(self, size):
            total = 0
            for i in range(size):
                total += i * i
            return total


    def tiny(x):
        return x + 1


    def main(rounds=30):
        acc = 0
        for _ in range(rounds):
            acc += factorial(15)
            acc += Shape().area(200)
            for i in range(50):
                acc = tiny(acc)
        return sorted([acc, len(str(acc))])
    '''
)


def load_workload(folder: Path, name: str = "workload_mod") -> ModuleType:
    """Write the workload (Latin-1 encoded) into ``folder`` and import it."""
    path = folder / f"{name}.py"
    path.write_bytes(WORKLOAD.encode("latin-1"))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def cprofile_file(folder: Path, module: ModuleType, name: str, rounds: int = 30) -> Path:
    prof = cProfile.Profile()
    prof.runcall(module.main, rounds)
    out = folder / name
    prof.dump_stats(str(out))
    return out


def pure_profile_file(folder: Path, module: ModuleType, name: str) -> Path:
    prof = pure_profile.Profile()
    # A garbage-collector callback (hypothesis installs one) would run inside the
    # profiled calls, and the profile module takes its frames for a bad call.
    callbacks = gc.callbacks[:]
    gc.callbacks.clear()
    try:
        prof.runcall(module.main, 3)
    finally:
        gc.callbacks[:] = callbacks
    out = folder / name
    prof.dump_stats(str(out))
    return out


def lprof_file(folder: Path, module: ModuleType, name: str) -> Path:
    from line_profiler import LineProfiler

    lp: Any = cast(Any, LineProfiler)(module.factorial, module.Shape.area, module.main)
    lp.runcall(module.main, 10)
    out = folder / name
    lp.dump_stats(str(out))
    return out


def marshal_file(folder: Path, name: str, stats: Any) -> Path:
    out = folder / name
    out.write_bytes(marshal.dumps(stats))
    return out
