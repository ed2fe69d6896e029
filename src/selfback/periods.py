"""Times and periods, one grammar for every command.

Standard library only. Every command that takes a period (``history``, ``trends``,
``export``) or a time (``checkin --at``, ``history edit --at``) parses it here, so
``history --since 3m`` and ``trends --since 3m`` start on the same day.

The grammar (also in docs/data.md, "Times and periods"):

Start of a period (``--since``, also spelled ``--from``):
    all, everything, ever or 0     from the first entry
    N days/weeks/months/years      N back, counting today: 7d is today and the 6 days
                                   before; 3m starts the day after the same date three
                                   months ago. Units: d, day(s), w, wk, week(s), m, mo,
                                   month(s), y, yr, year(s); "14 d" and "14days" work too
    a day                          2026-11-02, today, yesterday

End of a period (``--until``, also spelled ``--to``), inclusive:
    a day                          2026-11-30, today, yesterday (also: now)

A time (``--at``), never in the future:
    21:30, 9pm, 9:30 pm, 21.30     today at that time
    yesterday 21:30, today 8am     that day at that time
    2026-11-20, 2026-11-20 21:30   that day (midday when no time is given)
    2026-11-20T21:30:00+01:00      ISO 8601, with or without an offset

Times without an offset are in the local time zone (the clock's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from selfback.errors import UsageError

# Used in SQL comparisons on ISO dates when a side is open.
LOWEST = "0000-01-01"
HIGHEST = "9999-12-31"

ALL_WORDS = frozenset({"all", "everything", "ever", "0", "beginning", "start"})

SINCE_HELP = (
    "Start of the period: days, weeks, months or years back (14d, 12w, 6m, 1y), a date "
    "(2026-01-31), today, yesterday, or all."
)
UNTIL_HELP = "End of the period (inclusive): a date such as 2026-11-30, today or yesterday."
WHEN_HELP = "When: 21:30, 9pm, yesterday 21:30, or 2026-11-20 21:30. Never in the future."

_SPAN = re.compile(
    r"(\d{1,5})\s*(d|days?|w|wks?|weeks?|m|mos?|months?|y|yrs?|years?)",
)
_CLOCK = re.compile(r"(?:at\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")


@dataclass(frozen=True)
class Period:
    """What the person asked for, as local dates; None means open on that side."""

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
    """A closed range of local dates (start <= end), both inclusive."""

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
    """The same day ``months`` calendar months before ``today`` (clamped to month end)."""
    total = today.year * 12 + (today.month - 1) - months
    year, month = divmod(total, 12)
    if year < 1:
        return date(1, 1, 1)
    day = today.day
    while True:
        try:
            return date(year, month + 1, day)
        except ValueError:
            day -= 1


def _day_word(low: str, today: date) -> date | None:
    if low == "today":
        return today
    if low == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(low)
    except ValueError:
        return None


def parse_since(text: str | None, today: date, *, default: str | None = None) -> date | None:
    """The first day of a period (see the module docstring); None means from the start."""
    raw = (text if text is not None else default) or "all"
    low = " ".join(raw.strip().lower().split())
    if low in ALL_WORDS:
        return None
    m = _SPAN.fullmatch(low)
    if m:
        n, unit = int(m.group(1)), m.group(2)[0]
        if n <= 0:
            raise UsageError(f"'{raw}' must count back at least one day. {SINCE_HELP}")
        try:
            if unit == "d":
                return today - timedelta(days=n - 1)
            if unit == "w":
                return today - timedelta(days=7 * n - 1)
            months = n if unit == "m" else 12 * n
            return _months_back(today, months) + timedelta(days=1)
        except OverflowError:
            return None
    day = _day_word(low, today)
    if day is None:
        raise UsageError(f"'{raw}' is not a period selfback understands. {SINCE_HELP}")
    return day


def parse_until(text: str | None, today: date) -> date | None:
    """The last day of a period (inclusive), or None when not given."""
    if text is None:
        return None
    low = text.strip().lower()
    if low == "now":
        return today
    day = _day_word(low, today)
    if day is None:
        raise UsageError(f"'{text}' is not a date selfback understands. {UNTIL_HELP}")
    return day


def parse_period(
    since: str | None,
    until: str | None,
    today: date,
    *,
    default_since: str | None = None,
    default_until_today: bool = True,
) -> Period:
    """Both ends, checked to be in order."""
    start = parse_since(since, today, default=default_since)
    end = parse_until(until, today)
    if end is None and default_until_today:
        end = today
    if start is not None and end is not None and start > end:
        raise UsageError(
            f"The period starts ({start.isoformat()}) after it ends ({end.isoformat()}). "
            "Swap --since and --until."
        )
    return Period(start, end)


def _clock(text: str, original: str) -> time:
    m = _CLOCK.fullmatch(text)
    if not m:
        raise UsageError(f"'{original}' is not a time selfback understands. {WHEN_HELP}")
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    half = (m.group(3) or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise UsageError(f"'{original}' is not a time selfback understands. {WHEN_HELP}")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise UsageError(f"'{original}' is not a time selfback understands. {WHEN_HELP}")
    return time(hour, minute)


def parse_when(text: str, now: datetime, tz: tzinfo | None = None) -> datetime:
    """A moment (see the module docstring). Times without an offset are in ``tz``
    (default: now's). Never in the future (a minute's grace for clock drift)."""
    raw = " ".join(text.strip().split())
    zone = tz or now.tzinfo
    try:
        parsed: datetime | None = datetime.fromisoformat(raw)
    except ValueError:
        parsed = None
    if parsed is not None:
        if parsed.tzinfo is None:
            if len(raw) == 10:  # a date alone: midday
                parsed = parsed.replace(hour=12)
            parsed = parsed.replace(tzinfo=zone)
        return _not_future(parsed, now, text)
    low = raw.lower()
    day = now.astimezone(zone).date()
    for word, shift in (("today", 0), ("yesterday", 1)):
        if low == word or low.startswith(word + " "):
            day -= timedelta(days=shift)
            low = low[len(word) :].strip()
            break
    else:
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s+(.+)", low)
        if m:
            try:
                day = date.fromisoformat(m.group(1))
            except ValueError:
                raise UsageError(
                    f"'{text}' is not a time selfback understands. {WHEN_HELP}"
                ) from None
            low = m.group(2)
    clock = _clock(low, text) if low else time(12, 0)
    return _not_future(datetime.combine(day, clock, tzinfo=zone), now, text)


def _not_future(when: datetime, now: datetime, text: str) -> datetime:
    if when > now + timedelta(minutes=1):
        raise UsageError(f"'{text}' is in the future; a check-in records a time that has passed.")
    return when


def pretty_date(d: date) -> str:
    """'3 Nov 2026' (no leading zero, unambiguous in every country)."""
    return f"{d.day} {d.strftime('%b')} {d.year}"


def pretty_range(r: DateRange) -> str:
    if r.start == r.end:
        return pretty_date(r.start)
    return f"{pretty_date(r.start)} to {pretty_date(r.end)}"
