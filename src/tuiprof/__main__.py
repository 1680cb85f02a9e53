"""``python -m tuiprof``: the same as the ``tuiprof`` command."""

import sys

from tuiprof.cli import entry

sys.exit(entry())
