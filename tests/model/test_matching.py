"""Matching functions across versions, on profiles of edited sources."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.model.diff_support import cprofile_program, write_program
from tuiprof.model.loaders import load_profile
from tuiprof.model.matching import (
    NONE,
    Matching,
    align_by_line,
    map_path,
    match_profiles,
    suffix_file_map,
)
from tuiprof.model.profile import Profile

SHAPES = textwrap.dedent(
    """\
    class Square:
        def __init__(self, side):
            self.side = side

        def area(self):
            return self.side * self.side


    class Circle:
        def __init__(self, r):
            self.r = r

        def area(self):
            return 3.14159 * self.r * self.r


    def tiny(x):
        return x + 1


    def work(n):
        total = 0
        for i in range(n):
            total += tiny(i)
        return total


    def build_report(rows):
        shapes = [Square(i) for i in range(rows)] + [Circle(i) for i in range(rows)]
        return str(sum(s.area() for s in shapes) + work(rows))


    def checksum(n):
        return n
    """
)


def _profile(folder: Path, source: str) -> Profile:
    script = write_program(folder, source)
    return load_profile([str(cprofile_program(script, folder / "out.prof"))])


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    return _profile(tmp_path_factory.mktemp("before"), SHAPES)


def _report_functions(profile: Profile) -> dict[int, tuple[str, int]]:
    return {
        fid: (key[2], key[1])
        for fid, key in enumerate(profile.keys)
        if key[0].endswith("report.py")
    }


def _pairs(
    matching: Matching, before: Profile, after: Profile
) -> set[tuple[tuple[str, int], tuple[str, int] | None]]:
    """(name, line) before -> (name, line) after, for the edited module's functions."""
    out: set[tuple[tuple[str, int], tuple[str, int] | None]] = set()
    for fid, where in _report_functions(before).items():
        other = matching.after_of[fid]
        out.add((where, None if other == NONE else (after.keys[other][2], after.keys[other][1])))
    return out


def _new(matching: Matching, after: Profile) -> set[str]:
    return {
        after.keys[fid][2] for fid in _report_functions(after) if matching.before_of[fid] == NONE
    }


def test_lines_inserted_above_functions_keep_them_matched(before: Profile, tmp_path: Path) -> None:
    after = _profile(tmp_path, "# a comment\n" * 7 + SHAPES)
    matching = match_profiles(before, after)
    pairs = _pairs(matching, before, after)
    moved = [(src, dest) for src, dest in pairs if src[0] != "<module>"]  # a module starts at 1
    assert moved and all(dest == (src[0], src[1] + 7) for src, dest in moved)
    # both __init__ and both area are there, each paired in order
    assert sum(1 for src, _ in pairs if src[0] == "__init__") == 2
    assert _new(matching, after) == set()


def test_a_renamed_function_is_removed_plus_new(before: Profile, tmp_path: Path) -> None:
    after = _profile(tmp_path, SHAPES.replace("tiny", "small"))
    matching = match_profiles(before, after)
    pairs = dict(_pairs(matching, before, after))
    tiny = next(src for src in pairs if src[0] == "tiny")
    assert pairs[tiny] is None
    assert _new(matching, after) == {"small"}


def test_a_function_split_in_two_keeps_its_name_and_adds_one(
    before: Profile, tmp_path: Path
) -> None:
    split = SHAPES.replace(
        "    total = 0\n    for i in range(n):\n        total += tiny(i)\n    return total\n",
        "    return work_sum(n)\n\n\ndef work_sum(n):\n"
        "    total = 0\n    for i in range(n):\n        total += tiny(i)\n    return total\n",
    )
    assert split != SHAPES
    after = _profile(tmp_path, split)
    matching = match_profiles(before, after)
    pairs = dict(_pairs(matching, before, after))
    work = next(src for src in pairs if src[0] == "work")
    assert pairs[work] == ("work", work[1])
    assert _new(matching, after) == {"work_sum"}


def test_a_new_function_of_a_known_name_pairs_by_nearest_line(
    before: Profile, tmp_path: Path
) -> None:
    extra = SHAPES + textwrap.dedent(
        """\


        class Hexagon:
            def __init__(self, side):
                self.side = side
        """
    )
    after = _profile(tmp_path, extra.replace("return str(sum(", "Hexagon(1)\n    return str(sum("))
    matching = match_profiles(before, after)
    pairs = _pairs(matching, before, after)
    inits = sorted(dest for src, dest in pairs if src[0] == "__init__")  # type: ignore[type-var]
    before_inits = sorted(src for src, _ in pairs if src[0] == "__init__")
    assert inits == before_inits  # Square's and Circle's, not Hexagon's
    assert _new(matching, after) == {"__init__", "Hexagon"}  # its __init__ and class body


def test_a_function_moved_to_another_file_is_removed_plus_new(tmp_path: Path) -> None:
    before = Profile(
        keys=[("/src/a.py", 1, "f"), ("/src/a.py", 9, "g")],
        primitive_calls=[1, 1], ncalls=[1, 1], tottime=[1.0, 1.0], cumtime=[1.0, 1.0],
        callers_raw=[{}, {}], total_time=2.0, total_calls=2, total_primitive_calls=2, files=("x",),
    )  # fmt: skip
    after = Profile(
        keys=[("/src/a.py", 1, "f"), ("/src/b.py", 1, "g")],
        primitive_calls=[1, 1], ncalls=[1, 1], tottime=[1.0, 1.0], cumtime=[1.0, 1.0],
        callers_raw=[{}, {}], total_time=2.0, total_calls=2, total_primitive_calls=2, files=("y",),
    )  # fmt: skip
    matching = match_profiles(before, after)
    assert matching.after_of == [0, NONE]
    assert matching.before_of == [0, NONE]


def _keys_profile(keys: list[tuple[str, int, str]]) -> Profile:
    n = len(keys)
    return Profile(
        keys=keys, primitive_calls=[1] * n, ncalls=[1] * n, tottime=[1.0] * n, cumtime=[1.0] * n,
        callers_raw=[{} for _ in keys], total_time=float(n), total_calls=n,
        total_primitive_calls=n, files=("x",),
    )  # fmt: skip


def test_checkouts_match_by_their_longest_common_suffix() -> None:
    before = _keys_profile(
        [("/home/ann/proj/src/app/io.py", 3, "read"), ("/home/ann/proj/src/app/util.py", 3, "f")]
    )
    after = _keys_profile(
        [("/srv/ci/build/src/app/io.py", 5, "read"), ("/srv/ci/build/src/app/util.py", 3, "f")]
    )
    matching = match_profiles(before, after)
    assert matching.after_of == [0, 1]
    assert matching.file_map == {
        "/home/ann/proj/src/app/io.py": "/srv/ci/build/src/app/io.py",
        "/home/ann/proj/src/app/util.py": "/srv/ci/build/src/app/util.py",
    }


def test_an_ambiguous_suffix_matches_nothing() -> None:
    # Two after files end in app/io.py as far as the before file goes: no guess.
    before = [("/a/app/io.py", 1, "read")]
    after = [("/b/one/app/io.py", 1, "read"), ("/b/two/app/io.py", 1, "read")]
    assert match_profiles(_keys_profile(before), _keys_profile(after)).after_of == [NONE]
    # and the longer suffix wins when it is unique
    assert suffix_file_map(["/x/pkg/app/io.py"], ["/y/pkg/app/io.py", "/y/other/app/io.py"]) == {
        "/x/pkg/app/io.py": "/y/pkg/app/io.py"
    }


def test_path_map_rewrites_the_before_side() -> None:
    before = _keys_profile([("/old/app/io.py", 1, "read"), ("/old/lib/io.py", 1, "read")])
    after = _keys_profile([("/new/app/io.py", 1, "read"), ("/new/lib/io.py", 1, "read")])
    assert match_profiles(before, after).after_of == [0, 1]  # by suffix
    mapped = match_profiles(before, after, [("/old/app", "/new/lib"), ("/old/lib", "/new/app")])
    assert mapped.after_of == [1, 0]  # the map wins over the suffix
    assert map_path("/old/appendix.py", [("/old/app", "/x")]) == "/old/appendix.py"


def test_real_checkouts_in_two_folders_match(before: Profile, tmp_path: Path) -> None:
    after = _profile(tmp_path / "elsewhere" / "checkout", SHAPES)
    matching = match_profiles(before, after)
    assert all(dest is not None for _, dest in _pairs(matching, before, after))


@pytest.mark.parametrize(
    ("before", "after", "pairs"),
    [
        ([10, 50], [17, 57], [(0, 0), (1, 1)]),  # same count: by order
        ([10, 50], [10, 30, 50], [(0, 0), (1, 2)]),  # one new in between: nearest
        ([10, 30, 50], [12, 52], [(0, 0), (2, 1)]),  # one removed
        ([50, 10], [11, 49], [(1, 0), (0, 1)]),  # given out of line order
        ([], [3], []),
    ],
)
def test_align_by_line(before: list[int], after: list[int], pairs: list[tuple[int, int]]) -> None:
    assert sorted(align_by_line(before, after)) == sorted(pairs)


def test_a_shift_that_lands_on_another_function_s_line_still_pairs_in_order() -> None:
    # Ten lines inserted above two lambdas ten lines apart: the first now sits
    # where the second was. Keys alone would pair the wrong two.
    before = _keys_profile([("/a.py", 10, "<lambda>"), ("/a.py", 20, "<lambda>")])
    after = _keys_profile([("/a.py", 20, "<lambda>"), ("/a.py", 30, "<lambda>")])
    assert match_profiles(before, after).after_of == [0, 1]


def test_pairs_of_different_keys_are_listed(before: Profile, tmp_path: Path) -> None:
    """The JSON writes an unchanged function once for both sides unless its key changed."""
    after = _profile(tmp_path, SHAPES.replace("def checksum", "\n\ndef checksum"))
    matching = match_profiles(before, after)
    matched = [(b, a) for b, a in enumerate(matching.after_of) if a != NONE]
    differ = [b for b, a in matched if before.keys[b] != after.keys[a]]
    assert matching.rekeyed == differ
    lines = {
        before.keys[b][2]: after.keys[matching.after_of[b]][1] - before.keys[b][1] for b in differ
    }
    assert lines["checksum"] == 2 and lines["tiny"] == 0  # another folder: every file differs
    assert not match_profiles(before, before).rekeyed
