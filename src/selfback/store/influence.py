"""The rows behind "mood on days with and without" (``selfback.insights.influence``).

Each function takes an optional range of local dates and drives from the check-ins'
date index (``CROSS JOIN`` keeps SQLite from starting at the tags or values table).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from selfback.store.db import Store
from selfback.store.reading import Params, rows


def _range(since: date | None, until: date | None) -> tuple[str, Params]:
    clauses, params = [], []
    if since is not None:
        clauses.append("c.local_date >= ?")
        params.append(since.isoformat())
    if until is not None:
        clauses.append("c.local_date <= ?")
        params.append(until.isoformat())
    return (" AND ".join(clauses) or "1"), tuple(params)


def day_moods(store: Store, since: date | None, until: date | None) -> dict[str, float]:
    """Each local date with a check-in -> the mean mood of its check-ins."""
    where, params = _range(since, until)
    return {
        str(r[0]): float(r[1])
        for r in rows(
            store,
            f"SELECT c.local_date, AVG(c.mood) FROM checkins c WHERE {where} GROUP BY c.local_date",
            params,
        )
    }


class DayWord(NamedTuple):
    day: str
    value: str


def tag_days(store: Store, since: date | None, until: date | None) -> Iterator[DayWord]:
    """(local date, tag) for every tag used on a day (each pair once)."""
    where, params = _range(since, until)
    for r in rows(
        store,
        "SELECT DISTINCT c.local_date, t.value FROM checkins c CROSS JOIN checkin_tags t"
        f" ON c.id = t.checkin_id WHERE t.kind = 'tag' AND {where}",
        params,
    ):
        yield DayWord(str(r[0]), str(r[1]))


class DayHighs(NamedTuple):
    day: str
    energy: int | None  # the day's highest answer
    anxiety: int | None


def day_highs(store: Store, since: date | None, until: date | None) -> Iterator[DayHighs]:
    """Each day's highest energy and anxiety (the everyday scales live in columns)."""
    where, params = _range(since, until)
    for r in rows(
        store,
        f"SELECT c.local_date, MAX(c.energy), MAX(c.anxiety) FROM checkins c WHERE {where}"
        " GROUP BY c.local_date",
        params,
    ):
        yield DayHighs(str(r[0]), r[1], r[2])


class DayAnswer(NamedTuple):
    day: str
    tracker_id: str
    kind: str  # "yesno", "scale" or "tags"
    label: str | None
    value_num: float | None
    value_text: str | None


def tracker_answers(store: Store, since: date | None, until: date | None) -> Iterator[DayAnswer]:
    """Every yes/no, scale and tags tracker answer, oldest first."""
    where, params = _range(since, until)
    for r in rows(
        store,
        "SELECT c.local_date, v.tracker_id, v.kind, v.label, v.value_num, v.value_text"
        " FROM checkins c CROSS JOIN checkin_values v ON c.id = v.checkin_id"
        f" WHERE v.kind IN ('yesno', 'scale', 'tags') AND {where} ORDER BY +c.ts_utc",
        params,
    ):
        yield DayAnswer(str(r[0]), str(r[1]), str(r[2]), r[3], r[4], r[5])
