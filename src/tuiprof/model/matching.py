"""Which function of one profile is which function of another.

The code changed between the two runs, so line numbers are no identity.
The rule, in order:

1. Paths: a ``--path-map OLD=NEW`` rewrites the before side's paths (so two
   checkouts, or a container and a laptop, name the same file the same way).
   A before file that still has no namesake on the after side is paired with
   the after file that shares the longest trailing run of path components
   with it, when that after file is the only one with so long a suffix and the
   before file is its only best match too (unambiguous both ways).
2. Functions are matched on (file, name). When a file has one function of
   that name on each side, they are the same function wherever they moved.
3. When a file has several functions of one name (``<lambda>``,
   ``__init__`` of several classes), they are paired in order, choosing the
   pairs that keep the first lines nearest (an order-keeping alignment with the
   least total line distance); the ones left over are new or removed.
4. A function moved to another file, or renamed, is one removed function plus
   one new function.
5. Built-ins (file ``~``) match by name. cProfile names some with the address
   of an object (``<built-in method __new__ of type object at 0x7f19a7a5ea00>``),
   which changes from run to run: a built-in left over after the exact match is
   paired with one of the other side whose name is the same but for its
   `` at 0x...`` addresses, when that address-free name is unique among each
   side's built-ins. Several built-ins of one address-free name on a side (two
   objects' bound methods) are different functions whose addresses say nothing
   about which is which across runs: they are not paired, so none is merged into
   another or lost; each stays new or removed, unless its name is exactly the same.

Everything works on function numbers and plain lists, so 300,000 functions
match in one pass over each side.
"""

from __future__ import annotations

import collections
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from tuiprof.model.collector import collector_paused
from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import Profile

NONE = -1
"""In the match lists: no counterpart on the other side."""

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
"""An object's address in a built-in's name: not the same from one run to the next."""

_ALIGN_LIMIT = 250_000
"""Above this many cells (n x m) a name group is paired in plain order, not aligned."""


@dataclass(frozen=True, slots=True)
class Matching:
    """The pairing of two profiles' functions.

    ``after_of[b]`` is the after function matched to before function ``b``
    (or :data:`NONE`: removed); ``before_of[a]`` the reverse (:data:`NONE`: new).
    """

    after_of: list[int]
    before_of: list[int]
    file_map: dict[str, str]
    """Before paths read as after paths (from ``--path-map`` and common suffixes)."""
    rekeyed: list[int] = field(default_factory=list)
    """Matched before functions (ascending) whose after function has another key:
    moved to another line, or in a file of :attr:`file_map`."""


def map_path(path: str, path_maps: Sequence[tuple[str, str]]) -> str:
    """``path`` with the first matching ``OLD`` prefix replaced by its ``NEW``."""
    for old, new in path_maps:
        if path == old:
            return new
        stem = old.rstrip("/\\")
        if path.startswith(stem) and path[len(stem) : len(stem) + 1] in ("/", "\\"):
            return new.rstrip("/\\") + path[len(stem) :]
    return path


def _parts(path: str) -> list[str]:
    return [part for part in path.replace("\\", "/").split("/") if part]


def _suffix_length(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def suffix_file_map(before_files: Sequence[str], after_files: Sequence[str]) -> dict[str, str]:
    """Pair files by their longest common path suffix, where that is unambiguous.

    Only files without a namesake on the other side take part. A pair needs at
    least the file name in common, and must be each other's only best match.
    """
    after_set = set(after_files)
    before_set = set(before_files)
    lonely_before = [f for f in dict.fromkeys(before_files) if f not in after_set]
    lonely_after = [f for f in dict.fromkeys(after_files) if f not in before_set]
    if not lonely_before or not lonely_after:
        return {}
    by_name: dict[str, list[tuple[str, list[str]]]] = {}
    for file in lonely_after:
        parts = _parts(file)
        if parts:
            by_name.setdefault(parts[-1], []).append((file, parts))
    best_for_after: dict[str, tuple[int, list[str]]] = {}
    best_for_before: dict[str, str] = {}
    for file in lonely_before:
        parts = _parts(file)
        if not parts or file.startswith("<") or file == "~":
            continue
        candidates = by_name.get(parts[-1], [])
        scored = [(_suffix_length(parts, other_parts), other) for other, other_parts in candidates]
        if not scored:
            continue
        top = max(score for score, _ in scored)
        winners = [other for score, other in scored if score == top]
        if len(winners) == 1:
            best_for_before[file] = winners[0]
        for score, other in scored:
            known = best_for_after.get(other)
            if known is None or score > known[0]:
                best_for_after[other] = (score, [file])
            elif score == known[0]:
                known[1].append(file)
    return {
        before: after
        for before, after in best_for_before.items()
        if best_for_after[after][1] == [before]
    }


def match_profiles(
    before: Profile, after: Profile, path_maps: Sequence[tuple[str, str]] = ()
) -> Matching:
    """Match the functions of ``before`` to those of ``after`` (see the module's rule)."""
    with collector_paused():
        return _match(before, after, path_maps)


def _match(before: Profile, after: Profile, path_maps: Sequence[tuple[str, str]]) -> Matching:
    file_of = itemgetter(0)
    after_files = set(map(file_of, after.keys))
    distinct = sorted(set(map(file_of, before.keys)))
    mapped = {file: map_path(file, path_maps) for file in distinct} if path_maps else {}
    suffixes = suffix_file_map([mapped.get(f, f) for f in distinct], list(after_files))
    file_map: dict[str, str] = {}
    for file in distinct:
        final = mapped.get(file, file)
        final = suffixes.get(final, final)
        if final != file:
            file_map[file] = final
    before_keys = before.keys
    if file_map:
        get = file_map.get
        before_keys = [(get(k[0], k[0]), k[1], k[2]) for k in before_keys]

    # Most functions keep their key: one dictionary pass pairs them. That is
    # the rule's answer wherever the (file, name) is unique on both sides, and
    # wherever only one side has functions of that (file, name) left over.
    after_pos = dict(zip(after.keys, range(len(after.keys)), strict=True))
    after_of = list(map(after_pos.get, before_keys, itertools.repeat(NONE)))
    before_of = _inverse(after_of, len(after.keys))
    left_before = list(itertools.compress(range(len(after_of)), map(NONE.__eq__, after_of)))
    left_after = list(itertools.compress(range(len(before_of)), map(NONE.__eq__, before_of)))
    groups = {(before_keys[b][0], before_keys[b][2]) for b in left_before}
    groups &= {(after.keys[a][0], after.keys[a][2]) for a in left_after}
    rekeyed: set[int] = set()
    if file_map:
        mapped_file = map(file_map.__contains__, map(file_of, before.keys))
        rekeyed.update(itertools.compress(range(len(after_of)), mapped_file))
    if groups:
        rekeyed.update(
            _align_groups(groups, before_keys, after.keys, left_after, after_of, before_of)
        )
    if left_before and left_after:
        rekeyed.update(
            _pair_addressed_builtins(
                before_keys, after.keys, left_before, left_after, after_of, before_of
            )
        )
    return Matching(
        after_of, before_of, file_map, sorted(b for b in rekeyed if after_of[b] != NONE)
    )


def _align_groups(
    groups: set[tuple[str, str]],
    before_keys: Sequence[FunctionKey],
    after_keys: Sequence[FunctionKey],
    left_after: Sequence[int],
    after_of: list[int],
    before_of: list[int],
) -> list[int]:
    """Pair anew the functions of each (file, name) with some left over on both sides.

    Its exactly paired functions are included (their lines may have shifted).
    Returns the before functions now paired with a function of another key.
    """
    members: dict[tuple[str, str], tuple[list[int], list[int]]] = {
        pair: ([], []) for pair in groups
    }
    # One pass over the before side's keys finds its members; the after
    # side's are their exact partners and the after functions left over.
    pairs = zip(map(itemgetter(0), before_keys), map(itemgetter(2), before_keys), strict=True)
    for bid in itertools.compress(range(len(before_keys)), map(groups.__contains__, pairs)):
        key = before_keys[bid]
        bids, aids = members[(key[0], key[2])]
        bids.append(bid)
        if after_of[bid] != NONE:
            aids.append(after_of[bid])
    for aid in left_after:
        key = after_keys[aid]
        found = members.get((key[0], key[2]))
        if found is not None:
            found[1].append(aid)
    rekeyed = []
    for bids, aids in members.values():
        aids.sort()  # in function order, as the before side's, for ties in lines
        for bid in bids:
            after_of[bid] = NONE
        for aid in aids:
            before_of[aid] = NONE
        for i, j in align_by_line(
            [before_keys[b][1] for b in bids], [after_keys[a][1] for a in aids]
        ):
            bid, aid = bids[i], aids[j]
            after_of[bid] = aid
            before_of[aid] = bid
            if before_keys[bid] != after_keys[aid]:
                rekeyed.append(bid)
    return rekeyed


def _addressed(key: FunctionKey) -> bool:
    return key[0] == "~" and " at 0x" in key[2]


def _builtin_names(keys: Sequence[FunctionKey]) -> collections.Counter[str]:
    """How many built-ins of a side have each address-free name."""
    return collections.Counter(_ADDRESS.sub("", key[2]) for key in keys if key[0] == "~")


def _pair_addressed_builtins(
    before_keys: Sequence[FunctionKey],
    after_keys: Sequence[FunctionKey],
    left_before: Sequence[int],
    left_after: Sequence[int],
    after_of: list[int],
    before_of: list[int],
) -> list[int]:
    """Pair left-over built-ins whose names differ only by addresses (the module's rule 5).

    Only an address-free name unique among each side's built-ins pairs.
    Returns the before functions paired (their keys differ).
    """
    lonely_before = [b for b in left_before if after_of[b] == NONE and _addressed(before_keys[b])]
    if not lonely_before:
        return []
    lonely_after = [a for a in left_after if before_of[a] == NONE and _addressed(after_keys[a])]
    if not lonely_after:
        return []
    before_names, after_names = _builtin_names(before_keys), _builtin_names(after_keys)
    unique_after: dict[str, int] = {}
    for aid in lonely_after:
        name = _ADDRESS.sub("", after_keys[aid][2])
        if after_names[name] == 1:
            unique_after[name] = aid
    paired = []
    for bid in lonely_before:
        name = _ADDRESS.sub("", before_keys[bid][2])
        aid = unique_after.get(name, NONE)
        if aid != NONE and before_names[name] == 1:
            after_of[bid] = aid
            before_of[aid] = bid
            paired.append(bid)
    return paired


def _inverse(after_of: list[int], size: int) -> list[int]:
    before_of = [NONE] * size
    matched = list(map(NONE.__ne__, after_of))
    collections.deque(
        map(
            before_of.__setitem__,
            itertools.compress(after_of, matched),
            itertools.compress(range(len(after_of)), matched),
        ),
        maxlen=0,
    )
    return before_of


def align_by_line(before_lines: Sequence[int], after_lines: Sequence[int]) -> list[tuple[int, int]]:
    """Pair two lists of first lines in order, keeping paired lines nearest.

    Both lists are read in line order. ``min(n, m)`` pairs are made, order kept
    (the third function before stays after the second), choosing among such
    pairings the one with the least total line distance. Returns index pairs
    into the given lists.
    """
    border = sorted(range(len(before_lines)), key=before_lines.__getitem__)
    aorder = sorted(range(len(after_lines)), key=after_lines.__getitem__)
    n, m = len(border), len(aorder)
    if n == m or n * m > _ALIGN_LIMIT:
        return list(zip(border, aorder, strict=False))
    if n > m:
        swapped = align_by_line(after_lines, before_lines)
        return [(i, j) for j, i in swapped]
    # n < m: choose which n of the m after functions pair, in order.
    b = [before_lines[i] for i in border]
    a = [after_lines[j] for j in aorder]
    inf = float("inf")
    # cost[i][j]: best cost pairing b[:i] within a[:j]
    cost = [[0.0] * (m + 1)] + [[inf] * (m + 1) for _ in range(n)]
    for i in range(1, n + 1):
        row, prev = cost[i], cost[i - 1]
        for j in range(i, m + 1):
            take = prev[j - 1] + abs(b[i - 1] - a[j - 1])
            skip = row[j - 1]
            row[j] = take if take <= skip else skip
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0:
        if cost[i][j] == cost[i][j - 1] and j > i:
            j -= 1
            continue
        pairs.append((border[i - 1], aorder[j - 1]))
        i -= 1
        j -= 1
    pairs.reverse()
    return pairs
