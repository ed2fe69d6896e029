"""What an export reads: the selection, and the log's records in it, typed.

``Selection`` says which range and which private parts the person chose. The ``iter_*``
functions stream typed records from ``selfback.store.records`` and
``selfback.store.tables`` for that selection (nothing private unless chosen), so a
ten-year log never sits in memory at once.

The selfback JSON export format (``FORMAT``, ``SCHEMA_VERSION``) keeps the column names
of ``selfback.store.migrations``; ``selfback.export.jsonfile`` writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from selfback.export.pack import (
    DIARY_ACTED_IDS,
    DIARY_PACK,
    DIARY_SKILLS,
    DIARY_TRACKERS,
    DIARY_URGES,
)
from selfback.export.request import Selection
from selfback.store import records, tables
from selfback.store.checkins import Checkin
from selfback.store.db import Store
from selfback.store.records import MeasureRecord, RecordCounts, SessionRecord
from selfback.store.safety import CrisisOpening, PlanVersionRow, RiskFlag
from selfback.store.tables import CheckinLine, DiaryDay, TagRow, TrackerStat, ValueRow

if TYPE_CHECKING:
    from selfback.safety.plan import SafetyPlan

__all__ = [
    "CHECKIN_FIELDS",
    "CRISIS_FIELDS",
    "DIARY_ACTED_IDS",
    "DIARY_PACK",
    "DIARY_SKILLS",
    "DIARY_TRACKERS",
    "DIARY_URGES",
    "FORMAT",
    "MEASURE_FIELDS",
    "PLAN_FIELDS",
    "RECORD_TYPES",
    "RISK_FIELDS",
    "SCHEMA_VERSION",
    "SESSION_FIELDS",
    "VALUE_FIELDS",
    "DiaryDay",
    "RecordCounts",
    "Selection",
    "TrackerStat",
    "count_records",
    "diary_days",
    "has_diary_values",
    "iter_checkin_lines",
    "iter_checkins",
    "iter_crisis",
    "iter_measures",
    "iter_plans",
    "iter_risk_flags",
    "iter_sessions",
    "iter_tag_rows",
    "iter_value_rows",
    "plan_sections",
    "tracker_columns",
    "tracker_stats",
]

# The selfback JSON export format. Bump when a field changes meaning or is removed.
FORMAT = "selfback-export"
SCHEMA_VERSION = 1

RECORD_TYPES = (
    "checkins",
    "coping_sessions",
    "measure_results",
    "crisis_openings",
    "safety_plan_versions",
)

CHECKIN_FIELDS = (
    "uid",
    "ts",
    "ts_utc",
    "local_date",
    "mood",
    "energy",
    "anxiety",
    "sleep_hours",
    "note",
    "created_at",
    "updated_at",
)
SESSION_FIELDS = records.SESSION_FIELDS
MEASURE_FIELDS = (
    "uid",
    "instrument",
    "instrument_version",
    "taken_at",
    "taken_utc",
    "total",
    "band",
)
CRISIS_FIELDS = ("uid", "opened_at", "opened_utc", "source")
PLAN_FIELDS = ("uid", "saved_at", "saved_utc")
RISK_FIELDS = ("uid", "flagged_at", "flagged_utc", "source", "kind", "ref_uid")
VALUE_FIELDS = (
    "tracker_id",
    "tracker_version",
    "label",
    "kind",
    "value_num",
    "value_text",
    "unit",
)


def count_records(store: Store, sel: Selection) -> RecordCounts:
    """How many records of each included type fall in the range (for progress bars)."""
    return records.count_records(
        store, sel.range.lo, sel.range.hi, crisis=sel.crisis, plan=sel.plan
    )


def iter_checkins(store: Store, sel: Selection) -> Iterator[Checkin]:
    return records.iter_checkins(store, sel.range.lo, sel.range.hi, notes=sel.notes)


def iter_sessions(store: Store, sel: Selection) -> Iterator[SessionRecord]:
    return records.iter_sessions(store, sel.range.lo, sel.range.hi, notes=sel.notes)


def iter_measures(store: Store, sel: Selection) -> Iterator[MeasureRecord]:
    return records.iter_measures(store, sel.range.lo, sel.range.hi)


def iter_crisis(store: Store, sel: Selection) -> Iterator[CrisisOpening]:
    if not sel.crisis:
        return iter(())
    return records.iter_crisis(store, sel.range.lo, sel.range.hi)


def iter_risk_flags(store: Store, sel: Selection) -> Iterator[RiskFlag]:
    """The risk flags in the range (only with the crisis part included)."""
    if not sel.crisis:
        return iter(())
    return records.iter_risk_flags(store, sel.range.lo, sel.range.hi)


def iter_plans(store: Store, sel: Selection) -> Iterator[PlanVersionRow]:
    """Every saved version of the safety plan (its whole history), oldest first."""
    if not sel.plan:
        return iter(())
    return records.iter_plans(store)


def iter_tag_rows(store: Store, sel: Selection) -> Iterator[TagRow]:
    return tables.iter_tag_rows(store, sel.range.lo, sel.range.hi)


def iter_value_rows(store: Store, sel: Selection) -> Iterator[ValueRow]:
    return tables.iter_value_rows(store, sel.range.lo, sel.range.hi, notes=sel.notes)


def iter_checkin_lines(store: Store, sel: Selection, *, answers: bool) -> Iterator[CheckinLine]:
    return tables.iter_checkin_lines(
        store, sel.range.lo, sel.range.hi, notes=sel.notes, answers=answers
    )


def tracker_stats(store: Store, lo: str, hi: str, *, top: int = 5) -> list[TrackerStat]:
    return tables.tracker_stats(store, lo, hi, top=top)


def tracker_columns(store: Store, sel: Selection) -> list[TrackerStat]:
    """The trackers that get a column of their own in a wide table such as checkins.csv,
    by id. Text trackers only when notes are included (their answers are free text)."""
    stats = tables.tracker_stats(store, sel.range.lo, sel.range.hi, top=0)
    return sorted((s for s in stats if sel.notes or not s.text_only), key=lambda s: s.tracker_id)


def plan_sections(plan: SafetyPlan) -> list[tuple[str, list[str]]]:
    """The plan as (heading, items) pairs in the method's order, for any renderer."""
    from selfback.safety.plan import STEPS

    out: list[tuple[str, list[str]]] = []
    for step in STEPS:
        title = f"{step.number}. {step.title}" if step.number else step.title
        items = [str(item).strip() for item in plan.items(step.key)]
        out.append((title, [text for text in items if text]))
    return out


def has_diary_values(store: Store, lo: str, hi: str) -> bool:
    return tables.has_values_of(store, lo, hi, DIARY_TRACKERS)


def diary_days(store: Store, lo: str, hi: str) -> dict[str, DiaryDay]:
    """The diary card's days between the local dates ``lo`` and ``hi``, in one query."""
    return tables.diary_days(
        store,
        lo,
        hi,
        urges=tuple(urge for urge, _acted in DIARY_URGES),
        acted=DIARY_ACTED_IDS,
        skills=DIARY_SKILLS,
    )
