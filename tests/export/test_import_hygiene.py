"""``tuiprof.export`` stays free of Textual and Rich, so ``tuiprof export`` starts fast."""

from __future__ import annotations

import subprocess
import sys


def test_export_imports_no_ui() -> None:
    code = (
        "import sys, tuiprof.export.command, tuiprof.export.request, tuiprof.export.callgrind,"
        " tuiprof.export.dot, tuiprof.export.graphviz, tuiprof.export.atomic,"
        " tuiprof.export.scope, tuiprof.export.text;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
