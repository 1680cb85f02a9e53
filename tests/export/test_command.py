"""``tuiprof export`` end to end: outputs, refusals, and failures that leave no trace."""

from __future__ import annotations

import marshal
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.export.conftest import listing
from tuiprof.cli import main
from tuiprof.export.atomic import ExportError, write_text_atomic
from tuiprof.export.request import ExportFormat, ExportRequest, default_output, export_profile
from tuiprof.model.loaders import load_profile

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["export", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [("callgrind", ".callgrind"), ("dot", ".dot"), ("svg", ".svg"), ("png", ".png")],
)
def test_default_output_next_to_the_input(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str], fmt: str, suffix: str
) -> None:
    if fmt in ("svg", "png") and shutil.which("dot") is None:
        pytest.skip("Graphviz not installed")
    status, out, err = run(capsys, str(cprofile_file), "--format", fmt)
    expected = cprofile_file.with_name("run" + suffix)
    assert (status, out, err) == (0, f"{expected}\n", "")
    assert expected.stat().st_size > 0
    if fmt == "png":
        assert expected.read_bytes().startswith(b"\x89PNG")


def test_default_output_names() -> None:
    assert default_output("a/run.prof", ExportFormat.CALLGRIND) == Path("a/run.callgrind")
    assert default_output("x.py.lprof", ExportFormat.DOT) == Path("x.py.dot")
    assert default_output("run", ExportFormat.SVG) == Path("run.svg")


def test_kcachegrind_naming_is_accepted(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = cprofile_file.with_name("callgrind.out.run")
    status, out, _ = run(capsys, str(cprofile_file), "-f", "callgrind", "-o", str(target))
    assert status == 0 and out == f"{target}\n"
    assert target.read_text().startswith("# callgrind format\n")


def test_a_name_of_another_format_is_written_with_a_warning(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-f dot -o graph.png``: written as asked, and one warning line says so."""
    target = cprofile_file.with_name("graph.png")
    status, out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target))
    assert status == 0 and out.strip() == str(target)
    assert target.read_text(encoding="utf-8").startswith("digraph")
    assert err == "tuiprof: warning: graph.png is named like a png file, but the format is dot\n"
    status, _, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target) + ".dot")
    assert status == 0 and err == ""


def test_existing_file_is_refused_then_forced(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = cprofile_file.with_name("out.dot")
    target.write_text("keep me")
    before = listing(cprofile_file.parent)
    status, out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target))
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "exists" in err and "--force" in err
    assert target.read_text() == "keep me"
    assert listing(cprofile_file.parent) == before
    status, out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target), "--force")
    assert status == 0 and err == ""
    assert target.read_text().startswith("digraph")
    assert listing(cprofile_file.parent) == before


def test_missing_folder(cprofile_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = listing(cprofile_file.parent)
    target = cprofile_file.parent / "nowhere" / "out.callgrind"
    status, _, err = run(capsys, str(cprofile_file), "-f", "callgrind", "-o", str(target))
    assert status == 2 and err.count("\n") == 1 and "no such folder" in err
    assert listing(cprofile_file.parent) == before


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_no_permission(
    cprofile_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        status, _, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(locked / "out.dot"))
        assert status == 2 and err.count("\n") == 1
        assert listing(locked) == []
    finally:
        locked.chmod(stat.S_IRWXU)


def test_full_disk_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    before = listing(tmp_path)
    with pytest.raises(ExportError, match="no space left"):
        write_text_atomic(tmp_path / "out.callgrind", lambda out: print("x" * 100_000, file=out))
    assert listing(tmp_path) == before


def test_interrupt_leaves_nothing(tmp_path: Path) -> None:
    def interrupted(out: object) -> None:
        out.write("partial")  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(tmp_path / "out.dot", interrupted)
    assert listing(tmp_path) == []


def fake_dot(folder: Path, script: str) -> None:
    folder.mkdir()
    program = folder / "dot"
    program.write_text("#!/bin/sh\n" + script)
    program.chmod(0o755)


@pytest.mark.skipif(os.name != "posix", reason="shell script stand-in for dot")
def test_dot_failing_leaves_nothing(
    cprofile_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bin_dir = tmp_path / "bin"
    fake_dot(bin_dir, "cat >/dev/null\necho '<svg half' \necho 'Error: syntax error' >&2\nexit 1\n")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    before = listing(cprofile_file.parent)
    status, out, err = run(capsys, str(cprofile_file), "-f", "svg")
    assert status == 2 and out == ""
    assert err == "tuiprof: dot failed: Error: syntax error\n"
    assert listing(cprofile_file.parent) == before


def test_without_graphviz_the_dot_file_is_written(
    cprofile_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    status, out, err = run(capsys, str(cprofile_file), "-f", "png")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Graphviz" in err and "install" in err
    assert cprofile_file.with_name("run.dot").read_text().startswith("digraph")
    assert not cprofile_file.with_name("run.png").exists()


def test_root_and_filter(cprofile_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = cprofile_file.with_name("fib.callgrind")
    status, _, _ = run(
        capsys,
        str(cprofile_file),
        "-f",
        "callgrind",
        "--root",
        "main",
        "--filter",
        "fib",
        "-o",
        str(target),
    )
    assert status == 0
    assert [line for line in target.read_text().splitlines() if line.startswith("fn=")] == [
        "fn=fib"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--root", "nothing_like_this"], "no function matches"),
        (["--filter", "("], "bad regular expression"),
        (["--node-threshold", "120"], "percentage"),
    ],
)
def test_bad_scope_is_one_line(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = listing(cprofile_file.parent)
    status, out, err = run(capsys, str(cprofile_file), "-f", "dot", *args)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err
    assert listing(cprofile_file.parent) == before


def test_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.prof"
    bad.write_bytes(b"not a profile")
    status, out, err = run(capsys, str(bad), "-f", "dot")
    assert status == 2 and out == "" and err.count("\n") == 1
    assert listing(tmp_path) == ["bad.prof"]


@needs_dot
def test_lprof_export_from_the_command_line(
    lprof_file: Path, cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, str(cprofile_file), str(lprof_file), "-f", "callgrind")
    assert status == 0 and out.strip().endswith("run.callgrind")
    assert "events: ns line_ns" in Path(out.strip()).read_text()
    status, out, _ = run(capsys, str(lprof_file), "-f", "svg")
    assert status == 0 and out.strip().endswith("work.py.svg")


def test_permission_denied_leaves_nothing(
    cprofile_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tuiprof.export.request import ExportRequest, export_profile
    from tuiprof.model.loaders import load_profile

    profile = load_profile([str(cprofile_file)])
    before = listing(cprofile_file.parent)

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    request = ExportRequest(ExportFormat.CALLGRIND, cprofile_file.with_name("out.callgrind"))
    with pytest.raises(ExportError, match="permission denied"):
        export_profile(profile, request)
    monkeypatch.undo()
    assert listing(cprofile_file.parent) == before


@pytest.mark.parametrize("export_format", [ExportFormat.CALLGRIND, ExportFormat.DOT])
def test_caller_records_checked_late_and_bad(tmp_path: Path, export_format: ExportFormat) -> None:
    # A profile loaded with its caller records unchecked: a bad one found by
    # the export is an error, not a file without calls.
    stats = {
        ("a.py", 1, "f"): (1, 1, 1.0, 1.0, {("b.py", 2, "g"): (1, 1, "x", 1.0)}),
        ("b.py", 2, "g"): (1, 1, 0.5, 2.0, {}),
    }
    path = tmp_path / "late.prof"
    path.write_bytes(marshal.dumps(stats))
    profile = load_profile([str(path)], check_edges=False)
    before = listing(tmp_path)
    request = ExportRequest(export_format, tmp_path / f"out{export_format.suffix}")
    with pytest.raises(ExportError, match=r"late\.prof: "):
        export_profile(profile, request)
    assert listing(tmp_path) == before


def test_caller_records_checked_late_and_good(cprofile_file: Path) -> None:
    late = load_profile([str(cprofile_file)], check_edges=False)
    checked = load_profile([str(cprofile_file)])
    for export_format in (ExportFormat.CALLGRIND, ExportFormat.DOT):
        texts = []
        for profile, name in ((late, "late"), (checked, "checked")):
            path = cprofile_file.with_name(f"{name}{export_format.suffix}")
            export_profile(profile, ExportRequest(export_format, path))
            texts.append(path.read_text())
        assert texts[0] == texts[1]


def test_a_file_where_the_folder_should_be(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = listing(cprofile_file.parent)
    target = cprofile_file / "out.dot"  # the profile is a file, not a folder
    status, _, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target))
    assert status == 2
    assert err == f"tuiprof: {target}: not a folder: {cprofile_file}\n"
    assert listing(cprofile_file.parent) == before


@pytest.mark.parametrize("output", ["", " "])
def test_an_empty_output_path_is_refused(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    # It fell back to the default name, writing where nobody asked.
    before = listing(cprofile_file.parent)
    status, out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", output)
    assert (status, out, err) == (2, "", "tuiprof: --output: empty path\n")
    assert listing(cprofile_file.parent) == before
