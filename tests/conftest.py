"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_profiles"


@pytest.fixture
def samples() -> Path:
    """The folder of shipped sample profiles."""
    return SAMPLES
