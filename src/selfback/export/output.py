"""Writing export files: atomically, privately (0600), streamed.

``atomic_output`` is ``selfback.fsutil.atomic_write`` for data that is produced piece by
piece (a ten-year log is written row by row, not built in memory first). It follows the
same steps: a temporary file in the target folder, created 0600, flushed and fsynced,
then renamed over the target; on any error the temporary file is removed and the target
is left as it was.

One difference on purpose: exports go wherever the person asks (their current folder, a
USB stick), so the target folder is never chmod-ed; ``fsutil.ensure_dir`` would make it
0700. A missing folder is an error with a plain sentence, not silently created. Only a
regular file is ever replaced (``refuse_unless_regular``).

A sealed export (``selfback export --encrypt``) runs its writer inside
``sealed_output(seal)``: ``atomic_output`` then gives the writer a buffer in memory and
writes only what ``seal`` makes of it (``selfback.sealing``), so the plaintext never
reaches the disk, not even as a temporary file.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO

from selfback.errors import SelfbackError, UsageError
from selfback.fsutil import FILE_MODE, ensure_dir, temp_prefix

# Turns a whole export's bytes into what is written instead (``sealed_output``).
Sealer = Callable[[bytes], bytes]
_SEALER: ContextVar[Sealer | None] = ContextVar("selfback_export_sealer", default=None)


@contextlib.contextmanager
def sealed_output(seal: Sealer | None) -> Iterator[None]:
    """While inside, every ``atomic_output`` writes ``seal(data)`` instead of ``data``."""
    token = _SEALER.set(seal)
    try:
        yield
    finally:
        _SEALER.reset(token)


def write_problem(path: Path, exc: OSError) -> SelfbackError:
    """An OSError while writing ``path``, as one plain sentence with a way out."""
    import errno

    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return SelfbackError(
            f"The disk is full, so {path} was not written. Free some space, then try again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return SelfbackError(
            f"selfback may not write to {path.parent} ({reason}). "
            "Choose another place with --output."
        )
    return SelfbackError(f"Could not write {path} ({reason}). Choose another place with --output.")


def refuse_unless_regular(path: Path) -> None:
    """An export replaces only a regular file: never a folder, a device such as /dev/null,
    a named pipe or a socket (``--output -`` writes to standard output)."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder. Give a file name with --output.")
    if (path.exists() or path.is_symlink()) and not path.is_file():
        raise UsageError(
            f"{path} is not a regular file (it may be a device or a pipe), so selfback will "
            "not replace it: give a file name with --output, or --output - for standard "
            "output."
        )


def check_target(path: Path) -> None:
    """Refuse, with one sentence, a file an export cannot write: its folder is missing,
    or something other than a regular file is there."""
    if not path.parent.is_dir():
        raise UsageError(
            f"The folder {path.parent} does not exist. Create it first, or choose another "
            "place with --output."
        )
    refuse_unless_regular(path)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it replaces ``path`` in one step, mode 0600."""
    folder = path.parent
    check_target(path)
    seal = _SEALER.get()
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise write_problem(path, exc) from exc
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", buffering=1 << 16) as fh:
            if seal is None:
                yield fh
            else:
                with io.BytesIO() as plain:
                    yield plain
                    fh.write(seal(plain.getvalue()))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise write_problem(path, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


@contextlib.contextmanager
def atomic_text(path: Path) -> Iterator[io.TextIOWrapper]:
    """Like ``atomic_output`` but yields UTF-8 text with ``\\n`` line ends."""
    with atomic_output(path) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="\n", write_through=False)
        try:
            yield text
            text.flush()
        finally:
            text.detach()


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as fh:
        fh.write(data)


def prepare_folder(path: Path) -> Path:
    """A folder for a multi-file export (CSV): created private (0700) if new."""
    if _SEALER.get() is not None:  # a sealed export is one file (the command says so)
        raise UsageError("A sealed export is one file, not a folder.")
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path} is a file, not a folder. Choose another place with --output.")
    if not path.parent.is_dir():
        raise UsageError(
            f"The folder {path.parent} does not exist. Create it first, or choose another "
            "place with --output."
        )
    if path.is_dir():
        return path  # the person's own folder: leave its permissions alone
    try:
        return ensure_dir(path)
    except OSError as exc:
        raise write_problem(path / "x", exc) from exc


def unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or ``stem-2``, ``stem-3``... so nothing is overwritten."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate
