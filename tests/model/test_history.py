"""Navigation history: visit, back, forward, trail."""

from __future__ import annotations

from tuiprof.model.history import History


def test_empty() -> None:
    history = History()
    assert history.current is None
    assert history.back() is None and history.forward() is None
    assert history.trail() == ([], -1)


def test_back_and_forward_like_a_browser() -> None:
    history = History()
    for fid in (1, 2, 3):
        assert history.visit(fid)
    assert history.back() == 2
    assert history.back() == 1
    assert history.back() is None
    assert history.current == 1
    assert history.forward() == 2
    # A new visit drops what was ahead.
    history.visit(7)
    assert history.entries == [1, 2, 7]
    assert not history.can_go_forward
    assert history.forward() is None


def test_visiting_the_current_function_is_no_step() -> None:
    history = History()
    history.visit(4)
    assert not history.visit(4)
    assert history.entries == [4]


def test_limit_forgets_the_oldest() -> None:
    history = History(limit=3)
    for fid in range(5):
        history.visit(fid)
    assert history.entries == [2, 3, 4]
    assert history.current == 4
    assert history.back() == 3


def test_trail_is_around_the_current_entry() -> None:
    history = History()
    for fid in range(10):
        history.visit(fid)
    history.back()
    history.back()  # at 7
    entries, current = history.trail(before=2, after=1)
    assert entries == [5, 6, 7, 8]
    assert entries[current] == 7


def test_clear() -> None:
    history = History()
    history.visit(1)
    history.clear()
    assert history.current is None
