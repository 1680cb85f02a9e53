"""How icicle blocks look: colours by package, estimate shading, marks, short labels.

A block is drawn as a border cell (``▏``) and its label, cut to fit; the rest
of its width is blank, or shaded ``░`` when its figures are estimates, so an
estimate shows without colour. Colours follow the block's package or file
(:func:`~tuiprof.model.icicle.colour_group`), the same on every run.

In a differential icicle a block's colour is its change instead: red when
slower, green when faster, deeper with the size of the change, grey when
unchanged. Without colours (``NO_COLOR``) the label starts with the change's
sign (``+`` slower, ``−`` faster), so the picture reads in two greys too.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from tuiprof.model.icicle import Block, colour_group
from tuiprof.model.names import visible
from tuiprof.model.profile import Profile

Palette = Literal["256", "16", "mono"]
"""The colours a block may have: a 256-colour ramp, the 16 ANSI colours, or two greys."""

BORDER = "▏"
ESTIMATE_FILL = "░"
RECURSION = "↻"
MERGED = "…"

# Mid-tone xterm colours that keep black text readable and differ from their neighbours.
COLOURS_256 = (110, 150, 180, 139, 114, 174, 109, 186, 146, 144, 152, 181, 117, 223, 193, 159)
COLOURS_16 = ("cyan", "green", "yellow", "magenta", "bright_blue", "bright_red")
GREYS = ("color(252)", "color(246)")
SLOWER = (224, 217, 210, 203, 196)
FASTER = (194, 157, 120, 83, 46)
SLOWER_16 = ("bright_red", "red")
FASTER_16 = ("bright_green", "green")
UNCHANGED = {"256": "color(250)", "16": "white", "mono": GREYS[0]}
MINUS = "\u2212"


def group_colour(group: str, palette: Palette, index: int) -> str:
    """The background of a block whose colour group is ``group``."""
    if palette == "mono":
        return GREYS[index % 2]
    code = zlib.crc32(group.encode("utf-8", "surrogateescape"))
    if palette == "16":
        return COLOURS_16[code % len(COLOURS_16)]
    return f"color({COLOURS_256[code % len(COLOURS_256)]})"


def delta_colour(delta: float, total: float, palette: Palette = "256") -> str:
    """Red for slower, green for faster, deeper with the change's share of ``total``.

    In 256 colours five steps, the deepest from a fifth of ``total`` on; in 16
    colours two (the bright colour below a twentieth); grey when unchanged.
    """
    if delta == 0:
        return UNCHANGED[palette]
    share = abs(delta) / total if total > 0 else 1.0
    if palette == "16":
        return (SLOWER_16 if delta > 0 else FASTER_16)[int(share >= 0.05)]
    ramp = SLOWER if delta > 0 else FASTER
    step = min(len(ramp) - 1, int(share * 4 * len(ramp)))
    return f"color({ramp[step]})"


def delta_mark(block: Block) -> str:
    """``+`` before a slower block's label, ``−`` before a faster one's, else nothing."""
    if block.delta is None or block.delta.delta == 0:
        return ""
    return "+" if block.delta.delta > 0 else MINUS


_BUILTIN = re.compile(r"^<built-in method (?:builtins\.)?(.+)>$")
_METHOD = re.compile(r"^<method '(.+)' of '(.+)' objects>$")


def short_name(name: str) -> str:
    """A built-in's name without its wrapping: ``len``, ``list.append``; others as they are."""
    if name.startswith("<"):
        found = _BUILTIN.match(name)
        if found:
            return found.group(1)
        found = _METHOD.match(name)
        if found:
            return f"{found.group(2)}.{found.group(1)}"
    return name


def block_label(profile: Profile, block: Block) -> str:
    """The short name a block shows: the function's name, marked when recursive."""
    if block.node is None:
        return MERGED
    name = visible(short_name(str(profile.keys[block.fid][2])))
    return RECURSION + name if block.recursive else name


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with ``…`` where it was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…" if width > 1 else text[:1]


class BlockPainter:
    """Turns a row of blocks into segments, in one palette."""

    def __init__(
        self, profile: Profile, palette: Palette, base: Style, groups: dict[int, str]
    ) -> None:
        self.profile = profile
        self.palette = palette
        self.base = base
        self.groups = groups
        """Colour group by function number, filled as blocks are drawn."""

    def group(self, fid: int) -> str:
        group = self.groups.get(fid)
        if group is None:
            group = self.groups[fid] = colour_group(self.profile.keys[fid])
        return group

    def block_style(self, block: Block, total: float) -> Style:
        if block.delta is not None and self.palette != "mono":
            colour = delta_colour(block.delta.delta, total, self.palette)
            return Style(bgcolor=colour, color="black")
        if block.node is None:
            return Style(bgcolor=GREYS[block.index % 2], color="black")
        background = group_colour(self.group(block.fid), self.palette, block.index + block.row)
        return Style(bgcolor=background, color="black")

    def row(
        self, blocks: Sequence[Block], width: int, cursor: int, focused: bool, total: float
    ) -> list[Segment]:
        """Segments for one row, ``width`` cells; ``cursor`` is the index of the cursor block."""
        segments: list[Segment] = []
        x = 0
        base = self.base
        for block in blocks:
            if block.x > x:
                segments.append(Segment(" " * (block.x - x), base))
            style = self.block_style(block, total)
            meta = Style.from_meta({"block": block.index})
            if block.index == cursor:
                style = style + Style(reverse=True, bold=focused, underline=not focused)
            segments.extend(self._block(block, style + meta))
            x = block.x + block.width
        if x < width:
            segments.append(Segment(" " * (width - x), base))
        return segments

    def _block(self, block: Block, style: Style) -> list[Segment]:
        width = block.width
        if width == 1:
            return [Segment(BORDER, style)]
        label = block_label(self.profile, block)
        if self.palette == "mono":
            label = delta_mark(block) + label
        label = cut(label, width - 1)
        fill = width - 1 - cell_len(label)
        parts = [Segment(BORDER, style), Segment(label, style + Style(italic=block.estimated))]
        if fill > 0:
            parts.append(Segment((ESTIMATE_FILL if block.estimated else " ") * fill, style))
        return parts
