"""The first screen's rows of a big profile, found without sorting them all."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any, overload

from tuiprof.model.table import DESCENDING_FIRST, FunctionTableModel, sort_key_function

FIRST_ROWS_ABOVE = 20_000
"""Above this many functions, the first screen sorts only its :data:`FIRST_ROWS`."""
FIRST_ROWS = 256
"""How many top rows the first screen finds without sorting them all."""


class FirstRows(Sequence[int]):
    """The model's rows for its first query, the top ones found without a full sort.

    Sorting 300,000 functions takes about a tenth of a second; the first
    screen shows forty. ``heapq.nlargest`` gives the same rows as the first
    ``count`` of the sorted order (ties in the same order); a row past them,
    or a search, takes the model's full order.
    """

    def __init__(self, model: FunctionTableModel, count: int) -> None:
        self.model = model
        query = model.query
        key = sort_key_function(model.profile, query.sort)
        candidates = range(len(model.profile))
        if query.sort in DESCENDING_FIRST:
            self.top = heapq.nlargest(count, candidates, key=key)
        else:
            self.top = heapq.nsmallest(count, candidates, key=key)

    def __len__(self) -> int:
        return len(self.model.profile)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        if isinstance(index, int) and 0 <= index < len(self.top):
            return self.top[index]
        return self.model.rows[index]

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        if start == 0 and stop is None and value in self.top:
            return self.top.index(value)
        return self.model.rows.index(value, start, len(self) if stop is None else stop)
