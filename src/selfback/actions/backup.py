"""Backing up: a safe, private copy of the database, dated in the backups folder or
where the person asks (a new file or a folder; an existing file is never overwritten).

A sealed backup (``selfback backup --encrypt``) is the same copy, made in memory, checked,
and sealed there (``selfback.sealing``): only the sealed ``.db.age`` file is written, so
the copy's plaintext never reaches the disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from selfback.errors import DataError, UsageError
from selfback.messages import data as msg
from selfback.paths import Paths
from selfback.scratch import writing_in
from selfback.sealing import SUFFIX as SEALED_SUFFIX
from selfback.sealing import Seal
from selfback.store.maintenance import copy_database


def default_backup_path(paths: Paths, now: datetime, *, sealed: bool = False) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    end = ".db" + (SEALED_SUFFIX if sealed else "")
    target = paths.backups_dir / f"selfback-{stamp}{end}"
    n = 1
    while target.exists():
        n += 1
        target = paths.backups_dir / f"selfback-{stamp}-{n}{end}"
    return target


def _target(paths: Paths, target: Path | None, now: datetime, *, sealed: bool) -> Path:
    if target is None:
        return default_backup_path(paths, now, sealed=sealed)
    target = target.expanduser()
    if target.is_dir():
        end = ".db" + (SEALED_SUFFIX if sealed else "")
        target = target / f"selfback-{now.strftime('%Y%m%d-%H%M%S')}{end}"
    elif sealed and not target.name.lower().endswith(SEALED_SUFFIX):
        target = target.with_name(target.name + SEALED_SUFFIX)
    if target.exists():
        raise UsageError(msg.BACKUP_EXISTS.format(path=target))
    if not target.parent.is_dir():
        raise UsageError(msg.BACKUP_NO_FOLDER.format(folder=target.parent))
    return target


def backup(
    paths: Paths,
    target: Path | None,
    now: datetime,
    *,
    ask_seal: Callable[[], Seal] | None = None,
) -> Path:
    """Copy the database to ``target`` (or a dated file in the backups folder); returns
    where the copy is. With ``ask_seal`` the copy is sealed: it is called (to ask for a
    passphrase, say) once the database and the target are known to be fine."""
    if not paths.database.exists():
        raise UsageError(msg.NOTHING_TO_BACK_UP)
    try:
        where = _target(paths, target, now, sealed=ask_seal is not None)
    except OSError as exc:
        raise UsageError(
            msg.BACKUP_BAD_PATH.format(path=target, reason=exc.strerror or exc)
        ) from exc
    seal = ask_seal() if ask_seal is not None else None
    with writing_in(paths, [where.parent]):
        if seal is None:
            return copy_database(paths, where)
        return _sealed_copy(paths, where, seal)


def _encrypted_copy(paths: Paths) -> bytes:
    """An encrypted log's backup, to be sealed: the same SQLCipher copy a plain backup
    of it is (checked with its key), made in the private scratch folder and read back.
    Only ciphertext touches the disk, and the sealed file opens to a copy that still
    needs the passphrase."""
    from selfback.scratch import scratch_file

    tmp = scratch_file(paths, "backup", ".db")
    try:
        tmp.unlink()
        copy_database(paths, tmp)
        return tmp.read_bytes()
    finally:
        tmp.unlink(missing_ok=True)


def _copy_in_memory(paths: Paths) -> bytes:
    """The database as one checked image in memory (SQLite's online backup API, safe
    while selfback is in use). An encrypted log gives its encrypted copy."""
    from selfback.store.db import check_copy, connect_readonly, explain
    from selfback.store.keys import encrypted_log

    if encrypted_log(paths):
        return _encrypted_copy(paths)

    source = paths.database
    try:
        conn = connect_readonly(source)
    except sqlite3.Error as exc:
        raise explain(exc, source) from exc
    try:
        copy = sqlite3.connect(":memory:")
        try:
            conn.backup(copy)
            problems = check_copy(copy)
            image = copy.serialize()
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise explain(exc, source) from exc
    finally:
        conn.close()
    if problems:
        raise DataError(
            f"The copy of your database did not pass SQLite's check ({problems[0]}), so no "
            "backup was written. Your database may be damaged: run `selfback doctor`."
        )
    # A single file, as a plain backup is (journal mode DELETE): bytes 18 and 19 of the
    # header say "rollback journal" rather than WAL, which is all that PRAGMA
    # journal_mode = DELETE changes in a copy that has no WAL of its own.
    return bytes(image[:18]) + b"\x01\x01" + bytes(image[20:])


def _sealed_copy(paths: Paths, where: Path, seal: Seal) -> Path:
    from selfback.fsutil import atomic_write

    sealed = seal(_copy_in_memory(paths))
    try:
        atomic_write(where, sealed)
    except OSError as exc:
        raise DataError(
            f"Could not write the backup to {where} ({exc.strerror or exc}). Check the "
            "folder and free space, then try again. Your data is unchanged."
        ) from exc
    return where
