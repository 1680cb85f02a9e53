"""What the explorer says about a profile ``tuiprof record`` has just written."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_record import ENDINGS, record, write
from tuiprof.app import TuiprofApp
from tuiprof.model.loaders import load_profile
from tuiprof.record.recording import Recording
from tuiprof.views.header import StatusHeader


def recorded(tmp_path: Path) -> Path:
    write(tmp_path, "endings.py", ENDINGS)
    done = record(tmp_path, "--no-open", "endings.py", "exit3")
    assert done.returncode == 3, done.stderr
    return tmp_path / "endings.prof"


def header_text(app: TuiprofApp) -> str:
    return str(app.screen.query_one(StatusHeader).render())


async def test_the_header_says_what_ran_and_for_how_long(tmp_path: Path) -> None:
    profile = load_profile([str(recorded(tmp_path))])
    recording = Recording("python endings.py exit3", "exit 3", 1.5)
    app = TuiprofApp(profile, recording=recording)
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        top = header_text(app).splitlines()[0]
        ran = " python endings.py exit3  exit 3 after 1.500s → endings.prof  total "
        assert top.startswith(ran)
        assert not app._notifications  # nothing kept from before: nothing to compare


async def test_the_explorer_says_how_to_compare_with_the_run_before(tmp_path: Path) -> None:
    profile = load_profile([str(recorded(tmp_path))])
    recording = Recording(
        "python endings.py exit3", "exit 3", 1.5, (("endings.prof.prev", "endings.prof"),)
    )
    app = TuiprofApp(profile, recording=recording)
    async with app.run_test() as pilot:
        await pilot.pause()
        (note,) = app._notifications
        assert note.message == (
            "The run before is kept. Compare: tuiprof diff endings.prof.prev endings.prof"
        )


async def test_a_profile_opened_as_a_file_says_nothing_of_a_run(tmp_path: Path) -> None:
    app = TuiprofApp(load_profile([str(recorded(tmp_path))]))
    async with app.run_test(size=(160, 24)) as pilot:
        await pilot.pause()
        assert header_text(app).startswith(" endings.prof  total ")
        assert not app._notifications
