"""A real profile of about 15,000 functions, recorded as users record one.

``write_real_profile`` runs ``python -m cProfile -o`` on a script that imports
the standard library's modules, Rich, Textual and Pygments and then renders
some text with Rich: the shape of a real program's profile, with the import
system's ``exec`` cycle and thousands of module-level functions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """\
import importlib
import io
import pathlib
import pkgutil
import sys

SKIP = {
    "antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo", "lib2to3",
    "pydoc_data", "ensurepip", "venv", "msvcrt", "winreg", "winsound", "_winapi",
    "nt", "_msi", "msilib", "_overlapped", "asyncio.windows_events", "test",
}


def import_everything():
    for name in sorted(sys.stdlib_module_names):
        if name in SKIP or name.startswith("_"):
            continue
        try:
            importlib.import_module(name)
        except Exception:
            pass
    for package in ("email", "xml", "json", "http", "asyncio", "concurrent", "logging",
                    "unittest", "urllib", "importlib", "encodings", "multiprocessing",
                    "ctypes", "sqlite3", "wsgiref", "xmlrpc", "html", "dbm", "curses",
                    "pydoc", "distutils", "rich", "textual", "pygments", "gprof2dot",
                    "pyprof2calltree", "_pytest", "pytest_benchmark", "jinja2",
                    "markdown_it", "mdit_py_plugins", "syrupy", "pluggy",
                    "packaging", "pathspec", "platformdirs", "sortedcontainers"):
        try:
            module = importlib.import_module(package)
        except Exception:
            continue
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), package + "."):
            if ".tests" in info.name or ".test" in info.name or "__main__" in info.name:
                continue
            try:
                importlib.import_module(info.name)
            except BaseException:
                pass


def render():
    from rich.console import Console
    from rich.table import Table
    from rich.syntax import Syntax

    console = Console(file=io.StringIO(), width=100, color_system="truecolor")
    table = Table("name", "value")
    for i in range(300):
        table.add_row(f"row {i}", str(i * i))
    console.print(table)
    console.print(Syntax(open(__file__).read(), "python"))


def explore(sample):
    # The explorer itself on a sample profile, headless: Textual's whole stack.
    import asyncio

    from tuiprof.app import TuiprofApp

    async def run():
        app = TuiprofApp(paths=[sample])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            for key in ("4", "down", "c", "t", "h", "s", "question_mark", "escape", "e"):
                await pilot.press(key)
                await pilot.pause()

    asyncio.run(run())


def templates():
    import jinja2
    import markdown_it

    env = jinja2.Environment(autoescape=True)
    template = env.from_string("{% for x in xs %}<li>{{ x|upper }}</li>{% endfor %}")
    template.render(xs=["a", "b"])
    markdown_it.MarkdownIt("commonmark").render("# title, *emphasis* and `code`")


def run_tests():
    # A small pytest session in this process: the plugin machinery and reports.
    import pytest

    with open("test_small.py", "w") as stream:
        stream.write(
            "import pytest\\n"
            "@pytest.mark.parametrize('n', range(20))\\n"
            "def test_square(n):\\n"
            "    assert n * n >= 0\\n"
        )
    pytest.main(["-q", "-p", "no:cacheprovider", "-p", "no:randomly", "test_small.py"])


def stdlib_work(sample):
    import email
    import pydoc
    import tarfile
    import xml.dom.minidom
    import zipfile

    from tuiprof.export.request import ExportFormat, ExportRequest, export_profile
    from tuiprof.model import load_profile

    for module in ("json", "email.message", "pathlib", "collections", "argparse"):
        pydoc.render_doc(importlib.import_module(module), renderer=pydoc.plaintext)
    pydoc.HTMLDoc().docmodule(importlib.import_module("textwrap"))
    xml.dom.minidom.parseString("<a><b c='1'>text</b><d/></a>").toprettyxml()
    email.message_from_string("From: a@b\\nSubject: hi\\n\\nbody").as_string()
    with zipfile.ZipFile("sample.zip", "w") as archive:
        archive.writestr("a.txt", "a" * 1000)
    with tarfile.open("sample.tar.gz", "w:gz") as archive:
        archive.add("sample.zip")
    profile = load_profile([sample])
    for name, kind in (("out.callgrind", ExportFormat.CALLGRIND), ("out.dot", ExportFormat.DOT)):
        export_profile(profile, ExportRequest(kind, pathlib.Path(name), force=True))


def main():
    import_everything()
    stdlib_work(sys.argv[1])
    render()
    templates()
    run_tests()
    explore(sys.argv[1])


main()
"""


def write_real_profile(folder: Path) -> Path:
    """Record the script's profile in ``folder``; the path of ``real.prof``."""
    script = folder / "real_program.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = folder / "real.prof"
    sample = Path(__file__).resolve().parent.parent / "sample_profiles" / "particles.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(out), str(script), str(sample)]
    subprocess.run(command, check=True, cwd=folder, stdout=subprocess.DEVNULL, timeout=600)
    return out


if __name__ == "__main__":
    path = write_real_profile(Path(sys.argv[1]))
    import marshal

    with open(path, "rb") as stream:
        print(f"{path}: {len(marshal.load(stream)):,} functions")
