"""Importing a file: a selfback JSON export (restore, move machines) or a Daylio CSV.

The file is read and checked whole first (nothing is written when any record is wrong).
A dry run then writes everything in a transaction that is rolled back, and says what it
would have done. Otherwise, when the log holds anything, a quick preview (rolled back
too) counts what is new, what is already there and what has changed; when records
changed and no ``changed`` policy was given, ``ask_changed`` (a terminal) chooses, and
without it the log's versions are kept. Only when the import would change the log is it
copied to ``backups/`` and the records written in one transaction; and if the newest
safety plan came from the file, the copy ``selfback sos`` reads is brought up to date.
Never prints, never reads standard input (``ask_mood`` answers an unknown Daylio mood,
``ask_changed`` what to do with changed records).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from selfback.errors import SelfbackError
from selfback.importer import AskMood, ImportResult, Loaded, Progress, read_file, write_records
from selfback.importer.sealed import read_sealed_export
from selfback.messages import data as msg
from selfback.paths import Paths
from selfback.sealing import Unseal
from selfback.store.db import Store, backup_store, iso, open_store

CHANGED = ("keep", "take")
AskChanged = Callable[[ImportResult], bool]  # the preview -> take the file's versions?


def _backup(store: Store, paths: Paths, now: datetime) -> Path:
    """A copy of the database before a bulk import."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = paths.backups_dir / f"selfback-before-import-{stamp}.db"
    n = 2
    while target.exists():
        target = paths.backups_dir / f"selfback-before-import-{stamp}-{n}.db"
        n += 1
    try:
        return backup_store(store, target)
    except (OSError, sqlite3.Error) as exc:
        raise SelfbackError(msg.IMPORT_BACKUP_FAILED.format(reason=exc)) from exc


def _refresh_plan_mirror(store: Store, paths: Paths, result: ImportResult) -> None:
    """If the newest plan version came from the file, make ``sos`` show it too."""
    from selfback.fsutil import atomic_write
    from selfback.safety.plan import read_plan_file
    from selfback.store.safety import latest_plan_version

    newest = latest_plan_version(store)
    if newest is None:
        return
    current = read_plan_file(paths)
    if current is not None and current.uid == newest.uid:
        return
    try:
        atomic_write(paths.plan_file, newest.plan)
        result.notes.append(msg.PLAN_FROM_IMPORT)
    except OSError:
        result.notes.append(msg.PLAN_MIRROR_FAILED)


def import_file(
    paths: Paths,
    path: Path,
    *,
    fmt: str = "auto",
    now: datetime,
    mood_map: dict[str, int] | None = None,
    ask_mood: AskMood | None = None,
    changed: str | None = None,
    ask_changed: AskChanged | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    unseal: Unseal | None = None,
) -> ImportResult:
    """Import ``path`` into the log; returns what was added, what was already there and
    what differs (``changed``: ``keep`` the log's version, ``take`` the file's, or None
    to ask ``ask_changed`` when there are any, else keep). A sealed export (``.age``) is
    opened in memory with ``unseal``."""
    from selfback.store.importing import has_entries

    loaded: Loaded = (
        read_file(path, fmt=fmt, mood_map=mood_map, ask_mood=ask_mood)
        if unseal is None
        else read_sealed_export(path, unseal)
    )
    take = changed == "take"
    with open_store(paths) as store:
        if dry_run:  # everything as it would be written (with the risk flags), rolled back
            return write_records(
                store, loaded, dry_run=True, progress=progress, take_changed=take, now=iso(now)
            )
        backup = None
        if has_entries(store):  # an empty log needs neither a preview nor a copy
            preview = write_records(store, loaded, dry_run=True, take_changed=take, count_only=True)
            if preview.changed and changed is None and ask_changed is not None:
                take = ask_changed(preview)
                preview.take_changed = take
            if not preview.changes_anything:
                preview.dry_run = False
                return preview
            backup = _backup(store, paths, now)
        result = write_records(store, loaded, progress=progress, take_changed=take, now=iso(now))
        result.backup = backup
        if "safety_plan_versions" in result.added:
            _refresh_plan_mirror(store, paths, result)
    return result
