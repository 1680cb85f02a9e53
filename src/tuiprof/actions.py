"""Every key of the explorer, in one table: bindings, help, palette and keymap read it.

Each :class:`Action` belongs to a *part* (the app, the main screen, the tables,
the call tree…): a widget's ``BINDINGS`` are :func:`bindings_for` its part,
the help screen lists :data:`HELP_SECTIONS`, the command palette offers the
actions that have a ``palette`` title, and a keymap file names actions by id.

Binding ids: keys of the app, the main screen and the tables have bare ids
(``view_tree``, ``sort_tottime``, ``cursor_up``); keys of one other part carry
the part's name before a dot (``tree.expand``, ``source.top``, ``export.write``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.binding import BindingType

from tuiprof.action_spec import Action as Action
from tuiprof.diff_actions import DIFF_ACTIONS
from tuiprof.model.table import SortKey

PARTS: dict[str, str] = {
    "app": "everywhere",
    "main": "the main screen",
    "rows": "every table",
    "sort": "every sortable table",
    "filter": "the filter line",
    "tree": "the call tree",
    "icicle": "the icicle",
    "source": "the source view",
    "export": "the export dialog",
    "confirm": "a question before writing",
    "help": "the help screen",
    "diff": "the diff screen",
}
"""Each part that has keys, and where it is, in words."""


def _cursor(part: str, prefix: str) -> list[Action]:
    return [
        Action(f"{prefix}cursor_up", "up", "cursor_up", "Up", "", part),
        Action(f"{prefix}cursor_down", "down", "cursor_down", "Down", "", part),
        Action(f"{prefix}page_up", "pageup", "page_up", "Page up", "", part),
        Action(f"{prefix}page_down", "pagedown", "page_down", "Page down", "", part),
        Action(f"{prefix}first_row", "home", "first_row", "First", "", part),
        Action(f"{prefix}last_row", "end", "last_row", "Last", "", part),
    ]


def _view(view: str, key: str, label: str, help: str, palette: str, show: bool = True) -> Action:
    return Action(
        f"view_{view}", key, f"view('{view}')", label, help, "main", show=show, palette=palette
    )


def _hide(what: str, key: str, id: str, label: str, help: str, palette: str) -> Action:
    return Action(id, key, f"toggle_hidden('{what}')", label, help, "main", palette=palette)


SORT_KEYS: tuple[SortKey, ...] = (
    SortKey.NCALLS,
    SortKey.TOTTIME,
    SortKey.TOTTIME_PERCALL,
    SortKey.CUMTIME,
    SortKey.CUMTIME_PERCALL,
    SortKey.NAME,
)
"""What keys ``1``–``6`` sort by, in order."""


ACTIONS: tuple[Action, ...] = (
    Action(
        "help",
        "question_mark",
        "help",
        "Help",
        "Help: every key",
        "app",
        show=True,
        key_display="?",
        palette="Help: every key",
    ),
    Action("quit", "q", "quit", "Quit", "Quit", "app", show=True, palette="Quit"),
    # Textual's own ctrl+c only says how to quit; here it quits, at any
    # moment (a priority binding: also in the filter box, also while loading).
    Action("interrupt", "ctrl+c", "quit", "Quit", "Quit", "app", priority=True),
    _view("functions", "f", "Table", "The function table", "Show the function table"),
    _view(
        "callers",
        "c",
        "Callers",
        "Callers and callees of the selected function",
        "Show callers and callees",
    ),
    _view("tree", "t", "Tree", "The call tree", "Show the call tree"),
    _view("source", "s", "Source", "Source of the selected function", "Show the source"),
    _view(
        "icicle",
        "g",
        "Icicle",
        "The icicle of the call tree",
        "Show the icicle of the call tree",
    ),
    Action(
        "filter",
        "slash",
        "filter",
        "Filter",
        "Filter the function table: terms AND-ed, regex allowed",
        "main",
        show=True,
        key_display="/",
        palette="Filter the function table",
    ),
    _hide(
        "import_system",
        "i",
        "hide_imports",
        "Hide imports",
        "Hide or show the import system (<frozen importlib…>)",
        "Hide or show the import system",
    ),
    _hide(
        "stdlib",
        "l",
        "hide_stdlib",
        "Hide stdlib",
        "Hide or show the standard library",
        "Hide or show the standard library",
    ),
    _hide(
        "builtins",
        "b",
        "hide_builtins",
        "Hide builtins",
        "Hide or show built-in (C) functions",
        "Hide or show built-ins",
    ),
    Action(
        "toggle_percent",
        "percent_sign",
        "toggle_percent",
        "%",
        "Times as percentages of the total",
        "main",
        key_display="%",
        palette="Toggle percentages of the total",
    ),
    Action(
        "go_back",
        "backspace,alt+left",
        "back",
        "Back",
        "Back in the navigation history",
        "main",
        show=True,
        palette="Back in the history",
    ),
    Action(
        "go_forward",
        "alt+right",
        "forward",
        "Forward",
        "Forward in the navigation history",
        "main",
        palette="Forward in the history",
    ),
    Action("export", "e", "export", "Export", "Export dialog", "main", palette="Export"),
    *_cursor("rows", ""),
    Action("choose", "enter", "choose", "Go to", "", "rows", show=True),
    *(
        Action(
            f"sort_{key.value}",
            str(number),
            f"sort('{key.value}')",
            f"Sort by {key.title}",
            "",
            "sort",
            palette=f"Sort by {key.title}",
        )
        for number, key in enumerate(SORT_KEYS, start=1)
    ),
    Action("clear_filter", "escape", "clear_filter", "Clear filter", "", "filter", show=True),
    *_cursor("tree", "tree."),
    Action(
        "tree.expand",
        "right",
        "expand",
        "Open",
        "",
        "tree",
        show=True,
        palette="Call tree: open the node",
    ),
    Action(
        "tree.collapse",
        "left",
        "collapse",
        "Close",
        "",
        "tree",
        show=True,
        palette="Call tree: close the node",
    ),
    Action(
        "tree.toggle",
        "space",
        "toggle_node",
        "Open/close",
        "",
        "tree",
        palette="Call tree: open or close the node",
    ),
    Action(
        "tree.hot_path",
        "h",
        "hot_path",
        "Hot path",
        "",
        "tree",
        show=True,
        palette="Call tree: open the hot path",
    ),
    Action("tree.choose", "enter", "choose", "Go to", "", "tree", show=True),
    Action("icicle.parent", "up", "parent", "Parent", "The parent block", "icicle"),
    Action(
        "icicle.first_child",
        "down",
        "first_child",
        "Child",
        "The first (largest) child block",
        "icicle",
    ),
    Action(
        "icicle.previous",
        "left",
        "previous",
        "Previous",
        "The previous block in the row (siblings first)",
        "icicle",
    ),
    Action(
        "icicle.next",
        "right",
        "next",
        "Next",
        "The next block in the row (siblings first)",
        "icicle",
    ),
    Action(
        "icicle.zoom_root",
        "home",
        "zoom_root",
        "Zoom root",
        "The block at the top (the zoom root)",
        "icicle",
    ),
    Action(
        "icicle.zoom_in",
        "enter",
        "zoom_in",
        "Zoom in",
        "Zoom in: the block becomes the full width",
        "icicle",
        show=True,
        palette="Icicle: zoom in on the block",
    ),
    Action(
        "icicle.zoom_out",
        "backspace,escape",
        "zoom_out",
        "Zoom out",
        "Zoom out one level (at the top, backspace goes back in the history)",
        "icicle",
        show=True,
        palette="Icicle: zoom out one level",
    ),
    Action("source.scroll_up", "up", "scroll_up", "Up", "", "source"),
    Action("source.scroll_down", "down", "scroll_down", "Down", "", "source"),
    Action("source.scroll_left", "left", "scroll_code(-8)", "Left", "", "source"),
    Action("source.scroll_right", "right", "scroll_code(8)", "Right", "", "source"),
    Action("source.page_up", "pageup", "page_up", "Page up", "", "source"),
    Action("source.page_down", "pagedown", "page_down", "Page down", "", "source"),
    Action("source.top", "home", "scroll_home", "Top", "", "source"),
    Action("source.bottom", "end", "scroll_end", "Bottom", "", "source"),
    Action(
        "source.to_function",
        "r",
        "to_function",
        "To function",
        "",
        "source",
        show=True,
        palette="Source: back to the function",
    ),
    Action("export.write", "enter", "export", "Export", "", "export", show=True, priority=True),
    Action("export.cancel", "escape", "cancel", "Cancel", "", "export", show=True),
    Action("export.confirm.yes", "y", "answer(True)", "Yes", "", "confirm", show=True),
    Action("export.confirm.no", "n,escape", "answer(False)", "No", "", "confirm", show=True),
    Action("close_help", "escape,question_mark,q", "dismiss", "Close", "", "help", show=True),
    *DIFF_ACTIONS,
)
"""Every key binding of the explorer."""


DIFF_SECTION = "Diff screen (tuiprof diff)"
"""The diff screen's section: its help lists it first."""

HELP_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Everywhere", ("app",)),
    ("Main screen", ("main",)),
    ("Tables (functions, callers, callees)", ("rows",)),
    ("Function table", ("sort",)),
    ("Callers and callees", ("sort",)),
    ("Filter line", ("filter",)),
    ("Call tree", ("tree",)),
    ("Icicle", ("icicle",)),
    ("Source", ("source",)),
    ("Export dialog", ("export", "confirm")),
    (DIFF_SECTION, ("diff",)),
    ("Help", ("help",)),
)
"""The help screen's sections, in order, and the parts each lists."""


def actions_of(part: str) -> list[Action]:
    """The actions of one part, in the table's order."""
    if part not in PARTS:
        raise KeyError(f"no part {part!r} in PARTS")
    return [action for action in ACTIONS if action.part == part]


def bindings_for(*parts: str) -> list[BindingType]:
    """The ``BINDINGS`` of a widget or screen that holds ``parts``."""
    return [action.binding() for part in parts for action in actions_of(part)]


def binding_ids() -> frozenset[str]:
    """Every binding id a keymap file may name."""
    return frozenset(action.id for action in ACTIONS)


def help_sections() -> Iterator[tuple[str, list[Action]]]:
    """(title, actions) of each section of the help screen."""
    for title, parts in HELP_SECTIONS:
        yield title, [action for part in parts for action in actions_of(part)]


def key_text(action: Action, user_keys: dict[str, str], key_display: Callable[[str], str]) -> str:
    """The keys of ``action`` now: the user's, else the default, as the footer shows keys."""
    keys = user_keys.get(action.id, action.keys)
    if keys == action.keys and action.key_display:
        return action.key_display
    return ", ".join(key_display(key.strip()) for key in keys.split(","))
