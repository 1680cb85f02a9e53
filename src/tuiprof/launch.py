"""Open the explorer (placeholder)."""

from __future__ import annotations

import argparse


def run_explorer(options: argparse.Namespace) -> int:
    raise NotImplementedError
