"""A profile cut short anywhere says "truncated", however few bytes are left."""

from __future__ import annotations

from pathlib import Path

import pytest

from tuiprof.model import ProfileError, load_profile

SAMPLES = Path(__file__).resolve().parents[2] / "sample_profiles"


@pytest.mark.parametrize("sample", ["taylor.prof", "particles.prof", "taylor.lprof"])
def test_a_sample_cut_anywhere_is_truncated(tmp_path: Path, sample: str) -> None:
    data = (SAMPLES / sample).read_bytes()
    path = tmp_path / sample
    for size in sorted({*range(1, 80), *range(80, len(data), max(1, len(data) // 97))}):
        path.write_bytes(data[:size])
        with pytest.raises(ProfileError, match="is truncated") as raised:
            load_profile([str(path)])
        assert str(path) in str(raised.value), size
