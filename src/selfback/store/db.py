"""Opening the database safely: pragmas, migrations, and plain errors for bad states."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from selfback.errors import DataError, UsageError
from selfback.fsutil import FILE_MODE, ensure_dir, make_private, temp_prefix
from selfback.paths import Paths
from selfback.store import cipher
from selfback.store.cipher import Key
from selfback.store.guard import check_before_open, newer_database
from selfback.store.keys import require_key
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


def _errname(exc: BaseException) -> str:
    return str(getattr(exc, "sqlite_errorname", "") or "")


def explain(exc: BaseException, path: Path) -> DataError:
    """Turn an sqlite3 (or OS) error into one plain sentence with a way out."""
    name = _errname(exc)
    text = str(exc).lower()
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        import errno

        if exc.errno == errno.ENOSPC:
            name, text = "SQLITE_FULL", "disk is full"
        elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            name, text = "SQLITE_READONLY", "read-only"
        else:
            name, text = "SQLITE_CANTOPEN", "unable to open"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text or "busy" in text:
        return DataError(
            "The selfback database is busy in another window and did not free up in time. "
            "Close the other selfback (or wait a moment), then try again. Nothing was saved."
        )
    if (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or "not a database" in text
        or "malformed" in text
        or "corrupt" in text
    ):
        return DataError(
            f"The selfback database at {path} looks damaged. Run `selfback doctor` to check "
            f"it; copies made by `selfback backup` and before upgrades are in "
            f"{path.parent / 'backups'}. `selfback sos` still works."
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return DataError(
            f"selfback cannot write to {path} (it or its folder is read-only). Check the "
            "folder's permissions or free it, then try again. Nothing was saved."
        )
    if (
        name.startswith("SQLITE_FULL")
        or "disk is full" in text
        or "database or disk is full" in text
    ):
        return DataError("The disk is full, so nothing was saved. Free some space, then try again.")
    if name.startswith("SQLITE_IOERR") or "disk i/o" in text:
        return DataError(
            f"selfback could not read or write {path} (a disk error: the disk may be full, "
            "removed or failing). Nothing was saved. Free some space or check the disk, "
            "then run `selfback doctor`."
        )
    if (
        name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"))
        or "unable to open" in text
    ):
        return DataError(
            f"selfback cannot open its database at {path}. Check that the folder exists and "
            "that you may write to it."
        )
    return DataError(f"The selfback database reported a problem: {exc}. Try `selfback doctor`.")


def too_large() -> UsageError:
    """A number bigger than SQLite holds (an id, a value): one plain sentence."""
    return UsageError(
        "That number is out of range: no entry in selfback's log has it (the largest "
        "number the log can hold is 9223372036854775807). Nothing was changed."
    )


# Errors raised inside a transaction that are the caller's business (a bug or a duplicate
# it wants to handle), not a bad state of the database.
_PASS_THROUGH = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)


class Store:
    """An open database. Use ``with store.tx() as db:`` for every write."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        write_problem: DataError | None = None,
        key: Key | None = None,
    ) -> None:
        self.conn = conn
        self.path = path
        self.key = key  # None: a plain database
        # Set when the database could be opened only for reading (a full or read-only
        # disk): why a write cannot be saved.
        self.write_problem = write_problem

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE, commit on success, roll back on error."""
        if self.write_problem is not None:
            raise self.write_problem
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        try:
            yield self.conn
        except OverflowError as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise too_large() from exc
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, _PASS_THROUGH):
                raise
            raise explain(exc, self.path) from exc
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

    def query(
        self, sql: str, params: tuple[object, ...] | dict[str, object] = ()
    ) -> list[sqlite3.Row]:
        try:
            return list(self.conn.execute(sql, params))
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        except OverflowError as exc:  # e.g. `history show 99999999999999999999`
            raise too_large() from exc

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def create_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist (no window at 0644)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    os.close(fd)


def backup_to(conn: sqlite3.Connection, target: Path, key: Key | None = None) -> Path:
    """Copy the open database to ``target`` with SQLite's online backup API.

    The copy is written to a private temporary file next to ``target``, checked with
    ``quick_check``, and renamed into place only when complete and healthy, so ``target``
    is either absent or a whole, checked database (a damaged copy is never kept). An
    encrypted database (``key``) gives a copy encrypted with the same key.
    """
    if not target.parent.is_dir():
        ensure_dir(target.parent)  # only a folder it creates is made 0700
    fd, name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        dest = sqlite3.connect(tmp) if key is None else cipher.connect(tmp, key)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            problems = check_copy(dest)
        finally:
            dest.close()
        if problems:
            raise DataError(
                f"The copy for {target} did not pass SQLite's check ({problems[0]}), so it "
                "was not kept. Your database may be damaged: run `selfback doctor`."
            )
        make_private(tmp)
        os.replace(tmp, target)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    return target


def check_copy(conn: sqlite3.Connection) -> list[str]:
    """SQLite's quick_check and foreign_key_check on an open copy; [] means healthy."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
    problems = [r for r in rows if r != "ok"]
    if not problems and conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append("some rows point at rows that no longer exist")
    return problems


def backup_store(store: Store, target: Path) -> Path:
    """``backup_to`` for an open store (a copy before a bulk change)."""
    return backup_to(store.conn, target, store.key)


def set_busy_timeout(store: Store, milliseconds: int) -> None:
    """How long a write waits for another selfback to finish (default ``BUSY_TIMEOUT_MS``):
    a shorter wait for writes that must never hold up what the person sees."""
    try:
        store.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    except sqlite3.Error as exc:
        raise explain(exc, store.path) from exc


def _backup_before_migration(
    conn: sqlite3.Connection, path: Path, version: int, key: Key | None
) -> Path:
    folder = ensure_dir(path.parent / "backups")
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = folder / f"selfback-v{version}-before-migration-{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"selfback-v{version}-before-migration-{stamp}-{n}.db"
    return backup_to(conn, target, key)


def migrate(
    conn: sqlite3.Connection, path: Path, *, target: int = LATEST, key: Key | None = None
) -> None:
    """Apply every migration newer than the database, each in its own transaction."""
    current = schema_version(conn)
    if current > LATEST:
        raise newer_database(current)
    if current >= target:
        return
    if current > 0:
        _backup_before_migration(conn, path, current, key)
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


def connect(
    path: Path, *, readonly: bool = False, query: str = "mode=ro", key: Key | None = None
) -> sqlite3.Connection:
    """Open ``path`` with selfback's pragmas. A new file is created 0600 first. Read-only
    takes SQLite's URI ``query``: ``mode=ro``, or ``immutable=1`` when not even the
    ``-shm`` file can be made (a full disk). With ``key``, through SQLCipher."""
    timeout = BUSY_TIMEOUT_MS / 1000
    if key is not None:
        conn = cipher.connect(path, key, readonly=readonly, query=query, timeout=timeout)
    elif readonly:
        uri = "file:" + urllib.parse.quote(str(path)) + "?" + query
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    else:
        with contextlib.suppress(FileExistsError):
            create_private_file(path)
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    if key is None:
        conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a committed check-in survives a power cut too, not only a crash.
        conn.execute("PRAGMA synchronous = FULL")
    return conn


def open_store(paths: Paths, *, migrate_to: int = LATEST) -> Store:
    """Open (creating if needed) and migrate the user's database.

    Before anything is written: a database from a newer selfback is refused untouched,
    and an empty (0-byte) file is refused when backups or the plan copy show there was
    a log (``check_before_open``). When the database cannot be opened for writing (a
    full or read-only disk), it is opened read-only instead so it can still be read and
    copied out; a write then says why it cannot be saved (``_read_only_instead``).
    """
    path = paths.database
    check_before_open(paths)
    key = require_key(paths)
    try:
        paths.ensure()
        conn = connect(path) if key is None else connect(path, key=key)
    except (sqlite3.Error, OSError) as exc:
        return _read_only_instead(paths, exc, key)
    try:
        for suffix in ("", "-wal", "-shm"):
            make_private(Path(str(path) + suffix))
        migrate(conn, path, target=migrate_to, key=key)
    except (sqlite3.Error, OSError) as exc:
        conn.close()
        return _read_only_instead(paths, exc, key)
    except BaseException:
        conn.close()
        raise
    return Store(conn, path, key=key)


# -- reading when writing is impossible -------------------------------------------------

# Errors that mean "cannot write here", after which reading may still work.
_READABLE_AFTER = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN")


def _read_only_instead(paths: Paths, exc: BaseException, key: Key | None = None) -> Store:
    """A read-only store when ``exc`` only stopped writing (and the schema is current);
    otherwise ``exc`` explained."""
    problem = explain(exc, paths.database)
    name = _errname(exc)
    text = problem.message
    cannot_write = name.startswith(_READABLE_AFTER) or any(
        words in text for words in ("disk is full", "cannot write", "disk error", "cannot open")
    )
    if not cannot_write or not paths.database.is_file():
        raise problem from exc
    try:
        conn = connect_readonly(paths.database, key)
        version = schema_version(conn)
    except sqlite3.Error:
        raise problem from exc
    if version != LATEST:
        conn.close()
        raise (newer_database(version) if version > LATEST else problem) from exc
    return Store(conn, paths.database, write_problem=problem, key=key)


def connect_readonly(path: Path, key: Key | None = None) -> sqlite3.Connection:
    """A read-only connection that works on a full disk too: ``mode=ro`` first; when
    SQLite cannot even make the ``-shm`` file, ``immutable=1``, but only when no
    write-ahead log holds changes (an immutable reader would not see them). An
    encrypted file is opened with the key at hand (``require_key``)."""
    if key is None and cipher.is_encrypted(path):
        from selfback.paths import get_paths

        key = require_key(get_paths(), path)
    conn: sqlite3.Connection | None = None
    try:
        conn = (
            connect(path, readonly=True) if key is None else connect(path, readonly=True, key=key)
        )
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error:
        if conn is not None:
            conn.close()
        try:
            wal_size = Path(f"{path}-wal").stat().st_size
        except OSError:
            wal_size = 0
        if wal_size:
            raise
    if key is None:
        return connect(path, readonly=True, query="immutable=1")
    return connect(path, readonly=True, query="immutable=1", key=key)


def open_readonly(paths: Paths) -> Store | None:
    """Open an existing database for reading only (no migration); None if there is none.

    For quick readers (``nudge``, ``doctor``) that must not create or upgrade anything.
    """
    path = paths.database
    if not path.exists():
        return None
    key = require_key(paths)
    try:
        conn = connect_readonly(path, key)
    except sqlite3.Error as exc:
        raise explain(exc, path) from exc
    return Store(conn, path, key=key)


def database_exists(paths: Paths) -> bool:
    return paths.database.exists()
