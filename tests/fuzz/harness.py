"""One mutant through every reader of files: the loaders, then ``stats``,
``stats --json``, callgrind and dot export, in-process.

The contract: a clean result or a :class:`ProfileError` (exit status 2 and one
line on stderr), nothing else: no other exception, no invalid JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

from tuiprof.cli import build_open_parser, main
from tuiprof.model import ProfileError, load_profile


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def _commands() -> list[str]:
    """The headless commands main has (``tree`` once it exists)."""
    commands = ["stats", "export"]
    with contextlib.suppress(Exception):
        if "tree" in build_open_parser().format_help() or _has_tree():
            commands.append("tree")
    return commands


def _has_tree() -> bool:
    try:
        import tuiprof.cli as cli

        return hasattr(cli, "build_tree_parser")
    except ImportError:  # pragma: no cover
        return False


COMMANDS = _commands()


def check_mutant(path: Path, out_folder: Path) -> str:
    """Run one input through everything; ``"refused"`` or ``"opened"``, or an AssertionError."""
    try:
        profile = load_profile([str(path)])
    except ProfileError as error:
        assert "\n" not in str(error)
        return "refused"
    # Every number that leaves the loader is finite and bounded.
    for column in (profile.tottime, profile.cumtime):
        assert all(math.isfinite(value) for value in column)
    assert math.isfinite(profile.total_time)
    runs: list[list[str]] = [
        ["stats", str(path), "--limit", "30"],
        ["stats", str(path), "--json"],
        ["export", str(path), "--format", "callgrind", "-o", str(out_folder / "out.cg"), "--force"],
        ["export", str(path), "--format", "dot", "-o", str(out_folder / "out.dot"), "--force"],
    ]
    if "tree" in COMMANDS:
        runs.append(["tree", str(path), "--json"])
    for argv in runs:
        status, out, err = _run(argv)
        assert status in (0, 2), (argv, status, err)
        if status == 2:
            # Only a profile with no functions may be refused by an export.
            assert argv[0] == "export" and "no functions" in err, (argv, err)
            continue
        if "--json" in argv:
            json.loads(out, parse_constant=_no_constants)
    return "opened"
