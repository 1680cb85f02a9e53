"""The diff screen's state: a session per run, a diff row named by (session, function)."""

from __future__ import annotations

import pytest

from tests.model.diff_support import REPORT_AFTER, profiled_change
from tuiprof.model.diff import ProfileDiff, Status, diff_profiles
from tuiprof.model.diff_session import DiffSession
from tuiprof.model.loaders import load_profile
from tuiprof.model.matching import NONE
from tuiprof.model.profile import Profile
from tuiprof.model.session import Session


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Profile, Profile]:
    # A function of the program's own is new after the change, on every Python
    # (list.append, new in the change, is also called by 3.13's import machinery).
    source = REPORT_AFTER.replace('return "".join(self.parts)', "return joined(self.parts)")
    source += '\n\ndef joined(parts):\n    return "".join(parts)\n'
    before, after = profiled_change(tmp_path_factory.mktemp("change"), after=source)
    return load_profile([str(before)]), load_profile([str(after)])


@pytest.fixture(scope="module", params=["forward", "reversed"])
def diff(runs: tuple[Profile, Profile], request: pytest.FixtureRequest) -> ProfileDiff:
    """The change (a function is new), and the change undone (a function is removed)."""
    before, after = runs if request.param == "forward" else runs[::-1]
    return diff_profiles(before, after)


def test_every_row_reads_back_from_its_session_and_function(diff: ProfileDiff) -> None:
    state = DiffSession(diff)
    statuses = diff.status()
    seen = set()
    for row in range(len(diff)):
        session, fid = state.function_of(row)
        if diff.after_ids[row] != NONE:
            assert session is state.after and fid == diff.after_ids[row]
        else:
            assert Status(statuses[row]) is Status.REMOVED
            assert session is state.before and fid == diff.before_ids[row]
        assert state.row_of(session, fid) == row
        seen.add((id(session), fid))
    assert len(seen) == len(diff)
    assert {Status(s) for s in statuses} & {Status.NEW, Status.REMOVED}
    # a function of a third session, or a number out of range, is no row
    other = Session(diff.after)
    assert state.row_of(other, 0) is None
    assert state.row_of(state.after, len(diff.after)) is None


def test_select_go_to_back_and_forward(diff: ProfileDiff) -> None:
    state = DiffSession(diff)
    assert state.selected is None and not state.back() and not state.forward()
    one_side = next(r for r in range(len(diff)) if NONE in (diff.before_ids[r], diff.after_ids[r]))
    kept = next(r for r in range(len(diff)) if NONE not in (diff.before_ids[r], diff.after_ids[r]))
    state.select(kept)
    assert state.selected == kept and state.history.current is None
    assert state.before.selected == diff.before_ids[kept]
    assert state.after.selected == diff.after_ids[kept]
    assert state.go_to(kept) and state.go_to(one_side)
    for session, ids in ((state.before, diff.before_ids), (state.after, diff.after_ids)):
        assert session.selected == (None if ids[one_side] == NONE else ids[one_side])
    assert state.back() and state.selected == kept
    assert not state.back()
    assert state.forward() and state.selected == one_side
    assert not state.go_to(None) and not state.go_to(len(diff))
    state.select(len(diff))
    assert state.selected is None and state.before.selected is None


def test_finders_are_each_sessions(diff: ProfileDiff) -> None:
    state = DiffSession(diff)
    assert state.finders == (state.before.source_finder, state.after.source_finder)
