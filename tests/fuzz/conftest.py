"""The fuzz suite's size: a bounded run by default, a long one on request.

``TUIPROF_FUZZ=long uv run pytest tests/fuzz`` runs about thirty times as many
mutants and examples as the default run, which CI takes (well under a minute).
"""

from __future__ import annotations

import os

LONG = os.environ.get("TUIPROF_FUZZ", "") == "long"
MUTANTS_PER_SAMPLE = 3000 if LONG else 150
EXAMPLES = 2000 if LONG else 60
