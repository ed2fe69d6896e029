"""When `cope` shows crisis resources, when it offers more help, how it reads a rating
typed in the person's own way, and how it words a change in distress. Pure functions
(standard library only); the terminal UI decides how to show them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

CRISIS_DISTRESS = 9  # 9 or 10 at any point: crisis resources first (then carry on)
STILL_HIGH = 7  # 7 or more afterwards: offer another skill or the crisis screen
CRISIS_SITUATIONS = frozenset({"self-harm-urge", "suicidal-thoughts"})
# A rating in the top tenth of its range counts like a 9 or 10 out of 10.
HIGH_SHARE = 0.9


def crisis_first(distress: int | None = None, situation: str | None = None) -> bool:
    """Whether to show crisis resources before going on (never instead of going on)."""
    if distress is not None and distress >= CRISIS_DISTRESS:
        return True
    return situation in CRISIS_SITUATIONS


def still_high(distress_after: int | None) -> bool:
    return distress_after is not None and distress_after >= STILL_HIGH


def change_message(before: int | None, after: int | None) -> str:
    """A kind sentence about the change. Never a grade, never a promise."""
    if after is None:
        return "That's okay. You don't have to put a number on it."
    if before is None:
        return f"Right now it's a {after}. Thank you for checking in with yourself."
    drop = before - after
    if drop > 0:
        points = "point" if drop == 1 else "points"
        return (
            f"From {before} to {after}: it came down {drop} {points}. "
            "Notice that, even if it's small."
        )
    if drop == 0:
        return f"Still a {after}. Staying with something this hard takes strength, and you did it."
    return (
        f"From {before} to {after}. Sometimes it rises before it settles; "
        "that doesn't mean you did anything wrong."
    )


def helped(before: int | None, after: int | None) -> bool:
    return before is not None and after is not None and after < before


def high_rating(value: int, lo: int = 0, hi: int = 10) -> bool:
    """Whether ``value`` is in the top tenth of the range ``lo``-``hi`` (9-10 on 0-10,
    90-100 on 0-100, 5 on 0-5)."""
    if hi <= lo:
        return False
    return value - lo >= HIGH_SHARE * (hi - lo) - 1e-9


@dataclass(frozen=True)
class Reading:
    """A rating as typed: ``value`` in range, and whether the person went above the scale
    ("11", "10/10" is not above, "11/10", "100" on 0-10, "a million")."""

    value: int
    above: bool = False


_NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# Words that mean "more than the scale goes" (counted as its top, gently).
_ABOVE_WORDS = {
    "eleven",
    "twelve",
    "a hundred",
    "hundred",
    "one hundred",
    "a thousand",
    "thousand",
    "a million",
    "million",
    "a billion",
    "billion",
    "a trillion",
    "a gazillion",
    "infinity",
    "infinite",
    "\u221e",
    "off the scale",
    "off the charts",
    "off the chart",
    "beyond the scale",
    "more than 10",
    "more than ten",
    "over 10",
    "over ten",
    "above 10",
    "beyond 10",
}
# Words that mean the top of the scale.
_TOP_WORDS = {"max", "maximum", "the max", "worst", "the worst", "the worst ever", "highest"}
_FRACTION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:/|out of|of)\s*(\d+(?:[.,]\d+)?)$")
_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(%|\+|plus)?$")


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def parse_rating(raw: str, lo: int = 0, hi: int = 10) -> Reading | None:
    """Read a rating the way a person might type it: "7", "seven", "7/10", "9.5", "70%",
    "max". Above the scale ("11", "11/10", "100" on 0-10, "10+", "a million") gives the
    top of the range with ``above`` set. None when it is not a rating in the range (also
    anything below ``lo``)."""
    text = " ".join(raw.strip().lower().replace("\u2019", "'").split())
    text = text.rstrip("!.?").strip()
    if not text or text.startswith("-"):
        return None
    if text in _NUMBER_WORDS:
        value: float = _NUMBER_WORDS[text]
        plus = False
    elif text in _ABOVE_WORDS:
        return Reading(hi, above=True)
    elif text in _TOP_WORDS:
        return Reading(hi)
    elif m := _FRACTION.match(text):
        top = _num(m.group(2))
        if top <= 0:
            return None
        part = _num(m.group(1))
        if part > top:
            return Reading(hi, above=True)
        value = lo + part / top * (hi - lo) if top != hi - lo else part
        plus = False
    elif m := _NUMBER.match(text):
        value = _num(m.group(1))
        if m.group(2) == "%":
            value = lo + value / 100 * (hi - lo)
            if value > hi:
                return Reading(hi, above=True)
        plus = m.group(2) in ("+", "plus")
    else:
        return None
    whole = math.floor(value + 0.5)
    if whole > hi or (plus and whole >= hi):
        return Reading(hi, above=True)
    if whole < lo:
        return None
    return Reading(int(whole))


def above_scale_message(top: int) -> str:
    """Said gently when someone answers above the scale."""
    return (
        f"That's more than the scale goes, so selfback counts it as a {top}. "
        "It sounds really hard right now."
    )
