"""The report's own wording and small formatting helpers, shared by every format and by
``selfback trends``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TITLE = "selfback report"
DISCLAIMER = "Self-report, not a diagnosis."
INTRO = (
    "Written by the person named on it (if they chose to), from what they logged in "
    "selfback, a private coping app that keeps everything on their own computer."
)
CRISIS_HELP = (
    "If you are in crisis right now: call your local emergency number, run `selfback sos` "
    "for crisis lines in your country, or find one at findahelpline.com."
)
ASSOCIATION_NOTE = (
    "Associations in this person's own log, not causes: a difference can come from many "
    "things that happened on the same days."
)
SCALES_NOTE = (
    "Scales: mood 0-10 (higher is better); anxiety 0-10 (higher is more anxious); energy "
    "0-10; sleep in hours. Distress is rated 0-10 (0 calm, 10 the worst imaginable) before "
    "and after each coping skill."
)
MEASURES_NOTE = (
    "About the last two weeks, scored by the published rules; bands are the usual names for "
    "score ranges."
)
ITEM9_NOTE = (
    "PHQ-9 item 9 asks about thoughts of being better off dead or of self-harm: any answer "
    "above 0 is flagged, and a 0 does not rule anything out."
)


# How the crisis screen came to be shown (``selfback.store.safety.CRISIS_SOURCES``); the
# person opened it with "sos" and "key" (``PERSON_SOURCES``), selfback showed the rest.
CRISIS_SOURCES = {
    "sos": "selfback sos",
    "key": "the ! key, or sos typed at a question",
    "cope": "during a skill (high distress or a crisis situation)",
    "measure": "after PHQ-9 item 9",
    "risk": "after words that may mean risk",
    "rating": "after a high rating",
}
CRISIS_SHORT = {  # the same, in the summary's few words
    "cope": "during a skill",
    "measure": "after PHQ-9 item 9",
    "risk": "after risk words",
    "rating": "after a high rating",
}

PARTIAL_NOTE = "partial: stopped before the end, so not scored."
# a coping session with no distress rating afterwards (not "finished: yes")
NO_AFTER = "no after rating"


def fmt1(value: float | None, none: str = "-") -> str:
    if value is None:
        return none
    return f"{value:.1f}"


def fmt_signed(value: int | None) -> str:
    if value is None:
        return "-"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\u2212{-value}"  # a real minus sign
    return "0"


def short_date(d: date) -> str:
    return f"{d.day} {d.strftime('%b')}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    flagged: list[bool] = field(default_factory=list)  # rows to highlight
    notes: list[str] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)  # right-aligned columns
