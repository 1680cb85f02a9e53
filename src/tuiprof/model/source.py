"""Finding and reading the source files a profile names, without running any of it.

A profile records absolute paths from the machine it was taken on. The
finder tries, in order: the recorded path; the recorded path relative to the
current folder and to each profile file's folder; under each ``--source-root``
the recorded path's tail components, longest first; and each ``--path-map``
prefix rewrite. Reading honours a PEP 263 coding declaration and otherwise
falls back to UTF-8 with replacement characters: a source file never stops
the viewer.
"""

from __future__ import annotations

import ast
import enum
import io
import os
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass

from tuiprof.model.errors import ProfileError
from tuiprof.model.names import is_builtin


class LookupKind(enum.Enum):
    """What a lookup found."""

    FOUND = "found"
    BUILTIN = "builtin"
    """A C function (file ``~`` or ``''``): there is no source."""
    PSEUDO = "pseudo"
    """A name such as ``<string>`` or ``<frozen importlib._bootstrap>``: no file on disk."""
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class SourceLookup:
    """Where a recorded path was found, and every path that was tried."""

    recorded: str
    path: str | None
    tried: tuple[str, ...]
    kind: LookupKind

    @property
    def found(self) -> bool:
        return self.path is not None

    def explanation(self, name: str) -> list[str]:
        """Why function ``name`` shows no source, line by line; empty when the file was found."""
        file = self.recorded
        if self.kind is LookupKind.BUILTIN:
            return [f"{name} is built in (written in C): it has no Python source."]
        if self.kind is LookupKind.PSEUDO:
            return [f"{name} comes from {file}, which is not a file: no source to show."]
        if self.path is not None:
            return []
        return [
            f"Source file not found: {file}",
            "Looked in:",
            *(f"  {path}" for path in self.tried),
            "If the profile was taken on another machine or in a container, point",
            "tuiprof at a copy of the source: --path-map OLD=NEW rewrites a path prefix,",
            "--source-root DIR looks for the file's trailing path under DIR.",
        ]


@dataclass(frozen=True, slots=True)
class SourceText:
    """A source file's text, and how it was decoded."""

    path: str
    lines: tuple[str, ...]
    encoding: str
    replaced: bool
    """True when undecodable bytes became replacement characters."""
    error: str = ""
    """Why the file could not be read at all (``lines`` is then empty)."""


def parse_path_maps(specs: Sequence[str]) -> list[tuple[str, str]]:
    """``--path-map OLD=NEW`` options as pairs; a :class:`ProfileError` for anything else."""
    maps: list[tuple[str, str]] = []
    for spec in specs:
        old, sep, new = spec.partition("=")
        if not sep or not old or not new:
            raise ProfileError("--path-map", f"expected OLD=NEW, got {spec!r}")
        maps.append((old, new))
    return maps


def check_source_roots(roots: Sequence[str]) -> list[str]:
    """``--source-root`` options, each an existing folder; a :class:`ProfileError` otherwise."""
    for root in roots:
        if not os.path.isdir(root):
            problem = "not a folder" if os.path.exists(root) else "no such folder"
            raise ProfileError("--source-root", f"{root}: {problem}")
    return list(roots)


def _split(path: str) -> list[str]:
    return [part for part in path.replace("\\", "/").split("/") if part]


class SourceFinder:
    """Finds a profile's source files on this machine; lookups are cached."""

    def __init__(
        self,
        profile_files: Sequence[str],
        source_roots: Sequence[str] = (),
        path_maps: Sequence[tuple[str, str]] = (),
    ) -> None:
        folders: list[str] = []
        for file in profile_files:
            folder = os.path.dirname(os.path.abspath(file))
            if folder not in folders:
                folders.append(folder)
        self.profile_folders = tuple(folders)
        self.source_roots = tuple(source_roots)
        self.path_maps = tuple(path_maps)
        self._found: dict[str, SourceLookup] = {}
        self._texts: dict[str, SourceText] = {}
        self._spans: dict[str, dict[int, int]] = {}

    def candidates(self, recorded: str) -> list[str]:
        """Every path to try for a recorded one, in order, without repeats."""
        out: list[str] = [recorded]
        if not os.path.isabs(recorded):
            out.append(os.path.join(os.getcwd(), recorded))
            out.extend(os.path.join(folder, recorded) for folder in self.profile_folders)
        parts = _split(recorded)
        for root in self.source_roots:
            out.extend(os.path.join(root, *parts[start:]) for start in range(len(parts)))
        for old, new in self.path_maps:
            rewritten = _rewrite(recorded, old, new)
            if rewritten is not None:
                out.append(rewritten)
        seen: set[str] = set()
        unique = []
        for path in out:
            if path not in seen:
                seen.add(path)
                unique.append(path)
        return unique

    def find(self, recorded: str, line: int = -1) -> SourceLookup:
        """Look for the file a profile recorded as ``recorded``.

        ``line`` is the function's first line; a built-in has ``~`` (or ``''``)
        as its file and 0 as its line.
        """
        if is_builtin((recorded, line, "")):
            return SourceLookup(recorded, None, (), LookupKind.BUILTIN)
        if recorded.startswith("<") and recorded.endswith(">"):
            return SourceLookup(recorded, None, (), LookupKind.PSEUDO)
        cached = self._found.get(recorded)
        if cached is not None:
            return cached
        tried = tuple(self.candidates(recorded))
        found = next((path for path in tried if os.path.isfile(path)), None)
        kind = LookupKind.FOUND if found else LookupKind.MISSING
        result = SourceLookup(recorded, found, tried, kind)
        self._found[recorded] = result
        return result

    def read(self, path: str) -> SourceText:
        """The text of a found file (cached)."""
        text = self._texts.get(path)
        if text is None:
            text = self._texts[path] = read_source(path)
        return text

    def span(self, path: str, first_line: int, name: str = "") -> tuple[int, int]:
        """The lines of the function at ``first_line`` of a found file (parsed once per file)."""
        lines = self.read(path).lines
        spans = self._spans.get(path)
        if spans is None and name != "<module>":
            spans = self._spans[path] = definition_spans(lines)
        return function_span(lines, first_line, name, spans)


def _rewrite(recorded: str, old: str, new: str) -> str | None:
    """Rewrite a path prefix, only at a component boundary."""
    old_stripped = old.rstrip("/\\")
    if recorded == old_stripped:
        return new
    if not old_stripped:  # OLD was "/": every absolute path starts with it
        return os.path.join(new, recorded.lstrip("/\\")) if recorded[:1] in "/\\" else None
    if recorded.startswith(old_stripped) and recorded[len(old_stripped)] in "/\\":
        return os.path.join(new, recorded[len(old_stripped) + 1 :])
    return None


def decode_source(data: bytes) -> tuple[str, str, bool]:
    """Decode source bytes: ``(text, encoding, replaced)``.

    The encoding is the PEP 263 declaration (or a BOM), found by
    :func:`tokenize.detect_encoding`; a bad or unknown declaration, or bytes
    that do not decode, fall back to UTF-8 with replacement characters.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except (SyntaxError, LookupError, UnicodeError):
        encoding = "utf-8"
    try:
        return data.decode(encoding), encoding, False
    except (UnicodeDecodeError, LookupError):
        return data.decode("utf-8", errors="replace"), "utf-8", True


def read_source(path: str) -> SourceText:
    """Read and decode a source file; never raises for a file that cannot be read."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as error:
        return SourceText(path, (), "", False, error.strerror or str(error))
    text, encoding, replaced = decode_source(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceText(path, tuple(text.splitlines()), encoding, replaced)


def function_span(
    lines: Sequence[str],
    first_line: int,
    name: str = "",
    spans: dict[int, int] | None = None,
) -> tuple[int, int]:
    """The first and last line (1-based, inclusive) of the function starting at ``first_line``.

    The source is parsed (never run) to find a ``def`` or ``class`` starting
    there, decorators included (pass ``spans`` from :func:`definition_spans`
    to parse a file once); when it does not parse, the span follows the
    indentation. A module (``<module>``) spans the whole file.
    """
    count = len(lines)
    if count == 0:
        return (first_line, first_line)
    if name == "<module>" or first_line <= 0:
        return (1, count)
    first_line = min(first_line, count)
    if spans is None:
        spans = definition_spans(lines)
    end = spans.get(first_line)
    if end is None:
        end = _span_from_indentation(lines, first_line)
    return (first_line, max(first_line, min(end, count)))


def definition_spans(lines: Sequence[str]) -> dict[int, int]:
    """Last line by first line of every ``def``, ``class`` and ``lambda`` in a file.

    A decorated definition is found both from its ``def`` line and from its
    first decorator (where Python 3.8+ says the function starts). Empty when
    the file does not parse.
    """
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    spans: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            end = node.end_lineno
            if end is None:
                continue
            spans.setdefault(node.lineno, end)
            for decorator in getattr(node, "decorator_list", []):
                spans.setdefault(decorator.lineno, end)
    return spans


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _span_from_indentation(lines: Sequence[str], first_line: int) -> int:
    start = first_line - 1
    base = _indent(lines[start])
    end = start
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _indent(lines[i]) <= base and not stripped.startswith((")", "]", "}")):
            break
        end = i
    return end + 1
