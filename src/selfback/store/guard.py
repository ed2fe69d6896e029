"""Refusing, before anything is written, a database this selfback must not open for
writing: one from a newer selfback (its header read as plain bytes, so the file stays
byte for byte as it was), and an empty file where backups or the plan copy show there
was a log. ``selfback.store.db.open_store`` asks here first; ``doctor`` reports the same.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from selfback.errors import DataError
from selfback.paths import Paths
from selfback.store.migrations import LATEST

_HEADER = b"SQLite format 3\x00"


def header_version(path: Path) -> int | None:
    """The schema version (``user_version``) in the file's header, read as plain bytes so
    that nothing about the file changes; None when it is not (yet) an SQLite file."""
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError:
        return None
    if len(head) < 100 or not head.startswith(_HEADER):
        return None
    return int.from_bytes(head[60:64], "big", signed=True)


def newer_database(version: int) -> DataError:
    return DataError(
        f"This database was written by a newer selfback (schema {version}; this one knows "
        f"up to {LATEST}). Update selfback to open it; your data was not touched."
    )


def truncated_database(paths: Paths) -> bool:
    """An empty database file where there was a log: backups or a plan copy exist."""
    try:
        if paths.database.stat().st_size != 0:
            return False
    except OSError:
        return False
    has_backups = False
    with contextlib.suppress(OSError):
        has_backups = any(paths.backups_dir.glob("*.db"))
    return has_backups or paths.plan_file.exists()


def check_before_open(paths: Paths) -> None:
    """Refuse, touching nothing, a database this selfback must not open for writing."""
    version = header_version(paths.database)
    if version is not None and version > LATEST:
        raise newer_database(version)
    if truncated_database(paths):
        raise DataError(
            f"The selfback database at {paths.database} is empty (0 bytes), but there are "
            "backups or a safety plan from before: it may have been cut short. Nothing was "
            "changed: run `selfback doctor` to see how to put a backup back. `selfback sos` "
            "still works."
        )
