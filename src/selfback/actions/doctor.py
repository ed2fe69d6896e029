"""The health check behind ``selfback doctor``: paths and versions, the database (by
``selfback.store.maintenance``), records that break the log's rules (by
``selfback.store.consistency``), file permissions, the settings file, skill and tracker
files, and the crisis-line data.

It never creates or upgrades the database, and it never breaks: a part that cannot be
loaded is reported as a problem (and logged to the private crash log). A part that is
missing from a damaged install is said to be "not available in this build". Nothing
here prints; the command renders the report.
"""

from __future__ import annotations

import contextlib
import platform
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selfback.actions.sealed_backups import sealed_backups, with_sealed_backups
from selfback.crashlog import log
from selfback.errors import DataError
from selfback.fsutil import DIR_MODE, FILE_MODE
from selfback.paths import Paths
from selfback.store.maintenance import Check, database_checks, list_backups, sqlite_version

if TYPE_CHECKING:
    from selfback.store.consistency import Finding


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
        files += list(paths.backups_dir.glob("*.db")) + sealed_backups(paths)
    for f in files:
        mode = _mode(f)
        if mode is not None and mode & 0o077:
            loose.append(f"{f} is {oct(mode)[2:]}: run `chmod {oct(FILE_MODE)[2:]} {f}`")
    if loose:
        return Check("Privacy", False, "some files can be read by other users", tuple(loose))
    return Check("Privacy", True, "folders 0700, files 0600")


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
        log.exception("loading the skills for selfback doctor")
        return Check("Skills", False, "could not be loaded", (f"{type(exc).__name__}: {exc}",))
    problems = tuple(p.message for p in lib.problems)
    count = len(lib.entries)
    if problems:
        return Check("Skills", False, f"{len(problems)} problem(s) in skill files", problems)
    return Check("Skills", True, f"{count} skills, no problems" if count else "no problems")


def _trackers(paths: Paths) -> Check:
    try:
        from selfback.trackers.library import load_trackers

        lib = load_trackers(paths)
    except Exception as exc:  # a broken tracker setup must not break the health check
        log.exception("loading the trackers for selfback doctor")
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
    except Exception as exc:  # damaged crisis data must not break the health check
        log.exception("checking the crisis data for selfback doctor")
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
        ("SQLite", sqlite_version()),
        ("Settings", str(paths.config_file)),
        ("Database", str(paths.database)),
        ("Backups", _backups_text(paths)),
        ("My skills", str(paths.user_skills_dir)),
        ("My trackers", str(paths.user_trackers_dir)),
    ]
    db_checks, db_info = database_checks(paths)
    report.info += db_info
    report.checks += [with_sealed_backups(paths, c) for c in db_checks]
    report.checks.append(_records(paths, readable=all(c.ok for c in db_checks)))
    report.checks.append(_privacy(paths))
    report.checks.append(_settings(paths))
    report.checks.append(_skills(paths))
    report.checks.append(_trackers(paths))
    report.checks.append(_crisis(today))
    report.checks.append(_leftovers(paths))
    report.checks.append(_plan_copy(paths))
    return report


def _records(paths: Paths, *, readable: bool) -> Check:
    """Records the log holds that break its rules: named (a few of each), never changed."""
    import sqlite3

    from selfback.measures.library import ORDER
    from selfback.messages import data as msg
    from selfback.store.consistency import inconsistencies

    if not paths.database.exists():
        return Check("Records", True, msg.DOCTOR_RECORDS_EMPTY)
    if not readable:
        return Check("Records", True, msg.DOCTOR_RECORDS_UNREAD)
    try:
        found = inconsistencies(paths.database, instruments=ORDER)
    except sqlite3.Error:
        log.exception("checking the records for selfback doctor")
        return Check("Records", True, msg.DOCTOR_RECORDS_UNREAD)
    if not found:
        return Check("Records", True, msg.DOCTOR_RECORDS_FINE)
    n = sum(f.count for f in found)
    lines = [_finding(f) for f in found]
    detail = msg.DOCTOR_RECORDS_FOUND.format(n=n, s="" if n == 1 else "s")
    return Check("Records", False, detail, (*lines, msg.DOCTOR_RECORDS_ADVICE))


def _finding(f: Finding) -> str:
    from selfback.messages import data as msg

    one, many = msg.RECORD_NAMES[f.table]
    examples = ", ".join(
        msg.DOCTOR_RECORD_EXAMPLE.format(record=one, id=i, value=v) for i, v in f.examples
    )
    return msg.DOCTOR_RECORD_RULES[f.rule].format(
        count=f.count,
        records=one if f.count == 1 else many,
        answers="answer" if f.count == 1 else "answers",
        local=f.local,
        column=f.column,
        examples=examples,
    )


def _plan_copy(paths: Paths) -> Check:
    """The plan copy `sos` shows: the database's current plan, rewritten if it is not."""
    from selfback.safety.plan_copy import repair_plan_copy

    found = repair_plan_copy(paths)
    if found.repaired:
        return Check(
            "Plan copy",
            True,
            "it was behind your saved plan; it was written again, so `sos` shows your current plan",
        )
    if found.problem is not None and not found.matched:
        return Check("Plan copy", False, "behind your saved plan", (found.problem,))
    return Check("Plan copy", True, "`sos` shows your current plan")


def _leftovers(paths: Paths) -> Check:
    """Drafts and temporary files a killed run left behind: removed now, and named."""
    from selfback.scratch import sweep, sweep_old_drafts

    removed = sweep(paths) + sweep_old_drafts(paths)
    if not removed:
        return Check("Leftovers", True, "no drafts or temporary files left behind")
    n = len(removed)
    return Check(
        "Leftovers",
        True,
        f"removed {n} draft{'' if n == 1 else 's'} or temporary file{'' if n == 1 else 's'} "
        "left by a run that was stopped",
        tuple(f"removed {p}" for p in removed),
    )


def _backups_text(paths: Paths) -> str:
    backups = list_backups(paths)
    sealed = sealed_backups(paths)
    if not backups and not sealed:
        return f"{paths.backups_dir} (none yet; `selfback backup` makes one)"
    newest = max((*backups, *sealed), key=lambda p: p.stat().st_mtime)
    latest = datetime.fromtimestamp(newest.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    also = f", {len(sealed)} of them sealed" if sealed else ""
    return f"{paths.backups_dir} ({len(backups) + len(sealed)}{also}, latest {latest})"
