"""The diff screen's keys, as entries of the action table (:mod:`tuiprof.actions`)."""

from __future__ import annotations

from tuiprof.action_spec import Action

DIFF_KEYS: tuple[tuple[str, str, str, str, str], ...] = (
    ("view_functions", "f", "view('functions')", "Table", "Show the diff table"),
    ("view_callers", "c", "view('callers')", "Callers", "Show callers and callees, Δ per edge"),
    ("view_source", "s", "view('source')", "Source", "Show the source with the line diff"),
    ("view_icicle", "g", "view('icicle')", "Icicle", "Show the icicle, blocks by their change"),
    ("sort_ncalls", "1", "sort('ncalls')", "Sort by ncalls", "Sort by ncalls after"),
    ("sort_tottime", "2", "sort('tottime')", "Sort by tottime", "Sort by tottime after"),
    ("sort_cumtime", "4", "sort('cumtime')", "Sort by cumtime", "Sort by cumtime after"),
    ("sort_name", "6", "sort('name')", "Sort by name", "Sort by name"),
    ("sort_delta", "d", "sort_delta", "Δ sort", "Sort by the delta of the current column"),
    ("toggle_share", "r", "toggle_share", "Δ %total", "Deltas in seconds or as % of before"),
    ("filter", "slash", "filter", "Filter", "Filter the diff table: terms AND-ed, regex"),
    ("hide_imports", "i", "toggle_hidden('import_system')", "Hide imports", "Hide/show imports"),
    ("hide_stdlib", "l", "toggle_hidden('stdlib')", "Hide stdlib", "Hide/show the stdlib"),
    ("hide_builtins", "b", "toggle_hidden('builtins')", "Hide builtins", "Hide/show built-ins"),
    ("toggle_percent", "percent_sign", "toggle_percent", "%", "Times as % of each side's total"),
    ("go_back", "backspace,alt+left", "back", "Back", "Back in the history"),
    ("go_forward", "alt+right", "forward", "Forward", "Forward in the history"),
)
"""The diff screen's keys: id (after ``diff.``), keys, action, label, help."""
_DIFF_SHOWN = frozenset(
    {
        "view_functions",
        "view_callers",
        "view_source",
        "view_icicle",
        "sort_delta",
        "filter",
        "go_back",
    }
)
"""The diff screen's keys the footer shows."""
_KEY_DISPLAY = {"slash": "/", "percent_sign": "%"}


def _diff(id: str, keys: str, action: str, label: str, help: str) -> Action:
    """A key of the diff screen: all of them are in the palette, as "Diff: …"."""
    return Action(
        f"diff.{id}",
        keys,
        action,
        label,
        help,
        "diff",
        show=id in _DIFF_SHOWN,
        key_display=_KEY_DISPLAY.get(keys),
        palette=f"Diff: {help[0].lower()}{help[1:]}",
    )


DIFF_ACTIONS: tuple[Action, ...] = tuple(_diff(*entry) for entry in DIFF_KEYS)
"""The diff screen's part of the action table."""
