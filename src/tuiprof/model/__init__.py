"""The pure core: profiles, their numbers and their call graph.

Nothing under ``tuiprof.model`` imports Textual or Rich.

The names below are imported on first use: importing one submodule (the
command line needs only ``tuiprof.model.errors`` to start) then does not load
every loader, which ``tuiprof record`` would count as profiling overhead.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tuiprof.model.errors import ProfileError
    from tuiprof.model.loaders import load_profile
    from tuiprof.model.names import FunctionKey
    from tuiprof.model.profile import Edge, FunctionLines, LineTiming, Profile

__all__ = [
    "Edge",
    "FunctionKey",
    "FunctionLines",
    "LineTiming",
    "Profile",
    "ProfileError",
    "load_profile",
]

_HOMES = {
    "Edge": "tuiprof.model.profile",
    "FunctionKey": "tuiprof.model.names",
    "FunctionLines": "tuiprof.model.profile",
    "LineTiming": "tuiprof.model.profile",
    "Profile": "tuiprof.model.profile",
    "ProfileError": "tuiprof.model.errors",
    "load_profile": "tuiprof.model.loaders",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
