"""A seeded mutation corpus from the samples and fixtures: byte flips, truncations,
splices and length fields set huge, each through the whole harness."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.fuzz.conftest import MUTANTS_PER_SAMPLE
from tests.fuzz.harness import check_mutant

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted(
    [*SAMPLES.glob("*.prof"), *SAMPLES.glob("*.lprof"), *FIXTURES.glob("*.prof")],
    key=lambda path: path.name,
)
HUGE = (0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0x10000, 2**31 - 2)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One mutant: the kinds a damaged or crafted file shows."""
    kind = rng.randrange(6)
    buf = bytearray(data)
    if kind == 0:  # flip a few bits
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    elif kind == 1:  # random bytes
        for _ in range(rng.randint(1, 4)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    elif kind == 2:  # cut short
        del buf[rng.randrange(1, len(buf)) :]
    elif kind == 3:  # a piece repeated or moved
        start = rng.randrange(len(buf))
        piece = buf[start : start + rng.randint(1, 64)]
        at = rng.randrange(len(buf))
        buf[at:at] = piece * rng.randint(1, 4)
    elif kind == 4:  # a length or count field made huge
        at = rng.randrange(1, max(2, len(buf) - 4))
        buf[at : at + 4] = struct.pack("<I", rng.choice(HUGE))
    else:  # a run deleted
        start = rng.randrange(len(buf))
        del buf[start : start + rng.randint(1, 32)]
    if not buf:
        buf = bytearray(data[:1])
    return bytes(buf)


@pytest.mark.parametrize("seed_file", SEEDS, ids=lambda path: path.name)
def test_mutants_give_a_result_or_one_line(seed_file: Path, tmp_path: Path) -> None:
    data = seed_file.read_bytes()
    rng = random.Random(f"tuiprof-fuzz-{seed_file.name}")
    target = tmp_path / f"mutant{seed_file.suffix}"
    outcomes: dict[str, int] = {}
    for number in range(MUTANTS_PER_SAMPLE):
        mutant = mutate(data, rng)
        target.write_bytes(mutant)
        try:
            outcome = check_mutant(target, tmp_path)
        except AssertionError as failure:
            keep = tmp_path / f"failing-{number}{seed_file.suffix}"
            keep.write_bytes(mutant)
            raise AssertionError(f"mutant {number} of {seed_file.name}: {failure}") from None
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert sum(outcomes.values()) == MUTANTS_PER_SAMPLE
