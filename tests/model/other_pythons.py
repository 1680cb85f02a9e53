"""Profiles written by other Pythons, and what their own ``pstats`` makes of them.

Helpers, no tests: ``test_loaders_other_pythons.py`` and the fixture maker
(``tests/fixtures/make_fixtures.py``) share them. The workload and the dumper
run under the writer's interpreter, Python 2.7 included, so both are written
in the Python both understand.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

VERSIONS = ("2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13")

WORKLOAD = """\
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


class Box(object):
    def area(self, n):
        total = 0
        for i in range(n):
            total += i * i
        return total


def main():
    acc = 0
    for _ in range(20):
        acc += fib(10)
        acc += Box().area(200)
        acc += len(sorted([3, 1, 2]))
    return acc


main()
"""

DUMPER = """\
import json, pstats, sys


def text(part):
    name = getattr(part, "co_qualname", None) or getattr(part, "co_name", None)
    if name is not None:
        part = name
    if isinstance(part, bytes) and str is bytes:
        part = part.decode("utf-8")
    return part


def key(k):
    return [text(k[0]), k[1], text(k[2])]


def edge(e):
    if isinstance(e, tuple):
        return [e[0], e[1], repr(e[2]), repr(e[3])]
    return e


stats = pstats.Stats(sys.argv[1])
functions = []
for k, (cc, nc, tt, ct, callers) in stats.stats.items():
    functions.append([key(k), cc, nc, repr(tt), repr(ct),
                      [[key(c), edge(e)] for c, e in callers.items()]])
out = {"functions": functions, "total_tt": repr(stats.total_tt),
       "total_calls": stats.total_calls, "prim_calls": stats.prim_calls}
sys.stdout.write(json.dumps(out))
"""


def find_python(version: str) -> str | None:
    """An interpreter of that version: pyenv's, or one on PATH."""
    home = os.path.expanduser("~/.pyenv/versions")
    for candidate in sorted(glob.glob(os.path.join(home, version + ".*", "bin", "python"))):
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("python" + version)


def write_profile(python: str, module: str, folder: Path, name: str) -> Path:
    """``python -m cProfile|profile -o NAME work.py``, run in ``folder``."""
    (folder / "work.py").write_text(WORKLOAD)
    subprocess.run(
        [python, "-m", module, "-o", name, "work.py"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / name


def writers_pstats(python: str, profile: Path) -> dict[str, Any]:
    """What the writer's own ``pstats`` holds for the file, floats as their repr."""
    done = subprocess.run(
        [python, "-c", DUMPER, str(profile)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result
