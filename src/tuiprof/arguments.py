"""Argument types shared by the command line's subcommands."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


def positive_int(text: str) -> int:
    """A whole number of at least 1, for options such as ``--limit`` and ``--depth``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


class Parser(argparse.ArgumentParser):
    """argparse's parser, but a failed write of ``--help`` or ``--version`` to
    standard output is raised (the command line says it in one line), not ignored."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message and file is not None and file is sys.stdout:
            file.write(message)
            return
        super()._print_message(message, file)
