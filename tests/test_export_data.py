"""A synthetic log written straight into the database (documented schema), plus tests of
the export data-collection layer. Other export/import/trends tests import ``make_log``.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from selfback.export import data as records
from selfback.paths import get_paths
from selfback.periods import Period
from selfback.safety.plan import SafetyPlan
from selfback.store.db import open_store

TZ = timezone(timedelta(hours=1))
END = date(2026, 11, 21)
SCRIPT_NOTE = '<script>alert("x")</script> & a "quoted" word'
FORMULA_NOTE = '=HYPERLINK("http://example.invalid","click me")'
PLAN = {
    "format": "selfback-safety-plan",
    "schema": 1,
    "warning_signs": ["Not sleeping", "<b>pulling away</b>"],
    "coping": ["cyclic sighing", "a walk"],
    "coping_skills": ["cyclic-sighing"],
    "distractions": ["the library"],
    "helpers": [{"name": "Sam", "reach": "07700 900123"}],
    "professionals": [{"name": "Dr Lee", "reach": "surgery 020 7946 0000"}],
    "safer": ["Ask Sam to hold onto things"],
    "reasons": ["my cat"],
}


@dataclass
class Log:
    checkins: int
    sessions: int
    measures: int
    crisis: int
    plans: int
    first: date
    last: date


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def make_log(
    paths: object | None = None,
    *,
    days: int = 120,
    end: date = END,
    seed: int = 7,
    special_notes: bool = True,
) -> Log:
    """Fill the home's database with ``days`` days of varied, deterministic data."""
    paths = paths or get_paths()
    rnd = random.Random(seed)
    start = end - timedelta(days=days - 1)
    n_c = n_s = n_m = n_x = 0
    with open_store(paths) as store, store.tx() as db:  # type: ignore[arg-type]
        for i in range(days):
            day = start + timedelta(days=i)
            if rnd.random() < 0.15:
                continue  # a gap: no check-in that day
            for k in range(2 if rnd.random() < 0.1 else 1):
                ts = datetime(
                    day.year, day.month, day.day, 20 - 9 * k, rnd.randrange(60), tzinfo=TZ
                )
                mood = max(0, min(10, round(5 + 2.5 * rnd.gauss(0, 1))))
                note = rnd.choice([None, "ok day", "long day at work, tired", "ünïcödé ☀ day"])
                if special_notes and n_c == 3:
                    note = SCRIPT_NOTE
                if special_notes and n_c == 4:
                    note = FORMULA_NOTE
                uid = f"c{seed:02d}{n_c:08d}".ljust(32, "0")
                cur = db.execute(
                    "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, energy, anxiety,"
                    " sleep_hours, note, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        uid,
                        _iso(ts),
                        _utc(ts),
                        day.isoformat(),
                        mood,
                        rnd.choice([None, rnd.randrange(11)]),
                        rnd.randrange(11),
                        rnd.choice([None, 5.5, 6.0, 7.25, 8.0, 9.5]),
                        note,
                        _iso(ts),
                        _iso(ts),
                    ),
                )
                cid = cur.lastrowid
                for tag in rnd.sample(["work", "walk", "friends", "-minus tag", "gym"], 2):
                    db.execute(
                        "INSERT INTO checkin_tags (checkin_id, kind, value) VALUES (?, 'tag', ?)",
                        (cid, tag),
                    )
                db.execute(
                    "INSERT INTO checkin_tags (checkin_id, kind, value) VALUES (?, 'emotion', ?)",
                    (cid, rnd.choice(["sad", "calm", "anxious"])),
                )
                db.execute(
                    "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version, label,"
                    " kind, value_num, value_text, unit) VALUES (?, 'water', 1, 'Water', 'number',"
                    " ?, NULL, 'glasses')",
                    (cid, float(rnd.randrange(1, 9))),
                )
                db.execute(
                    "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version, label,"
                    " kind, value_num, value_text, unit) VALUES (?, 'meds', 2, 'Took meds',"
                    " 'yesno', ?, NULL, NULL)",
                    (cid, float(rnd.randrange(2))),
                )
                if rnd.random() < 0.3:
                    db.execute(
                        "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version,"
                        " label, kind, value_num, value_text, unit) VALUES (?, 'gratitude', 1,"
                        " 'Grateful for', 'text', NULL, ?, NULL)",
                        (cid, "private words: the sunrise"),
                    )
                n_c += 1
            if i % 3 == 0:
                skill = rnd.choice(
                    [
                        ("cyclic-sighing", "Cyclic sighing"),
                        ("grounding-54321", "5-4-3-2-1"),
                        ("tipp", "TIPP"),
                    ]
                )
                st = datetime(day.year, day.month, day.day, 15, 0, tzinfo=TZ)
                before = rnd.randrange(4, 11)
                after = max(0, before - rnd.randrange(0, 5)) if rnd.random() < 0.85 else None
                db.execute(
                    "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title,"
                    " situation, distress_before, distress_after, started_at, started_utc,"
                    " ended_at, status, answers) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        f"s{seed:02d}{n_s:08d}".ljust(32, "0"),
                        skill[0],
                        skill[1],
                        rnd.choice(["panic", "work", None]),
                        before,
                        after,
                        _iso(st),
                        _utc(st),
                        _iso(st + timedelta(minutes=5)) if after is not None else None,
                        "completed" if after is not None else "stopped",
                        json.dumps(
                            [{"step": "notice", "kind": "text", "answer": "a private answer"}]
                        ),
                    ),
                )
                n_s += 1
            if i % 14 == 0:
                tt = datetime(day.year, day.month, day.day, 9, 30, tzinfo=TZ)
                item9 = 1 if n_m == 3 else 0
                answers = [rnd.randrange(4) for _ in range(8)] + [item9, 1]
                total = sum(answers[:9])
                band = ("minimal", "mild", "moderate", "moderately-severe", "severe")[
                    min(4, total // 5)
                ]
                db.execute(
                    "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
                    " taken_utc, answers, total, band, flags)"
                    " VALUES (?, 'phq9', 1, ?, ?, ?, ?, ?, ?)",
                    (
                        f"m{seed:02d}{n_m:08d}".ljust(32, "0"),
                        _iso(tt),
                        _utc(tt),
                        json.dumps(answers),
                        total,
                        band,
                        json.dumps(["phq9-item9"] if item9 else []),
                    ),
                )
                n_m += 1
                g = [rnd.randrange(4) for _ in range(7)]
                gt = sum(g)
                db.execute(
                    "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
                    " taken_utc, answers, total, band, flags)"
                    " VALUES (?, 'gad7', 1, ?, ?, ?, ?, ?, '[]')",
                    (
                        f"m{seed:02d}{n_m:08d}".ljust(32, "0"),
                        _iso(tt + timedelta(minutes=5)),
                        _utc(tt + timedelta(minutes=5)),
                        json.dumps(g),
                        gt,
                        ("minimal", "mild", "moderate", "severe")[min(3, gt // 5)],
                    ),
                )
                n_m += 1
                w = [rnd.randrange(6) for _ in range(5)]
                db.execute(
                    "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
                    " taken_utc, answers, total, band, flags)"
                    " VALUES (?, 'who5', 1, ?, ?, ?, ?, ?, '[]')",
                    (
                        f"m{seed:02d}{n_m:08d}".ljust(32, "0"),
                        _iso(tt + timedelta(minutes=9)),
                        _utc(tt + timedelta(minutes=9)),
                        json.dumps(w),
                        sum(w),
                        "low" if sum(w) < 13 else "not-low",
                    ),
                )
                n_m += 1
            if i % 30 == 5:
                ot = datetime(day.year, day.month, day.day, 23, 10, tzinfo=TZ)
                db.execute(
                    "INSERT INTO crisis_openings (uid, opened_at, opened_utc, source)"
                    " VALUES (?, ?, ?, ?)",
                    (
                        f"x{seed:02d}{n_x:08d}".ljust(32, "0"),
                        _iso(ot),
                        _utc(ot),
                        rnd.choice(["sos", "cope"]),
                    ),
                )
                n_x += 1
        for k in range(2):
            saved = datetime(start.year, start.month, start.day, 12, 0, tzinfo=TZ) + timedelta(
                days=10 * k
            )
            plan = dict(PLAN, uid=f"p{seed:02d}{k:08d}".ljust(32, "0"), saved_at=_iso(saved))
            if k == 0:
                plan["reasons"] = []
            db.execute(
                "INSERT INTO safety_plan_versions (uid, saved_at, saved_utc, plan)"
                " VALUES (?, ?, ?, ?)",
                (
                    plan["uid"],
                    _iso(saved),
                    _utc(saved),
                    json.dumps(plan, indent=2, ensure_ascii=False) + "\n",
                ),
            )
    return Log(n_c, n_s, n_m, n_x, 2, start, end)


def dump_log(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every record of the log, keyed by uid (internal integer ids left out)."""
    conn = sqlite3.connect(db_path)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        out["checkins"] = conn.execute(
            "SELECT uid, ts, ts_utc, local_date, mood, energy, anxiety, sleep_hours, note,"
            " created_at, updated_at FROM checkins ORDER BY uid"
        ).fetchall()
        out["checkin_tags"] = conn.execute(
            "SELECT c.uid, t.kind, t.value FROM checkin_tags t JOIN checkins c"
            " ON c.id = t.checkin_id ORDER BY 1, 2, 3"
        ).fetchall()
        out["checkin_values"] = conn.execute(
            "SELECT c.uid, v.tracker_id, v.tracker_version, v.label, v.kind, v.value_num,"
            " v.value_text, v.unit FROM checkin_values v JOIN checkins c"
            " ON c.id = v.checkin_id ORDER BY 1, 2"
        ).fetchall()
        out["coping_sessions"] = conn.execute(
            "SELECT uid, skill_id, skill_version, skill_title, situation, distress_before,"
            " distress_after, started_at, started_utc, ended_at, status, answers"
            " FROM coping_sessions ORDER BY uid"
        ).fetchall()
        out["measure_results"] = conn.execute(
            "SELECT uid, instrument, instrument_version, taken_at, taken_utc, answers, total,"
            " band, flags FROM measure_results ORDER BY uid"
        ).fetchall()
        out["crisis_openings"] = conn.execute(
            "SELECT uid, opened_at, opened_utc, source FROM crisis_openings ORDER BY uid"
        ).fetchall()
        out["safety_plan_versions"] = conn.execute(
            "SELECT uid, saved_at, saved_utc, plan FROM safety_plan_versions ORDER BY uid"
        ).fetchall()
        return out
    finally:
        conn.close()


# -- tests of the data layer -----------------------------------------------------------


def _sel(**kw: object) -> records.Selection:
    return records.Selection(Period(None, None), **kw)  # type: ignore[arg-type]


def test_checkins_stream_with_tags_values_and_no_notes_by_default() -> None:
    log = make_log(days=30)
    with open_store(get_paths()) as store:
        recs = list(records.iter_checkins(store, _sel()))
    assert len(recs) == log.checkins
    assert all(r.note is None for r in recs)
    assert all(v.kind != "text" for r in recs for v in r.values)
    assert all(len(r.tags) == 2 and len(r.emotions) == 1 for r in recs)
    assert [r.ts_utc for r in recs] == sorted(r.ts_utc for r in recs)


def test_notes_included_only_when_asked() -> None:
    make_log(days=30)
    with open_store(get_paths()) as store:
        recs = list(records.iter_checkins(store, _sel(notes=True)))
        sessions = list(records.iter_sessions(store, _sel(notes=True)))
        no_answers = list(records.iter_sessions(store, _sel()))
    assert any(r.note for r in recs)
    assert any(v.kind == "text" for r in recs for v in r.values)
    assert all(s.answers for s in sessions)
    assert all(s.answers == () for s in no_answers)


def test_range_limits_every_record_type() -> None:
    make_log(days=60)
    spec = Period(END - timedelta(days=9), END)
    with open_store(get_paths()) as store:
        sel = records.Selection(spec, crisis=True, plan=True)
        checkins = list(records.iter_checkins(store, sel))
        sessions = list(records.iter_sessions(store, sel))
        measures = list(records.iter_measures(store, sel))
        counts = records.count_records(store, sel)
    assert checkins and all(r.local_date >= spec.lo for r in checkins)
    assert all(s.started_at[:10] >= spec.lo for s in sessions)
    assert all(m.taken_at[:10] >= spec.lo for m in measures)
    assert counts.checkins == len(checkins)
    assert counts.coping_sessions == len(sessions)
    assert counts.safety_plan_versions == 2


def test_crisis_and_plan_only_when_chosen() -> None:
    make_log(days=60)
    with open_store(get_paths()) as store:
        assert list(records.iter_crisis(store, _sel())) == []
        assert list(records.iter_plans(store, _sel())) == []
        assert len(list(records.iter_crisis(store, _sel(crisis=True)))) >= 1
        assert len(list(records.iter_plans(store, _sel(plan=True)))) == 2


def test_plan_sections_follow_the_method_order() -> None:
    sections = records.plan_sections(SafetyPlan.from_dict(PLAN))
    titles = [t for t, _ in sections]
    assert titles[0].startswith("1.") and "Warning signs" in titles[0]
    assert titles[-1] == "My reasons for living"
    helpers = dict(sections)[titles[3]]
    assert helpers == ["Sam: 07700 900123"]


@pytest.mark.parametrize("days", [1, 400])
def test_make_log_is_consistent(days: int) -> None:
    log = make_log(days=days)
    with open_store(get_paths()) as store:
        n = store.query("SELECT count(*) FROM checkins")[0][0]
    assert n == log.checkins
