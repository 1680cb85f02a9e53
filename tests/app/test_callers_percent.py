"""Percent mode reaches the callers view's own line, not only its edge tables."""

from __future__ import annotations

from tests.app.conftest import PARSE
from tuiprof.app import TuiprofApp
from tuiprof.model.format import format_percent, format_time
from tuiprof.model.profile import Profile
from tuiprof.views.callers import SubjectLine


def subject_text(app: TuiprofApp) -> str:
    return str(app.screen.query_one("#callers-subject", SubjectLine).render())


async def test_percent_shows_the_function_line_as_shares_of_the_total(small: Profile) -> None:
    app = TuiprofApp(small)
    fid = small.find(PARSE)
    total = small.total_time
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")  # PARSE's callers and callees
        await pilot.pause()
        times = (
            f"tottime {format_time(small.tottime[fid])}  cumtime {format_time(small.cumtime[fid])}"
        )
        shares = (
            f"tottime {format_percent(small.tottime[fid], total)}"
            f"  cumtime {format_percent(small.cumtime[fid], total)}"
        )
        assert times in subject_text(app)
        await pilot.press("percent_sign")
        await pilot.pause()
        assert shares in subject_text(app) and "%" in subject_text(app)
        await pilot.press("percent_sign")
        await pilot.pause()
        assert times in subject_text(app)


async def test_a_function_chosen_in_percent_mode_shows_shares(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("percent_sign", "c")
        await pilot.pause()
        fid = small.find(PARSE)
        assert f"cumtime {format_percent(small.cumtime[fid], small.total_time)}" in subject_text(
            app
        )
