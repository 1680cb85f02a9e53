"""``tuiprof diff --json``: the diff as one JSON document, fast on 300,000 functions."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring_ascii
from operator import itemgetter
from typing import TextIO

from tuiprof.model.collector import collector_paused
from tuiprof.model.diff import ProfileDiff, Status
from tuiprof.model.matching import NONE
from tuiprof.model.profile import Profile

_ZERO_DELTA = '{"ncalls": 0, "tottime": 0.0, "cumtime": 0.0}'
"""The delta of a function whose figures did not change, as :mod:`json` writes it."""

_SIDE = (
    '{"file": %s, "line": %d, "ncalls": %d, "primitive_calls": %d, "tottime": %s, "cumtime": %s}'
)
_ROW = '{"name": %s, "status": %s, "before": %s, "after": %s, "delta": %s}'
_SAME_ROW = (
    '{"name": %s, "status": "same", "before": %s, "after": %s, "delta": ' + _ZERO_DELTA + "}"
)
_DELTA = '{"ncalls": %d, "tottime": %s, "cumtime": %s}'
_CHUNK = 8192


def write_diff_json(diff: ProfileDiff, rows: Sequence[int], out: TextIO) -> None:
    """The diff as one JSON document (raw seconds), written in chunks.

    Objects are formatted in C-level ``map`` calls over whole columns:
    strings encoded as :func:`json.dumps` encodes them, numbers by ``repr``
    as :mod:`json` writes them (the loaders refuse non-finite times, so every
    number is valid JSON). A function that did not change, at the same place,
    has the same object on both sides and a zero delta: its side is formatted
    once, which is most of a big diff and most of the time.
    """
    with collector_paused():
        head = {
            "before": {"files": list(diff.before.files), "total_time": diff.before_total},
            "after": {"files": list(diff.after.files), "total_time": diff.after_total},
            "total_delta": diff.total_delta,
        }
        if diff.normalize:
            head["before"]["scale"] = diff.scale  # type: ignore[index]
        out.write(json.dumps(head)[:-1])
        out.write(', "functions": [')
        for i, chunk in enumerate(_chunks(diff, rows)):
            if i:
                out.write(", ")
            out.write(chunk)
        out.write("]}\n")


def _chunks(diff: ProfileDiff, rows: Sequence[int]) -> Iterator[str]:
    """The functions' objects in the order of ``rows``, joined a chunk at a time.

    The before side's objects are made for every row at once; a row's object
    is made in its chunk (most rows: the unchanged function's object twice
    and a zero delta), so the document is never whole in memory.
    """
    matched, removed, new = diff.blocks
    n = len(diff)
    names = list(map(encode_basestring_ascii, map(itemgetter(2), diff.keys())))
    files: dict[str, str] = {}
    # The before side of matched and removed rows (rows 0 to matched + removed).
    tottime, cumtime = diff.before_times()
    before = _side_objects(
        diff.before, tottime, cumtime, diff.before_ids[: matched + removed], files
    )
    before += ["null"] * new
    status = diff.status()
    # Rows whose after object is not the before one: changed, new or removed,
    # or unchanged under another key (moved, or in a --path-map file).
    remade = bytearray(status[:matched])  # SAME is 0
    for row in diff.rekeyed_rows():
        remade[row] = 1
    remade += b"\x01" * (n - matched)
    others = list(itertools.compress(range(n), remade))
    after_rows = [row for row in others if row < matched or row >= matched + removed]
    after_ids = list(map(diff.after_ids.__getitem__, after_rows))
    after_of = dict(
        zip(
            after_rows,
            _side_objects(diff.after, diff.after.tottime, diff.after.cumtime, after_ids, files),
            strict=True,
        )
    )
    words = [f'"{s.word}"' for s in Status]
    remade_objects = dict(
        zip(
            others,
            map(
                _ROW.__mod__,
                zip(
                    map(names.__getitem__, others),
                    map(words.__getitem__, map(status.__getitem__, others)),
                    map(before.__getitem__, others),
                    map(after_of.get, others, itertools.repeat("null")),
                    map(_DELTA.__mod__, _deltas(diff, others)),
                    strict=True,
                ),
            ),
            strict=True,
        )
    )
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        same = zip(
            map(names.__getitem__, chunk),
            map(before.__getitem__, chunk),  # the after object is the before one
            map(before.__getitem__, chunk),
            strict=True,
        )
        objects = list(map(_SAME_ROW.__mod__, same))
        for i in itertools.compress(range(len(chunk)), map(remade.__getitem__, chunk)):
            objects[i] = remade_objects[chunk[i]]
        yield ", ".join(objects)


def _deltas(diff: ProfileDiff, rows: Sequence[int]) -> list[tuple[int, str, str]]:
    """After minus before of ncalls, tottime and cumtime for the given (few) rows."""
    sides = [
        (diff.before_ids, diff.before.ncalls, *diff.before_times()),
        (diff.after_ids, diff.after.ncalls, diff.after.tottime, diff.after.cumtime),
    ]
    out = []
    for row in rows:
        (b_ncalls, b_tottime, b_cumtime), (a_ncalls, a_tottime, a_cumtime) = (
            (0, 0.0, 0.0)
            if ids[row] == NONE
            else (ncalls[ids[row]], tottime[ids[row]], cumtime[ids[row]])
            for ids, ncalls, tottime, cumtime in sides
        )
        out.append((a_ncalls - b_ncalls, repr(a_tottime - b_tottime), repr(a_cumtime - b_cumtime)))
    return out


def _side_objects(
    profile: Profile,
    tottime: Sequence[float],
    cumtime: Sequence[float],
    fids: Sequence[int],
    files: dict[str, str],
) -> list[str]:
    """One side's JSON object for each of the given functions."""
    keys = list(map(profile.keys.__getitem__, fids))
    for file in set(map(itemgetter(0), keys)).difference(files):
        files[file] = encode_basestring_ascii(file)
    return list(
        map(
            _SIDE.__mod__,
            zip(
                map(files.__getitem__, map(itemgetter(0), keys)),
                map(itemgetter(1), keys),
                map(profile.ncalls.__getitem__, fids),
                map(profile.primitive_calls.__getitem__, fids),
                map(repr, map(tottime.__getitem__, fids)),
                map(repr, map(cumtime.__getitem__, fids)),
                strict=True,
            ),
        )
    )
