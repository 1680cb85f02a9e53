"""Two profiles side by side: what got faster, what got slower, what is new.

A :class:`ProfileDiff` holds the two profiles and the matching between them
(:mod:`tuiprof.model.matching`). Its rows are parallel lists of before and
after function numbers (:data:`~tuiprof.model.matching.NONE` where a side has
no such function): matched pairs in the before profile's order, then removed
functions, then new ones. Columns (before, after and delta of ncalls, tottime,
cumtime) are built on first use, one list each, so sorting 300,000 rows is one
C-level ``sorted`` call.

Every before and after figure is the profile's own, which is pstats' own;
deltas are after minus before. With ``normalize`` the before side's times are
scaled by ``after total / before total`` first (as ``pprof -normalize`` does),
so that runs of different lengths compare by share of the run.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

from tuiprof.model.diff_values import (
    EdgeDiff,
    Figures,
    Measure,
    Side,
    Status,
    percent_change,
)
from tuiprof.model.line_diff import LineDiff, diff_lines
from tuiprof.model.matching import NONE, Matching, match_profiles
from tuiprof.model.names import FunctionKey, label, search_text
from tuiprof.model.profile import Edge, Profile


@dataclass(eq=False, repr=False)
class ProfileDiff:
    """Two profiles, their matching and the diff rows (see the module docstring)."""

    before: Profile
    after: Profile
    matching: Matching
    normalize: bool = False
    before_ids: list[int] = field(default_factory=list)
    after_ids: list[int] = field(default_factory=list)
    _columns: dict[tuple[Measure, Side], list[float]] = field(default_factory=dict)
    _status: bytearray | None = None
    _row_of_before: list[int] | None = None
    _row_of_after: list[int] | None = None
    _scaled: tuple[list[float], list[float]] | None = None
    _keys: list[FunctionKey] | None = None
    _blocks: tuple[int, int, int] = (0, 0, 0)
    """How many rows are matched, removed and new (in that order)."""

    def __post_init__(self) -> None:
        if not self.before_ids and not self.after_ids:
            after_of = self.matching.after_of
            before_of = self.matching.before_of
            matched = list(map(NONE.__ne__, after_of))
            new = list(itertools.compress(range(len(before_of)), map(NONE.__eq__, before_of)))
            kept = list(itertools.compress(range(len(after_of)), matched))
            removed = list(itertools.compress(range(len(after_of)), map(operator.not_, matched)))
            self.before_ids = kept + removed + [NONE] * len(new)
            self.after_ids = list(itertools.compress(after_of, matched))
            self.after_ids += [NONE] * len(removed) + new
            self._blocks = (len(kept), len(removed), len(new))

    def __len__(self) -> int:
        return len(self.before_ids)

    def __repr__(self) -> str:
        return f"<ProfileDiff {self.before!r} -> {self.after!r}: {len(self)} rows>"

    # --- totals -----------------------------------------------------------------------

    @property
    def scale(self) -> float:
        """The factor applied to the before side's times (1 unless normalized, or when
        either total is 0: there is no factor that makes them match)."""
        if self.normalize and self.before.total_time and self.after.total_time:
            return self.after.total_time / self.before.total_time
        return 1.0

    @property
    def before_total(self) -> float:
        if self.scale == 1.0:
            return self.before.total_time
        return self.before.total_time * self.scale

    @property
    def after_total(self) -> float:
        return self.after.total_time

    @property
    def total_delta(self) -> float:
        return self.after_total - self.before_total

    @property
    def total_percent(self) -> float:
        return percent_change(self.before_total, self.after_total)

    # --- rows -------------------------------------------------------------------------

    @property
    def blocks(self) -> tuple[int, int, int]:
        """How many rows are matched, removed and new: the rows come in that order."""
        return self._blocks

    def keys(self) -> list[FunctionKey]:
        """Every row's :meth:`key`, built once."""
        if self._keys is None:
            matched, removed, _new = self._blocks
            after, before = self.after.keys, self.before.keys
            keys = list(map(after.__getitem__, self.after_ids[:matched]))
            keys += map(before.__getitem__, self.before_ids[matched : matched + removed])
            keys += map(after.__getitem__, self.after_ids[matched + removed :])
            self._keys = keys
        return self._keys

    def rekeyed_rows(self) -> list[int]:
        """Matched rows whose two functions have different keys (moved, or a mapped file)."""
        matched = self._blocks[0]
        kept = self.before_ids  # ascending over the matched rows
        return [bisect.bisect_left(kept, fid, 0, matched) for fid in self.matching.rekeyed]

    def key(self, row: int) -> FunctionKey:
        """The function's key: the after side's when it has one."""
        aid = self.after_ids[row]
        if aid != NONE:
            return self.after.keys[aid]
        return self.before.keys[self.before_ids[row]]

    def label(self, row: int) -> str:
        aid = self.after_ids[row]
        if aid != NONE:
            return self.after.label(aid)
        return self.before.label(self.before_ids[row])

    def before_times(self) -> tuple[list[float], list[float]]:
        """The before profile's tottime and cumtime columns, scaled when normalized."""
        if self.scale == 1.0:
            return self.before.tottime, self.before.cumtime
        if self._scaled is None:
            s = self.scale
            self._scaled = (
                [t * s for t in self.before.tottime],
                [t * s for t in self.before.cumtime],
            )
        return self._scaled

    def figures(self, row: int, after: bool) -> Figures | None:
        """A row's figures on one side, or None where the function is absent."""
        if after:
            fid = self.after_ids[row]
            if fid == NONE:
                return None
            p = self.after
            return Figures(p.ncalls[fid], p.primitive_calls[fid], p.tottime[fid], p.cumtime[fid])
        fid = self.before_ids[row]
        if fid == NONE:
            return None
        tt, ct = self.before_times()
        p = self.before
        return Figures(p.ncalls[fid], p.primitive_calls[fid], tt[fid], ct[fid])

    def status(self) -> bytearray:
        """Per row, a :class:`Status` value."""
        if self._status is None:
            matched, removed, new = self._blocks
            # SAME is 0 and CHANGED 1: whether any of the four figures differ,
            # one C-level comparison per figure, the results OR-ed as integers.
            differ = 0
            bids, aids = self.before_ids[:matched], self.after_ids[:matched]
            b, a = self.before, self.after
            tottime, cumtime = self.before_times()
            pairs: tuple[tuple[Sequence[float], Sequence[float]], ...] = (
                (b.ncalls, a.ncalls),
                (b.primitive_calls, a.primitive_calls),
                (tottime, a.tottime),
                (cumtime, a.cumtime),
            )
            for before_figures, after_figures in pairs:
                changed = map(
                    operator.ne,
                    map(before_figures.__getitem__, bids),
                    map(after_figures.__getitem__, aids),
                )
                differ |= int.from_bytes(bytes(changed), "little")
            out = bytearray(differ.to_bytes(matched, "little"))
            out += bytes([Status.REMOVED]) * removed + bytes([Status.NEW]) * new
            self._status = out
        return self._status

    def _pick(self, source: Sequence[float], after: bool) -> list[float]:
        # One value per row; an absent side reads as 0.
        matched, removed, new = self._blocks
        if after:
            ids = self.after_ids
            out = list(map(source.__getitem__, ids[:matched]))
            out += [0.0] * removed
            out += map(source.__getitem__, ids[matched + removed :])
        else:
            out = list(map(source.__getitem__, self.before_ids[: matched + removed]))
            out += [0.0] * new
        return out

    def column(self, measure: Measure, side: Side) -> list[float]:
        """One value per row (0 for an absent side), built once."""
        cached = self._columns.get((measure, side))
        if cached is not None:
            return cached
        if side is Side.DELTA:
            values = list(
                map(
                    operator.sub,
                    self.column(measure, Side.AFTER),
                    self.column(measure, Side.BEFORE),
                )
            )
        elif side is Side.PERCENT:
            values = list(
                map(
                    percent_change,
                    self.column(measure, Side.BEFORE),
                    self.column(measure, Side.AFTER),
                )
            )
        else:
            values = self._side_column(measure, side is Side.AFTER)
        self._columns[(measure, side)] = values
        return values

    def values(self, measure: Measure, side: Side, rows: Sequence[int]) -> list[float]:
        """:meth:`column`'s values for some rows, without building the column for every row."""
        cached = self._columns.get((measure, side))
        if cached is not None:
            return list(map(cached.__getitem__, rows))
        if side is Side.BEFORE or side is Side.AFTER:
            return self._side_values(measure, side is Side.AFTER, rows)
        before = self._side_values(measure, False, rows)
        after = self._side_values(measure, True, rows)
        if side is Side.DELTA:
            return list(map(operator.sub, after, before))
        return list(map(percent_change, before, after))

    def _side_values(self, measure: Measure, after: bool, rows: Sequence[int]) -> list[float]:
        profile = self.after if after else self.before
        ids = self.after_ids if after else self.before_ids
        if measure is Measure.NCALLS:
            source: Sequence[float] = profile.ncalls
        else:
            times = (profile.tottime, profile.cumtime) if after else self.before_times()
            source = times[0] if measure is Measure.TOTTIME else times[1]
        out = []
        for row in rows:
            fid = ids[row]
            out.append(0.0 if fid == NONE else source[fid])
        if measure is Measure.NCALLS:
            out = list(map(float, out))
        return out

    def _side_column(self, measure: Measure, after: bool) -> list[float]:
        profile = self.after if after else self.before
        if measure is Measure.NCALLS:
            return list(map(float, self._pick(profile.ncalls, after)))
        if after:
            source = profile.tottime if measure is Measure.TOTTIME else profile.cumtime
        else:
            tt, ct = self.before_times()
            source = tt if measure is Measure.TOTTIME else ct
        return self._pick(source, after)

    def row_of_before(self, fid: int) -> int:
        """The row of a before function."""
        if self._row_of_before is None:
            self._row_of_before = _inverse(self.before_ids, len(self.before))
        return self._row_of_before[fid]

    def row_of_after(self, fid: int) -> int:
        """The row of an after function."""
        if self._row_of_after is None:
            self._row_of_after = _inverse(self.after_ids, len(self.after))
        return self._row_of_after[fid]

    # --- edges and lines ----------------------------------------------------------------

    def callers(self, row: int) -> list[EdgeDiff]:
        """The row's callers, each edge's figures before and after."""
        return self._edges(row, callers=True)

    def callees(self, row: int) -> list[EdgeDiff]:
        """The row's callees, each edge's figures before and after."""
        return self._edges(row, callers=False)

    def _edges(self, row: int, callers: bool) -> list[EdgeDiff]:
        # Edges are joined on the far end's row; a far end in neither profile
        # stays one edge per side, keyed by its recorded key.
        found: dict[object, tuple[int, FunctionKey, list[Figures | None]]] = {}
        scale = self.scale
        for after in (False, True):
            fid = (self.after_ids if after else self.before_ids)[row]
            if fid == NONE:
                continue
            profile = self.after if after else self.before
            edges = profile.callers(fid) if callers else profile.callees(fid)
            for edge in edges:
                other = self._edge_row(edge, after)
                slot: object = other if other != NONE else (after, edge.other_key)
                key = self.key(other) if other != NONE else edge.other_key
                entry = found.setdefault(slot, (other, key, [None, None]))
                entry[2][1 if after else 0] = _edge_figures(edge, 1.0 if after else scale)
        out = [EdgeDiff(other, key, sides[0], sides[1]) for other, key, sides in found.values()]
        out.sort(key=lambda e: (-abs(e.delta(Measure.CUMTIME)), e.key))
        return out

    def _edge_row(self, edge: Edge, after: bool) -> int:
        if edge.other == -1:
            return NONE
        return self.row_of_after(edge.other) if after else self.row_of_before(edge.other)

    def line_diff(self, row: int, lengths: tuple[int, int] | None = None) -> LineDiff | None:
        """The per-line diff of a function with line data on both sides, else None.

        Lines are aligned by their offset from the function's first line.
        ``lengths`` (before, after), the function's line counts from its
        source, decide whether its length changed; without them, the offset of
        the last line with data on each side does.
        """
        bid, aid = self.before_ids[row], self.after_ids[row]
        if bid == NONE or aid == NONE:
            return None
        before = self.before.lines.get(bid)
        after = self.after.lines.get(aid)
        if before is None or after is None:
            return None
        return diff_lines(before, after, lengths)

    def row_text(self, row: int) -> str:
        """What the filter searches: the function table's search text of the row's key."""
        return search_text(self.key(row))


def _inverse(ids: Sequence[int], size: int) -> list[int]:
    out = [NONE] * size
    for row, fid in enumerate(ids):
        if fid != NONE:
            out[fid] = row
    return out


def _edge_figures(edge: Edge, scale: float) -> Figures:
    return Figures(edge.ncalls, edge.primitive_calls, edge.tottime * scale, edge.cumtime * scale)


def diff_profiles(
    before: Profile,
    after: Profile,
    *,
    normalize: bool = False,
    path_maps: Sequence[tuple[str, str]] = (),
) -> ProfileDiff:
    """Match two profiles' functions and diff them."""
    return ProfileDiff(before, after, match_profiles(before, after, path_maps), normalize)


def describe_key(key: FunctionKey) -> str:
    """``name  file:line`` of a key (for edges whose far end is in neither profile)."""
    return label(key)


__all__ = [
    "EdgeDiff",
    "Figures",
    "Measure",
    "ProfileDiff",
    "Side",
    "Status",
    "describe_key",
    "diff_profiles",
    "percent_change",
]
