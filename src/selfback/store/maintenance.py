"""The database's side of ``selfback backup`` and ``selfback doctor``: online copies,
SQLite's integrity checks, and what to do about a damaged file.

About the database only (the rest of the health check, settings, skills, trackers and
crisis data, is ``selfback.actions.doctor``). Nothing here prints: results come back as
data for the command to render.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from selfback.errors import DataError
from selfback.paths import Paths
from selfback.store.db import (
    backup_to,
    connect_readonly,
    explain,
    schema_version,
)
from selfback.store.guard import truncated_database
from selfback.store.migrations import LATEST


# ---------------------------------------------------------------------------- backup
def copy_database(paths: Paths, target: Path) -> Path:
    """Copy the database to ``target`` (a new file) with SQLite's online backup API, safe
    while selfback is in use. The copy is private (0600) and checked with ``quick_check``
    before it takes its name: a copy that fails the check is removed, never kept."""
    from selfback.store.keys import require_key

    source = paths.database
    key = require_key(paths)  # an encrypted log gives a copy with the same key
    try:
        conn = connect_readonly(source, key)
    except sqlite3.Error as exc:
        raise explain(exc, source) from exc
    try:
        backup_to(conn, target, key)
    except sqlite3.Error as exc:
        raise explain(exc, source) from exc
    except OSError as exc:
        raise DataError(
            f"Could not write the backup to {target} ({exc.strerror or exc}). Check the "
            "folder and free space, then try again. Your data is unchanged."
        ) from exc
    finally:
        conn.close()
    return target


def integrity_check(path: Path, *, quick: bool = False) -> list[str]:
    """SQLite's integrity_check (or quick_check) and foreign_key_check; [] means healthy."""
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as exc:
        return [f"cannot be opened ({exc})"]
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}")]
        problems = [r for r in rows if r != "ok"]
        if not problems:
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
            if fk:
                problems.append(f"{len(fk)} row(s) point at rows that no longer exist")
        return problems
    except sqlite3.Error as exc:
        return [f"cannot be read ({exc})"]
    finally:
        conn.close()


def list_backups(paths: Paths) -> list[Path]:
    try:
        return sorted(
            (p for p in paths.backups_dir.glob("*.db") if p.is_file()),
            key=lambda p: p.stat().st_mtime,
        )
    except OSError:
        return []


# ---------------------------------------------------------------------------- doctor
@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    problems: tuple[str, ...] = ()


def recovery_steps(paths: Paths) -> tuple[str, ...]:
    """What to do about a damaged database, as exact commands."""
    import shlex

    db = paths.database
    aside = shlex.quote(str(db) + ".damaged")
    steps = [
        f"Keep the damaged file, out of the way: mv {shlex.quote(str(db))} {aside}",
    ]
    backups = list_backups(paths)
    good, damaged = newest_good_backup(backups)
    if damaged:
        names = ", ".join(p.name for p in damaged)
        steps.append(f"Newer backups did not pass SQLite's check, so leave them: {names}.")
    if good is not None:
        steps.append(
            "Then put your newest good backup in its place: "
            f"cp {shlex.quote(str(good))} {shlex.quote(str(db))}"
        )
    elif backups:
        steps.append(
            "None of your backups passed SQLite's check, so selfback will then start a new, "
            "empty log. Your settings, skills and safety plan are kept."
        )
    else:
        steps.append(
            "There is no backup yet, so selfback will then start a new, empty log. Your "
            "settings, skills and safety plan are kept."
        )
    steps.append("`selfback sos` works all the while.")
    return tuple(steps)


def newest_good_backup(backups: list[Path]) -> tuple[Path | None, list[Path]]:
    """The newest backup that passes SQLite's quick_check, and the newer ones that fail."""
    damaged: list[Path] = []
    for backup in reversed(backups):
        if not integrity_check(backup, quick=True):
            return backup, damaged
        damaged.append(backup)
    return None, damaged


def database_checks(paths: Paths) -> tuple[list[Check], list[tuple[str, str]]]:
    """The database's checks (opens, schema, integrity) and facts (schema, entries),
    read-only: it never creates or upgrades the database."""
    path = paths.database
    info: list[tuple[str, str]] = []
    if not path.exists():
        info.append(("Schema", f"none yet (this selfback writes schema {LATEST})"))
        return [Check("Database", True, "not created yet; it appears with your first entry")], info
    size = path.stat().st_size
    if truncated_database(paths):
        steps = (
            "It is empty, though your backups or safety plan show there was a log: it may "
            "have been cut short (a full disk, a crash while copying).",
            *recovery_steps(paths),
        )
        return [Check("Database", False, "is empty (0 bytes)", steps)], info
    try:
        conn = connect_readonly(path)
        try:
            version = schema_version(conn)
            counts = {}
            for table in ("checkins", "coping_sessions", "measure_results"):
                try:
                    counts[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                except sqlite3.Error:
                    counts[table] = None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            steps = ("It looks damaged: SQLite cannot read it.", *recovery_steps(paths))
        else:
            steps = (explain(exc, path).message,)
        return [Check("Database", False, "cannot be opened", steps)], info
    info.append(("Schema", f"{version} (this selfback knows up to {LATEST})"))
    shown = ", ".join(
        f"{n} {label}"
        for label, n in (
            ("check-ins", counts["checkins"]),
            ("coping sessions", counts["coping_sessions"]),
            ("measures", counts["measure_results"]),
        )
        if n is not None
    )
    info.append(("Entries", shown or "-"))
    checks = []
    if version > LATEST:
        checks.append(
            Check(
                "Database",
                False,
                f"written by a newer selfback (schema {version})",
                ("Update selfback to use it; your data was not touched.",),
            )
        )
    else:
        note = "" if version == LATEST else f"; it is upgraded to schema {LATEST} on next use"
        checks.append(Check("Database", True, f"{size / 1024:.0f} KB{note}"))
    problems = integrity_check(path)
    if problems:
        checks.append(
            Check(
                "Integrity",
                False,
                "SQLite found damage",
                tuple(problems[:5]) + recovery_steps(paths),
            )
        )
    else:
        checks.append(Check("Integrity", True, "ok (SQLite integrity_check)"))
    return checks, info


def sqlite_version() -> str:
    """The version of the SQLite library selfback runs on."""
    return sqlite3.sqlite_version
