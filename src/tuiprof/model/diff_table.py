"""Which diff rows show, in which order: sort, filter, hide.

The diff's counterpart of :class:`~tuiprof.model.table.FunctionTableModel`:
row numbers of a :class:`~tuiprof.model.diff.ProfileDiff`, sorted by one of
its columns (one C-level ``sorted`` per column, cached), filtered with the
function table's terms, hidden with its toggles.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tuiprof.model.diff import Measure, ProfileDiff, Side
from tuiprof.model.table import compile_terms, function_kind, hidden_bits, set_toggles

NAME = "name"
"""The sort column for function names (the other columns are ``(Measure, Side)``)."""

DiffColumn = tuple[Measure, Side] | str
"""A sort column: a measure on one side (or its delta), or :data:`NAME`."""

DEFAULT_SORT: DiffColumn = (Measure.TOTTIME, Side.DELTA)

SORT_CHOICES: dict[str, DiffColumn] = {
    "name": NAME,
    **{
        f"{measure.value}{'' if side is Side.AFTER else '-' + side.value}": (measure, side)
        for measure in Measure
        for side in Side
    },
}
"""Column names as the command line spells them: ``tottime`` (after), ``tottime-before``,
``tottime-delta``, ``tottime-percent``, and so on."""


@dataclass
class DiffQuery:
    """The diff table's state."""

    sort: DiffColumn = DEFAULT_SORT
    reverse: bool = False
    """True when the sort runs opposite to its natural direction (largest first)."""
    filter_text: str = ""
    hide_import_system: bool = False
    hide_stdlib: bool = False
    hide_builtins: bool = False


@dataclass
class DiffTableModel:
    """Rows of the diff table for a diff and a :class:`DiffQuery`."""

    diff: ProfileDiff = field(repr=False)
    query: DiffQuery = field(default_factory=DiffQuery)
    _orders: dict[DiffColumn, list[int]] = field(default_factory=dict, repr=False)
    _texts: list[str] | None = field(default=None, repr=False)
    _kinds: bytearray | None = field(default=None, repr=False)
    _rows: list[int] | None = field(default=None, repr=False)

    @property
    def rows(self) -> Sequence[int]:
        """Row numbers in display order."""
        if self._rows is None:
            self._rows = self._compute_rows()
        return self._rows

    def set_sort(self, column: DiffColumn) -> None:
        """Sort by a column; the same column again reverses the direction."""
        if column == self.query.sort:
            self.query.reverse = not self.query.reverse
        else:
            self.query.sort = column
            self.query.reverse = False
        self._rows = None

    def set_filter(self, text: str) -> None:
        """Filter by AND-ed terms; raises :class:`~tuiprof.model.table.FilterError`."""
        compile_terms(text)
        self.query.filter_text = text
        self._rows = None

    def set_hidden(
        self,
        *,
        import_system: bool | None = None,
        stdlib: bool | None = None,
        builtins: bool | None = None,
    ) -> None:
        set_toggles(self.query, import_system, stdlib, builtins)
        self._rows = None

    def order(self, column: DiffColumn) -> list[int]:
        """Every row in the column's natural order: numbers largest first, names A-Z."""
        cached = self._orders.get(column)
        if cached is None:
            if isinstance(column, tuple) and column[1] in (Side.DELTA, Side.PERCENT):
                cached = self._order_around_zero(column)
            else:
                key = self._key(column)
                cached = sorted(range(len(self.diff)), key=key, reverse=column != NAME)
            self._orders[column] = cached
        return cached

    def _order_around_zero(self, column: tuple[Measure, Side]) -> list[int]:
        """A delta column's order, sorting only the rows that changed.

        The rows of unchanged functions (most rows) have a delta of 0: they go
        between the positive and the negative deltas in row order, where the
        stable sort of every row would put them.
        """
        values = self.diff.column(*column)
        status = self.diff.status()  # SAME is 0
        changed = sorted(
            itertools.compress(range(len(values)), status), key=values.__getitem__, reverse=True
        )
        picked = list(map(values.__getitem__, changed))
        # picked runs from largest to smallest: find where the zeros start and end.
        start = bisect.bisect_left(picked, 0.0, key=operator.neg)
        end = bisect.bisect_right(picked, 0.0, key=operator.neg)
        same = itertools.compress(range(len(values)), map(operator.not_, status))
        zeros = sorted([*changed[start:end], *same])
        return changed[:start] + zeros + changed[end:]

    def _key(self, column: DiffColumn) -> Callable[[int], Any]:
        if isinstance(column, str):
            names = [self.diff.key(row)[2].lower() for row in range(len(self.diff))]
            return names.__getitem__
        return self.diff.column(*column).__getitem__

    def kinds(self) -> bytearray:
        """Per row, the hide-toggle bits of its function."""
        if self._kinds is None:
            diff = self.diff
            self._kinds = bytearray(function_kind(diff.key(row)) for row in range(len(diff)))
        return self._kinds

    def _compute_rows(self) -> list[int]:
        order = self.order(self.query.sort)
        if self.query.reverse:
            order = order[::-1]
        q = self.query
        hidden = hidden_bits(q)
        if hidden:
            kinds = self.kinds()
            order = [row for row in order if not kinds[row] & hidden]
        if q.filter_text.split():
            if self._texts is None:
                self._texts = [self.diff.row_text(row) for row in range(len(self.diff))]
            texts = self._texts
            for matches in compile_terms(q.filter_text):
                order = [row for row in order if matches(texts[row])]
        return order
