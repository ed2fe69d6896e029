"""How much memory and time a large Daylio import takes, next to ``python -c pass``.

    python benchmarks/bench_import.py [--runs 1] [--mb 50] [--keep DIR] [--json]

Writes a synthetic Daylio CSV export of about ``--mb`` megabytes (50 MB is about half a
million entries: Daylio's own columns, a few activities, a note on most entries, some in
12-hour times, one locale's clock per file), then measures, each as a subprocess:

- ``selfback import FILE`` into an empty home (everything is new);
- the same import again (nothing new: a preview only, no backup, nothing written);
- the import of the same file with every tenth entry edited, ``--changed take``.

Prints the median seconds and the peak memory of each. Target: peak memory under
300 MiB for a 50 MB file (the file is streamed, never held). Exits 1 when it is missed.
Not a timed test in the suite: run it by hand (``benchmarks/run`` does not run it, as
it takes a minute or two).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import PY, fresh_env, measure, selfback, tempdir  # noqa: E402

PEAK_TARGET_MIB = 300
HEADER = "full_date,date,weekday,time,mood,activities,note_title,note\n"
MOODS = ("rad", "good", "meh", "bad", "awful")
ACTIVITIES = ("work", "friends", "walk", "good meal", "reading", "gym", "family", "gaming")
WORDS = ("slept", "well", "then", "a", "long", "day", "at", "work", "with", "short", "walk")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def write_export(path: Path, megabytes: float, *, edit_every: int = 0, seed: int = 1) -> int:
    """A Daylio export of about ``megabytes`` MB, newest first; returns its entries."""
    from datetime import date, timedelta

    rnd = random.Random(seed)
    target = int(megabytes * 1_000_000)
    day = date(2026, 11, 20)
    n = 0
    # Written line by line: this process stays small, so the imports it starts (forked
    # from it) report their own peak memory, not this one's.
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        size = len(HEADER)
        while size < target:
            for slot in range(20):  # up to 20 entries a day, an hour or so apart
                hour, minute = 23 - slot, rnd.randrange(60)
                mood = MOODS[rnd.randrange(5)]
                if edit_every and n % edit_every == 0:
                    mood = "rad" if mood != "rad" else "awful"
                acts = " | ".join(rnd.sample(ACTIVITIES, rnd.randrange(4)))
                note = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(12)))
                clock = f"{(hour % 12) or 12}:{minute:02d} {'pm' if hour >= 12 else 'am'}"
                if slot % 2:
                    clock = f"{hour}:{minute:02d}"
                line = (
                    f"{day.isoformat()},{day:%B} {day.day},{WEEKDAYS[day.weekday()]},{clock},"
                    f'{mood},"{acts}",,"{note}"\n'
                )
                out.write(line)
                size += len(line)
                n += 1
            day -= timedelta(days=1)
    # The same seed gives the edited file the same entries at the same times.
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--keep", type=Path, default=None, help="leave the files here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = args.keep or tempdir()
    work.mkdir(parents=True, exist_ok=True)
    export = work / "daylio_export.csv"
    edited = work / "daylio_edited.csv"
    entries = write_export(export, args.mb)
    write_export(edited, args.mb, edit_every=10)
    mb = export.stat().st_size / 1e6

    results: dict[str, tuple[float, float]] = {}
    results["python -c pass"] = measure([PY, "-c", "pass"], runs=3)
    for run in range(args.runs):
        home = work / f"home-{run}"
        shutil.rmtree(home, ignore_errors=True)
        env = fresh_env(home)
        steps = {
            "import (all new)": selfback("import", str(export)),
            "import again (nothing new)": selfback("import", str(export)),
            "import edited, --changed take": selfback("import", str(edited), "--changed", "take"),
        }
        for label, argv in steps.items():
            seconds, peak = measure(argv, runs=1, env=env, warmup=0)
            old = results.get(label)
            results[label] = (
                (seconds, peak) if old is None else (min(old[0], seconds), max(old[1], peak))
            )
    worst = max(peak for label, (_s, peak) in results.items() if label.startswith("import"))
    ok = worst < PEAK_TARGET_MIB
    if args.json:
        print(json.dumps({"entries": entries, "mb": mb, "results": results, "ok": ok}))
    else:
        print(f"Daylio export: {mb:.1f} MB, {entries} entries")
        for label, (seconds, peak) in results.items():
            print(f"  {label:32} {seconds:7.2f} s  {peak:7.1f} MiB")
        verdict = "ok" if ok else "MISSED"
        print(f"peak memory {worst:.0f} MiB (target < {PEAK_TARGET_MIB} MiB): {verdict}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
