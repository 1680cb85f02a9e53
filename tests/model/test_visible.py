"""Names made safe for the terminal: shown as escapes, never sent."""

from __future__ import annotations

import pytest

from tuiprof.model.names import label, visible, visible_name, visible_source

HOSTILE = {
    "osc52 clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "title": "\x1b]0;pwned\x07",
    "clear screen": "\x1b[2J\x1b[H",
    "csi c1": "\x9b31m",
    "osc c1": "\x9d0;t\x9c",
    "carriage return": "a\rb",
    "line feed": "a\nb",
    "nel": "a\x85b",
    "delete": "a\x7fb",
    "nul": "a\x00b",
    "line separator": "a\u2028b",
    "bidi override": "a\u202eb",
    "lone surrogate": "a\ud800b",
    "low surrogate": "a\udcffb",
}


def is_terminal_safe(text: str) -> bool:
    """No character a terminal acts on, one line, and encodable as UTF-8."""
    text.encode("utf-8")  # raises on a surrogate
    return all(
        not (ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029\u202e") for ch in text
    )


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_is_shown_not_sent(text: str) -> None:
    shown = visible(text)
    assert is_terminal_safe(shown)
    assert shown != text
    assert visible(shown) == shown  # made safe once is safe


def test_the_escapes_read_like_python_escapes() -> None:
    assert visible("\x1b]0;t\x07") == "\\x1b]0;t\\x07"
    assert visible("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert visible("\ud800") == "\\ud800"
    assert visible("\x9b") == "\\x9b"
    assert visible("\u202e") == "\\u202e"


def test_ordinary_text_is_unchanged() -> None:
    for text in ("<module>", "Shape.area", "µs ünïcödé 名前", "C:\\src\\app.py", "λ"):
        assert visible(text) == text


def test_a_label_is_one_safe_line() -> None:
    key = ("/src/\x1b[2Japp\n.py", 3, "run\r\x1b]52;c;eA==\x07")
    shown = label(key)
    assert is_terminal_safe(shown) and "\n" not in shown
    assert shown == "run\\r\\x1b]52;c;eA==\\x07  /src/\\x1b[2Japp\\n.py:3"
    assert visible_name(key) == "run\\r\\x1b]52;c;eA==\\x07"
    assert label(("~", 0, "<built-in \ud800>")) == "<built-in \\ud800>"


def test_source_lines_keep_their_tabs() -> None:
    assert visible_source("\tx = '\x1b[2J'\t# c") == "\tx = '\\x1b[2J'\t# c"
