"""Which functions an export covers: all, a subtree, or those a filter shows.

Pure functions over function numbers. A subtree is what ran under its
functions, walked as the call tree walks it
(:func:`~tuiprof.model.subtree.subtree_figures`): never back into the
functions above them, and with a loop, so a call chain thousands of frames
deep costs a list, not Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable

from tuiprof.model.names import search_text
from tuiprof.model.profile import Profile
from tuiprof.model.subtree import SubtreeFigures, subtree_figures
from tuiprof.model.table import FilterError, compile_terms


class ScopeError(ValueError):
    """A ``--root`` or ``--filter`` that selects nothing or cannot be read."""


def subtree(profile: Profile, roots: Iterable[int]) -> list[int]:
    """The roots and every function that ran under them, in number order."""
    return subtree_figures(profile, list(roots)).functions()


def matching(profile: Profile, text: str, option: str = "--filter") -> list[int]:
    """Functions matching a filter as the function table reads it (AND-ed terms).

    A bad term is a :class:`ScopeError` naming ``option``, the text's option.
    """
    try:
        matchers = compile_terms(text)
    except FilterError as error:
        raise ScopeError(f"{option}: {error}") from None
    found: list[int] = []
    for fid, key in enumerate(profile.keys):
        line = search_text(key)
        if all(matches(line) for matches in matchers):
            found.append(fid)
    return found


def find_roots(profile: Profile, term: str) -> list[int]:
    """The functions ``--root`` names.

    Tried in turn: an exact function name (every function of that name), a
    ``name:line`` pair, then ``term`` as a filter (as typed in the table).
    """
    term = term.strip()
    if not term:
        raise ScopeError("--root: empty function name")
    keys = profile.keys
    found = [fid for fid, key in enumerate(keys) if key[2] == term]
    if found:
        return found
    name, colon, line = term.rpartition(":")
    if colon and line.isdigit():
        number = int(line)
        found = [fid for fid, key in enumerate(keys) if key[2] == name and key[1] == number]
        if found:
            return found
    found = matching(profile, term, "--root")
    if not found:
        raise ScopeError(f"--root: no function matches {term!r}")
    return found


def select(
    profile: Profile,
    roots: Iterable[int] = (),
    filter_text: str = "",
    within: SubtreeFigures | None = None,
) -> list[int] | None:
    """The export's functions: under ``roots`` (if any) and matching the filter (if any).

    ``within``, the roots' subtree if already worked out, saves walking it
    again. None means the whole profile. An empty result is an error: there
    would be nothing to export.
    """
    root_list = list(roots)
    chosen: list[int] | None = None
    if within is not None:
        chosen = within.functions()
    elif root_list:
        chosen = subtree(profile, root_list)
    if filter_text.split():
        shown = matching(profile, filter_text)
        if chosen is not None:
            inside = set(chosen)
            shown = [fid for fid in shown if fid in inside]
        chosen = shown
        if not chosen:
            raise ScopeError(f"no function matches the filter {filter_text!r}")
    return chosen
