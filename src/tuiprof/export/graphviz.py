"""Render DOT text to svg or png with Graphviz's ``dot`` program.

``dot`` reads the graph on stdin and writes the image to the open temporary
file of :func:`~tuiprof.export.atomic.write_bytes_atomic`, so a ``dot`` that
fails or is interrupted leaves nothing behind. When ``dot`` is not installed
the caller writes the ``.dot`` file instead and tells the user
:data:`INSTALL_HINT`.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import BinaryIO

from tuiprof.export.atomic import ExportError

INSTALL_HINT = (
    "install Graphviz (apt-get install graphviz, dnf install graphviz, brew install graphviz)"
)


def find_dot() -> str | None:
    """The path of Graphviz's ``dot`` on PATH, or None."""
    return shutil.which("dot")


def render(dot_program: str, dot_text: str, image_format: str, out: BinaryIO) -> None:
    """Run ``dot -T<format>`` on ``dot_text``, writing the image to ``out``.

    Raises :class:`ExportError` with dot's first line of complaint when it fails.
    """
    try:
        done = subprocess.run(
            [dot_program, f"-T{image_format}"],
            input=dot_text.encode("utf-8", "backslashreplace"),
            stdout=out,
            stderr=subprocess.PIPE,
            check=False,
        )
    except OSError as error:
        raise ExportError(f"could not run {dot_program}: {error.strerror or error}") from None
    if done.returncode != 0:
        complaint = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = complaint[0] if complaint else f"exit status {done.returncode}"
        raise ExportError(f"dot failed: {detail}")
