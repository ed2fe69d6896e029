"""The daily reminder: set, show and remove it, and what the scheduler runs each day.

``set_reminder``, ``show_reminder`` and ``remove_reminder`` take a ``System`` (the
schedulers and notifier this computer has, ``selfback.remind.system.detect``);
``run_reminder`` takes only the paths, the time and a notifier, and never raises: the
scheduler runs it with nobody watching, so every outcome is a value (problems are logged
to the private crash log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import TYPE_CHECKING

from selfback import crashlog
from selfback.errors import SelfbackError
from selfback.remind import daily
from selfback.remind.base import Installed

if TYPE_CHECKING:
    from pathlib import Path

    from selfback.paths import Paths
    from selfback.remind.notify import Notifier
    from selfback.remind.system import System

log = crashlog.log  # (a plain name, so ruff's BLE check sees the logging call)

NO_SCHEDULER = (
    "This computer has no scheduler selfback can use (a systemd user session, launchd, "
    "Task Scheduler or cron), so it cannot set a reminder. Instead, put selfback nudge in "
    "your shell start-up file (e.g. ~/.bashrc): it prints one line on days without a "
    "check-in."
)


@dataclass(frozen=True)
class SetResult:
    installed: Installed
    replaced: tuple[Installed, ...]  # the earlier reminder(s) this one replaces
    notifier: str | None  # the notifier found, or None: the reminder cannot appear


@dataclass(frozen=True)
class ShowResult:
    installed: Installed | None
    scheduler: str | None  # in words, the scheduler a new reminder would use
    notifier: str | None


@dataclass(frozen=True)
class OffResult:
    removed: tuple[Installed, ...]  # empty: there was no reminder


def set_reminder(at: time, system: System) -> SetResult:
    """Install the one daily reminder at ``at``, replacing any earlier one, wherever it
    was (so setting it twice never makes two)."""
    if not system.schedulers:
        raise SelfbackError(NO_SCHEDULER)
    chosen = system.schedulers[0]
    before = chosen.current()
    installed = chosen.install(system.job(at))
    # Only once the new one is in place: the older one elsewhere goes.
    replaced = [before] if before is not None else []
    for other in system.everywhere[1:]:
        gone = other.remove()
        if gone is not None:
            replaced.append(gone)
    notifier = system.notifier.name if system.notifier is not None else None
    return SetResult(installed, tuple(replaced), notifier)


def show_reminder(system: System) -> ShowResult:
    found = next((i for s in system.everywhere if (i := s.current()) is not None), None)
    scheduler = system.schedulers[0].label if system.schedulers else None
    notifier = system.notifier.name if system.notifier is not None else None
    return ShowResult(found, scheduler, notifier)


def remove_reminder(system: System) -> OffResult:
    removed = [gone for s in system.everywhere if (gone := s.remove()) is not None]
    return OffResult(tuple(removed))


# ------------------------------------------------------------------------ the daily run
class Outcome(Enum):
    SHOWN = "shown"
    CHECKED_IN = "checked-in"
    ALREADY = "already-reminded"
    TOO_EARLY = "too-early"
    NO_NOTIFIER = "no-notifier"
    NO_DISPLAY = "no-display"
    UNREADABLE = "unreadable"
    FAILED = "failed"


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome
    day: date


def checked_in_on(paths: Paths, day: date) -> bool:
    """Whether there is a check-in on ``day``, read without writing anything (no
    database yet: no check-in). Raises on a locked or damaged database."""
    from selfback.store.checkins import has_checkin_on
    from selfback.store.db import open_readonly

    store = open_readonly(paths)
    if store is None:
        return False
    with store:
        return has_checkin_on(store, day)


_DECIDED = {
    daily.Decision.ALREADY: Outcome.ALREADY,
    daily.Decision.TOO_EARLY: Outcome.TOO_EARLY,
    daily.Decision.CHECKED_IN: Outcome.CHECKED_IN,
}


def run_reminder(
    paths: Paths, now: datetime, notifier: Notifier | None, *, at: time | None = None
) -> RunResult:
    """Show today's reminder if today has no check-in and none was shown yet."""
    today = now.date()
    data_dir = paths.data_dir
    last = daily.last_shown(data_dir)
    early = daily.decide(now, checked_in=False, last_shown=last, at=at)
    if early is not daily.Decision.REMIND:
        return RunResult(_DECIDED[early], today)
    try:
        checked_in = checked_in_on(paths, today)
    except Exception:  # a locked or damaged log: quiet here, the reason in the crash log
        log.exception("reminder: reading today's check-ins")
        return RunResult(Outcome.UNREADABLE, today)
    if checked_in:
        return RunResult(Outcome.CHECKED_IN, today)
    if notifier is None:
        log.info("reminder: no desktop notifier was found, so none was shown")
        return RunResult(Outcome.NO_NOTIFIER, today)
    if not notifier.can_show():
        log.info("reminder: no display to show a notification on (%s)", notifier.name)
        return RunResult(Outcome.NO_DISPLAY, today)
    return _show(data_dir, today, last, notifier)


def _show(data_dir: Path, today: date, last: date | None, notifier: Notifier) -> RunResult:
    """Record today first (never twice a day, even if two runs meet), then notify; when
    the notification fails, put the record back so a later run may still try."""
    try:
        daily.record_shown(data_dir, today)
    except OSError:
        log.exception("reminder: recording that today's reminder was shown")
    try:
        notifier.send(daily.TITLE, daily.BODY)
    except Exception:
        log.exception("reminder: showing the notification with %s", notifier.name)
        try:
            daily.record_shown(data_dir, last)
        except OSError:
            log.exception("reminder: restoring the reminder's state")
        return RunResult(Outcome.FAILED, today)
    return RunResult(Outcome.SHOWN, today)
