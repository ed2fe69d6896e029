"""The DBT diary card as a weekly grid (days as rows, most recent week first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from selfback.export.pack import DIARY_URGES
from selfback.export.report_tables import num_text
from selfback.export.report_text import fmt1, plural, short_date
from selfback.periods import pretty_date
from selfback.skills.titles import skill_word
from selfback.store.tables import DiaryDay


@dataclass
class DiaryWeek:
    start: date  # the Monday
    title: str  # "Week of 16 Nov 2026"
    rows: list[list[str]]  # one per day in the period, Monday first (DIARY_HEADERS)


@dataclass(frozen=True)
class UrgeSummary:
    """One urge of the diary card over the period, for page one: the average and the
    highest of each day's highest answer, and on how many of the days answered it was
    acted on."""

    name: str  # "Urge to self-harm"
    days: int  # days the urge (or whether it was acted on) was answered
    average: float | None
    highest: int | None
    acted_days: int

    def text(self) -> str:
        """ "average 2.1, highest 5, acted on 2 of 48 days"."""
        parts = []
        if self.average is not None and self.highest is not None:
            parts += [f"average {fmt1(self.average)}", f"highest {self.highest}"]
        parts.append(f"acted on {self.acted_days} of {plural(self.days, 'day')}")
        return ", ".join(parts)


@dataclass
class DiaryCard:
    """The DBT diary card as a weekly grid: days as rows, most recent week first."""

    weeks: list[DiaryWeek]
    days_answered: int  # days with at least one diary-card answer
    pack_on: bool
    self_harm: bool  # a self-harm urge above 0 (or acted on) on some day: crisis help goes with it
    notes: list[str] = field(default_factory=list)
    urges: list[UrgeSummary] = field(default_factory=list)  # answered urges, in card order


SELF_HARM_URGE, SELF_HARM_ACTED = DIARY_URGES[0]
# the urges' names, as the diary-card pack titles them
URGE_NAMES = {
    "urge_selfharm": "Urge to self-harm",
    "urge_use": "Urge to use",
    "urge_quit": "Urge to quit therapy",
}
DIARY_HEADERS = [
    "Day",
    "Urge to self-harm 0-5",
    "Acted",
    "Urge to use 0-5",
    "Acted",
    "Urge to quit therapy 0-5",
    "Acted",
    "Emotions",
    "Skills used",
    "Sleep (h)",
]
DIARY_ACTED = frozenset({2, 4, 6})  # columns where a "yes" is shown in bold
DIARY_NUMERIC = frozenset({1, 3, 5, 9})
DIARY_NOTE = (
    "Urges 0-5 (0 none, 5 very strong): the day's highest answer. Acted: yes when any "
    "check-in that day said the urge was acted on; asked only when the urge was 1 or more. "
    "Emotions and skills: every one named that day. Sleep: hours, the day's average. "
    "A blank means not answered. Weeks with no diary-card answer are not shown."
)


def _diary_day_cells(day: date, entry: DiaryDay) -> list[str]:
    cells = [f"{day.strftime('%a')} {short_date(day)}"]
    for urge, acted in DIARY_URGES:
        value = entry.urges.get(urge)
        cells.append("" if value is None else str(value))
        did = entry.acted.get(acted)
        cells.append("" if did is None else ("yes" if did else "no"))
    cells.append(", ".join(entry.emotions))
    cells.append(", ".join(skill_word(s) for s in entry.skills))
    cells.append("" if entry.sleep is None else num_text(entry.sleep))
    return cells


def diary_card(days: dict[str, DiaryDay], start: date, end: date, *, pack_on: bool) -> DiaryCard:
    """The weekly grid from ``selfback.export.data.diary_days``: every week (Monday to
    Sunday, clipped to the period) with at least one diary-card answer, newest first."""
    answered = sorted(d for d, entry in days.items() if entry.answered())
    mondays: list[date] = []
    for d in answered:
        day = date.fromisoformat(d)
        monday = day - timedelta(days=day.weekday())
        if not mondays or mondays[-1] != monday:
            mondays.append(monday)
    weeks = []
    for monday in reversed(mondays):
        rows = []
        for k in range(7):
            day = monday + timedelta(days=k)
            if start <= day <= end:
                rows.append(_diary_day_cells(day, days.get(day.isoformat(), DiaryDay())))
        weeks.append(DiaryWeek(monday, f"Week of {pretty_date(monday)}", rows))
    self_harm = any(
        entry.urges.get(SELF_HARM_URGE, 0) > 0 or entry.acted.get(SELF_HARM_ACTED, False)
        for entry in days.values()
    )
    notes = [DIARY_NOTE] if weeks else ["No diary-card answers in this period."]
    urges = urge_summaries(days, start, end)
    return DiaryCard(weeks, len(answered), pack_on, self_harm, notes, urges)


def urge_summaries(days: dict[str, DiaryDay], start: date, end: date) -> list[UrgeSummary]:
    """Each urge answered in the period, in card order: its days, the average and the
    highest of the day's highest answer, and the days it was acted on."""
    lo, hi = start.isoformat(), end.isoformat()
    shown = [entry for d, entry in days.items() if lo <= d <= hi]
    out = []
    for urge, acted in DIARY_URGES:
        values = [e.urges[urge] for e in shown if urge in e.urges]
        answered = sum(1 for e in shown if urge in e.urges or acted in e.acted)
        if not answered:
            continue
        out.append(
            UrgeSummary(
                name=URGE_NAMES.get(urge, urge),
                days=answered,
                average=sum(values) / len(values) if values else None,
                highest=max(values) if values else None,
                acted_days=sum(1 for e in shown if e.acted.get(acted)),
            )
        )
    return out
