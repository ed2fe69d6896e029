"""Date ranges for trends and exports: ``--since 90d`` / ``--until 2026-11-01``.

A range is a pair of local dates, both inclusive, as the person lived them (the
``local_date`` of a check-in, the date part of ``started_at`` / ``taken_at``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from selfback.errors import UsageError

# Used in SQL comparisons on ISO dates when a side is open.
LOWEST = "0000-01-01"
HIGHEST = "9999-12-31"

_RELATIVE = re.compile(
    r"^\s*(\d{1,5})\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|y|yr|year|years)\s*$"
)

SINCE_HELP = (
    "Start of the period: a number of days, weeks, months or years back (90d, 12w, 6m, 1y), "
    "a date (2026-01-31) or 'all'."
)
UNTIL_HELP = "End of the period (inclusive): a date such as 2026-11-30, or 'today'."


@dataclass(frozen=True)
class RangeSpec:
    """What the user asked for. ``None`` means open on that side."""

    since: date | None
    until: date | None

    @property
    def lo(self) -> str:
        return self.since.isoformat() if self.since else LOWEST

    @property
    def hi(self) -> str:
        return self.until.isoformat() if self.until else HIGHEST


@dataclass(frozen=True)
class DateRange:
    """A closed range of local dates (start <= end)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def lo(self) -> str:
        return self.start.isoformat()

    @property
    def hi(self) -> str:
        return self.end.isoformat()


def _months_back(today: date, months: int) -> date:
    year = today.year
    month = today.month - months
    while month <= 0:
        month += 12
        year -= 1
    if year < 1:
        return date(1, 1, 1)
    day = today.day
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def parse_since(text: str | None, today: date, *, default: str | None = None) -> date | None:
    """Turn ``90d`` / ``12w`` / ``6m`` / ``1y`` / a date / ``all`` into a start date.

    Relative periods end today and count today: ``7d`` is today and the six days before.
    Returns None for ``all`` (from the first entry).
    """
    raw = (text if text is not None else default) or "all"
    low = raw.strip().lower()
    if low in {"all", "ever", "everything", "beginning", "start"}:
        return None
    m = _RELATIVE.match(low)
    if m:
        n = int(m.group(1))
        unit = m.group(2)[0]
        if n <= 0:
            raise UsageError(f"'--since {raw}' must count back at least 1 day. {SINCE_HELP}")
        try:
            if unit == "d":
                return today - timedelta(days=n - 1)
            if unit == "w":
                return today - timedelta(days=7 * n - 1)
            if unit == "m":
                return _months_back(today, n) + timedelta(days=1)
            return _months_back(today, 12 * n) + timedelta(days=1)
        except OverflowError:
            return None
    try:
        return date.fromisoformat(low)
    except ValueError:
        raise UsageError(f"'{raw}' is not a period selfback understands. {SINCE_HELP}") from None


def parse_until(text: str | None, today: date) -> date | None:
    if text is None:
        return None
    low = text.strip().lower()
    if low in {"today", "now"}:
        return today
    try:
        return date.fromisoformat(low)
    except ValueError:
        raise UsageError(f"'{text}' is not a date selfback understands. {UNTIL_HELP}") from None


def make_spec(
    since: str | None,
    until: str | None,
    today: date,
    *,
    default_since: str | None,
    default_until_today: bool,
) -> RangeSpec:
    """Parse both ends and check they are in order."""
    start = parse_since(since, today, default=default_since)
    end = parse_until(until, today)
    if end is None and default_until_today:
        end = today
    if start is not None and end is not None and start > end:
        raise UsageError(
            f"The period starts ({start.isoformat()}) after it ends ({end.isoformat()}). "
            "Swap --since and --until."
        )
    return RangeSpec(start, end)


def pretty_date(d: date) -> str:
    """'3 Nov 2026' (no leading zero, unambiguous in every country)."""
    return f"{d.day} {d.strftime('%b')} {d.year}"


def pretty_range(r: DateRange) -> str:
    if r.start == r.end:
        return pretty_date(r.start)
    return f"{pretty_date(r.start)} to {pretty_date(r.end)}"
