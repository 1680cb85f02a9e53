"""A table row whose delta cells read red when slower and green when faster."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tuiprof.views.cursor_lines import CURSOR_COMPONENT, fit
from tuiprof.views.row_table import GAP, RowTable

SIGNED_CSS = """
{name} > .diff-table--slower {{ color: $error; }}
{name} > .diff-table--faster {{ color: $success; }}
"""
"""The two component classes' colours, for a table class named ``name``."""


def signed_row_strip(
    table: RowTable,
    row: int,
    width: int,
    is_cursor: bool,
    cells: Sequence[str],
    signs: Mapping[int, float],
) -> Strip:
    """Row ``row`` of ``table``; column ``i`` in ``signs`` is coloured by the sign of its value."""
    base = table.rich_style
    if is_cursor:
        base = base + table.get_component_rich_style(CURSOR_COMPONENT)
    style = base + Style.from_meta({"row": row})
    slower = style + table.get_component_rich_style("diff-table--slower", partial=True)
    faster = style + table.get_component_rich_style("diff-table--faster", partial=True)
    segments: list[Segment] = []
    for index, cell_width in table.column_layout(width):
        if segments:
            segments.append(Segment(" " * GAP, style))
        value = signs.get(index, 0.0)
        cell_style = slower if value > 0 else faster if value < 0 else style
        text = fit(cells[index], cell_width, table.columns[index].align)
        segments.append(Segment(text, cell_style))
    return Strip(segments).extend_cell_length(width, style)
