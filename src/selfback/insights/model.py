"""What trends and the report show, as data: the summary of one range of days.

Built by ``selfback.insights.summary.build_summary``; read by ``selfback trends`` and the
export's report. Small samples are marked, never hidden: a skill used once, a week with
one check-in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from selfback.insights.influence import InfluenceRow
from selfback.periods import DateRange
from selfback.store.trends import Bucket

# Below these counts a figure is shown with a "small sample" label.
SMALL_SKILL_SAMPLE = 5
SMALL_CHECKIN_SAMPLE = 7


@dataclass
class Overview:
    checkins: int = 0
    checkin_days: int = 0
    mood_avg: float | None = None
    mood_min: int | None = None
    mood_max: int | None = None
    anxiety_avg: float | None = None
    energy_avg: float | None = None
    sleep_avg: float | None = None
    sessions: int = 0
    measures: int = 0


@dataclass
class SeriesPoint:
    start: date
    end: date  # inclusive, clipped to the range
    checkins: int = 0
    mood: float | None = None
    mood_min: int | None = None
    mood_max: int | None = None
    anxiety: float | None = None
    energy: float | None = None
    sleep: float | None = None
    sessions: int = 0
    distress_before: float | None = None
    distress_after: float | None = None


@dataclass
class Series:
    bucket: Bucket
    points: list[SeriesPoint]


@dataclass
class CheckinDays:
    start: date
    end: date  # inclusive, clipped to the range
    days_with_checkin: int
    days: int

    @property
    def per_week(self) -> float:
        return self.days_with_checkin * 7 / self.days if self.days else 0.0


@dataclass
class SkillRow:
    skill_id: str
    title: str
    situation: str | None
    uses: int
    completed: int
    rated: int  # sessions with both a before and an after rating
    before_avg: float | None
    after_avg: float | None
    dropped_2: int  # rated sessions where distress fell by 2 or more

    @property
    def share_dropped_2(self) -> float | None:
        return self.dropped_2 / self.rated if self.rated else None

    @property
    def small_sample(self) -> bool:
        return self.rated < SMALL_SKILL_SAMPLE


@dataclass
class SkillSummary(SkillRow):
    situations: list[SkillRow] = field(default_factory=list)


@dataclass
class MeasurePoint:
    uid: str
    taken_at: str
    day: date
    total: int
    display: int
    band: str
    band_label: str
    flags: list[str]
    item9: int | None  # PHQ-9 item 9 answer (None when not a PHQ-9 or not answered)

    @property
    def flagged(self) -> bool:
        return bool(self.flags) or bool(self.item9)


@dataclass
class MeasureSummary:
    instrument: str
    name: str
    max_display: int
    unit: str
    higher_is: str
    meaningful_change: int | None
    points: list[MeasurePoint]

    @property
    def first(self) -> MeasurePoint:
        return self.points[0]

    @property
    def latest(self) -> MeasurePoint:
        return self.points[-1]

    @property
    def change(self) -> int | None:
        """Latest minus first, on the display scale (None with a single result)."""
        if len(self.points) < 2:
            return None
        return self.latest.display - self.first.display

    @property
    def flagged_count(self) -> int:
        return sum(1 for p in self.points if p.flagged)


@dataclass
class MeasureFlag:
    """A partial result (the person stopped after PHQ-9 item 9 was answered above 0).

    Listed as an item-9 flag, never as a score: it has no total, band or display value."""

    uid: str
    instrument: str
    name: str
    taken_at: str
    day: date
    flags: list[str]
    item9: int | None  # the answer that was kept

    partial: bool = True


@dataclass
class CrisisSummary:
    openings: int
    by_source: dict[str, int]
    days: int
    # opened by the person (`selfback sos`, the ! key) and shown by selfback (after risk
    # words, PHQ-9 item 9, high distress in a skill, a high rating): counted apart
    by_person: int = 0
    person_days: int = 0
    by_selfback: int = 0
    selfback_days: int = 0


@dataclass
class TagCount:
    kind: str
    value: str
    count: int


# The columns of ``trends --json``'s influence rows (``InfluenceRow.to_json``).
INFLUENCE_COLUMNS = (
    "key",
    "source",
    "label",
    "with_label",
    "without_label",
    "days_with",
    "days_without",
    "mood_with",
    "mood_without",
    "difference",
    "enough_data",
    "rank",
)


@dataclass
class InfluenceTable:
    """Mood on days with and without each tag and tracker (``selfback.insights.influence``),
    ranked rows first."""

    rows: list[InfluenceRow]

    @property
    def columns(self) -> list[str]:
        return list(INFLUENCE_COLUMNS) if self.rows else []


@dataclass
class Summary:
    range: DateRange
    generated_at: datetime
    overview: Overview
    series: Series
    checkin_days: list[CheckinDays]
    checkin_days_bucket: Bucket
    skills: list[SkillSummary]
    measures: list[MeasureSummary]
    top_tags: list[TagCount]
    crisis: CrisisSummary | None = None
    influence: InfluenceTable | None = None
    # partial results, listed as item-9 flags (``measures`` holds scored results only)
    measure_flags: list[MeasureFlag] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        o = self.overview
        return not (o.checkins or o.sessions or o.measures)

    @property
    def small_sample(self) -> bool:
        return self.overview.checkins < SMALL_CHECKIN_SAMPLE
