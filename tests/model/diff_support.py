"""Before/after profiles the diff tests make (helpers; no tests here).

A real change, profiled the way users profile: a script that imports a
module, run under ``python -m cProfile -o`` (and ``kernprof -l``) in a fresh
interpreter, once before and once after the module was edited.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

APPEND_IS_NEW = pytest.mark.skipif(
    sys.version_info >= (3, 13),
    reason="from Python 3.13 the import machinery calls list.append too, so it is not new",
)
"""For tests that read ``list.append`` as the change's new function."""

REPORT_BEFORE = textwrap.dedent(
    '''\
    """Build an HTML report row by row."""


    class HtmlReport:
        def __init__(self):
            self.html = "<table>\\n"

        @profile
        def add_row(self, cells):
            self.html += "<tr>"
            for cell in cells:
                self.html += "<td>" + cell + "</td>"
            self.html += "</tr>\\n"

        def close(self):
            self.html += "</table>\\n"
            return self.html


    def tiny(x):
        return x + 1


    def checksum(n):
        acc = 0
        for i in range(n):
            acc = tiny(acc) ^ i
        return acc


    def build_report(rows):
        report = HtmlReport()
        for i in range(rows):
            report.add_row([f"item-{i:05d}", f"{i * 0.37:.2f}", "ok"])
        return report.close()
    '''
)

REPORT_AFTER = (
    REPORT_BEFORE.replace('self.html = "<table>\\n"', 'self.parts = ["<table>\\n"]')
    .replace('self.html += "<tr>"', 'self.parts.append("<tr>")')
    .replace('self.html += "<td>" + cell + "</td>"', 'self.parts.append("<td>" + cell + "</td>")')
    .replace('self.html += "</tr>\\n"', 'self.parts.append("</tr>\\n")')
    .replace('self.html += "</table>\\n"', 'self.parts.append("</table>\\n")')
    .replace("return self.html", 'return "".join(self.parts)')
)
"""The same module with the ``+=`` loop replaced by ``list.append`` and one ``join``."""
assert REPORT_AFTER.count("self.parts") == 6, "the edit no longer applies"

SCRIPT = textwrap.dedent(
    """\
    import report


    def main():
        text = report.build_report(4000)
        return len(text) + report.checksum(3000)


    if __name__ == "__main__":
        main()
    """
)

_PROFILE_SHIM = 'import builtins\n\nprofile = getattr(builtins, "profile", lambda f: f)\n'
"""kernprof -l puts ``profile`` in builtins; under cProfile the decorator does nothing."""


def write_program(folder: Path, report_source: str, script: str = SCRIPT) -> Path:
    """Write ``run.py`` and the ``report`` module it imports; the script's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.py").write_text(_PROFILE_SHIM + report_source, encoding="utf-8")
    (folder / "run.py").write_text(script, encoding="utf-8")
    return folder / "run.py"


def _run(args: list[str], cwd: Path) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True, timeout=120)


def cprofile_program(script: Path, out: Path) -> Path:
    """``python -m cProfile -o OUT script.py`` in a fresh interpreter."""
    _run([sys.executable, "-m", "cProfile", "-o", str(out), script.name], script.parent)
    return out


def kernprof_program(script: Path, out: Path) -> Path:
    """``kernprof -l -o OUT script.py`` in a fresh interpreter."""
    _run([sys.executable, "-m", "kernprof", "-l", "-q", "-o", str(out), script.name], script.parent)
    return out


def profiled_change(
    folder: Path, before: str = REPORT_BEFORE, after: str = REPORT_AFTER
) -> tuple[Path, Path]:
    """Profile the program before and after a change, each in its own checkout folder."""
    first = write_program(folder / "before", before)
    second = write_program(folder / "after", after)
    return (
        cprofile_program(first, folder / "before.prof"),
        cprofile_program(second, folder / "after.prof"),
    )
