"""The diff table's shortcuts give the rows a plain sort and scan would give.

Delta columns sort only the rows that changed, a filter with few rows left
sorts those rows instead of scanning the order, and the JSON writes the
object of an unchanged function once for both sides. Each is checked here
against the plain computation, on pstats files written by hand with many
ties: unchanged functions, changes of calls only, functions that moved a
line down with the same figures, new and removed ones.
"""

from __future__ import annotations

import io
import json
import marshal
import random
import re
from typing import Any

import pytest

from tuiprof.diff_json import write_diff_json
from tuiprof.model.diff import Measure, ProfileDiff, Side, diff_profiles
from tuiprof.model.diff_table import NAME, DiffColumn, DiffTableModel
from tuiprof.model.loaders import load_profile
from tuiprof.model.names import search_text
from tuiprof.model.table import compile_terms, function_kind

Key = tuple[str, int, str]


def _stats(rng: random.Random) -> tuple[dict[Key, Any], dict[Key, Any]]:
    before: dict[Key, Any] = {}
    after: dict[Key, Any] = {}
    files = ["/app/shop/cart.py", "/app/shop/order.py", "/usr/lib/python3.12/json/decoder.py", "~"]
    for i in range(400):
        file = files[(i // 3) % len(files)]
        line = 0 if file == "~" else 10 * i + 1
        name = f"<built-in method f{i}>" if file == "~" else ("run", "load", "save")[i % 3] + str(i)
        calls = rng.choice((1, 2, 3))
        tt = rng.choice((0.001, 0.002, 0.5))
        figures: tuple[int, int, float, float, dict[Key, Any]] = (calls, calls, tt, tt * 2, {})
        kind = i % 8
        if kind == 0:  # removed
            before[(file, line, name)] = figures
        elif kind == 1:  # new
            after[(file, line, name)] = figures
        elif kind == 2:  # more calls, same times: a changed row with zero time deltas
            before[(file, line, name)] = figures
            after[(file, line, name)] = (calls + 1, calls + 1, tt, tt * 2, {})
        elif kind == 3 and file != "~":  # moved one line down, same figures
            before[(file, line, name)] = figures
            after[(file, line + 1, name)] = figures
        elif kind == 4:  # slower or faster, with ties among the deltas
            before[(file, line, name)] = figures
            factor = rng.choice((0.5, 2.0))
            after[(file, line, name)] = (calls, calls, tt * factor, tt * 2 * factor, {})
        else:  # unchanged
            before[(file, line, name)] = figures
            after[(file, line, name)] = figures
    return before, after


@pytest.fixture(scope="module")
def diff(tmp_path_factory: pytest.TempPathFactory) -> ProfileDiff:
    folder = tmp_path_factory.mktemp("order")
    paths = []
    for name, stats in zip(("before.prof", "after.prof"), _stats(random.Random(7)), strict=True):
        path = folder / name
        path.write_bytes(marshal.dumps(stats))
        paths.append(path)
    return diff_profiles(load_profile([str(paths[0])]), load_profile([str(paths[1])]))


COLUMNS: list[DiffColumn] = [NAME] + [(m, s) for m in Measure for s in Side]


@pytest.mark.parametrize("column", COLUMNS, ids=str)
def test_every_order_is_the_stable_sort_of_every_row(diff: ProfileDiff, column: DiffColumn) -> None:
    if column == NAME:
        names = [diff.key(row)[2].lower() for row in range(len(diff))]
        expected = sorted(range(len(diff)), key=names.__getitem__)
    else:
        assert isinstance(column, tuple)
        values = diff.column(*column)
        expected = sorted(range(len(diff)), key=values.__getitem__, reverse=True)
    assert DiffTableModel(diff).order(column) == expected


def test_the_delta_order_has_ties_and_zeros_to_place(diff: ProfileDiff) -> None:
    # What the test above relies on to mean something.
    delta = diff.column(Measure.TOTTIME, Side.DELTA)
    changed = [row for row in range(len(diff)) if diff.status()[row]]
    assert any(delta[row] == 0 for row in changed)  # calls changed, times not
    assert len({delta[row] for row in changed}) < len(changed)  # ties


def _plain_rows(diff: ProfileDiff, model: DiffTableModel, hidden: int) -> list[int]:
    q = model.query
    order = model.order(q.sort)
    if q.reverse:
        order = order[::-1]
    matchers = compile_terms(q.filter_text)
    return [
        row
        for row in order
        if all(m(search_text(diff.key(row))) for m in matchers)
        and not function_kind(diff.key(row)) & hidden
    ]


@pytest.mark.parametrize("text", ["", "run", "run1", "save39", "cart order", "^load", "decoder"])
@pytest.mark.parametrize(
    "column", [NAME, (Measure.TOTTIME, Side.DELTA), (Measure.NCALLS, Side.AFTER)], ids=str
)
@pytest.mark.parametrize("reverse", [False, True])
def test_filtered_rows_are_the_order_s_rows_that_match(
    diff: ProfileDiff, text: str, column: DiffColumn, reverse: bool
) -> None:
    from tuiprof.model.table import BUILTIN

    for hide_builtins in (False, True):
        model = DiffTableModel(diff)
        model.query.sort, model.query.reverse = column, reverse
        model.set_filter(text)
        model.set_hidden(builtins=hide_builtins)
        assert list(model.rows) == _plain_rows(diff, model, BUILTIN if hide_builtins else 0)


def test_typing_narrows_to_the_same_rows_as_a_fresh_filter(diff: ProfileDiff) -> None:
    typed = DiffTableModel(diff)
    for end in range(1, len("save39") + 1):
        typed.set_filter("save39"[:end])
        fresh = DiffTableModel(diff)
        fresh.set_filter("save39"[:end])
        assert list(typed.rows) == list(fresh.rows)
    assert 0 < len(typed.rows) < len(diff) // 64  # the few-rows path


def test_json_sides_are_each_profile_s_own(diff: ProfileDiff) -> None:
    out = io.StringIO()
    write_diff_json(diff, DiffTableModel(diff).rows, out)
    document = json.loads(out.getvalue())
    sides = {
        "before": {key: stat for key, stat in _stats(random.Random(7))[0].items()},
        "after": {key: stat for key, stat in _stats(random.Random(7))[1].items()},
    }
    moved_same = 0
    for entry in document["functions"]:
        for side in ("before", "after"):
            figures = entry[side]
            if figures is None:
                continue
            cc, nc, tt, ct, _ = sides[side][(figures["file"], figures["line"], entry["name"])]
            assert (figures["ncalls"], figures["primitive_calls"]) == (nc, cc)
            assert (figures["tottime"], figures["cumtime"]) == (tt, ct)
        if entry["status"] == "same" and entry["before"]["line"] != entry["after"]["line"]:
            moved_same += 1
            assert entry["delta"] == {"ncalls": 0, "tottime": 0.0, "cumtime": 0.0}
    assert moved_same > 10
    assert len(document["functions"]) == len(diff)
    assert re.search(r'"status": "new", "before": null', out.getvalue())


@pytest.mark.parametrize("column", COLUMNS[1:], ids=str)
def test_values_of_some_rows_are_the_column_s(diff: ProfileDiff, column: DiffColumn) -> None:
    assert isinstance(column, tuple)
    fresh = diff_profiles(diff.before, diff.after)  # nothing cached yet
    rows = list(range(0, len(fresh), 3))
    values = fresh.values(*column, rows)
    assert (column, fresh._columns) == (column, {})  # made without the whole column
    assert values == [diff.column(*column)[row] for row in rows]
