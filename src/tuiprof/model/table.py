"""Which functions the table shows, in which order: sort, filter, hide.

Everything here works on function numbers and the profile's columns, so a
sort of 300,000 functions is one C-level ``sorted`` call and a filter
keystroke is one pass over cached lower-case strings. Sort orders are cached
per column; reversing one is free.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, Protocol

from tuiprof.model.format import per_call as per_call  # the sort keys and the edge tables share it
from tuiprof.model.names import (
    FunctionKey,
    is_builtin,
    is_import_system,
    is_stdlib,
    search_text,
)
from tuiprof.model.profile import Profile


class SortKey(enum.Enum):
    """A column to sort the function table by (keys ``1``–``6``)."""

    NCALLS = "ncalls"
    TOTTIME = "tottime"
    TOTTIME_PERCALL = "percall"
    CUMTIME = "cumtime"
    CUMTIME_PERCALL = "cumpercall"
    NAME = "name"
    FILE = "file"

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    SortKey.NCALLS: "ncalls",
    SortKey.TOTTIME: "tottime",
    SortKey.TOTTIME_PERCALL: "tottime per call",
    SortKey.CUMTIME: "cumtime",
    SortKey.CUMTIME_PERCALL: "cumtime per call",
    SortKey.NAME: "name",
    SortKey.FILE: "file",
}


def sort_values(
    key: SortKey,
    ncalls: Sequence[int],
    primitive_calls: Sequence[int],
    tottime: Sequence[float],
    cumtime: Sequence[float],
    names: Callable[[], list[str]],
) -> Sequence[Any]:
    """What rows sort on for one of the six columns, by position.

    The function table passes the profile's columns, an edge table its edges'
    figures: both sort by the same rule. pstats divides tottime by all calls
    but cumtime by primitive calls, so that recursion does not count the same
    time twice. Columns are handed back as they are, with no copy.
    """
    if key is SortKey.NCALLS:
        return ncalls
    if key is SortKey.TOTTIME:
        return tottime
    if key is SortKey.CUMTIME:
        return cumtime
    if key is SortKey.TOTTIME_PERCALL:
        return list(map(per_call, tottime, ncalls))
    if key is SortKey.CUMTIME_PERCALL:
        return list(map(per_call, cumtime, primitive_calls))
    if key is SortKey.NAME:
        return [name.lower() for name in names()]
    raise ValueError(f"no sort values for {key}")


def sort_key_function(profile: Profile, key: SortKey) -> Callable[[int], Any]:
    """A key function over function numbers for ``sorted``."""
    if key is SortKey.FILE:
        keys = profile.keys
        return lambda fid: (keys[fid][0], keys[fid][1])
    p = profile
    values = sort_values(
        key, p.ncalls, p.primitive_calls, p.tottime, p.cumtime, lambda: [k[2] for k in p.keys]
    )
    return values.__getitem__


# Numbers read best largest first; names alphabetically.
DESCENDING_FIRST = frozenset(
    {
        SortKey.NCALLS,
        SortKey.TOTTIME,
        SortKey.TOTTIME_PERCALL,
        SortKey.CUMTIME,
        SortKey.CUMTIME_PERCALL,
    }
)


BUILTIN = 1
IMPORT_SYSTEM = 2
STDLIB = 4


def function_kind(key: FunctionKey) -> int:
    """The hide-toggle bits that apply to a function."""
    kind = BUILTIN if is_builtin(key) else 0
    if is_import_system(key):
        kind |= IMPORT_SYSTEM
    if is_stdlib(key):
        kind |= STDLIB
    return kind


class HideToggles(Protocol):
    """What a table query says is hidden (the function table's and the diff's)."""

    hide_import_system: bool
    hide_stdlib: bool
    hide_builtins: bool


class FilterAndToggles(HideToggles, Protocol):
    """A table query's filter and hide toggles."""

    filter_text: str


def hidden_bits(query: HideToggles) -> int:
    """The :func:`function_kind` bits of the functions the query hides."""
    return (
        (BUILTIN if query.hide_builtins else 0)
        | (IMPORT_SYSTEM if query.hide_import_system else 0)
        | (STDLIB if query.hide_stdlib else 0)
    )


def set_toggles(
    query: HideToggles,
    import_system: bool | None,
    stdlib: bool | None,
    builtins: bool | None,
) -> None:
    """Set the toggles that are given (not None); the others stay."""
    if import_system is not None:
        query.hide_import_system = import_system
    if stdlib is not None:
        query.hide_stdlib = stdlib
    if builtins is not None:
        query.hide_builtins = builtins


class FilterError(ValueError):
    """A filter term that is not a valid regular expression."""


Matcher = Callable[[str], object]
"""A filter term's test of a search text: a true result (a match) when the term matches."""


def compile_terms(text: str) -> list[Matcher]:
    """Split a filter into AND-ed terms, each a substring or a regular expression.

    A term is taken literally unless it holds regex characters, in which case
    it is compiled (case-insensitive). Terms are matched against the name and
    the ``path:line`` separately (:func:`~tuiprof.model.names.search_text`):
    ``^`` and ``$`` anchor to either one. Each test is a compiled pattern's
    ``search`` (a literal term's too, lower-cased, on the lower-case text), so
    that ``map`` runs it over 300,000 texts without a Python call per text.
    """
    matchers: list[Matcher] = []
    for term in text.split():
        if re.escape(term) == term:
            matchers.append(re.compile(re.escape(term.lower())).search)
        else:
            try:
                pattern = re.compile(term, re.IGNORECASE | re.MULTILINE)
            except re.error as error:
                raise FilterError(f"bad regular expression {term!r}: {error}") from None
            matchers.append(pattern.search)
    return matchers


@dataclass
class TableQuery:
    """The table's state: sort, direction, filter and what is hidden."""

    sort: SortKey = SortKey.TOTTIME
    reverse: bool = False
    """True when the sort runs opposite to the column's natural direction."""
    filter_text: str = ""
    hide_import_system: bool = False
    hide_stdlib: bool = False
    hide_builtins: bool = False


@dataclass
class FunctionTableModel:
    """Rows of the function table for a profile and a :class:`TableQuery`."""

    profile: Profile = field(repr=False)
    query: TableQuery = field(default_factory=TableQuery)
    _orders: dict[SortKey, list[int]] = field(default_factory=dict, repr=False)
    _texts: list[str] | None = field(default=None, repr=False)
    _filter_cache: tuple[str, list[int]] | None = field(default=None, repr=False)
    _rows: list[int] | None = field(default=None, repr=False)
    _kinds: bytearray | None = field(default=None, repr=False)

    @property
    def rows(self) -> Sequence[int]:
        """Function numbers in display order."""
        if self._rows is None:
            self._rows = self._compute_rows()
        return self._rows

    def set_sort(self, key: SortKey) -> None:
        """Sort by a column; the same column again reverses the direction."""
        if key is self.query.sort:
            self.query.reverse = not self.query.reverse
        else:
            self.query.sort = key
            self.query.reverse = False
        self._rows = None

    def set_filter(self, text: str) -> None:
        """Filter by AND-ed terms; raises :class:`FilterError` on a bad regex."""
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

    def invalidate(self) -> None:
        """Forget cached orders (after the profile's columns changed)."""
        self._orders.clear()
        self._texts = None
        self._kinds = None
        self._filter_cache = None
        self._rows = None

    def order(self, key: SortKey) -> list[int]:
        """All function numbers in the column's natural order (cached)."""
        cached = self._orders.get(key)
        if cached is None:
            n = len(self.profile)
            descending = key in DESCENDING_FIRST
            # Ties fall back to function number, so the order is stable and
            # the same on every run.
            cached = sorted(range(n), key=sort_key_function(self.profile, key), reverse=descending)
            self._orders[key] = cached
        return cached

    def _visible(self) -> list[int] | None:
        """Function numbers passing the filter and hide toggles, or None for all."""
        q = self.query
        keep: list[int] | None = None
        if q.filter_text.split():
            keep = self._filtered(q.filter_text)
        hidden = hidden_bits(q)
        if hidden:
            kinds = self.kinds()
            candidates = range(len(kinds)) if keep is None else keep
            keep = [fid for fid in candidates if not kinds[fid] & hidden]
        return keep

    def prepare(self) -> None:
        """Build every cache ahead of use (meant for a background thread).

        Sort orders of the numeric and name columns, the filter's search
        strings and the hide-toggle kinds: afterwards a sort key, a filter
        keystroke or a toggle only picks from what is ready.
        """
        for key in SortKey:
            if key is not SortKey.FILE:
                self.order(key)
        if self._texts is None:
            self._texts = [search_text(k) for k in self.profile.keys]
        self.kinds()

    def kinds(self) -> bytearray:
        """Per function, the bits :data:`BUILTIN`, :data:`IMPORT_SYSTEM`, :data:`STDLIB`.

        Worked out once, so that a hide toggle is one pass over a bytearray.
        """
        if self._kinds is None or len(self._kinds) != len(self.profile):
            self._kinds = bytearray(map(function_kind, self.profile.keys))
        return self._kinds

    def _filtered(self, text: str) -> list[int]:
        if self._texts is None:
            self._texts = [search_text(k) for k in self.profile.keys]
        texts = self._texts
        candidates: Sequence[int] = range(len(texts))
        # Typing one more character narrows the last result: start from it.
        if self._filter_cache is not None:
            previous, found = self._filter_cache
            if previous.split() and narrows(previous, text):
                candidates = found
        found_now = list(candidates)
        for matches in compile_terms(text):
            found_now = list(compress(found_now, map(matches, map(texts.__getitem__, found_now))))
        self._filter_cache = (text, found_now)
        return found_now

    def _compute_rows(self) -> list[int]:
        order = self.order(self.query.sort)
        if self.query.reverse:
            order = order[::-1]
        visible = self._visible()
        if visible is None:
            return order
        if len(visible) < len(order) // 64:
            # Few survivors: sorting them is cheaper than scanning the order.
            key = sort_key_function(self.profile, self.query.sort)
            ordered = sorted(visible, key=key, reverse=self.query.sort in DESCENDING_FIRST)
            return ordered[::-1] if self.query.reverse else ordered
        mask = bytearray(len(order))
        for fid in visible:
            mask[fid] = 1
        return [fid for fid in order if mask[fid]]


def narrows(previous: str, text: str) -> bool:
    """True when every match of ``text`` is also a match of ``previous``.

    Holds when ``text`` only adds characters to the last literal term or adds
    terms; regex terms never narrow (``a`` then ``a|b`` widens).
    """
    old, new = previous.split(), text.split()
    if len(new) < len(old) or not old:
        return False
    for i, term in enumerate(old):
        if re.escape(term) != term:
            return False
        if i < len(old) - 1 and new[i] != term:
            return False
    last = new[len(old) - 1]
    return re.escape(last) == last and term.lower() in last.lower()
