"""The times a daily reminder takes: 21:00, 21.30, 9pm, 9:30 pm, at 9pm.

The same clock forms as ``selfback.periods`` (``--at``), without a day: a reminder is a
time of day.
"""

from __future__ import annotations

import re
from datetime import time

from selfback.errors import UsageError

TIME_HELP = "Give a time of day, for example 21:00, 9pm or 8:30am."

_CLOCK = re.compile(r"(?:at\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")


def parse_time(text: str) -> time:
    """A time of day from ``text``; a ``UsageError`` with one plain sentence otherwise."""
    raw = " ".join(str(text).strip().lower().split())
    m = _CLOCK.fullmatch(raw)
    bad = UsageError(f"'{text}' is not a time selfback understands. {TIME_HELP}")
    if not m:
        raise bad
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    half = (m.group(3) or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise bad
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise bad
    return time(hour, minute)


def hhmm(at: time) -> str:
    """'21:00' (24-hour, what every scheduler takes)."""
    return f"{at.hour:02d}:{at.minute:02d}"
