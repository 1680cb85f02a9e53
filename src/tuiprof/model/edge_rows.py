"""The edges at one end of a function, sorted like the function table.

A function with 10,000 callers sorts its 10,000 pstats records as they are
and makes an :class:`~tuiprof.model.profile.Edge` only for the rows that are
looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, overload

from tuiprof.model.profile import Edge, Profile, RawEdge, edge_figures, edge_from_raw
from tuiprof.model.table import SortKey, sort_values

Side = Literal["callers", "callees"]


class EdgeRows(Sequence[Edge]):
    """The edges at one end of a function, in display order.

    The hub of a big profile has tens of thousands of callers; a table shows
    a screenful. The profile's records are sorted by position, and an
    :class:`Edge` is made only for a row that is looked at.
    """

    def __init__(
        self,
        ends: list[Any],
        raws: list[RawEdge],
        make: Callable[[Any, RawEdge], Edge],
        name_of: Callable[[Any], str],
    ) -> None:
        self._ends = ends
        """The far end of each edge, as the profile names it (key or number)."""
        self._raws = raws
        self._make = make
        self._name_of = name_of
        self._order = list(range(len(raws)))
        """Positions in ``ends`` and ``raws``, in display order."""
        self._made: dict[int, Edge] = {}

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> Edge: ...

    @overload
    def __getitem__(self, index: slice) -> list[Edge]: ...

    def __getitem__(self, index: int | slice) -> Edge | list[Edge]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._order)))]
        at = self._order[index]
        edge = self._made.get(at)
        if edge is None:
            edge = self._made[at] = self._make(self._ends[at], self._raws[at])
        return edge

    def sort(self, key: SortKey, reverse: bool) -> None:
        """Sort by ``key``; ties keep their order from the last sort, as ``list.sort``."""
        # One C-level pass turns the records into the four figure columns.
        columns = tuple(zip(*map(edge_figures, self._raws), strict=True)) or ((), (), (), ())
        ncalls, primitive_calls, tottime, cumtime = columns
        values = sort_values(
            key,
            ncalls,
            primitive_calls,
            tottime,
            cumtime,
            lambda: list(map(self._name_of, self._ends)),
        )
        self._order.sort(key=values.__getitem__, reverse=reverse)

    def item(self, index: int) -> int:
        """What row ``index`` shows, to find it again after a sort."""
        return self._order[index]

    def position(self, item: int) -> int:
        """The row that shows ``item`` now."""
        return self._order.index(item)


def edge_rows(profile: Profile, side: Side, fid: int | None) -> EdgeRows:
    """The edges :meth:`Profile.callers` or :meth:`Profile.callees` gives, made row by row.

    No function (``None``) has no edges.
    """
    if fid is None:
        return EdgeRows([], [], lambda end, raw: edge_from_raw(-1, end, raw), str)
    if side == "callers":
        # No new tuple per edge: the dictionary's own keys and values.
        callers = profile.checked_callers()[fid]
        find = profile.index.get
        return EdgeRows(
            list(callers),
            list(callers.values()),
            lambda key, raw: edge_from_raw(find(key, -1), key, raw),
            lambda key: key[2],
        )
    keys = profile.keys
    callees = profile.callee_index()[fid]
    return EdgeRows(
        [other for other, _ in callees],
        [raw for _, raw in callees],
        lambda other, raw: edge_from_raw(other, keys[other], raw),
        lambda other: keys[other][2],
    )
