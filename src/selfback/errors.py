"""Exit codes and the one exception type that carries a user-facing message.

Every error a user can meet is raised as a ``SelfbackError`` (or a subclass) with one plain
sentence saying what is wrong and what to do. ``selfback.main`` is the single place that
turns it into output and an exit status.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEM = 1  # something is wrong (validation failed, doctor found issues)
    USAGE = 2  # bad arguments or values
    DATA = 3  # database locked, corrupt, newer, disk full
    INTERRUPTED = 130  # Ctrl-C


class SelfbackError(Exception):
    """An error with a message meant for the user."""

    exit_code: ExitCode = ExitCode.PROBLEM

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(SelfbackError):
    exit_code = ExitCode.USAGE


class DataError(SelfbackError):
    exit_code = ExitCode.DATA


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised by ``selfback.main`` so a run stops the way Ctrl-C stops
    it. A place that lets Ctrl-C only skip a small step must let this one through."""


class LogLocked(DataError):
    """The log is encrypted and no key is at hand (``selfback unlock`` opens it)."""
