"""The session: selection, history and modes of one opened profile, without a screen."""

from __future__ import annotations

import marshal
from pathlib import Path

from tuiprof.model.errors import ProfileError
from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import Profile
from tuiprof.model.session import Session

MAIN = ("/src/main.py", 1, "main")
WORK = ("/src/work.py", 5, "work")
LEN = ("~", 0, "<built-in method builtins.len>")
JSON = ("/usr/lib/python3.11/json/decoder.py", 332, "decode")


def profile(tmp_path: Path) -> Profile:
    stats = {
        MAIN: (1, 1, 0.1, 1.0, {}),
        WORK: (2, 2, 0.5, 0.8, {MAIN: (2, 2, 0.5, 0.8)}),
        LEN: (9, 9, 0.2, 0.2, {WORK: (9, 9, 0.2, 0.2)}),
        JSON: (1, 1, 0.1, 0.1, {WORK: (1, 1, 0.1, 0.1)}),
    }
    path = tmp_path / "p.prof"
    path.write_bytes(marshal.dumps(stats))
    return load_profile([str(path)])


def test_nothing_is_selected_at_first(tmp_path: Path) -> None:
    session = Session(profile(tmp_path))
    assert session.selected is None
    assert session.history.current is None
    assert not session.back() and not session.forward()


def test_select_moves_without_a_history_step_and_go_to_records_it(tmp_path: Path) -> None:
    p = profile(tmp_path)
    session = Session(p)
    main, work = p.find(MAIN), p.find(WORK)
    session.select(work)
    assert session.selected == work and session.history.entries == []
    assert session.go_to(main) and session.go_to(work)
    assert session.history.entries == [main, work]
    assert session.back() and session.selected == main
    assert session.forward() and session.selected == work
    assert not session.go_to(None) and not session.go_to(len(p))
    session.select(-1)
    assert session.selected is None


def test_two_sessions_of_one_profile_keep_their_own_state(tmp_path: Path) -> None:
    p = profile(tmp_path)
    before, after = Session(p), Session(p)
    before.go_to(p.find(MAIN))
    after.toggle_percent()
    assert after.selected is None and not before.percent and after.percent


def test_hide_toggles_flip_the_table_query(tmp_path: Path) -> None:
    p = profile(tmp_path)
    session = Session(p)
    session.toggle_hidden("builtins")
    session.toggle_hidden("stdlib")
    assert session.query.hide_builtins and session.query.hide_stdlib
    assert not session.query.hide_import_system
    assert [p.keys[fid] for fid in session.table.rows] == [WORK, MAIN]
    session.toggle_hidden("builtins")
    assert not session.query.hide_builtins


def test_warm_builds_the_call_graph_and_returns_a_bad_record(tmp_path: Path) -> None:
    p = profile(tmp_path)
    assert Session(p).warm() is None and p.call_graph_ready
    path = tmp_path / "bad.prof"
    path.write_bytes(marshal.dumps({MAIN: (1, 1, 0.1, 1.0, {("x",): 1})}))
    bad = load_profile([str(path)], check_edges=False)
    assert isinstance(Session(bad).warm(), ProfileError)


def test_count_widths_are_worked_out_once(tmp_path: Path) -> None:
    session = Session(profile(tmp_path))
    assert session.count_widths is session.count_widths
    assert session.count_widths.calls == 1


def test_the_call_tree_is_made_once_and_shared(tmp_path: Path) -> None:
    loaded = profile(tmp_path)
    session = Session(loaded)
    tree = session.call_tree
    assert session.call_tree is tree and tree.profile is loaded
    (root,) = tree.roots()
    assert loaded.keys[root.fid] == MAIN
    # One tree: the nodes the call tree view opens are the icicle's blocks' nodes.
    assert session.call_tree.children(root) is tree.children(root)
    assert Session(loaded).call_tree is not tree
