"""Single keys while a timer or the breathing pacer runs (POSIX terminals only).

While active, the terminal is in cbreak mode without echo, so a key press arrives at once
and typed letters do not scribble over the countdown. Ctrl-C still raises
KeyboardInterrupt (signals stay on). The terminal is always restored on exit. When stdin
is not a terminal, :meth:`KeyPoller.poll` always returns None and piped input is left
alone for the prompts that follow.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any, TextIO

# What a key means while something is running.
ENTER = "enter"
KEY_ACTIONS = {
    "\n": ENTER,
    "\r": ENTER,
    " ": ENTER,
    "b": "b",
    "s": "s",
    "q": "q",
    "!": "!",
    "?": "?",
}


class KeyPoller:
    def __init__(self, stdin: TextIO) -> None:
        self._fd: int | None = None
        self._saved: Any = None
        try:
            if stdin.isatty():
                self._fd = stdin.fileno()
        except (AttributeError, ValueError, OSError):
            self._fd = None

    @property
    def active(self) -> bool:
        return self._fd is not None and self._saved is not None

    def __enter__(self) -> KeyPoller:
        if self._fd is None:
            return self
        try:
            import termios
            import tty

            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd, termios.TCSANOW)
        except (ImportError, OSError, ValueError):
            self._saved = None
            self._fd = None
        else:
            import termios

            with contextlib.suppress(termios.error, OSError):
                new = termios.tcgetattr(self._fd)
                new[3] &= ~termios.ECHO
                termios.tcsetattr(self._fd, termios.TCSANOW, new)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None and self._saved is not None:
            import termios

            with contextlib.suppress(termios.error, OSError):
                termios.tcsetattr(self._fd, termios.TCSANOW, self._saved)
        self._saved = None

    def poll(self) -> str | None:
        """The action of the first meaningful key pressed since the last poll, or None."""
        if not self.active or self._fd is None:
            return None
        import select

        try:
            ready, _, _ = select.select([self._fd], [], [], 0)
            if not ready:
                return None
            data = os.read(self._fd, 64)
        except (OSError, ValueError):
            return None
        if not data:
            raise EOFError
        for ch in data.decode("utf-8", errors="ignore"):
            if ch == "\x04":  # Ctrl-D
                raise EOFError
            action = KEY_ACTIONS.get(ch.lower())
            if action is not None:
                return action
        return None
