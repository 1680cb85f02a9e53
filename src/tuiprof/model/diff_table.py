"""Which diff rows show, in which order: sort, filter, hide.

The diff's counterpart of :class:`~tuiprof.model.table.FunctionTableModel`:
row numbers of a :class:`~tuiprof.model.diff.ProfileDiff`, sorted by one of
its columns (one C-level ``sorted`` per column, cached), filtered with the
function table's terms, hidden with its toggles.
"""

from __future__ import annotations

import bisect
import collections
import gc
import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from tuiprof.model.diff import Measure, ProfileDiff, Side
from tuiprof.model.names import search_text
from tuiprof.model.session import FREEZE_ABOVE
from tuiprof.model.table import (
    compile_terms,
    function_kind,
    hidden_bits,
    narrows,
    set_toggles,
)

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
    _filter_cache: tuple[str, list[int]] | None = field(default=None, repr=False)
    _names: list[str] | None = field(default=None, repr=False)

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
        n = len(self.diff)
        status = self.diff.status()  # SAME is 0
        rows = list(itertools.compress(range(n), status))
        by_row = dict(zip(rows, self.diff.values(*column, rows), strict=True))
        changed = sorted(rows, key=by_row.__getitem__, reverse=True)
        picked = list(map(by_row.__getitem__, changed))
        # picked runs from largest to smallest: find where the zeros start and end.
        start = bisect.bisect_left(picked, 0.0, key=operator.neg)
        end = bisect.bisect_right(picked, 0.0, key=operator.neg)
        same = itertools.compress(range(n), map(operator.not_, status))
        zeros = sorted([*changed[start:end], *same])
        return changed[:start] + zeros + changed[end:]

    def _key(self, column: DiffColumn) -> Callable[[int], Any]:
        if isinstance(column, str):
            if self._names is None:
                self._names = list(map(str.lower, map(itemgetter(2), self.diff.keys())))
            return self._names.__getitem__
        return self.diff.column(*column).__getitem__

    def kinds(self) -> bytearray:
        """Per row, the hide-toggle bits of its function."""
        if self._kinds is None:
            self._kinds = bytearray(map(function_kind, self.diff.keys()))
        return self._kinds

    def texts(self) -> list[str]:
        """Per row, what the filter searches (the function table's search text)."""
        if self._texts is None:
            self._texts = list(map(search_text, self.diff.keys()))
        return self._texts

    def prepare(self, columns: Iterable[DiffColumn] = ()) -> None:
        """Build the filter's texts, the hide-toggle kinds and the orders of ``columns``.

        Meant for a thread after the first screen: afterwards a filter
        keystroke, a toggle or a sort by one of those columns only picks from
        what is ready.
        """
        self.texts()
        self.kinds()
        for column in columns:
            self.order(column)
        if len(self.diff) >= FREEZE_ABOVE:
            # The diff's columns and these orders live as long as the screen:
            # out of the collector's sight, a full collection stops walking
            # their millions of entries (a third of a second at 300,000 rows).
            gc.freeze()

    def _filtered(self, text: str) -> list[int]:
        """Rows whose text matches every term, in row order."""
        texts = self.texts()
        candidates: Sequence[int] = range(len(texts))
        # Typing one more character narrows the last result: start from it.
        if self._filter_cache is not None:
            previous, found = self._filter_cache
            if previous.split() and narrows(previous, text):
                candidates = found
        for matches in compile_terms(text):
            candidates = list(
                itertools.compress(candidates, map(matches, map(texts.__getitem__, candidates)))
            )
        found_now = list(candidates)
        self._filter_cache = (text, found_now)
        return found_now

    def _compute_rows(self) -> list[int]:
        q = self.query
        filtering = bool(q.filter_text.split())
        hidden = hidden_bits(q)
        if not filtering and not hidden:
            return self._ordered()
        n = len(self.diff)
        shown = map(operator.not_, map(hidden.__and__, self.kinds())) if hidden else None
        if filtering:
            found = self._filtered(q.filter_text)
            if len(found) < n // 64:
                # Few rows left: sorting them is cheaper than a pass along the order.
                if hidden:
                    kinds = self.kinds()
                    found = [row for row in found if not kinds[row] & hidden]
                return self._sorted(found)
            keep = bytearray(n)
            collections.deque(map(keep.__setitem__, found, itertools.repeat(1)), maxlen=0)
            if shown is not None:
                keep = bytearray(map(operator.and_, keep, shown))
        else:
            assert shown is not None  # hidden, not filtering
            keep = bytearray(shown)
        # One flag per row, then one C-level pick along the order.
        order = self._ordered()
        return list(itertools.compress(order, map(keep.__getitem__, order)))

    def _ordered(self) -> list[int]:
        order = self.order(self.query.sort)
        return order[::-1] if self.query.reverse else order

    def _sorted(self, rows: list[int]) -> list[int]:
        """Rows (ascending) in the order of the sorted column, as :meth:`order` puts them.

        Both sorts are stable from row order, so ties keep the same order.
        """
        column = self.query.sort
        ordered = sorted(rows, key=self._key(column), reverse=column != NAME)
        return ordered[::-1] if self.query.reverse else ordered
