"""The model and the exports never import Textual or Rich; the CLI never imports Textual.

Each check runs in a fresh interpreter, so what other tests imported cannot hide
an import.
"""

from __future__ import annotations

import marshal
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = """
import sys
{setup}
loaded = {{name for name in sys.modules if name.split(".")[0] in ("textual", "rich")}}
print(" ".join(sorted({{name.split(".")[0] for name in loaded}})))
"""


def loaded_ui_packages(setup: str, cwd: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", CHECK.format(setup=setup)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "module",
    [
        "tuiprof.model",
        "tuiprof.model.loaders",
        "tuiprof.model.table",
        "tuiprof.model.diff",
        "tuiprof.model.diff_table",
        "tuiprof.model.matching",
        "tuiprof.model.line_diff",
        "tuiprof.export",
    ],
)
def test_model_and_export_import_neither_textual_nor_rich(module: str, tmp_path: Path) -> None:
    assert loaded_ui_packages(f"import {module}", tmp_path) == set()


def test_a_check_that_can_fail(tmp_path: Path) -> None:
    assert loaded_ui_packages("import rich.text", tmp_path) == {"rich"}


def test_cli_and_version_do_not_import_textual(tmp_path: Path) -> None:
    setup = """
import tuiprof.cli
try:
    tuiprof.cli.main(["--version"])
except SystemExit:
    pass
"""
    assert "textual" not in loaded_ui_packages(setup, tmp_path)


def test_stats_does_not_import_textual(tmp_path: Path) -> None:
    path = tmp_path / "small.prof"
    path.write_bytes(marshal.dumps({("app.py", 1, "main"): (1, 1, 0.5, 1.0, {})}))
    setup = f"""
import tuiprof.cli
for args in (["stats", {str(path)!r}], ["stats", {str(path)!r}, "--json"]):
    assert tuiprof.cli.main(args) == 0
"""
    assert "textual" not in loaded_ui_packages(setup, tmp_path)


def test_diff_headless_does_not_import_textual(tmp_path: Path) -> None:
    before, after = tmp_path / "a.prof", tmp_path / "b.prof"
    before.write_bytes(marshal.dumps({("app.py", 1, "main"): (1, 1, 0.5, 1.0, {})}))
    after.write_bytes(marshal.dumps({("app.py", 3, "main"): (1, 1, 0.25, 1.0, {})}))
    setup = f"""
import tuiprof.cli
for extra in (["--json"], ["--fail-over", "5"], ["--limit", "3"]):
    assert tuiprof.cli.main(["diff", {str(before)!r}, {str(after)!r}, *extra]) == 0
"""
    assert "textual" not in loaded_ui_packages(setup, tmp_path)
