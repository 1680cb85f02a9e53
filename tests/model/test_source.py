"""Source lookup and reading: every lookup route, encodings, built-ins, missing files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tuiprof.model.errors import ProfileError
from tuiprof.model.source import (
    LookupKind,
    SourceFinder,
    decode_source,
    definition_spans,
    function_span,
    parse_path_maps,
    read_source,
)

CODE = "def f():\n    return 1\n"


def write(path: Path, text: str = CODE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_recorded_path_first(tmp_path: Path) -> None:
    src = write(tmp_path / "pkg" / "mod.py")
    found = SourceFinder([]).find(str(src), 1)
    assert found.kind is LookupKind.FOUND and found.path == str(src)
    assert found.tried == (str(src),) or found.tried[0] == str(src)


def test_relative_to_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pkg" / "mod.py")
    monkeypatch.chdir(tmp_path)
    found = SourceFinder([]).find(os.path.join("pkg", "mod.py"), 1)
    assert found.path is not None and os.path.samefile(found.path, tmp_path / "pkg" / "mod.py")


def test_relative_to_profile_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write(tmp_path / "run" / "pkg" / "mod.py")
    monkeypatch.chdir(tmp_path)
    found = SourceFinder([str(tmp_path / "run" / "out.prof")]).find("pkg/mod.py", 1)
    assert found.path == str(src)


def test_source_root_tries_longest_tail_first(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    longer = write(root / "proj" / "pkg" / "mod.py")
    write(root / "mod.py", "# the wrong one\n")
    finder = SourceFinder([], source_roots=[str(root)])
    found = finder.find("/home/ci/build/proj/pkg/mod.py", 10)
    assert found.path == str(longer)
    assert found.tried[0] == "/home/ci/build/proj/pkg/mod.py"
    assert found.tried.index(str(longer)) < found.tried.index(str(root / "mod.py"))


def test_path_map_rewrites_a_prefix(tmp_path: Path) -> None:
    src = write(tmp_path / "src" / "app" / "main.py")
    maps = parse_path_maps([f"/app={tmp_path / 'src' / 'app'}"])
    finder = SourceFinder([], path_maps=maps)
    assert finder.find("/app/main.py", 1).path == str(src)
    # only at a component boundary
    assert finder.find("/application/main.py", 1).path is None


def test_parse_path_map_needs_old_and_equals() -> None:
    assert parse_path_maps(["/a=/b=c"]) == [("/a", "/b=c")]
    for bad in ("/a", "=/b", "/a="):
        with pytest.raises(ProfileError) as caught:
            parse_path_maps([bad])
        assert "OLD=NEW" in str(caught.value)


def test_missing_names_every_path_tried(tmp_path: Path) -> None:
    finder = SourceFinder(
        [str(tmp_path / "x.prof")],
        source_roots=[str(tmp_path / "root")],
        path_maps=[("/gone", str(tmp_path / "new"))],
    )
    found = finder.find("/gone/pkg/mod.py", 3)
    assert found.kind is LookupKind.MISSING and not found.found
    assert found.tried[0] == "/gone/pkg/mod.py"
    assert str(tmp_path / "root" / "gone" / "pkg" / "mod.py") in found.tried
    assert str(tmp_path / "root" / "mod.py") in found.tried
    assert found.tried[-1] == str(tmp_path / "new" / "pkg" / "mod.py")
    assert len(set(found.tried)) == len(found.tried)


def test_a_directory_is_not_a_source(tmp_path: Path) -> None:
    (tmp_path / "mod.py").mkdir()
    assert SourceFinder([]).find(str(tmp_path / "mod.py"), 1).kind is LookupKind.MISSING


@pytest.mark.parametrize("file", ["~", ""])
def test_builtins_have_no_source(file: str) -> None:
    found = SourceFinder([]).find(file, 0)
    assert found.kind is LookupKind.BUILTIN and found.tried == ()


@pytest.mark.parametrize("file", ["<string>", "<frozen importlib._bootstrap>"])
def test_pseudo_files_have_no_source(file: str) -> None:
    assert SourceFinder([]).find(file, 5).kind is LookupKind.PSEUDO


def test_latin1_with_coding_line(tmp_path: Path) -> None:
    path = tmp_path / "old.py"
    path.write_bytes("# -*- coding: latin-1 -*-\ns = 'café'\n".encode("latin-1"))
    text = read_source(str(path))
    assert text.encoding == "iso-8859-1" and not text.replaced
    assert text.lines[1] == "s = 'café'"


def test_invalid_utf8_becomes_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(b"x = 1\ns = '\xff\xfe'\n")
    text = read_source(str(path))
    assert text.replaced and text.lines[0] == "x = 1" and "\ufffd" in text.lines[1]


def test_unknown_coding_declaration_falls_back() -> None:
    text, encoding, replaced = decode_source(b"# coding: no-such-codec\nx = '\xe9'\n")
    assert encoding == "utf-8" and replaced and "\ufffd" in text


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfx = 1\n")
    text = read_source(str(path))
    assert text.lines == ("x = 1",)


def test_unreadable_file_is_a_value_not_an_exception(tmp_path: Path) -> None:
    text = read_source(str(tmp_path / "nope.py"))
    assert text.lines == () and text.error


def test_reading_never_runs_the_file(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write(tmp_path / "evil.py", f"open({str(marker)!r}, 'w').close()\ndef f():\n    pass\n")
    finder = SourceFinder([])
    found = finder.find(str(path), 2)
    assert found.path is not None
    finder.read(found.path)
    assert finder.span(found.path, 2, "f") == (2, 3)
    assert not marker.exists()


SPAN_CODE = """\
import functools


@functools.cache
def decorated(x):
    return (
        x
    )


class K:
    def method(self):
        y = 1

        return y

    def other(self): return 2


def broken(:
    pass
"""


def test_definition_spans_cover_decorators_and_methods() -> None:
    lines = SPAN_CODE.replace("def broken(:\n    pass\n", "").splitlines()
    spans = definition_spans(lines)
    assert spans[4] == 8 and spans[5] == 8  # from the decorator or from the def
    assert function_span(lines, 12, "method") == (12, 15)
    assert function_span(lines, 17, "other") == (17, 17)
    assert function_span(lines, 1, "<module>") == (1, len(lines))


def test_span_follows_indentation_when_the_file_does_not_parse() -> None:
    lines = SPAN_CODE.splitlines()
    assert definition_spans(lines) == {}
    assert function_span(lines, 12, "method") == (12, 15)
    assert function_span(lines, 5, "decorated") == (5, 8)


def test_model_does_not_import_textual() -> None:
    code = (
        "import sys, tuiprof.model.source, tuiprof.model.calltree; "
        "sys.exit(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
