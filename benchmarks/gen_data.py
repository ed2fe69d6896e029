"""Synthetic selfback data for benchmarks: a realistic ten-year log, written fast.

    python benchmarks/gen_data.py HOME_DIR [--checkins 100000] [--sessions 20000]
        [--measures 500] [--years 10] [--end 2026-11-21T10:00:00+00:00] [--seed 1]

Writes into HOME_DIR as a selfback home (``SELFBACK_HOME=HOME_DIR``), creating or
migrating the database the normal way, then inserting everything with ``executemany``
inside one transaction. Deterministic for a given seed.

What "realistic" means here:

- check-ins spread over the years at waking hours, more in the evening, with the UTC
  offset of a UK-like zone (+01:00 in summer) and the odd trip abroad;
- mood with seasons, a weekly rhythm and noise, lifted by some tags (exercise, outside,
  friends) and lowered by others (conflict, alcohol); energy, anxiety, sleep (on a day's
  first check-in), emotions and notes present some of the time;
- the DBT diary-card trackers on part of the check-ins in the later years;
- coping sessions with real skill ids, situations, distress before and after;
- PHQ-9, GAD-7 and WHO-5 results with totals, bands and item-9 flags.

Other benchmarks import ``generate(home, ...)``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SKILLS = [
    ("tipp", "TIPP", ["panic", "overwhelm", "self-harm-urge"]),
    ("stop", "STOP", ["anger", "urge", "overwhelm"]),
    ("grounding-54321", "5-4-3-2-1 grounding", ["dissociation", "flashback", "panic"]),
    ("cyclic-sighing", "Cyclic sighing", ["anxiety", "panic", "stress"]),
    ("box-breathing", "Box breathing", ["anxiety", "stress"]),
    ("urge-surfing", "Urge surfing", ["urge", "self-harm-urge"]),
    ("self-soothe", "Self-soothe", ["low-mood", "loneliness", "stress"]),
    ("radical-acceptance", "Radical acceptance", ["grief", "conflict", "shame"]),
    ("check-the-facts", "Check the facts", ["anxiety", "anger", "shame"]),
    ("behavioural-activation", "Behavioural activation", ["low-mood"]),
    ("leaves-on-a-stream", "Leaves on a stream", ["rumination"]),
    ("self-compassion-break", "Self-compassion break", ["shame", "loneliness"]),
    ("reach-out", "Reach out to one safe person", ["loneliness", "low-mood"]),
]
EMOTIONS = ["calm", "happy", "sad", "anxious", "angry", "tired", "lonely", "hopeful", "numb"]
TAG_EFFECT = {
    "work": -0.2,
    "exercise": 0.9,
    "outside": 0.7,
    "friends": 0.8,
    "family": 0.2,
    "screens": -0.3,
    "conflict": -1.4,
    "alcohol": -0.8,
    "therapy": 0.3,
    "rain": -0.2,
}
NOTES = [
    "Long day, but I got through it.",
    "Slept badly again.",
    "Talked to a friend, felt lighter afterwards.",
    "Argument at work. Went for a walk after.",
    "Quiet evening, made soup.",
    "Everything felt heavy today.",
    "Good session with my therapist.",
    "Couldn't focus. Tried the breathing skill.",
]
DBT_SKILLS = ["mindfulness", "tipp", "stop", "opposite-action", "check-the-facts", "self-soothe"]
MEASURES = {
    # id: (items scored, item max, bands [(id, lo, hi)])
    "phq9": (
        9,
        3,
        [
            ("minimal", 0, 4),
            ("mild", 5, 9),
            ("moderate", 10, 14),
            ("moderately-severe", 15, 19),
            ("severe", 20, 27),
        ],
    ),
    "gad7": (7, 3, [("minimal", 0, 4), ("mild", 5, 9), ("moderate", 10, 14), ("severe", 15, 21)]),
    "who5": (5, 5, [("low", 0, 12), ("not-low", 13, 25)]),
}


@dataclass
class Stats:
    checkins: int
    tags: int
    values: int
    sessions: int
    measures: int
    crisis_openings: int
    seconds: float
    write_seconds: float
    first_day: str
    last_day: str


def _offset(day: datetime, rng: random.Random, trip: bool) -> timezone:
    if trip:
        return timezone(timedelta(hours=-5))
    summer = 4 <= day.month <= 9 or (day.month == 3 and day.day >= 28)
    return timezone(timedelta(hours=1 if summer else 0))


def _band(bands: list[tuple[str, int, int]], total: int) -> str:
    for band_id, lo, hi in bands:
        if lo <= total <= hi:
            return band_id
    return bands[-1][0]


def generate(
    home: Path,
    *,
    checkins: int = 100_000,
    sessions: int = 20_000,
    measures: int = 500,
    years: float = 10,
    end: datetime | None = None,
    seed: int = 1,
) -> Stats:
    """Fill ``home`` with synthetic data (adds to whatever is already there)."""
    from selfback.paths import Paths
    from selfback.store.db import iso, open_store, utc_iso

    started = time.perf_counter()
    rng = random.Random(seed)
    end = end or datetime.now(UTC).replace(microsecond=0)
    if end.tzinfo is None:
        end = end.astimezone()
    span_days = max(1, int(years * 365.25))
    start = end - timedelta(days=span_days)
    paths = Paths(config_dir=home, data_dir=home)
    store = open_store(paths)

    # --- check-ins: times first, sorted, so ids follow time as they would in real use
    day_of: list[int] = sorted(rng.randrange(span_days) for _ in range(checkins))
    checkin_rows = []
    tag_rows = []
    value_rows = []
    first_of_day: set[int] = set()
    base_id = int(store.query("SELECT COALESCE(MAX(id), 0) FROM checkins")[0][0])
    trips = {rng.randrange(span_days) for _ in range(int(years * 2))}
    trip_days = {d + k for d in trips for k in range(10)}
    dbt_from = int(span_days * 0.6)
    for n, day_index in enumerate(day_of):
        cid = base_id + n + 1
        day = start + timedelta(days=day_index)
        tz = _offset(day, rng, day_index in trip_days)
        hour = min(23, max(7, int(rng.gauss(19, 3.5))))
        local = datetime(
            day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=tz
        )
        if local > end:
            local = end.astimezone(tz)
        tags = rng.sample(list(TAG_EFFECT), k=rng.choice([0, 1, 1, 2, 2, 3]))
        season = 0.8 * math.sin(2 * math.pi * (day.timetuple().tm_yday / 365.25))
        weekly = 0.4 if local.weekday() >= 5 else 0.0
        drift = 1.0 * math.sin(2 * math.pi * day_index / (span_days / 3))
        mood_f = 5.2 + season + weekly + drift + sum(TAG_EFFECT[t] for t in tags)
        mood = int(min(10, max(0, round(rng.gauss(mood_f, 1.4)))))
        energy = int(min(10, max(0, round(rng.gauss(mood, 1.8))))) if rng.random() < 0.7 else None
        anxiety = (
            int(min(10, max(0, round(rng.gauss(9 - mood, 2.0))))) if rng.random() < 0.6 else None
        )
        sleep = None
        if day_index not in first_of_day:
            first_of_day.add(day_index)
            if rng.random() < 0.8:
                sleep = round(min(12.0, max(2.0, rng.gauss(6.8 + (mood - 5) * 0.15, 1.1))) * 2) / 2
        note = rng.choice(NOTES) if rng.random() < 0.1 else None
        stamp = iso(local)
        checkin_rows.append(
            (
                cid,
                f"gen{seed:04d}{cid:012d}",
                stamp,
                utc_iso(local),
                local.date().isoformat(),
                mood,
                energy,
                anxiety,
                sleep,
                note,
                stamp,
                stamp,
            )
        )
        for t in tags:
            tag_rows.append((cid, "tag", t))
        for e in rng.sample(EMOTIONS, k=rng.choice([0, 1, 1, 2, 3])):
            tag_rows.append((cid, "emotion", e))
        if day_index >= dbt_from and rng.random() < 0.3:
            urge = max(0, min(5, round(rng.gauss(max(0, 5 - mood) * 0.6, 1))))
            value_rows.append(
                (cid, "urge_selfharm", 1, "Urge to self-harm", "scale", urge, None, None)
            )
            if urge:
                value_rows.append(
                    (
                        cid,
                        "acted_selfharm",
                        1,
                        "Acted on the self-harm urge",
                        "yesno",
                        1 if rng.random() < 0.1 else 0,
                        None,
                        None,
                    )
                )
            value_rows.append(
                (
                    cid,
                    "skills_used",
                    1,
                    "Skills used",
                    "tags",
                    None,
                    json.dumps(rng.sample(DBT_SKILLS, k=rng.randrange(3))),
                    None,
                )
            )

    # --- coping sessions
    session_rows = []
    for n in range(sessions):
        skill_id, title, situations = rng.choice(SKILLS)
        day_index = rng.randrange(span_days)
        day = start + timedelta(days=day_index)
        tz = _offset(day, rng, day_index in trip_days)
        begun = datetime(
            day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=tz
        )
        if begun > end:
            begun = end.astimezone(tz)
        before = rng.randint(3, 10)
        completed = rng.random() < 0.8
        after = max(0, before - rng.randint(0, 4)) if completed else None
        ended = begun + timedelta(minutes=rng.randint(2, 15))
        answers = [{"step": "noticed", "kind": "ask", "answer": ["the window", "my hands"]}]
        session_rows.append(
            (
                f"gens{seed:04d}{n:012d}",
                skill_id,
                1,
                title,
                rng.choice(situations),
                before,
                after,
                iso(begun),
                utc_iso(begun),
                iso(ended) if completed else None,
                "completed" if completed else "stopped",
                json.dumps(answers),
            )
        )

    # --- measures: one roughly every week, rotating instruments
    measure_rows = []
    for n in range(measures):
        instrument = ("phq9", "gad7", "who5")[n % 3]
        items, top, bands = MEASURES[instrument]
        when = start + timedelta(days=span_days * n / max(measures, 1), hours=20)
        when = when.astimezone(_offset(when, rng, False))
        level = rng.random()
        scores = [min(top, max(0, round(rng.gauss(level * top, 0.8)))) for _ in range(items)]
        answers: list[int | None] = list(scores)
        if instrument == "phq9" or instrument == "gad7":
            answers.append(None if sum(scores) == 0 else rng.randint(0, 3))
        total = sum(scores)
        flags = ["phq9-item9"] if instrument == "phq9" and scores[8] > 0 else []
        measure_rows.append(
            (
                f"genm{seed:04d}{n:012d}",
                instrument,
                1,
                iso(when),
                utc_iso(when),
                json.dumps(answers),
                total,
                _band(bands, total),
                json.dumps(flags),
            )
        )

    # --- crisis-screen openings: rare
    crisis_rows = []
    for n in range(max(1, sessions // 100)):
        day = start + timedelta(days=rng.randrange(span_days), hours=rng.randrange(24))
        day = min(day, end)
        crisis_rows.append(
            (
                f"genc{seed:04d}{n:012d}",
                iso(day),
                utc_iso(day),
                rng.choice(["sos", "cope", "key", "measure"]),
            )
        )

    writing = time.perf_counter()
    # one big transaction: a larger page cache keeps it from spilling to the WAL early
    store.conn.execute("PRAGMA cache_size = -262144")
    with store.tx() as db:
        db.executemany(
            "INSERT INTO checkins (id, uid, ts, ts_utc, local_date, mood, energy, anxiety,"
            " sleep_hours, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            checkin_rows,
        )
        db.executemany(
            "INSERT OR IGNORE INTO checkin_tags (checkin_id, kind, value) VALUES (?,?,?)",
            tag_rows,
        )
        db.executemany(
            "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version, label, kind,"
            " value_num, value_text, unit) VALUES (?,?,?,?,?,?,?,?)",
            value_rows,
        )
        db.executemany(
            "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title, situation,"
            " distress_before, distress_after, started_at, started_utc, ended_at, status,"
            " answers) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            session_rows,
        )
        db.executemany(
            "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
            " taken_utc, answers, total, band, flags) VALUES (?,?,?,?,?,?,?,?,?)",
            measure_rows,
        )
        db.executemany(
            "INSERT INTO crisis_openings (uid, opened_at, opened_utc, source) VALUES (?,?,?,?)",
            crisis_rows,
        )
    written = time.perf_counter() - writing
    store.conn.execute("PRAGMA optimize")
    store.close()
    return Stats(
        checkins=len(checkin_rows),
        tags=len(tag_rows),
        values=len(value_rows),
        sessions=len(session_rows),
        measures=len(measure_rows),
        crisis_openings=len(crisis_rows),
        seconds=time.perf_counter() - started,
        write_seconds=written,
        first_day=start.date().isoformat(),
        last_day=end.date().isoformat(),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("home", type=Path, help="the selfback home folder to fill")
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument(
        "--end", default=os.environ.get("SELFBACK_NOW"), help="last moment (ISO 8601)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    end = datetime.fromisoformat(args.end) if args.end else None
    stats = generate(
        args.home,
        checkins=args.checkins,
        sessions=args.sessions,
        measures=args.measures,
        years=args.years,
        end=end,
        seed=args.seed,
    )
    print(
        f"{stats.checkins} check-ins ({stats.tags} tags, {stats.values} tracker values), "
        f"{stats.sessions} coping sessions, {stats.measures} measures, "
        f"{stats.crisis_openings} crisis-screen openings, {stats.first_day} to "
        f"{stats.last_day}, in {stats.seconds:.1f} s (writing {stats.write_seconds:.1f} s) "
        f"to {args.home}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
