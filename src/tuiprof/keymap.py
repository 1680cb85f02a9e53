"""User key remapping: ``$XDG_CONFIG_HOME/tuiprof/keymap.toml``.

The file holds one table::

    [keys]
    sort_tottime = "t"
    go_back = "backspace,ctrl+o"

Each name is a binding id (the help screen lists them); each value a key, or
several separated by commas, as Textual spells them.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class KeymapResult:
    """What was read, and what the user should hear about it."""

    keys: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def keymap_path() -> Path:
    """Where the keymap file lives."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tuiprof" / "keymap.toml"


def load_keymap(path: Path | None = None, known_ids: frozenset[str] | None = None) -> KeymapResult:
    """Read the keymap; a missing file is an empty keymap, a bad one a notice."""
    path = keymap_path() if path is None else path
    result = KeymapResult()
    if not path.is_file():
        return result
    if sys.version_info < (3, 11):
        result.notices.append(f"{path}: key remapping needs Python 3.11 or newer; ignored")
        return result
    # Imported by name: mypy checks this file as Python 3.10, which has no tomllib.
    tomllib: Any = importlib.import_module("tomllib")
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        result.notices.append(f"{path}: {error}; ignored")
        return result
    table = document.get("keys", {})
    if not isinstance(table, dict):
        result.notices.append(f"{path}: [keys] must be a table; ignored")
        return result
    for binding_id, key in table.items():
        if not isinstance(key, str) or not key.strip():
            result.notices.append(f"{path}: {binding_id} must be a key name; ignored")
        elif known_ids is not None and binding_id not in known_ids:
            result.notices.append(f"{path}: no binding with id {binding_id!r}; ignored")
        else:
            result.keys[binding_id] = key.strip()
    return result
