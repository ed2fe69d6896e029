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

from selfback.periods import Period
from selfback.store.db import Store
from selfback.store.reading import CRISIS_IN, MEASURE_IN, SESSION_IN, one, span, tuples
from selfback.store.reading import rows as _rows


def rows(store: Store, sql: str, params: Any = (), *, plain: bool = False) -> Iterator[Any]:
    return tuples(store, sql, params) if plain else _rows(store, sql, params)


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

    range: Period
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


def private_parts(store: Store, spec: Period, paths: Any = None) -> set[str]:
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


# -- trackers in the range: wide CSV columns, the report's tracker table, the diary card ---


@dataclass
class TrackerStat:
    """One tracker's answers in a range, from the stored values (so a tracker whose file
    is gone, or that was renamed, is still there, under its newest stored label)."""

    tracker_id: str
    label: str
    kinds: list[str]
    unit: str | None
    answers: int
    days: int
    avg: float | None  # scale and number answers
    low: float | None
    high: float | None
    yes_days: int  # yesno: days with at least one yes
    yesno_days: int  # yesno: days answered
    top: list[tuple[str, int]]  # choice and tags: the most frequent answers

    @property
    def text_only(self) -> bool:
        return self.kinds == ["text"]


_TRACKER_STATS_SQL = """
    SELECT v.tracker_id AS id,
           max(c.ts_utc || char(31) || coalesce(v.label, '')) AS newest_label,
           max(c.ts_utc || char(31) || coalesce(v.unit, '')) AS newest_unit,
           group_concat(DISTINCT v.kind) AS kinds,
           count(*) AS answers,
           count(DISTINCT c.local_date) AS days,
           avg(CASE WHEN v.kind IN ('scale', 'number') THEN v.value_num END) AS avg,
           min(CASE WHEN v.kind IN ('scale', 'number') THEN v.value_num END) AS low,
           max(CASE WHEN v.kind IN ('scale', 'number') THEN v.value_num END) AS high,
           count(DISTINCT CASE WHEN v.kind = 'yesno' AND v.value_num > 0
                               THEN c.local_date END) AS yes_days,
           count(DISTINCT CASE WHEN v.kind = 'yesno' THEN c.local_date END) AS yesno_days
    FROM checkins c CROSS JOIN checkin_values v ON v.checkin_id = c.id
    WHERE c.local_date BETWEEN ? AND ?
    GROUP BY v.tracker_id
"""

_TRACKER_WORDS_SQL = """
    SELECT v.tracker_id AS id, j.value AS word, count(*) AS n
    FROM checkins c CROSS JOIN checkin_values v ON v.checkin_id = c.id,
         json_each(CASE WHEN v.kind = 'tags' AND json_valid(v.value_text) THEN v.value_text
                        ELSE json_array(v.value_text) END) AS j
    WHERE c.local_date BETWEEN ? AND ? AND v.kind IN ('choice', 'tags')
          AND v.value_text IS NOT NULL
    GROUP BY v.tracker_id, j.value
    ORDER BY v.tracker_id, n DESC, j.value
"""


def _after_sep(value: object) -> str:
    text = "" if value is None else str(value)
    return text.split("\x1f", 1)[1] if "\x1f" in text else text


def tracker_stats(store: Store, lo: str, hi: str, *, top: int = 5) -> list[TrackerStat]:
    """Every tracker stored in ``checkin_values`` with an answer between the local dates
    ``lo`` and ``hi``: two grouped queries driven from the check-ins' date index."""
    out: dict[str, TrackerStat] = {}
    for r in rows(store, _TRACKER_STATS_SQL, (lo, hi)):
        out[r["id"]] = TrackerStat(
            tracker_id=r["id"],
            label=_after_sep(r["newest_label"]) or r["id"],
            kinds=sorted(set(str(r["kinds"] or "").split(",")) - {""}),
            unit=_after_sep(r["newest_unit"]) or None,
            answers=int(r["answers"]),
            days=int(r["days"]),
            avg=r["avg"],
            low=r["low"],
            high=r["high"],
            yes_days=int(r["yes_days"] or 0),
            yesno_days=int(r["yesno_days"] or 0),
            top=[],
        )
    if top > 0 and any({"choice", "tags"} & set(s.kinds) for s in out.values()):
        for r in rows(store, _TRACKER_WORDS_SQL, (lo, hi)):
            stat = out.get(r["id"])
            if stat is not None and len(stat.top) < top and r["word"] is not None:
                stat.top.append((str(r["word"]), int(r["n"])))
    return list(out.values())


def tracker_columns(store: Store, sel: Selection) -> list[TrackerStat]:
    """The trackers that get a column of their own in a wide table such as checkins.csv,
    by id. Text trackers only when notes are included (their answers are free text)."""
    stats = tracker_stats(store, sel.range.lo, sel.range.hi, top=0)
    return sorted((s for s in stats if sel.notes or not s.text_only), key=lambda s: s.tracker_id)


def _wide_value(kind: str, num: Any, text: Any) -> Any:
    """One stored answer as a spreadsheet cell: numbers as numbers, yes/no as words,
    tags joined with "; "."""
    if kind == "yesno":
        return None if num is None else ("yes" if num else "no")
    if kind in ("scale", "number"):
        if isinstance(num, float) and num.is_integer():
            return int(num)
        return num
    if kind == "tags":
        items = _loads(text, None)
        if isinstance(items, list):
            return "; ".join(str(i) for i in items)
    return text


def iter_checkin_table_wide(
    store: Store, sel: Selection, columns: list[str]
) -> Iterator[tuple[Any, ...]]:
    """``iter_checkin_table`` plus one cell per tracker id in ``columns`` (None when the
    check-in has no answer for it). The answers come from a second query in the same
    order, merged as both stream, so check-ins without answers cost nothing extra."""
    if not columns:
        yield from iter_checkin_table(store, sel)
        return
    note = "c.note," if sel.notes else ""
    index = {tracker_id: i for i, tracker_id in enumerate(columns)}
    blank = (None,) * len(columns)
    params = (sel.range.lo, sel.range.hi)
    answers = rows(
        store,
        """
        SELECT c.id, v.tracker_id, v.kind, v.value_num, v.value_text
        FROM checkins c CROSS JOIN checkin_values v ON c.id = v.checkin_id
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY +c.ts_utc, c.id
        """,
        params,
        plain=True,
    )
    pending = next(answers, None)
    for r in rows(
        store,
        f"""
        SELECT c.uid, c.local_date, substr(c.ts, 12, 5), c.ts, c.ts_utc, c.mood, c.anxiety,
               c.energy, c.sleep_hours,
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM checkin_tags
                  WHERE checkin_id = c.id AND kind = 'tag' ORDER BY value)),
               (SELECT group_concat(value, '; ') FROM (SELECT value FROM checkin_tags
                  WHERE checkin_id = c.id AND kind = 'emotion' ORDER BY value)),
               {note} c.created_at, c.updated_at, c.id
        FROM checkins c
        WHERE c.local_date BETWEEN ? AND ?
        ORDER BY c.ts_utc, c.id
        """,
        params,
        plain=True,
    ):
        checkin_id = r[-1]
        if pending is None or pending[0] != checkin_id:
            yield r[:-1] + blank
            continue
        cells = list(blank)
        while pending is not None and pending[0] == checkin_id:
            _cid, tracker_id, kind, num, text = pending
            i = index.get(tracker_id)
            if i is not None and (sel.notes or kind != "text"):
                cells[i] = _wide_value(kind, num, text)
            pending = next(answers, None)
        yield r[:-1] + tuple(cells)


# The DBT diary card (the built-in ``diary-card`` pack): its trackers, in card order.
DIARY_PACK = "diary-card"
DIARY_TRACKERS = (
    "urge_selfharm",
    "acted_selfharm",
    "urge_use",
    "acted_use",
    "urge_quit",
    "acted_quit",
    "skills_used",
)
_DIARY_IN = ", ".join(f"'{t}'" for t in DIARY_TRACKERS)


def diary_pack_on(paths: Any) -> bool:
    """Whether the person switched the diary-card pack on (``trackers.json``); a missing
    or damaged settings file counts as off."""
    if paths is None:
        return False
    try:
        from selfback.trackers.state import load_state

        return DIARY_PACK in load_state(paths).packs
    except Exception:
        return False


def has_diary_values(store: Store, lo: str, hi: str) -> bool:
    return bool(
        one(
            store,
            f"""
            SELECT EXISTS (SELECT 1 FROM checkins c CROSS JOIN checkin_values v
                             ON v.checkin_id = c.id
                           WHERE c.local_date BETWEEN ? AND ?
                             AND v.tracker_id IN ({_DIARY_IN}))
            """,
            (lo, hi),
        )[0]
    )


_DIARY_SQL = f"""
    SELECT c.local_date, v.tracker_id, max(v.value_num), NULL
    FROM checkins c CROSS JOIN checkin_values v ON v.checkin_id = c.id
    WHERE c.local_date BETWEEN ? AND ? AND v.tracker_id IN ({_DIARY_IN})
          AND v.tracker_id != 'skills_used'
    GROUP BY c.local_date, v.tracker_id
    UNION ALL
    SELECT c.local_date, 'skills_used', NULL, json_group_array(DISTINCT j.value)
    FROM checkins c CROSS JOIN checkin_values v
           ON v.checkin_id = c.id AND v.tracker_id = 'skills_used',
         json_each(CASE WHEN json_valid(v.value_text) THEN v.value_text ELSE '[]' END) AS j
    WHERE c.local_date BETWEEN ? AND ?
    GROUP BY c.local_date
    UNION ALL
    SELECT c.local_date, '~emotions', NULL, json_group_array(DISTINCT t.value)
    FROM checkins c CROSS JOIN checkin_tags t ON t.checkin_id = c.id AND t.kind = 'emotion'
    WHERE c.local_date BETWEEN ? AND ?
    GROUP BY c.local_date
    UNION ALL
    SELECT local_date, '~sleep', avg(sleep_hours), NULL
    FROM checkins
    WHERE local_date BETWEEN ? AND ? AND sleep_hours IS NOT NULL
    GROUP BY local_date
"""


def diary_days(store: Store, lo: str, hi: str) -> dict[str, dict[str, Any]]:
    """The diary card's days between the local dates ``lo`` and ``hi``, in one query:
    ``{"2026-11-16": {"urge_selfharm": 3, "acted_selfharm": True, "skills_used": [...],
    "emotions": [...], "sleep": 7.5}}``. Urges are the day's highest answer; an "acted" is
    True when any check-in that day said yes; skills and emotions are every one named that
    day (in alphabetical order); sleep is the day's average. Days with emotions or sleep
    but no diary-card answer are included too (the caller decides which weeks to show)."""
    out: dict[str, dict[str, Any]] = {}
    for day, key, num, text in rows(store, _DIARY_SQL, (lo, hi) * 4, plain=True):
        entry = out.setdefault(day, {})
        if key == "~emotions":
            entry["emotions"] = sorted({str(w) for w in _loads(text, [])})
        elif key == "~sleep":
            entry["sleep"] = num
        elif key == "skills_used":
            words = sorted({str(w) for w in _loads(text, []) if w is not None})
            if words:
                entry[key] = words
        elif key.startswith("acted_"):
            if num is not None:
                entry[key] = bool(num)
        elif num is not None:
            entry[key] = int(num)
    return out
