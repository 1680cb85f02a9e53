"""The command line's supervisor: a parent that watches the real program.

``marshal.loads`` is fast, but a crafted file can crash it (a tuple holding a
reference to itself) or make it allocate gigabytes. In a library call the
decoder therefore checks a big file in a forked child before decoding it
again (:mod:`tuiprof.model.marshal_decode`), which doubles the load. The
command line instead forks once, at start, before any thread exists: the
child is the program and decodes each file once, under limits, and tells the
parent through a pipe which file it is decoding. The parent only waits. If
the child dies of a crash or a limit while decoding, the parent puts the
terminal back as it was (the child may have been showing the explorer) and
prints the usual one line naming the file, with exit status 2; otherwise it
ends as the child ended.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
from collections.abc import Callable

from tuiprof.model import marshal_decode
from tuiprof.model.names import visible

EXIT_INPUT = 2

FORWARDED = (signal.SIGTERM, signal.SIGHUP)
"""Sent to the parent by another process (``kill``): passed on to the child."""
IGNORED = (signal.SIGINT, signal.SIGQUIT)
"""From the terminal, to its whole process group: the child gets them itself. Sent by
another process (``kill -INT``) to the parent alone, they are passed on too."""

DECODE_DEATHS: dict[int, str] = {
    signal.SIGSEGV: "is not a valid pstats file (marshal crashed decoding it)",
    signal.SIGBUS: "is not a valid pstats file (marshal crashed decoding it)",
    signal.SIGABRT: "is not a valid pstats file (marshal crashed decoding it)",
    signal.SIGFPE: "is not a valid pstats file (marshal crashed decoding it)",
    signal.SIGILL: "is not a valid pstats file (marshal crashed decoding it)",
    signal.SIGKILL: f"is not a valid pstats file ({marshal_decode.TOO_MUCH_MEMORY})",
    signal.SIGXCPU: f"is not a valid pstats file ({marshal_decode.TOO_MUCH_TIME})",
}
"""What a death of the child while decoding says about the file."""

RESET_TERMINAL = (
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1016l"
    "\x1b[?1004l\x1b[?2004l\x1b[?2048l\x1b[<u\x1b[?7h\x1b[?1049l\x1b[?25h"
)
"""What Textual's driver turns off when it stops: mouse, focus and resize reports,
bracketed paste and the keyboard protocol off, line wrapping back on, the alternate
screen left, the cursor shown."""


def supervised(program: Callable[[], int]) -> int:
    """Run ``program`` in a supervised child; the exit status (the child's own, in the child)."""
    if not hasattr(os, "fork"):
        return program()
    terminal = _save_terminal()
    read_end, write_end = os.pipe()
    handled = set(FORWARDED + IGNORED)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, handled)
    try:
        pid = os.fork()
    except OSError:  # no process to spare: decode as a library call does
        os.close(read_end)
        os.close(write_end)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return program()
    if pid == 0:
        os.close(read_end)
        # A SIGINT sent to the whole process group by another process reaches the
        # child twice (itself, and passed on by the parent): one interrupt is enough.
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _interrupt_once)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        marshal_decode.decode_in_process(_Reporter(write_end))
        return program()
    os.close(write_end)
    for signum in IGNORED:
        signal.signal(signum, signal.SIG_IGN)
    for signum in FORWARDED:
        signal.signal(signum, lambda received, _frame: _pass_on(pid, received))
    take_signal = None
    if hasattr(signal, "sigtimedwait"):
        # The signals stay blocked and are taken one by one, each with its sender
        # (a blocked signal is kept pending even when ignored).
        take_signal = _take_signals(pid, tuple(handled))
    else:  # pragma: no cover - platforms without sigtimedwait: handlers only
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    try:
        status, decoding = _wait(pid, read_end, take_signal)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return _end_as(status, decoding, terminal)


def _interrupt_once(_signum: int, _frame: object) -> None:
    """``KeyboardInterrupt`` for the first SIGINT; the ones after it are ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


SI_KERNEL = 0x80
"""``si_code`` of a signal the kernel sent: the terminal's Ctrl+C or Ctrl+\\ among them."""


def _take_signals(pid: int, handled: tuple[int, ...]) -> Callable[[float], None]:
    """Waits up to a timeout for one blocked signal and passes it on as :data:`FORWARDED`
    says; Ctrl+C from the terminal reached the child already, ``kill -INT`` did not."""

    def take(timeout: float) -> None:
        info = signal.sigtimedwait(handled, timeout)
        if info is None:
            return
        if info.si_signo in FORWARDED or info.si_code != SI_KERNEL:
            _pass_on(pid, info.si_signo)

    return take


class _Reporter:
    """The child's side of the pipe: the path before a decode, an empty record after."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __call__(self, path: str | None) -> bool:
        record = b"" if path is None else os.fsencode(path) or b"?"
        try:
            os.write(self.fd, record + b"\0")
        except OSError:  # no parent listening: the decoder takes its safe path
            return False
        return True


def _pass_on(pid: int, signum: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signum)


def _wait(
    pid: int, read_end: int, take_signal: Callable[[float], None] | None
) -> tuple[int, bytes]:
    """The child's wait status, and the path it was decoding when it ended (or b"").

    ``take_signal(timeout)`` waits for a signal meanwhile (None: handlers do).
    """
    current = carry = b""
    status: int | None = None
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while status is None:
            # The pipe ends with the child, unless a process it forked holds it.
            if take_signal is not None:
                take_signal(0.05)
                ready, _, _ = select.select([pipe], [], [], 0)
            else:  # pragma: no cover - platforms without sigtimedwait
                ready, _, _ = select.select([pipe], [], [], 0.5)
            if ready:
                chunk = pipe.read(65536)
                if not chunk:
                    break
                *records, carry = (carry + chunk).split(b"\0")
                if records:
                    current = records[-1]
            else:
                done, found = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = found
        if status is None:
            _, status = os.waitpid(pid, 0)
    return status, current


def _end_as(status: int, decoding: bytes, terminal: object) -> int:
    if not os.WIFSIGNALED(status):
        return os.waitstatus_to_exitcode(status)
    signum = os.WTERMSIG(status)
    _restore_terminal(terminal)
    if decoding and signum in DECODE_DEATHS:
        path = visible(os.fsdecode(decoding))
        with contextlib.suppress(OSError):
            print(f"tuiprof: {path}: {DECODE_DEATHS[signum]}", file=sys.stderr)
        return EXIT_INPUT
    # Any other end (SIGINT, SIGTERM, a crash outside a decode): end the same way.
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    return 128 + signum


def _save_terminal() -> object:
    try:
        import termios

        if os.isatty(0):
            return termios.tcgetattr(0)
    except (ImportError, OSError):
        pass
    return None


def _restore_terminal(saved: object) -> None:
    """Put the terminal back if the child left it changed (the explorer in raw mode)."""
    if saved is None:
        return
    try:
        import termios

        if termios.tcgetattr(0) == saved:
            return
        termios.tcsetattr(0, termios.TCSADRAIN, saved)  # type: ignore[arg-type]
        fd = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
        try:
            os.write(fd, RESET_TERMINAL.encode())
        finally:
            os.close(fd)
    except (ImportError, OSError):
        pass
