"""Opening the database safely: pragmas, migrations, and plain errors for bad states."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from selfback.errors import DataError
from selfback.fsutil import ensure_dir, make_private
from selfback.paths import Paths
from selfback.store.migrations import LATEST, MIGRATIONS

BUSY_TIMEOUT_MS = 5000


def new_uid() -> str:
    return uuid.uuid4().hex


def iso(dt: datetime) -> str:
    """ISO 8601 with the UTC offset, to the second (aware datetimes only)."""
    if dt.tzinfo is None:
        dt = dt.astimezone()
    return dt.isoformat(timespec="seconds")


def utc_iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.astimezone()
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def local_date(dt: datetime) -> str:
    return dt.date().isoformat()


def explain(exc: sqlite3.Error, path: Path) -> DataError:
    """Turn an sqlite3 error into one plain sentence with a way out."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return DataError(
            "The selfback database is busy in another window and did not free up in time. "
            "Close the other selfback, then try again."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DataError(
            f"The selfback database at {path} looks damaged. Run `selfback doctor` to check "
            f"it; copies made before upgrades are in {path.parent / 'backups'}. "
            "`selfback sos` still works."
        )
    if "readonly" in text or "read-only" in text:
        return DataError(
            f"selfback cannot write to {path} (it is read-only). Check the folder's "
            "permissions or free it, then try again. Nothing was saved."
        )
    if "disk is full" in text or "disk i/o" in text or "full" in text:
        return DataError(
            "The disk is full, so nothing was saved. Free some space, then try again."
        )
    if "unable to open" in text:
        return DataError(
            f"selfback cannot open its database at {path}. Check that the folder exists and "
            "that you may write to it."
        )
    return DataError(f"The selfback database reported a problem: {exc}. Try `selfback doctor`.")


class Store:
    """An open database. Use ``with store.tx() as db:`` for every write."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE, commit on success, roll back on error."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        try:
            yield self.conn
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise explain(exc, self.path) from exc

    def query(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[sqlite3.Row]:
        try:
            return list(self.conn.execute(sql, params))
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    folder = ensure_dir(path.parent / "backups")
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = folder / f"selfback-v{version}-before-migration-{stamp}.db"
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    make_private(target)
    return target


def migrate(conn: sqlite3.Connection, path: Path, *, target: int = LATEST) -> None:
    """Apply every migration newer than the database, each in its own transaction."""
    current = schema_version(conn)
    if current > LATEST:
        raise DataError(
            f"This database was written by a newer selfback (schema {current}; this one "
            f"knows up to {LATEST}). Update selfback to open it; your data was not touched."
        )
    if current >= target:
        return
    if current > 0:
        _backup_before_migration(conn, path, current)
    for version, name, func in MIGRATIONS:
        if version <= current or version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the lock: another process may have migrated meanwhile.
            if schema_version(conn) >= version:
                conn.execute("ROLLBACK")
                continue
            func(conn)
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, iso(datetime.now().astimezone())),
            )
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def open_store(paths: Paths, *, migrate_to: int = LATEST) -> Store:
    """Open (creating if needed) and migrate the user's database."""
    path = paths.database
    paths.ensure()
    try:
        conn = connect(path)
        for suffix in ("", "-wal", "-shm"):
            make_private(Path(str(path) + suffix))
        migrate(conn, path, target=migrate_to)
    except sqlite3.Error as exc:
        raise explain(exc, path) from exc
    return Store(conn, path)


def database_exists(paths: Paths) -> bool:
    return paths.database.exists()
