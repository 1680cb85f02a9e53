"""``tuiprof stats --json``: one JSON document of a profile's figures.

JSON keeps the raw names: JSON escapes control characters, and ``ensure_ascii``
writes a lone surrogate as its ``\\u`` escape, which RFC 8259's grammar allows
and a JSON reader gives back as the same string. The document is always RFC
8259 JSON: no NaN or infinity (a figure that is not finite, or an integer too
long to print, is null), and caller keys of odd types are written as text.
Written function by function, so a big profile never becomes one string.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, TextIO

from tuiprof.model.names import FunctionKey
from tuiprof.model.profile import Profile


def write_json(profile: Profile, fids: Sequence[int], out: TextIO) -> None:
    """One JSON document, written function by function (raw seconds and counts)."""
    out.write('{"total_time": ')
    out.write(_dumps(json_number(profile.total_time)))
    out.write(', "functions": [')
    for i, fid in enumerate(fids):
        if i:
            out.write(", ")
        out.write(_dumps(function_json(profile, fid)))
    out.write("]}\n")
    out.flush()


def _dumps(value: Any) -> str:
    # ASCII only: a lone surrogate becomes its escape instead of failing to encode.
    return json.dumps(value, ensure_ascii=True, allow_nan=False)


JSON_INT_BITS = 10_000
"""Larger integers are written as null: Python refuses to print over 4,300 digits."""


def json_number(value: Any) -> Any:
    """A figure as JSON can hold it: non-finite floats and unprintable integers become null.

    The loaders refuse NaN and infinity, but a figure computed from finite
    ones can still overflow (a sum of merged files).
    """
    if type(value) is bool:
        return int(value)
    if isinstance(value, int):
        return value if value.bit_length() <= JSON_INT_BITS else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return None


def json_text(value: Any) -> str:
    """A name or file name: the raw string, or the text of an odd caller-key part."""
    if isinstance(value, str):
        return value
    try:
        return repr(value) if isinstance(value, bytes) else str(value)
    except ValueError:  # an integer too long to print
        return "?"


def _key_json(key: FunctionKey) -> dict[str, Any]:
    file, line, name = key
    line_json = json_number(line) if isinstance(line, int) else json_text(line)
    return {"file": json_text(file), "line": line_json, "name": json_text(name)}


def function_json(profile: Profile, fid: int) -> dict[str, Any]:
    """A function's figures as pstats stores them; ``lines`` when there is line data.

    Edges from the ``profile`` module carry only a call count: their times are null.
    """
    entry = _key_json(profile.keys[fid])
    entry.update(
        ncalls=json_number(profile.ncalls[fid]),
        primitive_calls=json_number(profile.primitive_calls[fid]),
        tottime=json_number(profile.tottime[fid]),
        cumtime=json_number(profile.cumtime[fid]),
        callers=[
            {
                **_key_json(edge.other_key),
                "ncalls": json_number(edge.ncalls),
                "primitive_calls": json_number(edge.primitive_calls),
                "tottime": json_number(edge.tottime) if edge.timed else None,
                "cumtime": json_number(edge.cumtime) if edge.timed else None,
            }
            for edge in profile.callers(fid)
        ],
    )
    lines = profile.lines.get(fid)
    if lines is not None:
        entry["lines"] = [
            {
                "line": json_number(t.line),
                "hits": json_number(t.hits),
                "time": json_number(t.seconds),
            }
            for t in lines.lines
        ]
    return entry
