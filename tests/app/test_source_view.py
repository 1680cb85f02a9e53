"""The source view widget: line timings, messages, encodings and every binding."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from tuiprof.model.loaders import load_profile
from tuiprof.model.profile import FunctionLines, LineTiming, Profile
from tuiprof.model.session import Session
from tuiprof.model.source import SourceFinder
from tuiprof.views.source_gutter import (
    FULL_GUTTER,
    MIN_CODE,
    gutter_for,
    gutter_size,
    heat_bar,
    timing_cells,
)
from tuiprof.views.source_view import SourceView

DEMO = '''\
"""A demo module."""

import math


def slow(n):
    """Sum square roots."""
    total = 0.0
    for i in range(n):
        total += math.sqrt(i)
    if n < 0:
        raise ValueError(n)
    return total


def main():
    return slow(1000)
'''

SLOW = ("demo.py", 6, "slow")
MAIN = ("demo.py", 16, "main")
SQRT = ("~", 0, "<built-in method math.sqrt>")
GONE = ("/build/ci/demo/missing.py", 3, "vanished")


def write_profile(folder: Path, extra: dict[Any, Any] | None = None) -> Profile:
    """A profile of demo.py (recorded relative, found next to the profile) with line data."""
    (folder / "demo.py").write_text(DEMO, encoding="utf-8")
    stats: dict[Any, Any] = {
        MAIN: (1, 1, 0.0, 0.5, {}),
        SLOW: (1, 1, 0.3, 0.5, {MAIN: (1, 1, 0.3, 0.5)}),
        SQRT: (1000, 1000, 0.2, 0.2, {SLOW: (1000, 1000, 0.2, 0.2)}),
        GONE: (1, 1, 0.0, 0.0, {}),
        **(extra or {}),
    }
    path = folder / "demo.prof"
    path.write_bytes(marshal.dumps(stats))
    profile = load_profile([str(path)])
    timings = (
        LineTiming(8, 1, 0.000001),
        LineTiming(9, 1001, 0.1),
        LineTiming(10, 1000, 0.3),
        LineTiming(11, 1, 0.000001),
        LineTiming(13, 1, 0.000002),
    )
    profile.lines[profile.find(SLOW)] = FunctionLines("demo.py", 6, "slow", timings)
    return profile


class SourceApp(App[None]):
    def __init__(self, profile: Profile, finder: SourceFinder) -> None:
        super().__init__()
        self.profile = profile
        self.finder = finder

    def compose(self) -> ComposeResult:
        yield SourceView(Session(self.profile, source_finder=self.finder))


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return write_profile(tmp_path)


def screen_text(view: SourceView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


async def test_line_timings_and_the_functions_total(profile: Profile) -> None:
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(SLOW))
        await pilot.pause()
        assert view.span == (6, 13)
        assert view.has_line_data and view.header_height == 2
        text = screen_text(view)
        assert text[0].startswith(" slow  demo.py:6") and "total 400.0ms in 2004 hits" in text[0]
        assert "per hit" in text[1]
        row = next(line for line in text if "total += math.sqrt(i)" in line)
        assert "1000" in row and "300.0ms" in row and "0.300ms" not in row and "75.0%" in row
        assert "██████" in row  # the slowest line has the full bar


async def test_a_narrow_view_drops_timing_columns_to_show_the_code(profile: Profile) -> None:
    """At 40 columns the heat bar, per hit and %func give way; time and the code stay,
    and the columns come back when the view is wide again."""
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(SLOW))
        await pilot.pause()
        text = screen_text(view)
        assert "per hit" not in text[1] and "time" in text[1] and "source" in text[1]
        row = next(line for line in text if "total += math" in line)
        assert "300.0ms" in row
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.pause()
        text = screen_text(view)
        assert "per hit" in text[1] and "heat" in text[1]
        assert "total += math.sqrt(i)" in next(line for line in text if "300.0ms" in line)


def test_the_gutter_leaves_the_code_room() -> None:
    assert gutter_for(200) == FULL_GUTTER
    for width in range(20, 200):
        columns, heat = gutter_for(width)
        assert 1 in columns  # the time stays
        if (columns, heat) != ((1,), False):  # the least there is
            assert width - gutter_size((columns, heat)) >= MIN_CODE
    assert gutter_for(40) == ((1,), False)


async def test_without_line_data_only_line_numbers(profile: Profile) -> None:
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(MAIN))
        await pilot.pause()
        assert view.span == (16, 17) and view.header_height == 1
        text = screen_text(view)
        assert "lines 16–17" in text[0]
        assert any(line.startswith("   16 def main():") for line in text)


async def test_scrolled_to_the_function(tmp_path: Path) -> None:
    long_key = ("demo.py", 200, "late")
    profile = write_profile(tmp_path, {long_key: (1, 1, 0.0, 0.0, {})})
    (tmp_path / "demo.py").write_text("x = 1\n" * 199 + "def late():\n    pass\n" + "y = 2\n" * 200)
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(long_key))
        await pilot.pause()
        assert view.scroll_y == 200 - 1 - 2
        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_y == 0
        await pilot.press("r")
        await pilot.pause()
        assert view.scroll_y == 197


async def test_builtin_says_it_has_no_source(profile: Profile) -> None:
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(SQRT))
        await pilot.pause()
        assert view.source is None
        assert "built in" in " ".join(screen_text(view))


async def test_missing_file_names_the_paths_tried(profile: Profile, tmp_path: Path) -> None:
    finder = SourceFinder(profile.files, source_roots=[str(tmp_path / "src")])
    app = SourceApp(profile, finder)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(GONE))
        await pilot.pause()
        text = "\n".join(screen_text(view))
        assert "Source file not found: /build/ci/demo/missing.py" in text
        assert str(tmp_path / "src" / "demo" / "missing.py") in text
        assert "--path-map" in text and "--source-root" in text


def with_gone_lines(profile: Profile) -> Profile:
    """Line data for the function whose file is gone."""
    timings = (LineTiming(4, 2, 0.001), LineTiming(6, 1, 0.003))
    profile.lines[profile.find(GONE)] = FunctionLines(GONE[0], 3, "vanished", timings)
    return profile


async def test_missing_file_still_shows_the_line_data(profile: Profile) -> None:
    with_gone_lines(profile)
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(GONE))
        await pilot.pause()
        text = screen_text(view)
        assert "per hit" in text[1] and "lines 3–6" in text[0]
        message = next(i for i, line in enumerate(text) if "Source file not found" in line)
        rows = {line.split()[0]: line.split("│")[0].split() for line in text if "│" in line}
        assert min(i for i, line in enumerate(text) if "│" in line) > message
        assert rows["3"] == ["3"] and rows["5"] == ["5"]
        assert rows["4"][:5] == ["4", "2", "1.000ms", "500.0µs", "25.0%"]
        assert rows["6"][:5] == ["6", "1", "3.000ms", "3.000ms", "75.0%"]
        assert "██████" in next(line for line in text if line.startswith("    6 "))


async def test_opens_at_the_slowest_line_past_a_long_docstring(tmp_path: Path) -> None:
    key = ("doc.py", 1, "documented")
    profile = write_profile(tmp_path, {key: (1, 1, 0.1, 0.1, {})})
    body = ["def documented():", '    """'] + ["    words."] * 40 + ['    """']
    body += ["    a = 1", "    b = 2", "    return a + b"]
    (tmp_path / "doc.py").write_text("\n".join(body) + "\n")
    timings = (LineTiming(44, 1, 0.001), LineTiming(45, 1, 0.05), LineTiming(46, 1, 0.002))
    profile.lines[profile.find(key)] = FunctionLines("doc.py", 1, "documented", timings)
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(key))
        await pilot.pause()
        assert any(line.startswith("   45 ") and "50.00ms" in line for line in screen_text(view))
        await pilot.press("home")
        await pilot.pause()
        assert not any(line.startswith("   45 ") for line in screen_text(view))
        view.focus()
        await pilot.press("home", "r")
        await pilot.pause()
        assert any(line.startswith("   45 ") for line in screen_text(view))


async def test_path_map_finds_the_moved_file(profile: Profile, tmp_path: Path) -> None:
    moved = tmp_path / "checkout"
    moved.mkdir()
    (moved / "missing.py").write_text("# moved\n\n\ndef vanished():\n    pass\n")
    finder = SourceFinder(profile.files, path_maps=[("/build/ci/demo", str(moved))])
    app = SourceApp(profile, finder)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(GONE))
        await pilot.pause()
        text = screen_text(view)
        assert "read from" in text[0]
        assert any("def vanished():" in line for line in text)


async def test_other_encodings_never_crash(tmp_path: Path) -> None:
    latin = ("latin.py", 2, "f")
    broken = ("broken.py", 1, "g")
    profile = write_profile(tmp_path, {latin: (1, 1, 0.0, 0.0, {}), broken: (1, 1, 0.0, 0.0, {})})
    (tmp_path / "latin.py").write_bytes(
        "# -*- coding: latin-1 -*-\ndef f():\n    return 'café'\n".encode("latin-1")
    )
    (tmp_path / "broken.py").write_bytes(b"def g():\n    return '\xff'\n")
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(latin))
        await pilot.pause()
        text = screen_text(view)
        assert "(iso-8859-1)" in text[0] and any("café" in line for line in text)
        view.show_function(profile.find(broken))
        await pilot.pause()
        text = screen_text(view)
        assert "replacement characters" in text[0]
        assert any("\ufffd" in line for line in text)


async def test_scroll_bindings(tmp_path: Path) -> None:
    wide = ("demo.py", 200, "late")
    profile = write_profile(tmp_path, {wide: (1, 1, 0.0, 0.0, {})})
    (tmp_path / "demo.py").write_text(
        "x = 1\n" * 199 + "def late():\n    return '" + "y" * 200 + "'\n" + "z = 3\n" * 200
    )
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(SourceView)
        view.focus()
        view.show_function(profile.find(wide))
        await pilot.pause()
        start = view.scroll_y
        await pilot.press("up")
        await pilot.pause()
        assert view.scroll_y == start - 1
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.scroll_y == start + 1
        await pilot.press("pageup")
        await pilot.pause()
        assert view.scroll_y < start - 10
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > start - 10
        await pilot.press("r", "right")
        await pilot.pause()
        assert view.scroll_x > 0
        row = next(line for line in screen_text(view) if line.startswith("  201 "))
        assert "return" not in row and "yyyy" in row  # the line number stays, the code moves
        await pilot.press("left")
        await pilot.pause()
        assert view.scroll_x == 0
        await pilot.press("end")
        # At once, not at the end of an animation; and the offset Textual
        # repaints on is the last one, so the last line is on screen.
        assert view.scroll_y == view.max_scroll_y == view.scroll_offset.y
        assert view.show_horizontal_scrollbar
        assert screen_text(view)[-1].startswith("  401 ")
        await pilot.press("home")
        assert view.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert view.scroll_x > 0
        assert screen_text(view)[-1].startswith("  401 ")
        await pilot.press("left")
        await pilot.pause()
        assert view.scroll_x == 0


async def test_a_long_file_is_highlighted_in_a_thread(tmp_path: Path) -> None:
    key = ("big.py", 2999, "last")
    profile = write_profile(tmp_path, {key: (1, 1, 0.0, 0.0, {})})
    (tmp_path / "big.py").write_text("x = 1\n" * 2998 + "def last():\n    pass\n")
    app = SourceApp(profile, SourceFinder(profile.files))
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(SourceView)
        view.show_function(profile.find(key))
        assert not view._code[0].spans  # plain until the thread is done
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view._code[0].spans
        assert view.span == (2999, 3000)


def test_heat_bar_and_cells() -> None:
    assert heat_bar(1.0) == "██████" and heat_bar(0.0) == "      "
    assert heat_bar(0.5, 4) == "██  " and heat_bar(1 / 16, 1) == "▏"
    assert timing_cells(None, 1.0).strip() == ""
    cells = timing_cells(LineTiming(3, 4, 0.002), 0.004).split()
    assert cells == ["4", "2.000ms", "500.0µs", "50.0%"]
    # A line that never ran has no time per hit: blank, as line_profiler prints it.
    assert timing_cells(LineTiming(3, 0, 0.0), 0.004).split() == ["0", "0", "0.00%"]
