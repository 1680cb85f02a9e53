"""Profiles made as users make them: ``python -m cProfile -o`` (and ``-m profile``) of scripts.

Each script runs in a child interpreter, so the profile has the shape of a real
one: the ``exec`` that runs the script, its imports (whose module code the import
system runs with nested ``exec`` calls), then the script's ``<module>``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPTS = {
    "app": """
        import json
        import helpers

        def crunch(n):
            total = 0
            for i in range(n):
                total += helpers.square(i)
            return total

        def main():
            crunch(60000)
            helpers.report([1, 2, 3])
            json.dumps(list(range(100)))

        main()
    """,
    "fib": """
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)

        def main():
            return fib(20)

        main()
    """,
    "mutual": """
        def is_even(n):
            return True if n == 0 else is_odd(n - 1)

        def is_odd(n):
            return False if n == 0 else is_even(n - 1)

        def main():
            for _ in range(300):
                is_even(200)

        main()
    """,
    "shared": """
        def leaf(n):
            return sum(range(n))

        def shared(n):
            return leaf(n)

        def heavy():
            for _ in range(200):
                shared(2000)

        def light():
            shared(10)

        def main():
            heavy()
            light()

        main()
    """,
}

HELPERS = """
    def square(i):
        return i * i

    def report(values):
        # A lazy import: the import system runs the module with a nested exec.
        import lazy_module
        return lazy_module.render(values)
"""

LAZY = """
    import textwrap

    def render(values):
        return textwrap.shorten(" ".join(map(str, values)), 40)
"""


def write_scripts(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SCRIPTS.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(text), encoding="utf-8")
    (folder / "helpers.py").write_text(textwrap.dedent(HELPERS), encoding="utf-8")
    (folder / "lazy_module.py").write_text(textwrap.dedent(LAZY), encoding="utf-8")


def record(folder: Path, script: str, profiler: str = "cProfile") -> Path:
    """``python -m PROFILER -o NAME.prof NAME.py`` in ``folder``; the profile's path."""
    out = folder / f"{script}.{profiler}.prof"
    command = [sys.executable, "-m", profiler, "-o", str(out), f"{script}.py"]
    subprocess.run(command, check=True, cwd=folder, stdout=subprocess.DEVNULL, timeout=120)
    return out
