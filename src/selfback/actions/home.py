"""What the home screen (``selfback`` alone) and ``selfback nudge`` need to know.

Both read the log read-only (they never create or upgrade it) and never fail: what
cannot be read is left out, and logged to the private crash log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from selfback.crashlog import log
from selfback.errors import DataError
from selfback.paths import Paths
from selfback.store.checkins import count_on
from selfback.store.db import Store, open_readonly
from selfback.store.sessions import HelpfulSkill, last_helpful_skill


@dataclass(frozen=True)
class HomeFacts:
    checkins_today: int | None  # None: the log could not be read just now
    helped: HelpfulSkill | None = None  # the last skill that lowered distress
    reminder: str | None = None  # a questionnaire due again, in one gentle line
    locked: bool = False  # the log is encrypted and locked (docs/privacy.md)


def _reminder(store: Store, now: datetime) -> str | None:
    from selfback.measures.reminders import reminder_line

    try:
        return reminder_line(store, now)
    except Exception:  # the home screen never fails over a reminder
        log.exception("working out the questionnaire reminder for the home screen")
        return None


def home_facts(paths: Paths, now: datetime, *, reminders: bool = True) -> HomeFacts:
    """Today's check-ins, the last skill that helped and a reminder, when there is a log."""
    if not paths.database.exists():
        return HomeFacts(0)
    from selfback.errors import LogLocked

    try:
        store = open_readonly(paths)
    except LogLocked:
        return HomeFacts(None, locked=True)
    except DataError:
        log.exception("opening the log for the home screen")
        return HomeFacts(None)
    if store is None:  # removed meanwhile
        return HomeFacts(0)
    with store:
        try:
            count: int | None = count_on(store, now.date())
        except DataError:
            log.exception("counting today's check-ins for the home screen")
            count = None
        try:
            helped = last_helpful_skill(store)
        except DataError:
            helped = None
        return HomeFacts(count, helped, _reminder(store, now) if reminders else None)


def checked_in_on(paths: Paths, day: date) -> bool | None:
    """Whether there is a check-in on ``day``; None when the log cannot be read."""
    from selfback.store.checkins import has_checkin_on

    try:
        store = open_readonly(paths)
        if store is None:
            return False
        with store:
            return has_checkin_on(store, day)
    except DataError:
        return None  # a shell start-up is no place for errors; `selfback doctor` is
