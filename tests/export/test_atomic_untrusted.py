"""Exports at hostile output paths: what ``--force`` may replace, long names, signals."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.export.conftest import listing
from tuiprof.cli import main
from tuiprof.export.atomic import temp_name


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["export", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_force_replaces_a_regular_file(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = cprofile_file.with_name("out.dot")
    target.write_text("old\n")
    status, _out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target), "--force")
    assert (status, err) == (0, "")
    assert target.read_text().startswith("digraph")


def test_force_never_replaces_a_symlink(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = cprofile_file.with_name("kept.txt")
    kept.write_text("precious\n")
    link = cprofile_file.with_name("out.dot")
    link.symlink_to(kept)
    before = listing(cprofile_file.parent)
    status, out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(link), "--force")
    assert status == 2 and not out
    assert err.count("\n") == 1 and "symbolic link" in err
    assert link.is_symlink() and kept.read_text() == "precious\n"
    assert listing(cprofile_file.parent) == before


def test_force_never_replaces_a_fifo(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = cprofile_file.with_name("out.callgrind")
    os.mkfifo(fifo)
    status, _out, err = run(
        capsys, str(cprofile_file), "-f", "callgrind", "-o", str(fifo), "--force"
    )
    assert status == 2 and "named pipe" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert listing(cprofile_file.parent) == sorted(
        [cprofile_file.name, fifo.name, "work.py"]
        + [name for name in listing(cprofile_file.parent) if name == "__pycache__"]
    )


def test_force_never_replaces_a_device(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    device = cprofile_file.with_name("null")
    try:  # a node like /dev/null, made here so that nothing real is at stake
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    status, _out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(device), "--force")
    assert status == 2 and "device" in err
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_force_never_replaces_an_input(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = cprofile_file.read_bytes()
    hard_link = cprofile_file.with_name("same.prof")
    os.link(cprofile_file, hard_link)
    for target in (cprofile_file, hard_link):
        status, _out, err = run(
            capsys, str(cprofile_file), "-f", "callgrind", "-o", str(target), "--force"
        )
        assert status == 2 and "input" in err and err.count("\n") == 1
    assert cprofile_file.read_bytes() == original


@pytest.mark.parametrize("length", [242, 250, 255])
def test_long_output_names_work(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str], length: int
) -> None:
    name = "n" * (length - len(".dot")) + ".dot"
    assert len(name.encode()) == length
    target = cprofile_file.with_name(name)
    status, _out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target))
    assert (status, err) == (0, "")
    assert target.read_text().startswith("digraph")
    assert not [n for n in listing(cprofile_file.parent) if n.endswith(".tmp")]


def test_a_long_multibyte_name_gets_a_temporary_name_that_fits(tmp_path: Path) -> None:
    target = tmp_path / ("é" * 125 + ".dot")  # 254 bytes
    temp = temp_name(target, "0123abcd")
    assert len(os.fsencode(temp)) <= 255 and temp.startswith(".") and temp.endswith(".tmp")
    (tmp_path / temp).write_text("fits")  # the file system takes it


def test_a_name_too_long_anywhere_is_one_line(
    cprofile_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = cprofile_file.with_name("n" * 300 + ".dot")
    status, _out, err = run(capsys, str(cprofile_file), "-f", "dot", "-o", str(target))
    assert status == 2 and err.count("\n") == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_an_export_leaves_no_temporary_file(
    cprofile_file: Path, tmp_path: Path, signum: int
) -> None:
    # A ``dot`` that never finishes: the export is caught writing its temporary file.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_dot = bin_dir / "dot"
    started = tmp_path / "started"
    fake_dot.write_text(f"#!/bin/sh\ntouch '{started}'\nexec sleep 60\n")
    fake_dot.chmod(0o755)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    command = [sys.executable, "-m", "tuiprof", "export", str(cprofile_file), "-f", "svg"]
    process = subprocess.Popen(
        [*command, "-o", str(out_dir / "graph.svg")],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists()  # dot runs: the temporary file exists
        assert [name.endswith(".tmp") for name in listing(out_dir)] == [True]
        process.send_signal(signum)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signum  # ended by the signal, as it would have been
    deadline = time.monotonic() + 5
    while listing(out_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listing(out_dir) == []
