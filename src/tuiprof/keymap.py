"""User key remapping: ``$XDG_CONFIG_HOME/tuiprof/keymap.toml``.

The file holds one table::

    [keys]
    sort_tottime = "t"
    go_back = "backspace,ctrl+o"

Each name is a binding id (the help screen lists them); each value a key, or
several separated by commas, as Textual spells them.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib

from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_KEY_NAMES = frozenset(key.value for key in Keys) | frozenset(KEY_NAME_REPLACEMENTS.values())
_KEY_NAMES |= frozenset(KEY_ALIASES) | frozenset(
    a for aliases in KEY_ALIASES.values() for a in aliases
)


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
    document = _read_toml(path, result)
    if document is None:
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
        elif bad := [k.strip() for k in key.split(",") if not is_key_name(k.strip())]:
            result.notices.append(
                f"{path}: {binding_id}: {', '.join(map(repr, bad))} is no key name; "
                "the default key is kept"
            )
        else:
            result.keys[binding_id] = key.strip()
    return result


def _read_toml(path: Path, result: KeymapResult) -> dict[str, Any] | None:
    """The parsed file, or None with a notice in ``result``."""
    if sys.version_info >= (3, 11):
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            result.notices.append(f"{path}: {error}; ignored")
            return None
    result.notices.append(f"{path}: key remapping needs Python 3.11 or newer; ignored")
    return None


def is_key_name(key: str) -> bool:
    """Whether Textual knows ``key`` (``a``, ``ctrl+o``, ``f5``, ``percent_sign``, ``%``)."""
    *modifiers, base = key.split("+")
    if not base or not MODIFIERS.issuperset(modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in _KEY_NAMES:
        return True
    try:
        unicodedata.lookup(KEY_TO_UNICODE_NAME.get(base, base.replace("_", " ").upper()))
    except KeyError:
        return False
    return True
