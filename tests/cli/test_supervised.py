"""The ``tuiprof`` command under its supervisor: one decode, crashes reported by the parent.

``python -m tuiprof`` runs the program in a forked child that decodes big
files with ``marshal`` directly; in-process calls keep the safe decoding.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tests.model.test_loaders_marshal import colliding_keys
from tuiprof import launch, supervise
from tuiprof.cli import main
from tuiprof.model import load_profile, marshal_decode

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="supervision needs os.fork")

SELF_KEY = b"{\xa9\x01r\x00\x00\x00\x00N0"
"""A dictionary whose key is a tuple holding a reference to itself: crashes ``marshal``."""
HUGE_TUPLE = b"{)\x03\xfa\x01a\xe9\x01\x00\x00\x00\xfa\x01b(\xff\xff\xff\x7fN0"
"""A value claiming 2**31 - 1 items."""
PAD = b"N" * (marshal_decode.SAFE_READER_LIMIT + 1)
"""Bytes after the value (ignored by marshal) that put a file on the direct path."""


def tuiprof(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tuiprof", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def big_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``python -m cProfile -o`` profile of 6,000 functions: over the safe reader's limit."""
    folder = tmp_path_factory.mktemp("big")
    script = folder / "many.py"
    script.write_text(
        textwrap.dedent(
            """\
            source = "".join(f"def f{i}(x):\\n    return x + {i}\\n" for i in range(6000))
            exec(compile(source, "many_functions.py", "exec"))
            total = sum(globals()[f"f{i}"](i) for i in range(6000))
            """
        )
    )
    out = folder / "many.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), str(script)], check=True)
    assert out.stat().st_size > marshal_decode.SAFE_READER_LIMIT
    return out


@pytest.mark.parametrize(
    "content",
    [SELF_KEY, SELF_KEY + PAD, HUGE_TUPLE, HUGE_TUPLE + PAD],
    ids=["self key", "self key, padded", "huge size", "huge size, padded"],
)
@pytest.mark.parametrize("command", ["stats", "export", "tree"])
def test_a_crasher_is_one_line_and_status_2(tmp_path: Path, content: bytes, command: str) -> None:
    path = tmp_path / "hostile.prof"
    path.write_bytes(content)
    out = tmp_path / "out"
    out.mkdir()
    extra = ["-f", "callgrind", "-o", str(out / "x.callgrind")] if command == "export" else []
    done = tuiprof(command, str(path), *extra)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tuiprof: {path}: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert sorted(os.listdir(tmp_path)) == ["hostile.prof", "out"]
    assert os.listdir(out) == []


def test_a_padded_self_key_is_named_by_the_parent(tmp_path: Path) -> None:
    path = tmp_path / "hostile.prof"
    path.write_bytes(SELF_KEY + PAD)
    done = tuiprof("stats", str(path))
    # Decoded directly, marshal crashed the child; the parent said so.
    crashed = "is not a valid pstats file (marshal crashed decoding it)"
    assert done.stderr == f"tuiprof: {path}: {crashed}\n"


def test_the_supervised_command_prints_what_main_prints(
    big_profile: Path, samples: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (big_profile, samples / "taylor.prof"):
        for command in (["stats", "--limit", "40"], ["stats", "--json"], ["tree"]):
            done = tuiprof(command[0], str(path), *command[1:])
            assert main([command[0], str(path), *command[1:]]) == 0
            assert (done.returncode, done.stdout, done.stderr) == (0, *capsys.readouterr())


def test_the_supervised_export_writes_what_main_writes(big_profile: Path, tmp_path: Path) -> None:
    supervised, in_process = tmp_path / "a.callgrind", tmp_path / "b.callgrind"
    done = tuiprof("export", str(big_profile), "-f", "callgrind", "-o", str(supervised))
    assert (done.returncode, done.stderr) == (0, "")
    assert main(["export", str(big_profile), "-f", "callgrind", "-o", str(in_process)]) == 0
    assert supervised.read_bytes() == in_process.read_bytes()
    again = tuiprof("export", str(big_profile), "-f", "callgrind", "-o", str(supervised))
    assert again.returncode == 2 and len(again.stderr.splitlines()) == 1  # no overwrite


def test_usage_errors_and_version_keep_their_status() -> None:
    assert tuiprof("stats").returncode == 2
    done = tuiprof("--version")
    assert (done.returncode, done.stdout.startswith("tuiprof ")) == (0, True)


class Recorder:
    def __init__(self) -> None:
        self.told: list[str | None] = []

    def __call__(self, path: str | None) -> bool:
        self.told.append(path)
        return True


@pytest.fixture
def direct() -> object:
    recorder = Recorder()
    marshal_decode.decode_in_process(recorder)
    yield recorder
    marshal_decode.decode_in_process(None)


def test_the_switch_decodes_big_files_directly_and_lifts_its_limits(
    big_profile: Path, direct: Recorder
) -> None:
    limits = [resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CPU)]
    profile = load_profile([str(big_profile)])
    assert direct.told == [str(big_profile), None]
    assert [resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CPU)] == limits
    marshal_decode.decode_in_process(None)
    safe = load_profile([str(big_profile)])
    assert (safe.keys, safe.ncalls, safe.tottime, safe.cumtime, safe.callers_raw) == (
        profile.keys,
        profile.ncalls,
        profile.tottime,
        profile.cumtime,
        profile.callers_raw,
    )


def test_the_switch_leaves_small_files_to_the_safe_reader(samples: Path, direct: Recorder) -> None:
    load_profile([str(samples / "taylor.prof")])
    assert direct.told == []


def test_worker_threads_decode_directly_one_at_a_time(big_profile: Path, direct: Recorder) -> None:
    # The explorer's loading thread (a diff loads two at once): each decode
    # lowers the process's limits and puts them back before the next starts.
    limits = [resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CPU)]
    loaded: list[object] = []
    workers = [
        threading.Thread(target=lambda: loaded.append(load_profile([str(big_profile)])))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(loaded) == 3
    assert direct.told == [str(big_profile), None] * 3
    assert [resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CPU)] == limits


def test_without_a_global_lock_worker_threads_take_the_forked_check(
    big_profile: Path, direct: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A free-threaded interpreter would let the screen run under the decode's limits.
    monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
    worker = threading.Thread(target=load_profile, args=([str(big_profile)],))
    worker.start()
    worker.join()
    assert direct.told == []
    load_profile([str(big_profile)])  # the main thread still decodes directly
    assert direct.told == [str(big_profile), None]


def test_in_process_use_never_decodes_directly(big_profile: Path) -> None:
    assert marshal_decode._report is None
    assert main(["stats", str(big_profile), "--limit", "1"]) == 0


def test_a_refused_big_file_is_refused_as_before(tmp_path: Path, direct: Recorder) -> None:
    path = tmp_path / "cut.prof"
    path.write_bytes(b"{" + b"\xe9" * 10 + PAD)
    with pytest.raises(Exception) as refused:
        load_profile([str(path)])
    marshal_decode.decode_in_process(None)
    with pytest.raises(Exception) as before:
        load_profile([str(path)])
    assert str(refused.value) == str(before.value)


@pytest.mark.parametrize("to", ["group", "parent"])
def test_ctrl_c_reaches_the_child_and_the_status_is_130(
    tmp_path: Path, samples: Path, to: str
) -> None:
    # A ``dot`` that never finishes keeps the export busy. Ctrl+C goes to the process
    # group; ``kill -INT`` to the command's own process is passed on to the child.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    started = tmp_path / "started"
    fake_dot = bin_dir / "dot"
    fake_dot.write_text(f"#!/bin/sh\ntouch '{started}'\nexec sleep 60\n")
    fake_dot.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    command = [sys.executable, "-m", "tuiprof", "export", str(samples / "taylor.prof")]
    process = subprocess.Popen(
        [*command, "-f", "svg", "-o", str(out / "graph.svg")],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not started.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists()
        if to == "group":
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert (process.returncode, err) == (130, "")
    assert os.listdir(out) == []


def _read_until_ended(terminal: int, seconds: float) -> bytes:
    """What the command writes to its terminal until the last process holding it is gone."""

    shown = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([terminal], [], [], 0.2)[0]:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # EIO: no process holds the terminal any more
                break
            if not chunk:
                break
            shown += chunk
    return shown


def _reaped(pid: int, seconds: float) -> int | None:
    """The wait status of ``pid`` if it ends within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.02)
    return None


def _ended(pid: int, status: int | None) -> int:
    """``status``, or the status of ``pid`` killed (it never showed the screen, or never ended)."""
    if status is not None:
        return status
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def test_a_crash_in_the_explorer_leaves_the_terminal_as_it_was(samples: Path) -> None:
    import pty
    import termios

    pid, terminal = pty.fork()
    if pid == 0:  # pragma: no cover - becomes the command
        os.execv(sys.executable, [sys.executable, "-m", "tuiprof", str(samples / "taylor.prof")])
    shown = b""
    status = None
    try:
        deadline = time.monotonic() + 60
        while b"\x1b[?1049h" not in shown and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.2)[0]:
                shown += os.read(terminal, 65536)
        assert b"\x1b[?1049h" in shown  # the explorer is on the alternate screen
        # Textual enters the alternate screen a moment before it makes the terminal raw.
        while termios.tcgetattr(terminal)[3] & termios.ICANON and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.05)[0]:
                shown += os.read(terminal, 65536)
        assert not termios.tcgetattr(terminal)[3] & termios.ICANON  # and raw
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            child = int(children.read().split()[0])
        os.kill(child, signal.SIGSEGV)
        shown += _read_until_ended(terminal, 30)
        lflag = termios.tcgetattr(terminal)[3]
        status = _reaped(pid, 10)
    finally:
        status = _ended(pid, status)
        os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == -signal.SIGSEGV  # ended as the child did
    assert shown.endswith(b"\x1b[?7h\x1b[?1049l\x1b[?25h")  # wrapping on, main screen back
    assert lflag & termios.ICANON and lflag & termios.ECHO


def test_a_big_crasher_loading_in_the_explorer_is_one_line_and_status_2(
    tmp_path: Path,
) -> None:
    # Over 20 MB, the explorer opens its loading screen and decodes in its
    # loading thread, in this process: marshal's crash ends the program, and
    # the parent restores the terminal and names the file.
    import pty
    import termios

    path = tmp_path / "self-key.prof"
    path.write_bytes(SELF_KEY + b"N" * (launch.BIG_INPUT_BYTES + 1))
    pid, terminal = pty.fork()
    if pid == 0:  # pragma: no cover - becomes the command
        os.execv(sys.executable, [sys.executable, "-m", "tuiprof", str(path)])
    status = None
    try:
        shown = _read_until_ended(terminal, 60)
        lflag = termios.tcgetattr(terminal)[3]
        status = _reaped(pid, 10)
    finally:
        status = _ended(pid, status)
        os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == 2
    assert b"\x1b[?1049h" in shown  # the loading screen was up
    restored, _, said = shown.rpartition(b"\x1b[?7h\x1b[?1049l\x1b[?25h")
    assert restored
    assert said.decode().strip().splitlines() == [
        f"tuiprof: {path}: is not a valid pstats file (marshal crashed decoding it)"
    ]
    assert lflag & termios.ICANON and lflag & termios.ECHO


def _decoding_child(parent: int, deadline: float) -> int:
    """The supervised child of ``parent``, once it has spent a second and a half of CPU.

    Start-up takes a tenth of that: the child is inside ``marshal.loads`` then,
    decoding keys that share one hash (which takes minutes, up to its CPU limit).
    """
    ticks = os.sysconf("SC_CLK_TCK")
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(f"/proc/{parent}/task/{parent}/children") as children:
                child = int(children.read().split()[0])
            with open(f"/proc/{child}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
            if (int(fields[11]) + int(fields[12])) / ticks >= 1.5:
                return child
        time.sleep(0.05)
    raise AssertionError("the child never got far into its decode")


needs_proc = pytest.mark.skipif(
    not os.path.exists("/proc/self/task"), reason="finds the child through /proc"
)


@needs_proc
def test_ctrl_c_during_a_decode_ends_the_command_at_once(tmp_path: Path) -> None:
    # marshal holds the interpreter until it returns, so the child's own handler
    # would run only after its decode (here: at its CPU limit, 12 s of CPU away).
    path = tmp_path / "colliding.prof"
    path.write_bytes(colliding_keys(200_000))
    process = subprocess.Popen(
        [sys.executable, "-m", "tuiprof", "stats", str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _decoding_child(process.pid, time.monotonic() + 60)
        os.killpg(process.pid, signal.SIGINT)  # as the terminal sends Ctrl+C
        sent = time.monotonic()
        _, err = process.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert (process.returncode, err) == (130, "")
    assert took < 5


@needs_proc
@pytest.mark.parametrize("key", [b"\x03", b"q"], ids=["ctrl+c", "q"])
def test_quitting_the_explorer_during_a_big_decode_ends_it_at_once(
    tmp_path: Path, key: bytes
) -> None:
    # Over 20 MB the loading screen is up, its terminal raw (Ctrl+C and q are
    # keys, and the screen cannot take keys during the decode): the child lets
    # the terminal send SIGINT and SIGQUIT for them for the time of the decode,
    # and the parent ends it as the explorer quits.
    import pty
    import termios

    path = tmp_path / "colliding.prof"
    path.write_bytes(colliding_keys(320_000))
    assert path.stat().st_size > launch.BIG_INPUT_BYTES
    pid, terminal = pty.fork()
    if pid == 0:  # pragma: no cover - becomes the command
        os.execv(sys.executable, [sys.executable, "-m", "tuiprof", str(path)])
    shown = b""
    status = None
    took = float("inf")
    try:
        deadline = time.monotonic() + 60
        while b"\x1b[?1049h" not in shown and time.monotonic() < deadline:
            if select.select([terminal], [], [], 0.2)[0]:
                shown += os.read(terminal, 65536)
        _decoding_child(pid, deadline)
        assert not termios.tcgetattr(terminal)[3] & termios.ICANON  # the screen is up, raw
        os.write(terminal, key)
        sent = time.monotonic()
        shown += _read_until_ended(terminal, 30)
        status = _reaped(pid, 30)
        took = time.monotonic() - sent
        lflag = termios.tcgetattr(terminal)[3]
    finally:
        status = _ended(pid, status)
        os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == 0
    assert took < 5
    assert shown.endswith(b"\x1b[?7h\x1b[?1049l\x1b[?25h")  # main screen back
    assert lflag & termios.ICANON and lflag & termios.ECHO and lflag & termios.ISIG


@pytest.mark.parametrize(
    ("keys", "char"),
    [
        ({"q", "ctrl+q", "ctrl+c"}, b"q"),
        ({"ctrl+q", "ctrl+c", "escape"}, b"\x11"),
        ({"ctrl+c", "f10"}, None),
    ],
)
def test_the_quit_key_during_decodes_is_one_the_terminal_sends_as_one_character(
    keys: set[str], char: bytes | None
) -> None:
    saved = supervise._quit_char
    try:
        supervise.quit_key_during_decodes(keys)
        assert supervise._quit_char == char
    finally:
        supervise._quit_char = saved
