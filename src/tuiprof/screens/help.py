"""The help screen (``?``): every key of the action table, where it applies, and its id."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuiprof.actions import bindings_for, help_sections, key_text
from tuiprof.keymap import keymap_path
from tuiprof.views._textual_hacks import KeysFooter

ESTIMATE_MARK = "~"
"""What the call tree puts before a figure it estimated."""

ESTIMATE_NOTE = (
    f"Call tree: '{ESTIMATE_MARK}' marks an estimate. pstats records only caller→callee "
    "totals, so one level below a function the figures are the edge's own and exact; "
    "deeper figures are shared out in proportion to the calls and are estimates. "
    "Recursion and cycles are marked and never expanded into a loop."
)

ICICLE_NOTE = (
    "Icicle: each block is as wide as its cumulative time, its children below it, largest "
    "first; the empty part on a block's right is its own time. A block shaded '░' with an "
    "italic name holds estimated figures (below a function called from several places), "
    "and the status line says 'estimate'. '↻' marks recursion or a cycle: the block is drawn "
    "once and never expanded. '…' stands for the children too narrow for a character. "
    "In the diff screen the icicle is the after run's, each block red when its call path "
    "got slower and green when faster, signed in the status line (and, without colours, "
    "before its name: '+' slower, '−' faster)."
)


class HelpScreen(ModalScreen[None]):
    """Every key, in a scrolling list.

    | Key | Does |
    | :- | :- |
    | escape / ? / q | Close. |
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings_for("help")

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, user_keys: dict[str, str] | None = None, first: str | None = None) -> None:
        super().__init__()
        self.user_keys = user_keys or {}
        """The user's key remapping, by binding id: the keys listed are the live ones."""
        self.first = first
        """The section shown right after "Everywhere" (the diff screen's, there)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self.keys_table(), id="help-keys")
        yield KeysFooter()  # the help's keys, not those of the screen below

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def on_resize(self) -> None:
        # The binding ids give way on a narrow screen (the descriptions stay).
        self.query_one("#help-keys", Static).update(self.keys_table())

    @property
    def shows_ids(self) -> bool:
        return self.app.size.width >= IDS_FROM

    def keys_table(self) -> Group:
        """Every section's keys, then the notes."""
        tables: list[Table] = []
        sections = list(help_sections())
        if self.first is not None:
            chosen = [section for section in sections if section[0] == self.first]
            others = [section for section in sections if section[0] != self.first]
            sections = others[:1] + chosen + others[1:]
        for where, actions in sections:
            table = _section(where, self.shows_ids)
            for action in actions:
                keys = key_text(action, self.user_keys, self._key_display)
                # Rich adds a column for a cell past the last: the id only where shown.
                binding = (action.id,) if self.shows_ids else ()
                table.add_row(Text(keys), Text(action.description), *binding)
            tables.append(table)
        notes = _section("Notes", self.shows_ids)
        notes.add_row("ctrl+p", "Command palette: every action by name")
        notes.add_row(ESTIMATE_MARK, Text(ESTIMATE_NOTE))
        notes.add_row("░ ↻ …", Text(ICICLE_NOTE))
        notes.add_row(
            "%",
            "Percent mode shows tottime and cumtime as a share of the profile's total; "
            "per-call columns stay in time units.",
        )
        notes.add_row(
            "keymap",
            Text(f'{keymap_path()}: a [keys] table of binding_id = "key" lines.'),
        )
        tables.append(notes)
        return Group(*tables)

    def _key_display(self, key: str) -> str:
        return self.app.get_key_display(Binding(key, ""))


IDS_FROM = 72
"""Screen width from which the help shows each binding's id (for the keymap file)."""


def _section(title: str, ids: bool) -> Table:
    """A titled table of key, description and (``ids``) binding id."""
    table = Table(
        title=Text(title, style="bold underline"),
        title_justify="left",
        box=None,
        expand=True,
        show_header=False,
        pad_edge=False,
    )
    table.add_column("key", width=16, no_wrap=True, style="bold")
    table.add_column("does", ratio=1)
    if ids:
        table.add_column("id", width=20, no_wrap=True, style="dim")
    return table
