"""Where a recording goes: the profile, its line timings, and the previous run's.

Before the program runs, each output is checked: its folder exists, and what
is already there is a profile (so ``-o script.py`` by mistake cannot replace a
source file) unless ``--force``. After it runs, an existing output is kept as
``OUT.prev`` (one generation) and the new one is written atomically, as exports
are: at every moment ``OUT`` is either the old file or the whole new one.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from tuiprof.export.atomic import ExportError, check_target, write_bytes_atomic
from tuiprof.model.errors import ProfileError
from tuiprof.model.names import visible

PREVIOUS_SUFFIX = ".prev"


@dataclass(frozen=True)
class Outputs:
    """The files a recording writes (absolute: the program may change folder)."""

    profile: Path
    lines: Path | None = None
    """The ``.lprof`` next to the profile, with ``--lines``."""

    @property
    def paths(self) -> tuple[Path, ...]:
        return (self.profile,) if self.lines is None else (self.profile, self.lines)


def plan_outputs(output: str | None, name: str, *, lines: bool) -> Outputs:
    """``-o OUT`` or ``NAME.prof`` in the current folder; with ``lines``, OUT's ``.lprof``."""
    profile = Path(os.path.abspath(output if output else f"{name}.prof"))
    if not lines:
        return Outputs(profile)
    line_file = profile.with_suffix(".lprof")
    if line_file == profile:
        raise ProfileError(str(output), "is where the line timings go: name the profile .prof")
    return Outputs(profile, line_file)


def previous(path: Path) -> Path:
    """Where the run before is kept: ``OUT.prev``."""
    return path.with_name(path.name + PREVIOUS_SUFFIX)


def check_outputs(outputs: Outputs, *, force: bool) -> None:
    """Fail before the program runs when an output could not be written or kept.

    Raises :class:`ExportError` (one line, exit status 2): the checks of an
    export's target (a folder, a symlink, a device is never replaced), and
    without ``force`` an existing file that is not a profile.
    """
    for path in outputs.paths:
        for target in (path, previous(path)):
            check_target(target, force=True)
            if force or not (target.exists() or target.is_symlink()):
                continue
            if not _is_profile(target):
                raise ExportError(
                    f"{visible(str(target))}: exists and is not a profile: "
                    "use --force to replace it"
                )


def _is_profile(path: Path) -> bool:
    # Imported here: the loaders package is not needed when there is nothing to check.
    from tuiprof.model.loaders.sniff import SNIFF_BYTES, sniff

    try:
        with open(path, "rb") as stream:
            return sniff(stream.read(SNIFF_BYTES)) is not None
    except OSError:
        return False


def keep_previous(path: Path) -> Path | None:
    """Keep an existing ``path`` as ``OUT.prev``, replacing the one before; its path, or None.

    ``path`` itself stays in place until the new file replaces it.
    """
    if not path.is_file():
        return None
    kept = previous(path)
    temp = path.with_name(f".{kept.name}.{os.urandom(4).hex()}.tmp")
    try:
        try:
            os.link(path, temp)
        except OSError:
            import shutil

            shutil.copy2(path, temp)  # no hard links on this file system
        os.replace(temp, kept)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise ExportError(f"{kept}: {error.strerror or error}") from None
    return kept


def retire(path: Path) -> Path | None:
    """Move an existing ``path`` to ``OUT.prev``, with no new file in its place; its new path.

    A ``--lines`` run that recorded no line data writes no ``.lprof``: the one
    left from the run before goes beside that run's profile (``OUT.prev``), so
    that ``OUT`` and ``OUT.lprof`` never mix two runs.
    """
    if not path.is_file() or path.is_symlink():
        return None
    kept = previous(path)
    try:
        os.replace(path, kept)
    except OSError as error:
        raise ExportError(f"{kept}: {error.strerror or error}") from None
    return kept


def write_output(path: Path, produce: Callable[[BinaryIO], None]) -> Path | None:
    """Keep the previous ``path``, write the new one atomically; the kept path, or None."""
    kept = keep_previous(path)
    write_bytes_atomic(path, produce, force=True)
    return kept


def write_pstats(path: Path, stats: dict[Any, Any]) -> Path | None:
    """The profile, marshalled as ``cProfile.Profile.dump_stats`` writes it."""
    return write_output(path, lambda stream: marshal.dump(stats, stream))


def write_lprof(path: Path, line_stats: object) -> Path | None:
    """The line timings, pickled as ``kernprof -l`` writes them."""
    import pickle

    return write_output(
        path, lambda stream: pickle.dump(line_stats, stream, pickle.HIGHEST_PROTOCOL)
    )
