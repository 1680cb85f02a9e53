"""Profiles recorded once per test session, the way users record them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.model.real_runs import SCRIPTS, record, write_scripts


@pytest.fixture(scope="session")
def real_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``python -m cProfile -o`` of each script, and ``python -m profile -o`` of ``app``."""
    folder = tmp_path_factory.mktemp("runs")
    write_scripts(folder)
    runs = {name: record(folder, name) for name in SCRIPTS}
    runs["app-profile"] = record(folder, "app", "profile")
    return runs
