"""The private crash log: where selfback writes what went wrong behind the scenes.

Standard library only. ``log`` is the ``selfback`` logger. Until ``install(paths)`` is
called nothing is written (a ``NullHandler``); ``selfback.main`` installs it once per run.
A broad ``except`` anywhere in selfback that does not re-raise logs with
``log.exception("what was being done")`` (ruff's BLE rule checks this), so a swallowed
error is never lost, and never shown to a person in distress either.

The file is ``<data dir>/crash.log``, private (0600) in a private folder, opened only when
the first record arrives, and kept small: past 256 KiB it is moved to ``crash.log.1``
(replacing the older one). It holds tracebacks and selfback's own messages, never a
person's notes or answers: callers log what they were doing, not the text involved. When
the failure happened while handling a person's words (risk detection, the safety plan),
pass ``extra=TEXT_INVOLVED``: an exception's message can quote its input, so the record
then keeps only the exception's type and where it was raised. Writing it never raises.
"""

from __future__ import annotations

import logging
import os
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfback.paths import Paths

MAX_BYTES = 256 * 1024
# ``log.exception("...", extra=TEXT_INVOLVED)``: leave the exception's message out.
TEXT_INVOLVED = {"text_involved": True}

log = logging.getLogger("selfback")
log.addHandler(logging.NullHandler())
log.propagate = False


class _Formatter(logging.Formatter):
    """The usual format, except that a ``TEXT_INVOLVED`` record's exception loses its
    message (and the messages of the exceptions chained to it)."""

    def format(self, record: logging.LogRecord) -> str:
        if not record.__dict__.get("text_involved") or not record.exc_info:
            return super().format(record)
        kind, _, tb = record.exc_info
        bare = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        where = "".join(traceback.format_tb(tb)) if tb is not None else ""
        name = kind.__qualname__ if kind is not None else "Exception"
        return (
            f"{super().format(bare)}\nTraceback (most recent call last):\n{where}"
            f"{name} (message left out: it may quote a person's words)"
        )


class PrivateFileHandler(logging.Handler):
    """Appends records to a 0600 file, opened lazily; never raises."""

    def __init__(self, path: os.PathLike[str] | str) -> None:
        super().__init__(level=logging.DEBUG)
        self.path = os.fspath(path)
        self.setFormatter(_Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record) + "\n"
            folder = os.path.dirname(self.path)
            if folder:
                os.makedirs(folder, mode=0o700, exist_ok=True)
            try:
                if os.path.getsize(self.path) > MAX_BYTES:
                    os.replace(self.path, self.path + ".1")
            except OSError:
                pass
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, text.encode("utf-8", "replace"))
            finally:
                os.close(fd)
        except Exception:  # noqa: BLE001 - the crash log must never raise
            return


def crash_log_path(paths: Paths) -> str:
    return os.fspath(paths.data_dir / "crash.log")


def install(paths: Paths) -> None:
    """Send ``log`` records to the private crash log (once per process)."""
    path = crash_log_path(paths)
    for handler in log.handlers:
        if isinstance(handler, PrivateFileHandler):
            if handler.path == path:
                return
            log.removeHandler(handler)
    log.addHandler(PrivateFileHandler(path))
    log.setLevel(logging.INFO)
