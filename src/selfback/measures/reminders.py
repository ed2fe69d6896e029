"""Which measures are due again: for the home screen's gentle mention.

The caller decides whether reminders are wanted at all: check
``settings.measure_reminders`` before calling :func:`overdue` (this function does not
read settings, so it stays a pure question about the data).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from selfback.measures.library import instruments
from selfback.measures.schema import Instrument

if TYPE_CHECKING:
    from selfback.store.db import Store

OVERDUE_AFTER = timedelta(days=14)  # the default; an instrument may set retake_after_days


def _due_after(inst: Instrument) -> timedelta:
    return timedelta(days=inst.retake_after_days)


def overdue_instruments(store: Store, now: datetime) -> list[Instrument]:
    """Instruments the person has taken before whose latest result is older than their
    time frame (2 weeks for most; a month for the PCL-5, which asks about the past month).

    A quick screen counts for its full measure (a PHQ-2 last week means the PHQ-9 is not
    overdue), and the reminder names whichever of the two was taken last. Never-taken
    measures are never mentioned.
    """
    from selfback.store.measures import last_per_instrument

    known = instruments()
    latest_by_family: dict[str, tuple[datetime, Instrument]] = {}
    for instrument_id, result in last_per_instrument(store).items():
        inst = known.get(instrument_id)
        if inst is None:
            continue
        current = latest_by_family.get(inst.family)
        if current is None or result.taken_at > current[0]:
            latest_by_family[inst.family] = (result.taken_at, inst)
    due = [
        inst
        for taken, inst in latest_by_family.values()
        if now - taken > _due_after(known.get(inst.family, inst))
    ]
    order = list(known)
    return sorted(due, key=lambda i: order.index(i.family))


def overdue(store: Store, now: datetime) -> list[str]:
    """Display names (e.g. ``["PHQ-9", "WHO-5"]``) of measures due again, in menu order."""
    return [inst.name for inst in overdue_instruments(store, now)]


def reminder_line(store: Store, now: datetime) -> str | None:
    """One gentle home-screen line, or None when nothing is due."""
    due = overdue_instruments(store, now)
    if not due:
        return None
    names = [i.name for i in due]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    days = min(i.retake_after_days for i in due)
    since = retake_words(days)
    return (
        f"It has been {since} since your last {joined}. "
        f"When you feel like it: selfback measure {due[0].id}"
    )


def retake_words(days: int) -> str:
    """How long to wait before taking a questionnaire again, in words."""
    return "a couple of weeks" if days <= 14 else "a month" if days <= 31 else "a while"
