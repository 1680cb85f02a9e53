"""Messages wrapped to a width, for views that show them line by line."""

from __future__ import annotations

import textwrap


def wrap_lines(lines: list[str], width: int) -> list[str]:
    """Each line wrapped to ``width``, continuation lines indented under its start."""
    wrapped: list[str] = []
    for line in lines:
        indent = line[: len(line) - len(line.lstrip(" "))]
        wrapped += textwrap.wrap(
            line,
            width,
            subsequent_indent=indent + "  ",
            break_on_hyphens=False,
            drop_whitespace=True,
        ) or [""]
    return wrapped
