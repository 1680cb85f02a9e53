"""`tuiprof stats`: the profile's numbers as a table or JSON (placeholder)."""

from __future__ import annotations

import argparse


def run_stats(options: argparse.Namespace) -> int:
    raise NotImplementedError
