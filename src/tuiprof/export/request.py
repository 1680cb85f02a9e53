"""One export, described as plain values and carried out: shared by the command
line (``tuiprof export``) and the export dialog."""

from __future__ import annotations

import enum
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from tuiprof.export.atomic import (
    ExportError,
    check_target,
    export_running,
    write_bytes_atomic,
    write_text_atomic,
)
from tuiprof.export.callgrind import write_callgrind
from tuiprof.export.dot import DEFAULT_EDGE_THRESHOLD, DEFAULT_NODE_THRESHOLD, write_dot
from tuiprof.export.graphviz import INSTALL_HINT, find_dot, render
from tuiprof.export.scope import ScopeError, select
from tuiprof.model.collector import collector_paused
from tuiprof.model.errors import ProfileError
from tuiprof.model.profile import Profile
from tuiprof.model.subtree import subtree_figures


class ExportFormat(enum.Enum):
    """What an export writes."""

    CALLGRIND = "callgrind"
    DOT = "dot"
    SVG = "svg"
    PNG = "png"

    @property
    def suffix(self) -> str:
        return f".{self.value}"

    @property
    def is_image(self) -> bool:
        return self in (ExportFormat.SVG, ExportFormat.PNG)


@dataclass(frozen=True)
class ExportRequest:
    """Everything an export needs besides the profile.

    ``roots`` and ``filter_text`` choose the functions: the subtree under the
    roots (function numbers), those matching the filter, both, or (neither
    given) the whole profile.
    """

    format: ExportFormat
    path: Path
    force: bool = False
    node_threshold: float = DEFAULT_NODE_THRESHOLD
    edge_threshold: float = DEFAULT_EDGE_THRESHOLD
    roots: tuple[int, ...] = ()
    filter_text: str = ""
    theme: str = "color"


@dataclass(frozen=True)
class ExportResult:
    """What was written; ``problem`` is set when it is not what was asked for.

    The one such case: svg/png without Graphviz, where the ``.dot`` is written
    instead and ``problem`` says how to install Graphviz.
    """

    path: Path
    problem: str | None = None


def default_output(first_input: str | Path, export_format: ExportFormat) -> Path:
    """Next to the first input, its suffix replaced: ``run.prof`` -> ``run.callgrind``."""
    source = Path(first_input)
    if source.suffix:
        return source.with_suffix(export_format.suffix)
    return source.with_name(source.name + export_format.suffix)


def default_folder(first_input: str | Path) -> Path:
    """Where an export goes by default: the input's folder when it is writable,
    else the current folder (a profile read from a read-only mount or another
    user's folder)."""
    folder = Path(first_input).parent
    if os.access(folder, os.W_OK | os.X_OK):
        return folder
    return Path()


def output_in(folder: Path, first_input: str | Path, export_format: ExportFormat) -> Path:
    """The default file name for ``export_format`` (see :func:`default_output`) in ``folder``."""
    return folder / default_output(Path(first_input).name, export_format)


def suffix_message(path: Path, export_format: ExportFormat, named: ExportFormat) -> str:
    """``graph.png is named like a png file, but the format is dot``."""
    return (
        f"{path.name} is named like a {named.value} file, but the format is {export_format.value}"
    )


def suffix_conflict(path: Path, export_format: ExportFormat) -> ExportFormat | None:
    """The other format that ``path``'s suffix names, or None.

    ``run.dot`` for a callgrind export contradicts it; an unknown suffix
    (KCachegrind's ``callgrind.out.1234``) does not.
    """
    suffix = path.suffix.lower()
    for other in ExportFormat:
        if other is not export_format and suffix == other.suffix:
            return other
    return None


def parse_threshold(text: str, what: str) -> float:
    """A graph threshold in percent, from 0 to 100; ValueError with the reason.

    Blank is refused rather than read as 0: a 0 threshold keeps every
    function, and a graph of thousands of nodes is rarely what was meant.
    """
    value = text.strip()
    if not value:
        raise ValueError(f"give the {what} threshold (a percentage from 0 to 100)")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"the {what} threshold is not a number: {value}") from None
    if not 0.0 <= number <= 100.0:
        raise ValueError(f"the {what} threshold must be from 0 to 100, not {value}")
    return number


@dataclass(frozen=True)
class ExportChoices:
    """What the export dialog remembers within a session: the last export's settings."""

    format: ExportFormat
    folder: Path
    node_threshold: float = DEFAULT_NODE_THRESHOLD
    edge_threshold: float = DEFAULT_EDGE_THRESHOLD

    @classmethod
    def of(cls, request: ExportRequest) -> ExportChoices:
        return cls(
            request.format, request.path.parent, request.node_threshold, request.edge_threshold
        )


def export_profile(profile: Profile, request: ExportRequest) -> ExportResult:
    """Carry out ``request``; raises :class:`ExportError` on any problem.

    A :class:`~tuiprof.export.scope.ScopeError`, and a late check of the
    caller records that fails (:meth:`Profile.check_edges`), are reported as
    an :class:`ExportError` too, so callers catch one thing.
    """
    with export_running():  # the command waits for it if the user quits meanwhile
        return _export_profile(profile, request)


def _export_profile(profile: Profile, request: ExportRequest) -> ExportResult:
    path = request.path
    inputs = profile.files
    check_target(path, force=request.force, inputs=inputs)
    try:
        # A profile loaded with its caller records left unchecked: an export
        # without the calls would look complete and be wrong.
        profile.check_edges()
    except ProfileError as error:
        raise ExportError(str(error)) from None
    try:
        # A subtree's graph shows what ran under its roots: estimated figures.
        figures = subtree_figures(profile, request.roots) if request.roots else None
        fids = select(profile, request.roots, request.filter_text, within=figures)
    except ScopeError as error:
        raise ExportError(str(error)) from None
    if not len(profile):
        raise ExportError("the profile holds no functions: nothing to export")

    if request.format is ExportFormat.CALLGRIND:
        # pyprof2calltree and gprof2dot build millions of objects: without the
        # collector walking them over and over, the export takes a third less.
        with collector_paused():
            write_text_atomic(
                path,
                lambda out: write_callgrind(profile, out, fids),
                force=request.force,
                inputs=inputs,
            )
        return ExportResult(path)

    def graph(out: TextIO) -> None:
        with collector_paused():
            write_dot(
                profile,
                out,
                fids,
                figures=figures,
                node_threshold=request.node_threshold,
                edge_threshold=request.edge_threshold,
                theme=request.theme,
            )

    if request.format is ExportFormat.DOT:
        write_text_atomic(path, graph, force=request.force, inputs=inputs)
        return ExportResult(path)

    dot_program = find_dot()
    if dot_program is None:
        fallback = _dot_beside(path)
        write_text_atomic(fallback, graph, force=request.force, inputs=inputs)
        problem = (
            f"Graphviz 'dot' is needed for {request.format.value}: wrote {fallback} instead; "
            f"{INSTALL_HINT}, then run: dot -T{request.format.value} {fallback} -o {path}"
        )
        return ExportResult(fallback, problem)

    text = io.StringIO()
    graph(text)
    image_format = request.format.value
    write_bytes_atomic(
        path,
        lambda out: render(dot_program, text.getvalue(), image_format, out),
        force=request.force,
        inputs=inputs,
    )
    return ExportResult(path)


def _dot_beside(path: Path) -> Path:
    if path.suffix == ".dot":
        return path.with_name(path.name + ".dot")
    return path.with_suffix(".dot")


__all__ = [
    "ExportChoices",
    "ExportError",
    "ExportFormat",
    "ExportRequest",
    "ExportResult",
    "default_folder",
    "default_output",
    "export_profile",
    "output_in",
    "parse_threshold",
    "suffix_conflict",
]
