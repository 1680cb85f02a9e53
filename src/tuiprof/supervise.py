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

``marshal.loads`` holds the interpreter until it returns, so no signal
handler of the child runs during a decode: a Ctrl+C (or ``SIGTERM``,
``SIGHUP``) then makes the parent end the child at once, and end as an
interrupted command does (status 130 for Ctrl+C). In the explorer, whose
terminal sends no signals (raw mode), the child lets the terminal turn Ctrl+C
into ``SIGINT`` again for the time of each decode, since the screen cannot
take keys meanwhile, and its quit key (``q``) into ``SIGQUIT``: the parent
then ends the child and ends as the explorer quits, with status 0.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

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


QUIT = b"q"
"""A decode's record for a decode beside the explorer: its quit key ends the command."""
PLAIN = b"d"
"""A decode's record for any other decode."""

_quit_char: bytes | None = None
"""The terminal character of the explorer's quit key, once the explorer runs."""


def quit_key_during_decodes(keys: Iterable[str]) -> None:
    """The explorer's quit keys (Textual's names): the first one the terminal can send
    as one character quits during a decode too."""
    global _quit_char
    chars = [_terminal_char(key) for key in sorted(keys, key=lambda key: (len(key), key))]
    # Ctrl+C is the terminal's interrupt character already.
    _quit_char = next((char for char in chars if char not in (None, b"\x03")), None)


def _terminal_char(key: str) -> bytes | None:
    """The one character a terminal sends for ``key`` ("q", "ctrl+q"), if it is one."""
    if len(key) == 1 and key.isprintable() and key.isascii():
        return key.encode()
    modifier, _, letter = key.partition("+")
    if modifier == "ctrl" and len(letter) == 1 and letter.isascii() and letter.isalpha():
        return bytes([ord(letter.upper()) - 64])
    return None


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
        take_signal = _take_signals(tuple(handled))
    else:  # pragma: no cover - platforms without sigtimedwait: handlers only
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    try:
        status, decoding, interrupt, explorer = _wait(pid, read_end, take_signal)
    finally:
        _drop_pending(handled)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    if interrupt is None and explorer and _died_of(status, signal.SIGQUIT):
        # The quit key as a decode ended: the explorer's terminal sends no
        # SIGQUIT but during a decode.
        interrupt = QUITTING
    if interrupt is not None:
        return _end_interrupted(interrupt, terminal)
    return _end_as(status, decoding, terminal)


def _died_of(status: int, signum: int) -> bool:
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == signum


def _drop_pending(handled: Iterable[int]) -> None:
    """Take the signals left pending (the quit key reached the child as well)."""
    if not hasattr(signal, "sigtimedwait"):  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        signals = tuple(handled)
        while signal.sigtimedwait(signals, 0) is not None:
            pass


def _interrupt_once(_signum: int, _frame: object) -> None:
    """``KeyboardInterrupt`` for the first SIGINT; the ones after it are ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


SI_KERNEL = 0x80
"""``si_code`` of a signal the kernel sent: the terminal's Ctrl+C or Ctrl+\\ among them."""


TakeSignal = Callable[[float], "signal.struct_siginfo | None"]


def _take_signals(handled: tuple[int, ...]) -> TakeSignal:
    """Waits up to a timeout for one blocked signal; what it was and who sent it."""

    def take(timeout: float) -> signal.struct_siginfo | None:
        return signal.sigtimedwait(handled, timeout)

    return take


QUITTING = 0
"""What :func:`_handle` returns for the explorer's quit key during a decode."""


def _handle(pid: int, info: signal.struct_siginfo, decoding: bytes) -> int | None:
    """Act on a signal the parent took; the signal if it ended the child (a decode's),
    or :data:`QUITTING` for the explorer's quit key.

    Passed on as :data:`FORWARDED` says: Ctrl+C from the terminal reached the
    child already, ``kill -INT`` did not. During a decode the child cannot take
    any of them: it is ended at once.
    """
    if decoding:
        _pass_on(pid, signal.SIGKILL)
        if info.si_signo in IGNORED and decoding.startswith(QUIT):
            return QUITTING  # the explorer's quit key, or its Ctrl+C
        return info.si_signo
    if info.si_signo in FORWARDED or info.si_code != SI_KERNEL:
        _pass_on(pid, info.si_signo)
    return None


class _Reporter:
    """The child's side of the pipe: a kind and the path before a decode, an empty
    record after.

    For the time of a decode, a terminal in raw mode (the explorer's) turns
    Ctrl+C into ``SIGINT`` again and the quit key into ``SIGQUIT``, which the
    parent takes; Ctrl+Z stays a key.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._saved: list[Any] | None = None

    def __call__(self, path: str | None) -> bool:
        if path is None:
            # Before the record: a key the terminal turned into a signal comes
            # while the parent still knows that the child is decoding.
            self._signals_off()
            record = b""
        else:
            self._saved = _terminal_signals_on(_quit_char)
            kind = QUIT if self._saved is not None and _quit_char is not None else PLAIN
            record = kind + (os.fsencode(path) or b"?")
        try:
            os.write(self.fd, record + b"\0")
        except OSError:  # no parent listening: the decoder takes its safe path
            self._signals_off()
            return False
        return True

    def _signals_off(self) -> None:
        _terminal_signals_off(self._saved)
        self._saved = None


def _terminal_signals_on(quit_char: bytes | None) -> list[Any] | None:
    """Let a terminal in raw mode send signals for Ctrl+C and ``quit_char``; its
    attributes as they were, or None if nothing changed."""
    try:
        import termios

        if not os.isatty(0):
            return None
        saved = termios.tcgetattr(0)
        if saved[3] & termios.ISIG:
            return None
        attributes = termios.tcgetattr(0)
        attributes[3] |= termios.ISIG
        chars = attributes[6]
        disabled = os.fpathconf(0, "PC_VDISABLE")
        chars[termios.VINTR] = b"\x03"
        chars[termios.VQUIT] = quit_char if quit_char is not None else bytes([disabled])
        chars[termios.VSUSP] = bytes([disabled])
        termios.tcsetattr(0, termios.TCSANOW, attributes)
    except (ImportError, OSError, ValueError):
        return None
    return saved


def _terminal_signals_off(saved: list[Any] | None) -> None:
    if saved is None:
        return
    try:
        import termios

        termios.tcsetattr(0, termios.TCSANOW, saved)
    except (ImportError, OSError):
        pass


def _pass_on(pid: int, signum: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signum)


def _wait(
    pid: int, read_end: int, take_signal: TakeSignal | None
) -> tuple[int, bytes, int | None, bool]:
    """The child's wait status, the record of the decode it was in when it ended (or
    b""), the signal that made the parent end it during a decode (or None), and
    whether it decoded beside the explorer.

    ``take_signal(timeout)`` waits for a signal meanwhile (None: handlers do).
    """
    current = carry = b""
    status: int | None = None
    interrupt: int | None = None
    explorer = False
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while status is None:
            # The pipe ends with the child, unless a process it forked holds it.
            info = None
            if take_signal is not None:
                info = take_signal(0.05)
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
                    explorer = explorer or any(r.startswith(QUIT) for r in records)
            if info is not None and interrupt is None:
                # Read the pipe first: whether the child is decoding decides.
                interrupt = _handle(pid, info, current)
            if not ready:
                done, found = os.waitpid(pid, os.WNOHANG)
                if done:
                    status = found
        if status is None:
            _, status = os.waitpid(pid, 0)
    return status, current, interrupt, explorer


def _end_interrupted(signum: int, terminal: object) -> int:
    """End as the child would have, had it taken ``signum`` during its decode
    (:data:`QUITTING`: as the explorer quits)."""
    _restore_terminal(terminal)
    if signum == QUITTING:
        return 0
    if signum in IGNORED:  # Ctrl+C or Ctrl+\: as the program ends on KeyboardInterrupt
        return 130
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    return 128 + signum


def _end_as(status: int, decoding: bytes, terminal: object) -> int:
    if not os.WIFSIGNALED(status):
        return os.waitstatus_to_exitcode(status)
    signum = os.WTERMSIG(status)
    _restore_terminal(terminal)
    if decoding and signum in DECODE_DEATHS:
        path = visible(os.fsdecode(decoding[1:]))
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
