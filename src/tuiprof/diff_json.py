"""``tuiprof diff --json``: the diff as one JSON document, fast on 300,000 functions."""

from __future__ import annotations

import collections
import itertools
import json
import operator
from collections.abc import Sequence
from operator import itemgetter
from typing import TextIO

from tuiprof.model.collector import collector_paused
from tuiprof.model.diff import Measure, ProfileDiff, Side, Status
from tuiprof.model.matching import NONE

_ZERO_DELTA = '{"ncalls": 0, "tottime": 0.0, "cumtime": 0.0}'
"""The delta of a function whose figures did not change, as :mod:`json` writes it."""


def write_diff_json(diff: ProfileDiff, rows: Sequence[int], out: TextIO) -> None:
    """The diff as one JSON document (raw seconds), written in chunks.

    Objects are formatted in C-level ``map`` calls over whole columns:
    strings encoded once per distinct file and name, numbers by ``repr`` as
    :mod:`json` writes them (the loaders refuse non-finite times, so every
    number is valid JSON). A function that did not change, at the same place,
    has the same object on both sides and a zero delta: those are written
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
        encoded: dict[str, str] = {}
        status = diff.status()
        every = range(len(diff))
        before = _side_objects(diff, False, encoded, every)
        # Rows whose after object is the before one: unchanged, same key.
        same = list(itertools.compress(every, map(int(Status.SAME).__eq__, status)))
        before_keys = map(diff.before.keys.__getitem__, map(diff.before_ids.__getitem__, same))
        after_keys = map(diff.after.keys.__getitem__, map(diff.after_ids.__getitem__, same))
        reused = set(itertools.compress(same, map(operator.eq, before_keys, after_keys)))
        others = list(
            itertools.compress(every, map(operator.not_, map(reused.__contains__, every)))
        )
        after = list(before)
        deltas = [_ZERO_DELTA] * len(diff)
        _set(after, others, _side_objects(diff, True, encoded, others))
        _set(deltas, others, _delta_objects(diff, others))
        words = [f'"{s.word}"' for s in Status]
        statuses = list(map(words.__getitem__, status))
        names = [_encode(encoded, diff.key(row)[2]) for row in every]
        template = '{{"name": {}, "status": {}, "before": {}, "after": {}, "delta": {}}}'.format
        for start in range(0, len(rows), 8192):
            chosen = rows[start : start + 8192]
            pick = [
                map(column.__getitem__, chosen)
                for column in (names, statuses, before, after, deltas)
            ]
            if start:
                out.write(", ")
            out.write(", ".join(map(template, *pick)))
        out.write("]}\n")


def _set(target: list[str], rows: Sequence[int], values: Sequence[str]) -> None:
    collections.deque(map(target.__setitem__, rows, values), maxlen=0)


def _encode(encoded: dict[str, str], text: str) -> str:
    found = encoded.get(text)
    if found is None:
        found = encoded[text] = json.dumps(text)
    return found


def _side_objects(
    diff: ProfileDiff, after: bool, encoded: dict[str, str], rows: Sequence[int]
) -> list[str]:
    """For the given rows, one side's JSON object (``null`` where the function is absent)."""
    profile = diff.after if after else diff.before
    ids = diff.after_ids if after else diff.before_ids
    tottime, cumtime = (profile.tottime, profile.cumtime) if after else diff.before_times()
    present = list(map(NONE.__ne__, map(ids.__getitem__, rows)))
    fids = list(itertools.compress(map(ids.__getitem__, rows), present))
    keys = list(map(profile.keys.__getitem__, fids))
    template = (
        '{{"file": {}, "line": {}, "ncalls": {}, "primitive_calls": {}, '
        '"tottime": {!r}, "cumtime": {!r}}}'
    ).format
    objects = map(
        template,
        [_encode(encoded, key[0]) for key in keys],
        map(itemgetter(1), keys),
        map(profile.ncalls.__getitem__, fids),
        map(profile.primitive_calls.__getitem__, fids),
        map(tottime.__getitem__, fids),
        map(cumtime.__getitem__, fids),
    )
    out = ["null"] * len(rows)
    _set(out, list(itertools.compress(range(len(rows)), present)), list(objects))
    return out


def _delta_objects(diff: ProfileDiff, rows: Sequence[int]) -> list[str]:
    template = '{{"ncalls": {}, "tottime": {!r}, "cumtime": {!r}}}'.format
    columns = [diff.column(m, Side.DELTA) for m in Measure]
    return list(
        map(
            template,
            map(int, map(columns[0].__getitem__, rows)),
            map(columns[1].__getitem__, rows),
            map(columns[2].__getitem__, rows),
        )
    )
