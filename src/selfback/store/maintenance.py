"""Backups and the health check behind ``selfback backup`` and ``selfback doctor``.

Nothing here prints: results come back as data for the command to render.
"""

from __future__ import annotations

import contextlib
import platform
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from selfback.errors import DataError, UsageError
from selfback.fsutil import DIR_MODE, FILE_MODE
from selfback.paths import Paths
from selfback.store.db import backup_to, connect, explain, schema_version
from selfback.store.migrations import LATEST


# ---------------------------------------------------------------------------- backup
def default_backup_path(paths: Paths, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = paths.backups_dir / f"selfback-{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = paths.backups_dir / f"selfback-{stamp}-{n}.db"
    return target


def backup_database(paths: Paths, target: Path | None, now: datetime) -> Path:
    """Copy the database with SQLite's online backup API (safe while selfback is in use).

    ``target`` may be a file to create or an existing folder; an existing file is never
    overwritten. The copy is private (0600) and checked with ``quick_check``.
    """
    source = paths.database
    if not source.exists():
        raise UsageError("There is nothing to back up yet: selfback has not saved anything.")
    try:
        if target is None:
            target = default_backup_path(paths, now)
        else:
            target = target.expanduser()
            if target.is_dir():
                target = target / f"selfback-{now.strftime('%Y%m%d-%H%M%S')}.db"
            if target.exists():
                raise UsageError(
                    f"There is already a file at {target}; selfback never overwrites one. "
                    "Choose another name, or leave PATH out for a dated copy in the backups "
                    "folder."
                )
            if not target.parent.is_dir():
                raise UsageError(f"The folder {target.parent} does not exist. Create it first.")
    except OSError as exc:
        raise UsageError(
            f"'{target}' cannot be used for a backup ({exc.strerror or exc}). Choose another path."
        ) from exc
    try:
        conn = connect(source, readonly=True)
    except sqlite3.Error as exc:
        raise explain(exc, source) from exc
    try:
        backup_to(conn, target)
    except sqlite3.Error as exc:
        raise explain(exc, source) from exc
    except OSError as exc:
        raise DataError(
            f"Could not write the backup to {target} ({exc.strerror or exc}). Check the "
            "folder and free space, then try again. Your data is unchanged."
        ) from exc
    finally:
        conn.close()
    problems = integrity_check(target, quick=True)
    if problems:
        raise DataError(
            f"The copy at {target} did not pass SQLite's check ({problems[0]}). Your database "
            "may be damaged: run `selfback doctor`."
        )
    return target


def integrity_check(path: Path, *, quick: bool = False) -> list[str]:
    """SQLite's integrity_check (or quick_check) and foreign_key_check; [] means healthy."""
    try:
        conn = connect(path, readonly=True)
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


@dataclass
class DoctorReport:
    info: list[tuple[str, str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "info": dict(self.info),
            "checks": [
                {"name": c.name, "ok": c.ok, "detail": c.detail, "problems": list(c.problems)}
                for c in self.checks
            ],
        }


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def _privacy(paths: Paths) -> Check:
    loose: list[str] = []
    for folder in {paths.config_dir, paths.data_dir, paths.backups_dir}:
        mode = _mode(folder)
        if mode is not None and mode & 0o077:
            loose.append(f"{folder} is {oct(mode)[2:]}: run `chmod {oct(DIR_MODE)[2:]} {folder}`")
    files = [paths.database, paths.config_file, paths.plan_file]
    with contextlib.suppress(OSError):
        files += list(paths.backups_dir.glob("*.db"))
    for f in files:
        mode = _mode(f)
        if mode is not None and mode & 0o077:
            loose.append(f"{f} is {oct(mode)[2:]}: run `chmod {oct(FILE_MODE)[2:]} {f}`")
    if loose:
        return Check("Privacy", False, "some files can be read by other users", tuple(loose))
    return Check("Privacy", True, "folders 0700, files 0600")


def recovery_steps(paths: Paths) -> tuple[str, ...]:
    """What to do about a damaged database, as exact commands."""
    import shlex

    db = paths.database
    aside = shlex.quote(str(db) + ".damaged")
    steps = [
        f"Keep the damaged file, out of the way: mv {shlex.quote(str(db))} {aside}",
    ]
    backups = list_backups(paths)
    if backups:
        newest = backups[-1]
        steps.append(
            "Then put your newest backup in its place: "
            f"cp {shlex.quote(str(newest))} {shlex.quote(str(db))}"
        )
    else:
        steps.append(
            "There is no backup yet, so selfback will then start a new, empty log. Your "
            "settings, skills and safety plan are kept."
        )
    steps.append("`selfback sos` works all the while.")
    return tuple(steps)


def _database(paths: Paths) -> tuple[list[Check], list[tuple[str, str]]]:
    path = paths.database
    info: list[tuple[str, str]] = []
    if not path.exists():
        info.append(("Schema", f"none yet (this selfback writes schema {LATEST})"))
        return [Check("Database", True, "not created yet; it appears with your first entry")], info
    size = path.stat().st_size
    try:
        conn = connect(path, readonly=True)
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


def _settings(paths: Paths) -> Check:
    from selfback.settings import load_settings

    try:
        load_settings(paths)
    except DataError as exc:
        return Check("Settings", False, "cannot be read", (exc.message,))
    return Check("Settings", True, "ok")


def _skills(paths: Paths) -> Check:
    try:
        from selfback.skills.library import load_library
    except ImportError:
        return Check("Skills", True, "skill library not available in this build")
    try:
        lib = load_library(paths)
    except Exception as exc:  # a broken library must not break the health check
        return Check("Skills", False, "could not be loaded", (f"{type(exc).__name__}: {exc}",))
    problems = tuple(str(getattr(p, "message", p)) for p in getattr(lib, "problems", []))
    count = len(getattr(lib, "entries", {}) or {})
    if problems:
        return Check("Skills", False, f"{len(problems)} problem(s) in skill files", problems)
    return Check("Skills", True, f"{count} skills, no problems" if count else "no problems")


def _trackers(paths: Paths) -> Check:
    try:
        from selfback.trackers.library import load_trackers

        lib = load_trackers(paths)
    except Exception as exc:
        return Check("Trackers", False, "could not be loaded", (f"{type(exc).__name__}: {exc}",))
    if lib.problems:
        return Check(
            "Trackers",
            False,
            f"{len(lib.problems)} problem(s) in tracker files",
            tuple(p.message for p in lib.problems),
        )
    active = len(lib.active())
    return Check("Trackers", True, f"{active} asked in a check-in, no problems")


def _crisis(today: date) -> Check:
    try:
        from selfback.safety.crisis import stale_entries
    except ImportError:
        return Check("Crisis data", True, "crisis data check not available in this build")
    try:
        stale = list(stale_entries(today))
    except Exception as exc:
        return Check(
            "Crisis data", False, "could not be checked", (f"{type(exc).__name__}: {exc}",)
        )
    if stale:
        return Check(
            "Crisis data",
            False,
            f"{len(stale)} entr{'y' if len(stale) == 1 else 'ies'} not verified in the last year",
            tuple(stale),
        )
    return Check("Crisis data", True, "every entry verified within the last year")


def run_doctor(paths: Paths, today: date) -> DoctorReport:
    from selfback import __version__

    report = DoctorReport()
    report.info += [
        ("selfback", __version__),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("Settings", str(paths.config_file)),
        ("Database", str(paths.database)),
        ("Backups", _backups_text(paths)),
        ("My skills", str(paths.user_skills_dir)),
        ("My trackers", str(paths.user_trackers_dir)),
    ]
    db_checks, db_info = _database(paths)
    report.info += db_info
    report.checks += db_checks
    report.checks.append(_privacy(paths))
    report.checks.append(_settings(paths))
    report.checks.append(_skills(paths))
    report.checks.append(_trackers(paths))
    report.checks.append(_crisis(today))
    return report


def _backups_text(paths: Paths) -> str:
    backups = list_backups(paths)
    if not backups:
        return f"{paths.backups_dir} (none yet; `selfback backup` makes one)"
    latest = datetime.fromtimestamp(backups[-1].stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return f"{paths.backups_dir} ({len(backups)}, latest {latest})"
