"""The pure core: profiles, their numbers and their call graph.

Nothing under ``tuiprof.model`` imports Textual or Rich.
"""

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
