"""The help screen (``?``): every key, where it applies, and its binding id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from tuiprof.keymap import keymap_path

ESTIMATE_MARK = "~"
"""What the call tree puts before a figure it estimated."""

ESTIMATE_NOTE = (
    f"Call tree: '{ESTIMATE_MARK}' marks an estimate. pstats records only caller→callee "
    "totals, so one level below a function the figures are the edge's own and exact; "
    "deeper figures are shared out in proportion to the calls and are estimates. "
    "Recursion and cycles are marked and never expanded into a loop."
)


def binding_sections() -> list[tuple[str, list[Binding]]]:
    """(where, bindings) for every part of the explorer that has keys.

    The parts are named here for the help screen; any class with keys that
    is not (a new widget, say) still gets a section, under its own name.
    """
    from tuiprof.app import TuiprofApp
    from tuiprof.diff_app import DiffHelpScreen
    from tuiprof.screens.diff import DiffFilterInput, DiffScreen
    from tuiprof.screens.export_dialog import ConfirmOverwrite, ExportDialog
    from tuiprof.screens.main import FilterInput, MainScreen
    from tuiprof.views.call_tree import CallTreeView
    from tuiprof.views.callers import EdgeTable
    from tuiprof.views.function_table import FunctionTable
    from tuiprof.views.row_table import RowTable
    from tuiprof.views.source_view import SourceView

    named: list[tuple[str, list[type[DOMNode]]]] = [
        ("Everywhere", [TuiprofApp]),
        ("Main screen", [MainScreen]),
        ("Tables (functions, callers, callees)", [RowTable]),
        ("Function table", [FunctionTable]),
        ("Callers and callees", [EdgeTable]),
        ("Filter line", [FilterInput]),
        ("Call tree", [CallTreeView]),
        ("Source", [SourceView]),
        ("Export dialog", [ExportDialog, ConfirmOverwrite]),
        ("Help", [HelpScreen]),
        ("Diff screen (tuiprof diff)", [DiffScreen]),
        ("Diff filter line", [DiffFilterInput]),
        ("Diff help", [DiffHelpScreen]),
    ]
    placed = {cls for _, classes in named for cls in classes}
    named += [(cls.__name__, [cls]) for cls in classes_with_bindings() if cls not in placed]
    return [
        (
            where,
            [
                b
                for cls in classes
                for b in cls.__dict__.get("BINDINGS", [])
                if isinstance(b, Binding)
            ],
        )
        for where, classes in named
    ]


def classes_with_bindings() -> list[type[DOMNode]]:
    """Every class of the explorer that declares its own ``BINDINGS``: app, screens, widgets."""
    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                pending.append(sub)
                if sub.__module__.startswith("tuiprof.") and "BINDINGS" in sub.__dict__:
                    found.append(sub)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def binding_ids() -> frozenset[str]:
    """Every binding id a keymap file may name, on any screen or widget."""
    return frozenset(b.id for _, bindings in binding_sections() for b in bindings if b.id)


def _bindings_in(bindings: list[Binding]) -> Iterator[Binding]:
    seen: set[str] = set()
    for binding in bindings:
        key = binding.id or binding.action
        if key not in seen:
            seen.add(key)
            yield binding


class HelpScreen(ModalScreen[None]):
    """Every key, in a scrolling list.

    | Key | Does |
    | :- | :- |
    | escape / ? / q | Close. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", id="close_help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self.keys_table(), id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def keys_table(self) -> Group:
        """Every section's keys, then the notes."""
        keymap: dict[str, str] = getattr(self.app, "user_keys", {})
        tables: list[Table] = []
        for where, bindings in binding_sections():
            table = _section(where)
            for binding in _bindings_in(bindings):
                table.add_row(
                    Text(self._key_text(binding, keymap)),
                    Text(binding.tooltip or binding.description or binding.action),
                    binding.id or "",
                )
            tables.append(table)
        notes = _section("Notes")
        notes.add_row("ctrl+p", "Command palette: every action by name", "")
        notes.add_row(ESTIMATE_MARK, Text(ESTIMATE_NOTE), "")
        notes.add_row(
            "%",
            "Percent mode shows tottime and cumtime as a share of the profile's total; "
            "per-call columns stay in time units.",
            "",
        )
        notes.add_row(
            "keymap",
            Text(f'{keymap_path()}: a [keys] table of binding_id = "key" lines.'),
            "",
        )
        tables.append(notes)
        return Group(*tables)

    def _key_text(self, binding: Binding, keymap: dict[str, str]) -> str:
        key = keymap.get(binding.id or "", binding.key)
        if key == binding.key and binding.key_display:
            return binding.key_display
        return ", ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in key.split(","))


def _section(title: str) -> Table:
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
    table.add_column("id", width=20, no_wrap=True, style="dim")
    return table
