"""The time of a Daylio entry, in whatever way the phone wrote it.

Daylio writes the ``time`` column in the phone's own time format, so one export may say
``21:42`` and another ``9:42 PM``, ``9:42 p. m.`` (Spanish), ``21.42`` (Finnish, Danish,
Indonesian), ``21 h 42`` (Canadian French), ``오후 9:42`` (Korean), ``午後9:42``
(Japanese), ``下午9:42`` or ``晚上9:42`` (Chinese), ``9:42 م`` (Arabic, often with
Arabic-Indic digits) and so on. Android takes these from the Unicode CLDR data, so the
markers below are CLDR's day periods (the abbreviated and wide forms of the languages
Daylio is offered in and other common ones), compared without case, dots or spaces
(``p. m.``, ``p.m.``, ``PM`` and ``p.\u202fm.`` are one marker). Chinese, Korean and
Japanese phones may also write a part of the day ("evening", "early morning") instead of
a.m./p.m.; each of those is kept with the hours it covers, so ``晚上9:42`` is 21:42 and
``凌晨1:10`` is 01:10. Any decimal digits count (``٩:٤٢`` is 9:42; Python's ``int`` reads them all).

``parse_time`` returns ``(hour, minute)``, or raises ``BadTime`` with a short reason.
Pure Python, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["BadTime", "normalize_marker", "parse_time"]


class BadTime(ValueError):
    """A time selfback cannot read (``reason``: what is wrong, for a message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalize_marker(text: str) -> str:
    """Case, dots, spaces (also no-break and narrow ones) and direction marks removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        ch for ch in folded if ch not in ".," and unicodedata.category(ch)[0] not in "ZC"
    )


def _markers(*words: str) -> frozenset[str]:
    return frozenset(normalize_marker(w) for w in words)


# CLDR day periods (abbreviated and wide forms), as (before noon, after noon) pairs.
_PAIRS = (
    ("AM", "PM"),  # English and many others
    ("ap.", "ip."),  # Finnish
    ("de.", "du."),  # Hungarian
    ("dop.", "odp."),  # Czech
    ("dop.", "pop."),  # Slovenian
    ("dopoldne", "popoldne"),  # Slovenian (wide)
    ("e paradites", "e pasdites"),  # Albanian (wide)
    ("p.d.", "m.d."),  # Albanian
    ("paradite", "pasdite"),  # Albanian (stand-alone)
    ("f.h.", "e.h."),  # Icelandic
    ("fm", "em"),  # Swedish
    ("PG", "PTG"),  # Malay
    ("priekšp.", "pēcp."),  # Latvian
    ("priekšpusdienā", "pēcpusdienā"),  # Latvian (wide)
    ("priekšpusdiena", "pēcpusdiena"),  # Latvian (stand-alone)
    ("priešpiet", "popiet"),  # Lithuanian
    ("r.n.", "i.n."),  # Irish
    ("SA", "CH"),  # Vietnamese
    ("TO", "TK"),  # Uzbek
    ("vm.", "nm."),  # Afrikaans
    ("vorm.", "nachm."),  # German (older phones)
    ("vormittags", "nachmittags"),  # German (wide)
    ("ÖÖ", "ÖS"),  # Turkish
    ("π.μ.", "μ.μ."),  # Greek
    ("дп", "пп"),  # Ukrainian
    ("до полудня", "после полудня"),  # Russian (wide)
    ("претпл.", "попл."),  # Macedonian
    ("ص", "م"),  # Arabic
    ("صباحًا", "مساءً"),  # Arabic (wide)
    ("ق.ظ.", "ب.ظ."),  # Persian
    ("قبل‌ازظهر", "بعدازظهر"),  # Persian (wide)
    ("पूर्वाह्न", "अपराह्न"),  # Hindi, Marathi, Nepali
    ("පෙ.ව.", "ප.ව."),  # Sinhala
    ("ก่อนเที่ยง", "หลังเที่ยง"),  # Thai
    ("နံနက်", "ညနေ"),  # Burmese
    ("ጥዋት", "ከሰዓት"),  # Amharic
    ("上午", "下午"),  # Chinese
    ("午前", "午後"),  # Japanese
    ("오전", "오후"),  # Korean
)
AM = _markers(*(am for am, _pm in _PAIRS))
PM = _markers(*(pm for _am, pm in _PAIRS))
# Parts of the day that Chinese, Korean and Japanese clocks may write instead: the hours
# each covers, [from, before) on a 24-hour clock (CLDR dayPeriodRules, a little wider
# where people use the word more loosely; a range may wrap past midnight).
FLEXIBLE: dict[str, tuple[int, int]] = {  # (already normalised: no case, no dots)
    # Chinese (simplified and traditional)
    "凌晨": (0, 6),
    "清晨": (4, 9),
    "早上": (4, 12),
    "中午": (11, 14),
    "晚上": (18, 1),
    "午夜": (0, 1),
    # Korean
    "새벽": (3, 6),
    "아침": (3, 6),
    "저녁": (18, 21),
    "밤": (21, 3),
    "자정": (0, 1),
    "정오": (12, 13),
    # Japanese
    "朝": (4, 12),
    "昼": (12, 16),
    "夕方": (16, 19),
    "夜": (19, 23),
    "夜中": (23, 4),
    "真夜中": (0, 1),
    "正午": (12, 13),
}
# Words some clocks add that say nothing about the half of the day: Thai "น.", Bulgarian
# "ч.", German "Uhr", French "h" (as in "21 h"), Hungarian "óra".
NEUTRAL = _markers("", "น.", "ч.", "Uhr", "h", "óra", "hs", "hrs")

# The clock itself: hours, a separator (":", ".", "h" or the Unicode ratio sign), minutes,
# optional seconds. \d matches any decimal digit, so Arabic-Indic digits read too.
_CLOCK = re.compile(r"(\d{1,2})\s*(?:[:.\u2236]|\s*h\s*)\s*(\d{2})(?:\s*[:.\u2236]\s*(\d{2}))?")


def _in_period(hour12: int, period: tuple[int, int]) -> int | None:
    start, before = period
    for hour in (hour12, hour12 + 12):
        inside = start <= hour < before if start < before else hour >= start or hour < before
        if inside:
            return hour
    return None


def parse_time(raw: str) -> tuple[int, int]:
    """``(hour, minute)`` on a 24-hour clock, from a Daylio time in any locale's format."""
    text = (raw or "").strip()
    if not text:
        raise BadTime("the time is empty")
    match = _CLOCK.search(text)
    if match is None:
        raise BadTime(f"{text!r} has no hours and minutes")
    hour, minute = int(match.group(1)), int(match.group(2))
    marker = normalize_marker(text[: match.start()] + text[match.end() :])
    if minute > 59 or (match.group(3) is not None and int(match.group(3)) > 59):
        raise BadTime(f"{text!r} is not a time of day")
    if marker in NEUTRAL:
        if hour > 23:
            raise BadTime(f"{text!r} is not a time of day")
        return hour, minute
    if hour > 12:
        raise BadTime(f"{text!r} is not a time on a 12-hour clock")
    hour12 = hour % 12
    if marker in AM:
        return hour12, minute
    if marker in PM:
        return hour12 + 12, minute
    if marker in FLEXIBLE:
        found = _in_period(hour12, FLEXIBLE[marker])
        if found is None:
            raise BadTime(f"{text!r} is not a time of day")
        return found, minute
    raise BadTime(f"selfback does not know the marker in {text!r}")
