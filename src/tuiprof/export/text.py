"""Names made short for export formats.

Control characters are made visible by :func:`tuiprof.model.names.visible`,
the one rule for every output: callgrind is one record per line and DOT
labels are quoted strings, so a newline or an escape sequence in a name is
written as a visible escape there too.
"""

from __future__ import annotations


def shortened(text: str, limit: int = 1000) -> str:
    """At most ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
