"""Reading the log for exports: streaming, range-limited queries on the documented schema.

Each ``iter_*`` function yields one plain dict per record, read with ``fetchmany`` so a
ten-year log never sits in memory at once. Check-ins come with their tags, emotions and
tracker values gathered by SQLite (``json_group_array``) in the same query.

The dicts use the column names of ``selfback.store.migrations`` (minus the internal
integer ids), which is also the selfback JSON export format (``SCHEMA_VERSION``).

Notes: when ``notes`` is False, every piece of free text the person wrote is left out:
check-in notes, text-tracker values, and the answers typed during coping skills.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selfback.insights.ranges import RangeSpec
from selfback.insights.summary import CRISIS_IN, MEASURE_IN, SESSION_IN, one, rows, span
from selfback.store.db import Store

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
SESSION_FIELDS = (
    "uid",
    "skill_id",
    "skill_version",
    "skill_title",
    "situation",
    "distress_before",
    "distress_after",
    "started_at",
    "started_utc",
    "ended_at",
    "status",
)
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
VALUE_FIELDS = (
    "tracker_id",
    "tracker_version",
    "label",
    "kind",
    "value_num",
    "value_text",
    "unit",
)


@dataclass(frozen=True)
class Selection:
    """What to read: the range, and which private parts the person chose to include."""

    range: RangeSpec
    notes: bool = False
    crisis: bool = False
    plan: bool = False

    def included(self) -> tuple[str, ...]:
        out = ["checkins", "coping_sessions", "measure_results"]
        if self.crisis:
            out.append("crisis_openings")
        if self.plan:
            out.append("safety_plan_versions")
        return tuple(out)


def _loads(raw: object, default: Any) -> Any:
    try:
        return json.loads(str(raw)) if raw is not None else default
    except (TypeError, ValueError):
        return default


def count_records(store: Store, sel: Selection) -> dict[str, int]:
    """How many records of each included type fall in the range (for progress bars)."""
    lo, hi = sel.range.lo, sel.range.hi
    out = {
        "checkins": one(
            store, "SELECT count(*) FROM checkins WHERE local_date BETWEEN ? AND ?", (lo, hi)
        )[0],
        "coping_sessions": one(
            store,
            f"SELECT count(*) FROM coping_sessions WHERE {SESSION_IN}",
            span(lo, hi),
        )[0],
        "measure_results": one(
            store,
            f"SELECT count(*) FROM measure_results WHERE {MEASURE_IN}",
            span(lo, hi),
        )[0],
    }
    if sel.crisis:
        out["crisis_openings"] = one(
            store,
            f"SELECT count(*) FROM crisis_openings WHERE {CRISIS_IN}",
            span(lo, hi),
        )[0]
    if sel.plan:
        out["safety_plan_versions"] = one(store, "SELECT count(*) FROM safety_plan_versions")[0]
    return {k: int(v) for k, v in out.items()}


_CHECKIN_SQL = """
    SELECT c.uid, c.ts, c.ts_utc, c.local_date, c.mood, c.energy, c.anxiety, c.sleep_hours,
           c.note, c.created_at, c.updated_at,
           (SELECT json_group_array(json_array(kind, value)) FROM
               (SELECT kind, value FROM checkin_tags WHERE checkin_id = c.id
                ORDER BY kind, value)) AS words,
           CASE WHEN EXISTS (SELECT 1 FROM checkin_values WHERE checkin_id = c.id) THEN
           (SELECT json_group_array(json_array(tracker_id, tracker_version, label, kind,
                                                value_num, value_text, unit))
              FROM (SELECT * FROM checkin_values WHERE checkin_id = c.id
                    ORDER BY tracker_id)) END AS vals
    FROM checkins c
    WHERE c.local_date BETWEEN ? AND ?
    ORDER BY c.ts_utc, c.id
"""


def iter_checkins(store: Store, sel: Selection) -> Iterator[dict[str, Any]]:
    for r in rows(store, _CHECKIN_SQL, (sel.range.lo, sel.range.hi)):
        rec = {k: r[k] for k in CHECKIN_FIELDS}
        if not sel.notes:
            rec["note"] = None
        tags: list[str] = []
        emotions: list[str] = []
        words = r["words"]
        if words and words != "[]":
            for kind, value in _loads(words, []):
                (emotions if kind == "emotion" else tags).append(value)
        rec["tags"] = tags
        rec["emotions"] = emotions
        values = []
        if r["vals"]:
            for v in _loads(r["vals"], []):
                value = dict(zip(VALUE_FIELDS, v, strict=False))
                if not sel.notes and value["kind"] == "text" and value["value_text"] is not None:
                    continue
                values.append(value)
        rec["values"] = values
        yield rec


def iter_sessions(store: Store, sel: Selection) -> Iterator[dict[str, Any]]:
    cols = ", ".join(SESSION_FIELDS)
    for r in rows(
        store,
        f"SELECT {cols}, answers FROM coping_sessions WHERE {SESSION_IN} ORDER BY started_utc, id",
        span(sel.range.lo, sel.range.hi),
    ):
        rec = {k: r[k] for k in SESSION_FIELDS}
        rec["answers"] = _loads(r["answers"], []) if sel.notes else []
        yield rec


def iter_measures(store: Store, sel: Selection) -> Iterator[dict[str, Any]]:
    cols = ", ".join(MEASURE_FIELDS)
    for r in rows(
        store,
        f"SELECT {cols}, answers, flags FROM measure_results "
        f"WHERE {MEASURE_IN} ORDER BY taken_utc, id",
        span(sel.range.lo, sel.range.hi),
    ):
        rec = {k: r[k] for k in MEASURE_FIELDS}
        rec["answers"] = _loads(r["answers"], [])
        rec["flags"] = _loads(r["flags"], [])
        yield rec


def iter_crisis(store: Store, sel: Selection) -> Iterator[dict[str, Any]]:
    if not sel.crisis:
        return
    cols = ", ".join(CRISIS_FIELDS)
    for r in rows(
        store,
        f"SELECT {cols} FROM crisis_openings WHERE {CRISIS_IN} ORDER BY opened_utc, id",
        span(sel.range.lo, sel.range.hi),
    ):
        yield {k: r[k] for k in CRISIS_FIELDS}


def iter_plans(store: Store, sel: Selection) -> Iterator[dict[str, Any]]:
    """Every saved version of the safety plan (its whole history), oldest first."""
    if not sel.plan:
        return
    cols = ", ".join(PLAN_FIELDS)
    for r in rows(store, f"SELECT {cols}, plan FROM safety_plan_versions ORDER BY saved_utc, id"):
        rec = {k: r[k] for k in PLAN_FIELDS}
        rec["plan"] = _loads(r["plan"], {})
        yield rec


ITERATORS = {
    "checkins": iter_checkins,
    "coping_sessions": iter_sessions,
    "measure_results": iter_measures,
    "crisis_openings": iter_crisis,
    "safety_plan_versions": iter_plans,
}


def current_plan(store: Store, paths: Any = None) -> Any:
    """The current safety plan as a ``selfback.safety.plan.SafetyPlan`` (or a dict), or None.

    Uses ``selfback.safety.plan.load_plan`` when it is there; otherwise the newest version
    in the database, as a dict.
    """
    if paths is not None:
        try:
            from selfback.safety.plan import load_plan

            plan = load_plan(paths)
            if plan is not None:
                return plan
        except Exception:
            pass
    for r in rows(
        store, "SELECT plan FROM safety_plan_versions ORDER BY saved_utc DESC, id DESC LIMIT 1"
    ):
        value = _loads(r["plan"], None)
        if isinstance(value, dict):
            return value
    return None


def plan_sections(plan: Any) -> list[tuple[str, list[str]]]:
    """The plan as (heading, items) pairs in the method's order, for any renderer."""
    if plan is None:
        return []
    try:
        from selfback.safety.plan import STEPS

        steps = [(s.key, f"{s.number}. {s.title}" if s.number else s.title) for s in STEPS]
    except Exception:
        steps = [
            ("warning_signs", "1. Warning signs that a crisis may be starting"),
            ("coping", "2. Things I can do on my own to cope"),
            ("distractions", "3. People and places that can take my mind off things"),
            ("helpers", "4. People I can ask for help"),
            ("professionals", "5. Professionals and services I can contact"),
            ("safer", "6. Making my surroundings safer"),
            ("reasons", "My reasons for living"),
        ]
    data = plan
    if not isinstance(plan, dict):
        to_dict = getattr(plan, "to_dict", None)
        data = to_dict() if callable(to_dict) else {}
    out: list[tuple[str, list[str]]] = []
    for key, title in steps:
        items = []
        for item in data.get(key) or []:
            if isinstance(item, dict):
                name = str(item.get("name") or "").strip()
                reach = str(item.get("reach") or "").strip()
                text = f"{name}: {reach}" if name and reach else (name or reach)
            else:
                text = str(item).strip()
            if text:
                items.append(text)
        out.append((title, items))
    return out


def plan_saved_at(plan: Any) -> str | None:
    value = plan.get("saved_at") if isinstance(plan, dict) else getattr(plan, "saved_at", None)
    return str(value) if value else None


def iter_tag_rows(store: Store, sel: Selection) -> Iterator[tuple[str, str, str]]:
    """(check-in uid, kind, value) for every tag and emotion in the range."""
    yield from rows(
        store,
        """
        SELECT c.uid, t.kind, t.value
        FROM checkins c CROSS JOIN checkin_tags t ON t.checkin_id = c.id
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY c.ts_utc, c.id, t.kind, t.value
        """,
        (sel.range.lo, sel.range.hi),
        plain=True,
    )


def iter_value_rows(store: Store, sel: Selection) -> Iterator[dict[str, Any]]:
    """Tracker values in the range, each with its check-in's uid (text ones need notes)."""
    cols = ", ".join(f"v.{c}" for c in VALUE_FIELDS)
    for r in rows(
        store,
        f"""
        SELECT c.uid AS checkin_uid, {cols}
        FROM checkins c CROSS JOIN checkin_values v ON c.id = v.checkin_id
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY +c.ts_utc, c.id, v.tracker_id
        """,
        (sel.range.lo, sel.range.hi),
    ):
        if not sel.notes and r["kind"] == "text" and r["value_text"] is not None:
            continue
        yield {"checkin_uid": r["checkin_uid"], **{k: r[k] for k in VALUE_FIELDS}}


def private_parts(store: Store, spec: RangeSpec, paths: Any = None) -> set[str]:
    """Which private parts exist in the range ("notes", "crisis", "plan"), so the person
    is only asked about what is there."""
    lo, hi = spec.lo, spec.hi
    out: set[str] = set()
    notes = one(
        store,
        f"""
        SELECT EXISTS (SELECT 1 FROM checkins WHERE local_date BETWEEN ? AND ?
                         AND note IS NOT NULL AND trim(note) != '')
            OR EXISTS (SELECT 1 FROM checkins c CROSS JOIN checkin_values v ON c.id = v.checkin_id
                         WHERE c.local_date BETWEEN ? AND ? AND v.kind = 'text'
                         AND v.value_text IS NOT NULL)
            OR EXISTS (SELECT 1 FROM coping_sessions WHERE {SESSION_IN}
                         AND answers NOT IN ('', '[]'))
        """,
        (lo, hi, lo, hi, *span(lo, hi)),
    )[0]
    if notes:
        out.add("notes")
    if one(
        store,
        f"SELECT EXISTS (SELECT 1 FROM crisis_openings WHERE {CRISIS_IN})",
        span(lo, hi),
    )[0]:
        out.add("crisis")
    has_plan = one(store, "SELECT EXISTS (SELECT 1 FROM safety_plan_versions)")[0]
    if has_plan or (
        paths is not None
        and getattr(paths, "plan_file", None) is not None
        and paths.plan_file.exists()
    ):
        out.add("plan")
    return out


def iter_checkin_table(store: Store, sel: Selection) -> Iterator[tuple[Any, ...]]:
    """Check-ins as flat rows (tags and emotions joined with "; "), for tables such as CSV:
    uid, date, time, ts, ts_utc, mood, anxiety, energy, sleep_hours, tags, emotions,
    [note,] created_at, updated_at."""
    note = "c.note," if sel.notes else ""
    yield from rows(
        store,
        f"""
        SELECT c.uid, c.local_date, substr(c.ts, 12, 5), c.ts, c.ts_utc, c.mood, c.anxiety,
               c.energy, c.sleep_hours,
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM checkin_tags
                  WHERE checkin_id = c.id AND kind = 'tag' ORDER BY value)),
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM checkin_tags
                  WHERE checkin_id = c.id AND kind = 'emotion' ORDER BY value)),
               {note} c.created_at, c.updated_at
        FROM checkins c
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY c.ts_utc, c.id
        """,
        (sel.range.lo, sel.range.hi),
        plain=True,
    )
