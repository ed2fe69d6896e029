"""Private folders and atomic, private file writes (stdlib only: used by the sos path)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed, and make it private (0700)."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    with contextlib.suppress(OSError):
        if (path.stat().st_mode & 0o777) != DIR_MODE:
            path.chmod(DIR_MODE)
    return path


def temp_prefix(path: Path) -> str:
    """The start of a temporary file's name for writing ``path``: hidden, and carrying
    this process's id, so a later run can tell a leftover from a kill
    (``selfback.scratch``) from a file another selfback is writing right now."""
    return f".{path.name}.{os.getpid()}-"


def atomic_write(path: Path, data: bytes | str, *, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed
    over the target. On any error the temporary file is removed and the target untouched.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not path.parent.is_dir():
        # Create missing folders private; never change the mode of a folder that exists
        # (it may be the person's own, e.g. for an export or a backup).
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def make_private(path: Path) -> None:
    """Set 0600 on an existing file (quietly ignores files that vanished)."""
    with contextlib.suppress(FileNotFoundError):
        if (path.stat().st_mode & 0o777) != FILE_MODE:
            path.chmod(FILE_MODE)
