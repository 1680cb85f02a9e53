"""The warm-up imports what the views not shown yet need, so their first show does not wait."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from tests.app.test_key_bursts import settle, small_app
from tuiprof.views.diff_registry import DIFF_VIEWS
from tuiprof.views.registry import VIEWS, ViewSpec

SPECS: list[ViewSpec[object]] = [*VIEWS.values(), *DIFF_VIEWS.values()]  # type: ignore[list-item]


def lazy_imports(spec: ViewSpec[object]) -> list[str]:
    """The modules ``spec``'s maker imports when the view is first built."""
    return [
        line.split()[1]
        for line in inspect.getsource(spec.make).splitlines()
        if line.strip().startswith("from tuiprof.views.")
    ]


@pytest.mark.parametrize("spec", [s for s in SPECS if s.imports], ids=lambda spec: spec.id)
def test_a_view_preloads_the_modules_its_maker_imports(spec: ViewSpec[object]) -> None:
    assert list(spec.imports) == lazy_imports(spec)


def test_the_views_first_built_on_a_key_preload_their_modules() -> None:
    assert all(VIEWS[view].imports for view in ("tree", "source", "icicle"))
    assert DIFF_VIEWS["icicle"].imports


async def test_the_warm_up_imports_every_views_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported: list[str] = []
    monkeypatch.setattr("tuiprof.screens.views_screen.import_module", imported.append)
    app = small_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
    assert imported == [name for spec in VIEWS.values() for name in spec.imports]
    assert {"tuiprof.views.call_tree", "tuiprof.views.icicle"} <= set(imported)
