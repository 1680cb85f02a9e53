"""The help screen on a narrow terminal keeps the descriptions and drops the binding ids."""

from __future__ import annotations

from rich.console import Console

from tuiprof.app import TuiprofApp
from tuiprof.model.profile import Profile
from tuiprof.screens.help import HelpScreen


def help_text(app: TuiprofApp) -> str:
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(width=app.size.width - 2, record=True, file=None, force_terminal=False)
    with console.capture() as captured:
        console.print(screen.keys_table())
    return captured.get()


async def test_the_help_drops_the_ids_before_the_descriptions(small: Profile) -> None:
    app = TuiprofApp(small)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        assert "Command" in text and "palette" in text and "view_functions" not in text
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert "view_functions" in help_text(app)
