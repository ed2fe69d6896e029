"""The store: migrations, refusing newer schemas, privacy, pragmas and plain errors for bad
states (locked, damaged, read-only, full)."""

from __future__ import annotations

import sqlite3
import stat
import time
from datetime import datetime
from pathlib import Path

import pytest

from selfback.errors import DataError
from selfback.paths import get_paths
from selfback.store import db as dbmod
from selfback.store.checkins import NewCheckin, add_checkin, count_checkins
from selfback.store.migrations import LATEST, MIGRATIONS

AT = datetime.fromisoformat("2026-11-21T10:00:00+01:00")
TABLES = {
    "checkins",
    "checkin_tags",
    "checkin_values",
    "coping_sessions",
    "measure_results",
    "crisis_openings",
    "safety_plan_versions",
    "schema_migrations",
}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# ---------------------------------------------------------------------------- migrations
def test_migrations_are_numbered_without_gaps() -> None:
    assert [m[0] for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1][0] == LATEST


def test_migrate_from_empty_creates_every_table_and_records_migrations() -> None:
    store = dbmod.open_store(get_paths())
    try:
        assert dbmod.schema_version(store.conn) == LATEST
        assert tables(store.conn) >= TABLES
        applied = [r[0] for r in store.query("SELECT version FROM schema_migrations ORDER BY 1")]
        assert applied == list(range(1, LATEST + 1))
    finally:
        store.close()
    # nothing to back up from an empty database
    assert not get_paths().backups_dir.exists() or not list(get_paths().backups_dir.iterdir())


def test_migrate_from_an_existing_empty_sqlite_file(home: Path) -> None:
    paths = get_paths().ensure()
    sqlite3.connect(paths.database).close()  # a zero-byte file at schema 0
    store = dbmod.open_store(paths)
    assert dbmod.schema_version(store.conn) == LATEST
    store.close()


@pytest.mark.parametrize("start", range(0, LATEST))
def test_migrate_from_every_earlier_schema_keeps_data(start: int) -> None:
    paths = get_paths()
    old = dbmod.open_store(paths, migrate_to=start)
    had_checkins = "checkins" in tables(old.conn)
    if had_checkins:
        add_checkin(old, NewCheckin(at=AT, mood=4, tags=["work"], note="kept"))
    old.close()
    store = dbmod.open_store(paths)
    try:
        assert dbmod.schema_version(store.conn) == LATEST
        assert tables(store.conn) >= TABLES
        if had_checkins:
            assert count_checkins(store) == 1
            assert store.query("SELECT note FROM checkins")[0][0] == "kept"
    finally:
        store.close()
    if start > 0:
        backups = list(paths.backups_dir.glob(f"selfback-v{start}-before-migration-*.db"))
        assert len(backups) == 1
        assert mode(backups[0]) == 0o600
        check = sqlite3.connect(backups[0])
        assert dbmod.schema_version(check) == start
        check.close()


def test_a_failing_migration_rolls_back_entirely(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = get_paths()
    dbmod.open_store(paths).close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        db.execute("ALTER TABLE checkins ADD COLUMN half INTEGER")
        raise sqlite3.OperationalError("simulated failure")

    monkeypatch.setattr(dbmod, "MIGRATIONS", [*MIGRATIONS, (LATEST + 1, "broken", broken)])
    monkeypatch.setattr(dbmod, "LATEST", LATEST + 1)
    with pytest.raises(DataError):
        dbmod.open_store(paths, migrate_to=LATEST + 1)
    conn = sqlite3.connect(paths.database)
    assert dbmod.schema_version(conn) == LATEST
    assert "half_done" not in tables(conn)
    assert "half" not in {r[1] for r in conn.execute("PRAGMA table_info(checkins)")}
    conn.close()
    # and a backup was taken before trying
    assert list(paths.backups_dir.glob(f"selfback-v{LATEST}-before-migration-*.db"))


def test_newer_schema_is_refused_and_untouched(cli) -> None:  # type: ignore[no-untyped-def]
    paths = get_paths()
    dbmod.open_store(paths).close()
    conn = sqlite3.connect(paths.database)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    result = cli("checkin", "--mood", "5")
    assert result.exit_code == 3
    assert "newer selfback" in result.stderr
    assert "Traceback" not in result.output
    conn = sqlite3.connect(paths.database)
    assert dbmod.schema_version(conn) == LATEST + 1
    assert conn.execute("SELECT COUNT(*) FROM checkins").fetchone()[0] == 0
    conn.close()
    assert not paths.backups_dir.exists() or not list(paths.backups_dir.iterdir())


# ---------------------------------------------------------------------------- pragmas
def test_connection_pragmas() -> None:
    store = dbmod.open_store(get_paths())
    try:
        assert store.query("PRAGMA journal_mode")[0][0] == "wal"
        assert store.query("PRAGMA foreign_keys")[0][0] == 1
        assert store.query("PRAGMA busy_timeout")[0][0] == dbmod.BUSY_TIMEOUT_MS
        assert store.query("PRAGMA synchronous")[0][0] == 2  # FULL
    finally:
        store.close()


def test_foreign_keys_cascade_to_tags_and_values() -> None:
    from selfback.store.checkins import TrackerValue, delete_checkin

    store = dbmod.open_store(get_paths())
    cid = add_checkin(
        store,
        NewCheckin(
            at=AT,
            mood=5,
            tags=["walk"],
            values=[TrackerValue.make("pain", 1, "Pain", "scale", 3)],
        ),
    )
    assert delete_checkin(store, cid)
    assert store.query("SELECT COUNT(*) FROM checkin_tags")[0][0] == 0
    assert store.query("SELECT COUNT(*) FROM checkin_values")[0][0] == 0
    store.close()


def test_a_failed_write_leaves_nothing_behind() -> None:
    store = dbmod.open_store(get_paths())
    with pytest.raises(RuntimeError), store.tx() as db:
        db.execute(
            "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, created_at, updated_at)"
            " VALUES ('u', 't', 't', 'd', 5, 't', 't')"
        )
        raise RuntimeError("crash between statements")
    assert count_checkins(store) == 0
    store.close()


# ---------------------------------------------------------------------------- privacy
def test_files_and_folders_are_private(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "--mood", "5").exit_code == 0
    assert cli("backup").exit_code == 0
    paths = get_paths()
    assert mode(home) == 0o700
    assert mode(paths.backups_dir) == 0o700
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(paths.database) + suffix)
        if p.exists():
            assert mode(p) == 0o600, p
    backups = list(paths.backups_dir.iterdir())
    assert backups and all(mode(b) == 0o600 for b in backups)


def test_database_is_never_world_readable_even_briefly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file is created 0600 before SQLite opens it (no window at the umask's 0644)."""
    seen: list[int] = []
    real_connect = sqlite3.connect

    def spy(path, *a, **kw):  # type: ignore[no-untyped-def]
        p = Path(str(path))
        if p.name == "selfback.db" and p.exists():
            seen.append(mode(p))
        return real_connect(path, *a, **kw)

    monkeypatch.setattr(dbmod.sqlite3, "connect", spy)
    dbmod.open_store(get_paths()).close()
    assert seen == [0o600]


# ---------------------------------------------------------------------------- bad states
def test_locked_database_waits_then_says_so(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    paths = get_paths()
    dbmod.open_store(paths).close()
    other = sqlite3.connect(paths.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another window is writing
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)
    try:
        started = time.monotonic()
        result = cli("checkin", "--mood", "5")
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 3
    assert "busy in another window" in result.stderr
    assert "Nothing was saved" in result.stderr
    assert waited >= 0.25
    store = dbmod.open_store(paths)
    assert count_checkins(store) == 0
    store.close()


def test_damaged_database_points_to_doctor_and_backups(cli) -> None:  # type: ignore[no-untyped-def]
    paths = get_paths().ensure()
    paths.database.write_bytes(b"this is not a database at all" * 200)
    for command in (["checkin", "--mood", "5"], ["history"]):
        result = cli(*command)
        assert result.exit_code == 3, result
        assert "looks damaged" in result.stderr
        assert "selfback doctor" in result.stderr
        assert str(paths.backups_dir) in result.stderr
        assert "Traceback" not in result.output
    assert cli("sos").exit_code == 0


def test_read_only_database_says_so(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    paths = get_paths()
    dbmod.open_store(paths).close()
    real = dbmod.connect

    def read_only(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
        conn = real(path, readonly=readonly)
        conn.execute("PRAGMA query_only = ON")  # every write now fails as on a read-only disk
        return conn

    monkeypatch.setattr(dbmod, "connect", read_only)
    result = cli("checkin", "--mood", "5")
    assert result.exit_code == 3
    assert "read-only" in result.stderr and "Nothing was saved" in result.stderr


def test_full_disk_says_so_and_saves_nothing(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    paths = get_paths()
    dbmod.open_store(paths).close()
    real = dbmod.connect

    def full(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
        conn = real(path, readonly=readonly)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # no room for one more page
        return conn

    monkeypatch.setattr(dbmod, "connect", full)
    note = "x" * 20000  # needs new pages
    result = cli("checkin", "--mood", "5", "--note", "-", input=note)
    assert result.exit_code == 3, result
    assert "disk is full" in result.stderr
    monkeypatch.setattr(dbmod, "connect", real)
    store = dbmod.open_store(paths)
    assert count_checkins(store) == 0
    store.close()


def test_folder_that_cannot_be_created_is_a_plain_error(
    cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SELFBACK_HOME", str(blocker / "home"))
    result = cli("checkin", "--mood", "5")
    assert result.exit_code == 3
    assert "selfback" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (OSError(28, "No space left on device"), "disk is full"),
        (OSError(30, "Read-only file system"), "read-only"),
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.DatabaseError("file is not a database"), "looks damaged"),
        (sqlite3.OperationalError("disk I/O error"), "disk error"),
        (sqlite3.OperationalError("unable to open database file"), "cannot open"),
    ],
)
def test_explain_gives_one_plain_sentence(exc: BaseException, words: str) -> None:
    err = dbmod.explain(exc, Path("/x/selfback.db"))
    assert words in err.message
    assert "\n" not in err.message
    assert err.exit_code == 3
