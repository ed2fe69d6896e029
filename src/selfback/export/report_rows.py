"""Detail rows shared by HTML and PDF: check-ins, sessions, crisis openings, results."""

from __future__ import annotations

from datetime import datetime

from selfback.export.pack import DIARY_SKILLS
from selfback.export.report_tables import is_flagged, is_partial
from selfback.export.report_text import CRISIS_SOURCES, NO_AFTER, PARTIAL_NOTE
from selfback.insights.model import MeasureSummary
from selfback.skills.situation_names import situation_name
from selfback.skills.titles import skill_word
from selfback.store.checkins import Checkin, TrackerValue
from selfback.store.records import SessionRecord
from selfback.store.safety import PERSON_SOURCES, CrisisOpening


def offset_text(when: datetime) -> str:
    """The UTC offset of ``when`` as ISO 8601 writes it ("+01:00"), or "" when unknown."""
    off = when.utcoffset()
    if off is None:
        return ""
    minutes = int(off.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def local_time(ts: str, report_offset: str = "") -> str:
    """The time of day of an ISO timestamp ("19:36"), with its UTC offset when it differs
    from the report's ("19:36 +01:00"), so a time recorded while travelling, or on the
    other side of a clock change, is not read as the same clock."""
    if len(ts) < 16:
        return ""
    time = ts[11:16]
    if not report_offset:
        return time
    tail = ts[19:]
    if tail.startswith("."):  # fractions of a second
        tail = tail.lstrip(".0123456789")
    if tail in ("Z", "+00:00", "-00:00"):
        tail = "+00:00"
    if tail and tail != report_offset:
        return f"{time} {tail}"
    return time


TIME_NOTE = (
    "Times are local: the clock where each entry was made. Where its offset from UTC "
    "differs from this report's ({offset}), it follows the time (19:36 +01:00)."
)


def tracker_text(v: TrackerValue) -> str:
    """One tracker answer in a table cell: "Urge to self-harm: 2", "Took meds: yes",
    "Water: 2.5 l", "Skills used: tipp, stop"."""
    if v.value_num is not None:
        shown = ("yes" if v.value_num else "no") if v.kind == "yesno" else f"{v.value_num:g}"
    else:
        shown = v.value_text or ""
        words = v.value
        if v.kind == "tags" and shown.startswith("[") and isinstance(words, list):
            name = skill_word if v.tracker_id == DIARY_SKILLS else str
            shown = ", ".join(name(str(w)) for w in words)
    unit = f" {v.unit}" if v.unit else ""
    return f"{v.label or v.tracker_id}: {shown}{unit}"


def _or_dash(value: float | None) -> str:
    return "-" if value is None else str(value)


def checkin_cells(rec: Checkin, *, notes: bool, offset: str = "") -> list[str]:
    words = "; ".join(x for x in (", ".join(rec.tags), ", ".join(rec.emotions)) if x)
    sleep = rec.sleep_hours
    cells = [
        rec.local_date,
        local_time(rec.ts, offset),
        str(rec.mood),
        _or_dash(rec.anxiety),
        _or_dash(rec.energy),
        "-" if sleep is None else f"{sleep:g}",
        words,
        "; ".join(tracker_text(v) for v in rec.values),
    ]
    if notes:
        cells.append(rec.note or "")
    return cells


def checkin_headers(*, notes: bool) -> list[str]:
    h = ["Date", "Time", "Mood", "Anxiety", "Energy", "Sleep", "Tags and emotions", "Trackers"]
    if notes:
        h.append("Note")
    return h


SESSION_HEADERS = ["Date", "Skill", "Situation", "Before", "After", "Finished"]


def session_end(status: str, distress_after: int | None) -> str:
    """How a session ended, in the "Finished" column: a finished one with no distress
    rating afterwards says so, rather than a bare "yes"."""
    if status != "completed":
        return "stopped early"
    return "yes" if distress_after is not None else NO_AFTER


def session_cells(rec: SessionRecord, *, offset: str = "") -> list[str]:
    started = rec.started_at
    return [
        f"{started[:10]} {local_time(started, offset)}".strip(),
        rec.skill_title or rec.skill_id,
        situation_name(rec.situation) if rec.situation else "-",
        _or_dash(rec.distress_before),
        _or_dash(rec.distress_after),
        session_end(rec.status, rec.distress_after),
    ]


CRISIS_HEADERS = ["When", "Opened by", "How"]


def crisis_cells(rec: CrisisOpening, *, offset: str = "") -> list[str]:
    opened = rec.opened_at
    return [
        f"{opened[:10]} {local_time(opened, offset)}".strip(),
        "the person" if rec.source in PERSON_SOURCES else "selfback",
        CRISIS_SOURCES.get(rec.source, rec.source),
    ]


MEASURE_HEADERS = ["Date", "Measure", "Score", "Band", "PHQ-9 item 9"]


def measure_rows(measures: list[MeasureSummary]) -> list[tuple[list[str], bool]]:
    out = []
    points = sorted(((m, p) for m in measures for p in m.points), key=lambda mp: mp[1].taken_at)
    for m, p in points:
        if m.instrument == "phq9":
            item9 = "not answered" if p.item9 is None else str(p.item9)
            if is_flagged(p):
                item9 = f"FLAG: {item9}"
        else:
            item9 = "-"
        partial = is_partial(p)
        out.append(
            (
                [
                    p.taken_at[:10],
                    m.name,
                    "-" if partial else f"{p.display}{m.unit}",
                    PARTIAL_NOTE if partial else p.band_label,
                    item9,
                ],
                m.instrument == "phq9" and is_flagged(p),
            )
        )
    return out
