"""The icicle's status line: the block under the cursor, its full name and figures.

In a differential icicle a line after the name gives the block's change, signed, so
it reads without colour: ``before → after  4.981s → 191.9ms  Δ −4.789s  −96.1%``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tuiprof.model.diff_format import format_signed_percent, format_signed_time
from tuiprof.model.format import format_percent, format_time
from tuiprof.model.icicle import Block, Change
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile
from tuiprof.views.call_tree import format_tree_calls

if TYPE_CHECKING:
    from tuiprof.views.icicle import IcicleChart


class IcicleStatus(Static):
    """The block under the cursor: its full name, file:line and figures."""

    DEFAULT_CSS = """
    IcicleStatus { height: auto; max-height: 5; background: $panel; padding: 0 1; }
    """

    def show(self, chart: IcicleChart, block: Block | None) -> None:
        self.update(status_text(chart.profile, chart, block))


def status_text(profile: Profile, chart: IcicleChart, block: Block | None) -> Text:
    """What the block is, its change in a differential icicle, then its figures."""
    if block is None:
        return Text("no calls recorded")
    layout = chart.icicle
    if block.node is None:
        parent = layout.parent(block) if layout is not None else None
        under = visible(profile.keys[parent.fid][2]) if parent is not None else "?"
        first = f"… {block.merged} functions under {under}, each too narrow to draw"
        node_figures = f"cumtime {format_time(block.cumtime)}"
    else:
        node = block.node
        first = visible(profile.label(node.fid))
        if node.timed:
            node_figures = (
                f"calls {format_tree_calls(node.ncalls, node.estimated)}  "
                f"tottime {format_time(node.tottime)}  cumtime {format_time(node.cumtime)}"
            )
        else:
            node_figures = f"calls {format_tree_calls(node.ncalls, node.estimated)}  no times"
    parts = [
        node_figures,
        f"{format_percent(block.cumtime, profile.total_time)} of total",
        f"{format_percent(block.cumtime, chart.zoom_total)} of zoom",
    ]
    # Narrow screens wrap the figures onto more lines rather than cut them. In a
    # differential icicle the change comes right after the name: what is cut
    # when the lines outgrow the status's five rows is the figures' end.
    text = Text(first)
    if block.delta is not None:
        text.append("\n")
        text.append_text(change_text(block.delta))
    text.append("\n" + "  ".join(parts))
    if block.estimated:
        text.append("  estimate", Style(bold=True, italic=True))
    if block.recursive:
        text.append("  recursion: drawn once, not expanded", Style(bold=True))
    return text


def change_text(change: Change) -> Text:
    """``before → after  4.981s → 191.9ms  Δ −4.789s  −96.1%``, and what it rests on."""
    if change.before is None:
        text = Text(f"before → after  none → {format_time(change.after)}  ")
        text.append(f"Δ {format_signed_time(change.delta)}", Style(bold=True))
        text.append("  new call path")
    else:
        text = Text(f"before → after  {format_time(change.before)} → {format_time(change.after)}  ")
        text.append(f"Δ {format_signed_time(change.delta)}", Style(bold=True))
        text.append(f"  {format_signed_percent(change.percent)}")
    if change.estimated:
        text.append("  Δ estimated", Style(bold=True, italic=True))
    return text
