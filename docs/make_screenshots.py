"""Make the user guide's screenshots from the app itself.

Run from anywhere in a checkout::

    uv run python docs/make_screenshots.py

Each screenshot is the real ``TuiprofApp`` on a shipped sample profile, driven
headless with Textual's Pilot (the same keys a user presses) and saved as an
SVG in ``docs/screenshots/``. ``stats.txt`` there is the plain-text output of
``tuiprof stats``. The theme is fixed, the user's keymap is kept out and
cursors do not blink, so running the script twice gives the same files.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SAMPLES = "sample_profiles"
THEME = "textual-dark"
SIZE = (100, 30)
SMALL = (80, 24)

# The help screen names the keymap file; this shows it as ``~/.config/...``
# and keeps any real keymap of the person running the script out of the pictures.
os.environ["XDG_CONFIG_HOME"] = "~/.config"

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from tuiprof.app import TuiprofApp  # noqa: E402
from tuiprof.cli import main as tuiprof_main  # noqa: E402
from tuiprof.model import load_profile  # noqa: E402
from tuiprof.model.source import SourceFinder  # noqa: E402

Steps = Callable[[Pilot[int], TuiprofApp], Awaitable[None]]


def sample(name: str) -> str:
    """A sample profile's path, relative to the checkout (as a user would type it)."""
    return f"{SAMPLES}/{name}"


async def settle(pilot: Pilot[int]) -> None:
    """Let every message, refresh and animation finish; stop cursors blinking."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


async def press(pilot: Pilot[int], *keys: str) -> None:
    """Press keys one at a time, letting the app catch up after each."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def type_text(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


async def shoot(
    name: str,
    files: Sequence[str],
    steps: Steps,
    size: tuple[int, int] = SIZE,
    title: str | None = None,
) -> Path:
    """Open ``files`` in the app, run ``steps``, save ``docs/screenshots/NAME.svg``."""
    profile = load_profile(files)
    app = TuiprofApp(profile, source_finder=SourceFinder(files))
    async with app.run_test(size=size) as pilot:
        app.theme = THEME
        await settle(pilot)
        await steps(pilot, app)
        await settle(pilot)
        svg = app.export_screenshot(title=title or f"tuiprof {' '.join(files)}")
    path = OUT / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


# The screens -----------------------------------------------------------------------


async def main_screen(pilot: Pilot[int], app: TuiprofApp) -> None:
    """As it opens: sorted by tottime, the cursor on the top function."""


async def sorted_filtered(pilot: Pilot[int], app: TuiprofApp) -> None:
    """Sorted by cumtime (4), filtered on 'series' (/ series enter)."""
    await press(pilot, "4", "slash")
    await type_text(pilot, "series")
    await press(pilot, "enter")


async def percentages(pilot: Pilot[int], app: TuiprofApp) -> None:
    """Times as percentages of the total (%)."""
    await press(pilot, "percent_sign")


async def callers(pilot: Pilot[int], app: TuiprofApp) -> None:
    """evolve -> step -> forces through the callees, then one step back."""
    # exec, <module>, main, then evolve: its callers and callees
    await press(pilot, "4", "home", "down", "down", "down", "enter")
    await press(pilot, "tab", "enter")  # its top callee: step
    await press(pilot, "enter")  # step's top callee: forces
    await press(pilot, "backspace")  # back to step; forward would lead to forces


async def call_tree(pilot: Pilot[int], app: TuiprofApp) -> None:
    """The tree, the hot path opened from the root (h), its last node opened (right)."""
    await press(pilot, "t", "h", "right")


async def icicle(pilot: Pilot[int], app: TuiprofApp) -> None:
    """The icicle (g) of exp_series (after sorting by cumtime the cursor stays on
    factorial; down goes to exp_series), zoomed out three levels (backspace), the
    cursor on exp_series (home, down)."""
    await press(pilot, "4", "down", "g", "backspace", "backspace", "backspace")
    await press(pilot, "home", "down", "down", "down")


async def source(pilot: Pilot[int], app: TuiprofApp) -> None:
    """The source of the top function (forces), with line_profiler's timings."""
    await press(pilot, "s")


async def help_screen(pilot: Pilot[int], app: TuiprofApp) -> None:
    await press(pilot, "question_mark")


async def export_dialog(pilot: Pilot[int], app: TuiprofApp) -> None:
    """The export dialog, opened on a filtered table (all three scopes offered)."""
    await press(pilot, "slash")
    await type_text(pilot, "series")
    await press(pilot, "enter", "e")


@contextlib.contextmanager
def working_folder(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


async def missing_source() -> Path:
    """A profile copied to another folder without its source: the lookup message."""
    folder = Path(tempfile.gettempdir()) / "ci-profiles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        shutil.copy(ROOT / SAMPLES / "bottlenecks.prof", folder / "bottlenecks.prof")
        with working_folder(folder):
            return await shoot(
                "source-missing",
                ["bottlenecks.prof"],
                source,
                title="tuiprof bottlenecks.prof (source not copied)",
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# tuiprof stats -----------------------------------------------------------------------


def stats_output(args: Sequence[str], folder: Path, command: str = "stats") -> str:
    """What ``tuiprof COMMAND ARGS`` prints in a pipe, run in ``folder``."""
    buffer = io.StringIO()
    with working_folder(folder), contextlib.redirect_stdout(buffer):
        status = tuiprof_main([command, *args])
    if status != 0:
        raise SystemExit(f"tuiprof {command} {' '.join(args)}: exit status {status}")
    return buffer.getvalue()


def write_stats() -> Path:
    # Run from the checkout: the line sources are found beside the profile.
    runs = [
        [sample("taylor.prof"), "--limit", "8"],
        [sample("particles.lprof"), "--limit", "1"],
    ]
    text = []
    for args in runs:
        text.append(f"$ tuiprof stats {' '.join(args)}\n")
        text.append(stats_output(args, ROOT))
        text.append("\n")
    path = OUT / "stats.txt"
    path.write_text("".join(text).rstrip("\n") + "\n", encoding="utf-8")
    return path


async def diff_shot(name: str, keys: Sequence[str]) -> Path:
    """The diff screen on the before/after sample pair, after pressing ``keys``."""
    from tuiprof.app import TuiprofApp
    from tuiprof.model.diff import diff_profiles

    sides = [
        [sample(f"diff/{side}.prof"), sample(f"diff/{side}.lprof")] for side in ("before", "after")
    ]
    diff = diff_profiles(load_profile(sides[0]), load_profile(sides[1]))
    app = TuiprofApp(diff=diff, diff_finders=(SourceFinder(sides[0]), SourceFinder(sides[1])))
    async with app.run_test(size=SMALL) as pilot:
        app.theme = THEME
        await settle(pilot)
        await press(pilot, *keys)
        await settle(pilot)
        command = f"tuiprof diff {' '.join(sides[0])} -- {' '.join(sides[1])}"
        svg = app.export_screenshot(title=command)
    path = OUT / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


TREE_LINES_SHOWN = 8
"""docs/call-tree.md quotes the command, the heading and the first six rows of tree.txt."""


def write_tree() -> Path:
    """``tuiprof tree`` on a sample, for docs/call-tree.md."""
    args = [sample("bottlenecks.prof"), "--depth", "6"]
    text = f"$ tuiprof tree {' '.join(args)}\n" + stats_output(args, ROOT, "tree")
    path = OUT / "tree.txt"
    path.write_text(text, encoding="utf-8")
    return path


async def make_all() -> list[Path]:
    particles = [sample("particles.prof"), sample("particles.lprof")]
    taylor = [sample("taylor.prof")]
    bottlenecks = [sample("bottlenecks.prof")]
    with working_folder(ROOT):
        made = [
            await shoot("main", particles, main_screen, size=SMALL),
            await shoot("sorted-filtered", taylor, sorted_filtered),
            await shoot("percentages", bottlenecks, percentages),
            await shoot("callers", [sample("particles.prof")], callers),
            await shoot("call-tree", taylor, call_tree),
            await shoot("icicle", taylor, icicle),
            await shoot("source", particles, source),
            await missing_source(),
            await shoot("help", taylor, help_screen),
            await shoot("export", taylor, export_dialog),
            await diff_shot("diff", []),
            await diff_shot("diff-callers", ["slash", *"add_row", "enter", "enter"]),
            await diff_shot("diff-source", ["slash", *"add_row", "enter", "enter", "s"]),
            await diff_shot("diff-icicle", ["g", "backspace", "home", "down"]),
        ]
    made.append(write_stats())
    made.append(write_tree())
    made.extend(embed_outputs())
    return made


EMBEDDED = (("commands.md", "stats.txt", None), ("call-tree.md", "tree.txt", TREE_LINES_SHOWN))
"""Where the guide quotes the text outputs: the page, the output, how many lines of it."""


def embed_outputs() -> list[Path]:
    """Quote the text outputs in the guide's pages, so that the pages never drift from them."""
    changed = []
    for page, output, keep in EMBEDDED:
        path = ROOT / "docs" / page
        text = path.read_text(encoding="utf-8")
        new = embedded(text, (OUT / output).read_text(encoding="utf-8"), keep)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def embedded(page: str, output: str, keep: int | None) -> str:
    """``page`` with the code block that quotes ``output`` (found by its first line, the
    command) holding its first ``keep`` lines (all with None, else ``…`` after them)."""
    lines = output.splitlines()
    shown = lines if keep is None or keep >= len(lines) else [*lines[:keep], "…"]
    page_lines = page.split("\n")
    start = page_lines.index(lines[0])
    end = page_lines.index(page_lines[start - 1][:3], start)  # the closing fence
    return "\n".join([*page_lines[:start], *shown, *page_lines[end:]])


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(make_all()):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
