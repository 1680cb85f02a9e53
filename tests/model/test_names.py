"""How functions show themselves: labels, short paths, kinds."""

from __future__ import annotations

import pytest

from tuiprof.model.names import (
    fit_label,
    is_builtin,
    is_import_system,
    is_stdlib,
    label,
    short_path,
)


@pytest.mark.parametrize(
    ("path", "short"),
    [
        ("/venv/lib/python3.12/site-packages/rich/text.py", "site-packages/rich/text.py"),
        ("/usr/lib/python3/dist-packages/apt/cache.py", "dist-packages/apt/cache.py"),
        ("/usr/lib/python3.12/json/decoder.py", "python3.12/json/decoder.py"),
        ("/opt/py/lib/python3.13t/json/decoder.py", "python3.13t/json/decoder.py"),
        ("C:\\Python312\\Lib\\site-packages\\x\\y.py", "site-packages/x\\y.py"),
        ("/home/me/project/app.py", "/home/me/project/app.py"),
        ("/home/me/library/app.py", "/home/me/library/app.py"),
    ],
)
def test_short_path(path: str, short: str) -> None:
    assert short_path(path) == short


def test_labels() -> None:
    assert label(("/home/me/app.py", 12, "main")) == "main  /home/me/app.py:12"
    assert label(("~", 0, "<built-in method builtins.len>")) == "<built-in method builtins.len>"
    assert label(("", 0, "max")) == "max"  # the profile module's built-ins


def test_kinds() -> None:
    assert is_builtin(("~", 0, "len")) and not is_builtin(("~", 3, "x"))
    frozen = ("<frozen importlib._bootstrap>", 1, "_find_and_load")
    assert is_import_system(frozen) and is_stdlib(frozen)
    assert is_stdlib(("/usr/lib/python3.12/json/decoder.py", 1, "f"))
    assert not is_stdlib(("/venv/lib/python3.12/site-packages/rich/text.py", 1, "f"))
    assert not is_stdlib(("/home/me/app.py", 1, "f"))


@pytest.mark.parametrize(
    ("width", "text"),
    [
        (60, "render  site-packages/rich/console.py:1234"),
        (30, "render  …/rich/console.py:1234"),
        (16, "render  …py:1234"),
        (13, "rend…  …:1234"),
        (8, "render …"),
        (1, "…"),
    ],
)
def test_fit_label_shortens_the_path_from_the_left_and_keeps_the_line(
    width: int, text: str
) -> None:
    assert fit_label("render  site-packages/rich/console.py:1234", width) == text
    assert len(text) <= width


def test_fit_label_of_a_builtin_cuts_its_end() -> None:
    assert fit_label("<built-in method builtins.len>", 10) == "<built-in…"
