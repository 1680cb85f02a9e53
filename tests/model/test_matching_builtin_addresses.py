"""Built-ins whose cProfile name holds an object's address, which changes every run."""

from __future__ import annotations

import textwrap

import pytest

from tests.model.diff_support import cprofile_program
from tests.model.test_matching import _keys_profile
from tuiprof.model.diff import ProfileDiff, Status, diff_profiles
from tuiprof.model.loaders import load_profile
from tuiprof.model.matching import NONE, match_profiles
from tuiprof.model.profile import Profile

MAKER = textwrap.dedent(
    """\
    import collections


    class Pair(tuple):
        pass


    class Count(int):
        pass


    class Made:
        def __new__(cls):
            return super().__new__(cls)


    Point = collections.namedtuple("Point", "x y")


    def make(n):
        out = []
        for i in range(n):
            out.append((Pair((i, i)), Count(i), Made(), Point(i, i)))
        return out


    make(200)
    """
)

NEW = "<built-in method __new__ of type object at 0x{}>"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Profile, Profile]:
    """The same script profiled twice, each run in a fresh interpreter."""
    folder = tmp_path_factory.mktemp("addresses")
    script = folder / "maker.py"
    script.write_text(MAKER, encoding="utf-8")
    first = load_profile([str(cprofile_program(script, folder / "first.prof"))])
    second = load_profile([str(cprofile_program(script, folder / "second.prof"))])
    return first, second


def _addressed(profile: Profile) -> list[str]:
    return [key[2] for key in profile.keys if key[0] == "~" and " at 0x" in key[2]]


def _rows(diff: ProfileDiff, text: str) -> list[tuple[str, Status]]:
    status = diff.status()
    names = [diff.key(row)[2] for row in range(len(diff))]
    return [(name, Status(status[row])) for row, name in enumerate(names) if text in name]


def test_two_runs_of_one_script_match_their_built_in_new(runs: tuple[Profile, Profile]) -> None:
    first, second = runs
    if not _addressed(first):
        pytest.skip("this Python names no built-in with an address")
    diff = diff_profiles(first, second)
    rows = _rows(diff, "__new__")
    assert rows and all(status not in (Status.NEW, Status.REMOVED) for _, status in rows)
    assert diff.blocks[1:] == (0, 0)  # nothing new, nothing gone
    # the row reads as the after run recorded it; both sides' edges join on it
    (row,) = (r for r in range(len(diff)) if " at 0x" in diff.key(r)[2])
    assert diff.key(row) == second.keys[diff.after_ids[row]]
    callers = diff.callers(row)
    assert callers and all(e.before is not None and e.after is not None for e in callers)


def test_a_rerun_with_a_moved_address_is_listed_as_rekeyed(runs: tuple[Profile, Profile]) -> None:
    first, second = runs
    names = _addressed(first)
    if not names or names == _addressed(second):
        pytest.skip("no address, or the same address in both runs")
    matching = match_profiles(first, second)
    assert [b for b in matching.rekeyed if first.keys[b][2] in names] == [
        first.keys.index(("~", 0, name)) for name in names
    ]


def _builtins(*names: str) -> Profile:
    return _keys_profile([("~", 0, name) for name in names])


def test_a_unique_name_but_for_its_address_pairs() -> None:
    before = _builtins(NEW.format("7f19a7a5ea00"), "<method 'append' of 'list' objects>")
    after = _builtins("<method 'append' of 'list' objects>", NEW.format("7f6be4e5ea00"))
    matching = match_profiles(before, after)
    assert matching.after_of == [1, 0]
    assert matching.rekeyed == [0]  # the key changed: its after side is written anew


def test_every_address_in_a_name_is_ignored() -> None:
    before = _builtins("<built-in method m of A object at 0x1 from B at 0xAB>")
    after = _builtins("<built-in method m of A object at 0x2 from B at 0xcd>")
    assert match_profiles(before, after).after_of == [0]


def test_only_the_address_may_differ() -> None:
    before = _builtins("<built-in method m of Box object at 0x1>", NEW.format("1"))
    after = _builtins("<built-in method m of Bag object at 0x2>", NEW.format("1") + "!")
    assert match_profiles(before, after).after_of == [NONE, NONE]


@pytest.mark.parametrize(
    ("before", "after", "after_of"),
    [
        # two functions on one side, one on the other: no guess, none merged
        (["1", "2"], ["3"], [NONE, NONE]),
        (["3"], ["1", "2"], [NONE]),
        # two on each side: their addresses say nothing about which is which
        (["1", "2"], ["3", "4"], [NONE, NONE]),
        # an exactly equal name still pairs; the other is gone
        (["1", "2"], ["2", "5"], [NONE, 0]),
        (["1", "2"], ["2", "1"], [1, 0]),
    ],
)
def test_names_equal_but_for_the_address_on_one_side_stay_apart(
    before: list[str], after: list[str], after_of: list[int]
) -> None:
    b = _builtins(*(NEW.format(x) for x in before))
    a = _builtins(*(NEW.format(x) for x in after))
    matching = match_profiles(b, a)
    assert matching.after_of == after_of
    diff = ProfileDiff(b, a, matching)
    # every function of both sides is one row: none merged into another, none lost
    assert sorted(diff.before_ids[: sum(diff.blocks[:2])]) == list(range(len(before)))
    assert sorted(i for i in diff.after_ids if i != NONE) == list(range(len(after)))
    assert len(diff) == len(before) + len(after) - sum(x != NONE for x in after_of)


def test_a_unique_one_pairs_beside_an_ambiguous_pair() -> None:
    before = _builtins(NEW.format("1"), NEW.format("2"), "<built-in method f of X object at 0x9>")
    after = _builtins("<built-in method f of X object at 0x8>", NEW.format("3"))
    assert match_profiles(before, after).after_of == [NONE, NONE, 0]


def test_functions_in_files_keep_their_exact_names() -> None:
    keys_before = [("/a.py", 3, "<lambda>"), ("/a.py", 9, "<genexpr>"), ("/a.py", 20, "f at 0x1")]
    keys_after = [("/a.py", 4, "<lambda>"), ("/a.py", 10, "<genexpr>"), ("/a.py", 21, "f at 0x2")]
    before, after = _keys_profile(keys_before), _keys_profile(keys_after)
    assert match_profiles(before, after).after_of == [0, 1, NONE]
