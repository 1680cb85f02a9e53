"""`tuiprof export` (placeholder)."""

from __future__ import annotations

import argparse


def run_export(options: argparse.Namespace) -> int:
    raise NotImplementedError
