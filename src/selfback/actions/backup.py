"""Backing up: a safe, private copy of the database, dated in the backups folder or
where the person asks (a new file or a folder; an existing file is never overwritten)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from selfback.errors import UsageError
from selfback.messages import data as msg
from selfback.paths import Paths
from selfback.scratch import writing_in
from selfback.store.maintenance import copy_database


def default_backup_path(paths: Paths, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = paths.backups_dir / f"selfback-{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = paths.backups_dir / f"selfback-{stamp}-{n}.db"
    return target


def _target(paths: Paths, target: Path | None, now: datetime) -> Path:
    if target is None:
        return default_backup_path(paths, now)
    target = target.expanduser()
    if target.is_dir():
        target = target / f"selfback-{now.strftime('%Y%m%d-%H%M%S')}.db"
    if target.exists():
        raise UsageError(msg.BACKUP_EXISTS.format(path=target))
    if not target.parent.is_dir():
        raise UsageError(msg.BACKUP_NO_FOLDER.format(folder=target.parent))
    return target


def backup(paths: Paths, target: Path | None, now: datetime) -> Path:
    """Copy the database to ``target`` (or a dated file in the backups folder); returns
    where the copy is."""
    if not paths.database.exists():
        raise UsageError(msg.NOTHING_TO_BACK_UP)
    try:
        where = _target(paths, target, now)
    except OSError as exc:
        raise UsageError(
            msg.BACKUP_BAD_PATH.format(path=target, reason=exc.strerror or exc)
        ) from exc
    with writing_in(paths, [where.parent]):
        return copy_database(paths, where)
