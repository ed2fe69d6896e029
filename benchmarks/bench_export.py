"""How fast selfback exports a ten-year log, next to SQLite dumping the same rows.

    python benchmarks/bench_export.py [--runs 3] [--checkins 100000] [--sessions 20000]
        [--measures 500] [--home DIR] [--json]

Fills a selfback home with a synthetic ten-year log (``gen_data.generate`` when it is
there, else a small generator below), then times, as subprocesses and in the same run:

- the baseline: SQLite writing the same rows as plain CSV. With the ``sqlite3`` command-
  line tool when it is installed (``sqlite3 -csv``), else Python's csv module writing the
  raw rows of the same queries. Nothing is formatted, joined or escaped: the floor for
  "getting the rows out";
- ``selfback export --format F --since all`` for every format (the whole log);
- ``selfback export --format html --since 365d`` (one year; target: under 1.5 s).

Each figure is the median of ``--runs`` runs after one warm-up run, with peak memory.
Exits 1 when the one-year HTML export misses its target.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from harness import PY, data_parser, fresh_env, measure, selfback, tempdir  # noqa: E402

END = "2026-11-21T10:00:00+00:00"
FORMATS = ("html", "pdf", "md", "csv", "json", "fhir")
HTML_YEAR_TARGET = 1.5

# The rows an export reads: every table of the log (tags and values joined to their
# check-in's uid as the exports do).
DUMP_SQL = [
    "SELECT uid, ts, ts_utc, local_date, mood, energy, anxiety, sleep_hours, note,"
    " created_at, updated_at FROM checkins ORDER BY ts_utc, id",
    "SELECT c.uid, t.kind, t.value FROM checkin_tags t JOIN checkins c ON c.id = t.checkin_id"
    " ORDER BY c.ts_utc, c.id",
    "SELECT c.uid, v.tracker_id, v.tracker_version, v.label, v.kind, v.value_num, v.value_text,"
    " v.unit FROM checkin_values v JOIN checkins c ON c.id = v.checkin_id"
    " ORDER BY c.ts_utc, c.id",
    "SELECT uid, skill_id, skill_version, skill_title, situation, distress_before,"
    " distress_after, started_at, started_utc, ended_at, status, answers"
    " FROM coping_sessions ORDER BY started_utc, id",
    "SELECT uid, instrument, instrument_version, taken_at, taken_utc, answers, total, band,"
    " flags FROM measure_results ORDER BY taken_utc, id",
]

PY_DUMP = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", newline="", encoding="utf-8") as fh:
    w = csv.writer(fh)
    for sql in sys.argv[3:]:
        cur = conn.execute(sql)
        w.writerow([d[0] for d in cur.description])
        while True:
            rows = cur.fetchmany(2000)
            if not rows:
                break
            w.writerows(rows)
"""


def small_generate(home: Path, checkins: int, sessions: int, measures: int) -> dict[str, int]:
    """A plain ten-year log, used only when benchmarks/gen_data.py is not there."""
    from selfback.paths import Paths
    from selfback.store.db import open_store

    rnd = random.Random(1)
    tz = timezone(timedelta(hours=1))
    end = datetime.fromisoformat(END)
    start = end - timedelta(days=3652)
    span = (end - start).total_seconds()
    paths = Paths(config_dir=home, data_dir=home)

    def when(i: int, n: int) -> datetime:
        return (start + timedelta(seconds=span * (i + rnd.random()) / n)).astimezone(tz)

    with open_store(paths) as store, store.tx() as db:
        for i in range(checkins):
            t = when(i, checkins)
            ts = t.isoformat(timespec="seconds")
            cur = db.execute(
                "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, energy, anxiety,"
                " sleep_hours, note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    f"c{i:031d}",
                    ts,
                    t.astimezone(UTC).isoformat(timespec="seconds"),
                    t.date().isoformat(),
                    rnd.randrange(11),
                    rnd.randrange(11),
                    rnd.randrange(11),
                    rnd.choice([None, 6.5, 7.0, 8.0]),
                    rnd.choice([None, "a note"]),
                    ts,
                    ts,
                ),
            )
            for tag in rnd.sample(["work", "walk", "friends", "gym", "rain"], 2):
                db.execute("INSERT INTO checkin_tags VALUES (?, 'tag', ?)", (cur.lastrowid, tag))
        for i in range(sessions):
            t = when(i, sessions)
            before = rnd.randrange(3, 11)
            db.execute(
                "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title,"
                " situation, distress_before, distress_after, started_at, started_utc, status)"
                " VALUES (?, 'tipp', 1, 'TIPP', 'panic', ?, ?, ?, ?, 'completed')",
                (
                    f"s{i:031d}",
                    before,
                    max(0, before - rnd.randrange(5)),
                    t.isoformat(timespec="seconds"),
                    t.astimezone(UTC).isoformat(timespec="seconds"),
                ),
            )
        for i in range(measures):
            t = when(i, measures)
            answers = [rnd.randrange(4) for _ in range(9)]
            db.execute(
                "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
                " taken_utc, answers, total, band, flags) VALUES (?, 'phq9', 1, ?, ?, ?, ?,"
                " 'mild', '[]')",
                (
                    f"m{i:031d}",
                    t.isoformat(timespec="seconds"),
                    t.astimezone(UTC).isoformat(timespec="seconds"),
                    json.dumps(answers),
                    sum(answers),
                ),
            )
    return {"checkins": checkins, "sessions": sessions, "measures": measures}


def fill(home: Path, args: argparse.Namespace) -> tuple[dict[str, int], str]:
    try:
        from gen_data import generate
    except ImportError:
        return small_generate(home, args.checkins, args.sessions, args.measures), "local"
    stats = generate(
        home,
        checkins=args.checkins,
        sessions=args.sessions,
        measures=args.measures,
        end=datetime.fromisoformat(END),
    )
    return {
        "checkins": stats.checkins,
        "tags": stats.tags,
        "tracker_values": stats.values,
        "sessions": stats.sessions,
        "measures": stats.measures,
    }, "gen_data.py"


def baseline(db: Path, out: Path) -> tuple[str, list[str]]:
    """The command that dumps the same rows as plain CSV, and its label."""
    cli = shutil.which("sqlite3")
    if cli:
        script = out.parent / "dump.sql"
        lines = [".headers on", ".mode csv", f".output {out}"]
        lines += [sql + ";" for sql in DUMP_SQL]
        script.write_text("\n".join(lines) + "\n")
        return "sqlite3 -csv (same rows)", [cli, "-bail", str(db), f".read {script}"]
    return "Python csv module (same rows)", [PY, "-c", PY_DUMP, str(db), str(out), *DUMP_SQL]


def main(argv: list[str] | None = None) -> int:
    parser = data_parser(__doc__.split("\n\n")[0], runs=3)
    args = parser.parse_args(argv)

    work = tempdir()
    home = args.home or (work / "home")
    results: dict[str, object] = {}
    if not (home / "selfback.db").exists():
        t0 = time.perf_counter()
        data, source = fill(home, args)
        results["data"] = data
        results["generator"] = source
        results["generate_seconds"] = round(time.perf_counter() - t0, 2)
    out = work / "out"
    out.mkdir()
    env = fresh_env(home, SELFBACK_NOW=END)
    rows: list[tuple[str, float, float]] = []
    quiet = args.json

    def timed(label: str, cmd: list[str]) -> float:
        seconds, peak = measure(cmd, runs=args.runs, env=env, cwd=out)
        rows.append((label, seconds, peak))
        if not quiet:
            print(f"  {label:<44} {seconds * 1000:9.1f} ms  {peak:6.1f} MiB", flush=True)
        return seconds

    if not quiet:
        print(f"Ten-year log in {home}\n")
    label, cmd = baseline(home / "selfback.db", out / "dump.csv")
    base = timed(label, cmd)
    for fmt in FORMATS:
        target = out / ("all-csv.zip" if fmt == "csv" else f"all.{fmt}")
        timed(
            f"export --format {fmt} (10 years)",
            selfback(
                "export",
                "--format",
                fmt,
                "--since",
                "all",
                "--no-notes",
                "--exclude-plan",
                "--exclude-crisis",
                "--output",
                str(target),
            ),
        )
    year = timed(
        "export --format html (1 year)",
        selfback(
            "export",
            "--format",
            "html",
            "--since",
            "365d",
            "--no-notes",
            "--output",
            str(out / "year.html"),
        ),
    )
    ok = year < HTML_YEAR_TARGET
    results["baseline"] = label
    results["runs"] = args.runs
    results["results"] = [
        {
            "what": lbl,
            "seconds": round(sec, 3),
            "peak_mib": round(peak, 1),
            "x_baseline": round(sec / base, 1),
        }
        for lbl, sec, peak in rows
    ]
    results["html_year_under_1_5_s"] = ok
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"\nRatio to the baseline ({label}):")
        for lbl, sec, _ in rows[1:]:
            print(f"  {lbl:<44} {sec / base:6.1f} x")
        print(
            f"\nHTML export of a year under {HTML_YEAR_TARGET} s: "
            f"{'yes' if ok else 'NO'} ({year:.2f} s)"
        )
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
