"""`selfback backup`, `selfback doctor` and `selfback nudge`."""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
import types
from pathlib import Path

import pytest

from selfback.paths import get_paths
from selfback.store.maintenance import integrity_check
from selfback.store.migrations import LATEST

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


# ---------------------------------------------------------------------------- backup
def test_backup_default_location(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "--mood", "6", "--tag", "walk").exit_code == 0
    r = cli("backup")
    assert r.exit_code == 0, r
    [path] = list(get_paths().backups_dir.glob("selfback-*.db"))
    assert str(path) in r.stdout
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert integrity_check(path) == []
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT mood FROM checkins").fetchall() == [(6,)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    conn.close()
    assert not list(path.parent.glob(".*tmp"))


def test_backup_to_a_path_and_a_folder_never_overwrites(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("checkin", "--mood", "6")
    target = tmp_path / "copy.db"
    assert cli("backup", str(target)).exit_code == 0
    assert integrity_check(target) == []
    r = cli("backup", str(target))
    assert r.exit_code == 2 and "never overwrites" in r.stderr
    folder = tmp_path / "folder"
    folder.mkdir()
    assert cli("backup", str(folder)).exit_code == 0
    assert len(list(folder.glob("selfback-*.db"))) == 1
    r = cli("backup", str(tmp_path / "missing" / "x.db"))
    assert r.exit_code == 2 and "does not exist" in r.stderr
    r = cli("backup", "x" * 300)
    assert r.exit_code == 2 and "cannot be used for a backup" in r.stderr


def test_backup_with_nothing_saved(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("backup")
    assert r.exit_code == 2 and "nothing to back up" in r.stderr


def test_backup_while_another_window_is_writing(cli) -> None:  # type: ignore[no-untyped-def]
    """The online backup API copies a consistent state while a write is in progress."""
    cli("checkin", "--mood", "6")
    other = sqlite3.connect(get_paths().database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, created_at, updated_at)"
        " VALUES ('x', 't', 't', 'd', 1, 't', 't')"
    )
    try:
        r = cli("backup")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.exit_code == 0, r
    [path] = list(get_paths().backups_dir.glob("selfback-*.db"))
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT COUNT(*) FROM checkins").fetchone()[0] == 1
    conn.close()


# ---------------------------------------------------------------------------- doctor
def test_doctor_on_a_healthy_install(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(
        sys.modules,
        "selfback.safety.crisis",
        types.SimpleNamespace(stale_entries=lambda today: []),
    )
    cli("checkin", "--mood", "6")
    r = cli("doctor")
    assert r.exit_code == 0, r
    import selfback

    for text in (
        f"selfback     {selfback.__version__}",
        f"SQLite       {sqlite3.sqlite_version}",
        str(get_paths().database),
        f"Schema       {LATEST}",
        "ok (SQLite integrity_check)",
        "Everything looks fine.",
    ):
        assert text in r.stdout, text
    data = json.loads(cli("doctor", "--json").stdout)
    assert data["ok"] is True
    assert {c["name"] for c in data["checks"]} >= {
        "Database",
        "Integrity",
        "Privacy",
        "Settings",
        "Skills",
        "Trackers",
        "Crisis data",
    }


def test_doctor_without_a_database_yet(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("doctor", "--json")
    data = json.loads(r.stdout)
    db = next(c for c in data["checks"] if c["name"] == "Database")
    assert db["ok"] and "not created yet" in db["detail"]
    assert not get_paths().database.exists()  # doctor never creates it


def test_doctor_finds_a_damaged_database(cli) -> None:  # type: ignore[no-untyped-def]
    cli("checkin", "--mood", "6")
    cli("backup")
    path = get_paths().database
    data = bytearray(path.read_bytes())
    data[:16] = b"garbage garbage!"
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(bytes(data))
    r = cli("doctor")
    assert r.exit_code == 1
    assert "PROBLEM" in r.stdout
    assert "looks damaged" in r.stdout or "SQLite found damage" in r.stdout
    assert "Traceback" not in r.output


def test_doctor_reports_corruption_found_by_integrity_check(cli) -> None:  # type: ignore[no-untyped-def]
    cli("checkin", "--mood", "6")
    path = get_paths().database
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")
    # an index that no longer matches its table: integrity_check notices
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, '(ts_utc)', '(local_date)')"
        " WHERE name = 'checkins_ts_utc'"
    )
    conn.commit()
    conn.close()
    r = cli("doctor")
    assert r.exit_code == 1
    assert "SQLite found damage" in r.stdout
    assert "backup" in r.stdout.lower()


def test_doctor_lists_skill_tracker_and_crisis_problems(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    class Lib:
        problems = [types.SimpleNamespace(message="skills/x.yaml:3 steps: is required")]
        entries: dict[str, object] = {}

    monkeypatch.setitem(
        sys.modules, "selfback.skills.library", types.SimpleNamespace(load_library=lambda p: Lib())
    )
    monkeypatch.setitem(
        sys.modules,
        "selfback.safety.crisis",
        types.SimpleNamespace(stale_entries=lambda today: ["GB Samaritans: verified 2020-01-01"]),
    )
    (home / "trackers").mkdir(parents=True)
    (home / "trackers" / "bad.yaml").write_text("id: bad\nkind: nope\ntitle: Bad\n")
    r = cli("doctor")
    assert r.exit_code == 1
    assert "skills/x.yaml:3 steps: is required" in r.stdout
    assert "bad.yaml:2 kind: must be one of" in r.stdout
    assert "GB Samaritans: verified 2020-01-01" in r.stdout


def test_doctor_works_when_other_parts_are_missing(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "selfback.skills.library", None)  # ImportError
    monkeypatch.setitem(sys.modules, "selfback.safety.crisis", None)
    r = cli("doctor")
    assert r.exit_code == 0, r
    assert "not available in this build" in r.stdout


def test_doctor_flags_loose_permissions(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "selfback.safety.crisis", None)
    cli("checkin", "--mood", "6")
    get_paths().database.chmod(0o644)
    r = cli("doctor")
    assert r.exit_code == 1
    assert f"chmod 600 {get_paths().database}" in r.stdout


def test_doctor_flags_a_newer_database(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from selfback.store.migrations import LATEST

    monkeypatch.setitem(sys.modules, "selfback.safety.crisis", None)
    cli("checkin", "--mood", "6")
    conn = sqlite3.connect(get_paths().database)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    r = cli("doctor")
    assert r.exit_code == 1 and "newer selfback" in r.stdout


# ---------------------------------------------------------------------------- nudge
def test_nudge_only_when_no_checkin_today(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    r = cli("nudge")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == 1 and "No check-in yet today" in lines[0]
    assert "missed" not in r.stdout and "streak" not in r.stdout
    assert not get_paths().database.exists()  # nudge never creates the database
    cli("checkin", "--mood", "5", "--at", "yesterday 20:00")
    assert "No check-in yet today" in cli("nudge").stdout
    cli("checkin", "--mood", "5")
    r = cli("nudge")
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-22T08:00:00+00:00")  # a new day
    assert "No check-in yet today" in cli("nudge").stdout


def test_nudge_stays_quiet_on_a_broken_database(cli) -> None:  # type: ignore[no-untyped-def]
    paths = get_paths().ensure()
    paths.database.write_bytes(b"not a database" * 100)
    r = cli("nudge")
    assert r.exit_code == 0 and r.stdout == "" and r.stderr == ""
