"""How fast the mood log is on ten years of data, next to a minimal Typer app.

    python benchmarks/bench_log.py [--runs 7] [--checkins 100000] [--sessions 20000]
        [--measures 500] [--home DIR] [--json]

Generates a realistic ten-year log with ``gen_data.generate`` (skipped when ``--home``
already holds one), then times, as subprocesses and in the same run:

- a minimal Typer app (one command, written to a temporary file): the floor for any
  Typer CLI on this machine;
- ``selfback history --since 30d`` and ``selfback history --since 30d --json``;
- ``selfback checkin --mood 6 --tag work`` (each run adds a check-in, as in real use).

Each figure is the median of ``--runs`` runs after one warm-up run.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_data import generate
from harness import data_parser, fresh_env, measure, minimal_typer_app, selfback, tempdir

END = "2026-11-21T10:00:00+00:00"


def main(argv: list[str] | None = None) -> int:
    parser = data_parser(__doc__.split("\n\n")[0], runs=7)
    args = parser.parse_args(argv)

    work = tempdir()
    home = args.home or (work / "home")
    results: dict[str, object] = {}
    if not (home / "selfback.db").exists():
        stats = generate(
            home,
            checkins=args.checkins,
            sessions=args.sessions,
            measures=args.measures,
            end=datetime.fromisoformat(END),
        )
        results["generate_seconds"] = round(stats.seconds, 2)
        results["write_seconds"] = round(stats.write_seconds, 2)
        results["data"] = {
            "checkins": stats.checkins,
            "tags": stats.tags,
            "tracker_values": stats.values,
            "sessions": stats.sessions,
            "measures": stats.measures,
        }
        if not args.json:
            print(
                f"Generated {stats.checkins} check-ins, {stats.sessions} sessions, "
                f"{stats.measures} measures in {stats.seconds:.1f} s "
                f"(of which writing: {stats.write_seconds:.1f} s)"
            )
    env = fresh_env(home, SELFBACK_NOW=END, SELFBACK_TIME_SCALE="0.001", NO_COLOR="1")
    # An installed selfback has its bytecode compiled; let the warm-up run write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cases = [
        ("minimal Typer app", minimal_typer_app(work)),
        ("selfback --version", selfback("--version")),
        ("selfback history --since 30d", selfback("history", "--since", "30d")),
        ("selfback history --since 30d --json", selfback("history", "--since", "30d", "--json")),
        (
            "selfback checkin --mood 6 --tag work",
            selfback("checkin", "--mood", "6", "--tag", "work"),
        ),
    ]
    timings: dict[str, dict[str, float]] = {}
    for name, argv_ in cases:
        # (measure() also reports peak RSS, but a child forked from this process, which
        # holds the generated data, inherits our high-water mark, so it is left out.)
        seconds, _peak = measure(argv_, runs=args.runs, env=env)
        timings[name] = {"median_s": round(seconds, 4)}
    base = timings["minimal Typer app"]["median_s"]
    for t in timings.values():
        t["vs_minimal_typer"] = round(t["median_s"] / base, 2) if base else 0.0
    results["runs"] = args.runs
    results["timings"] = timings
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"\nMedian of {args.runs} runs (subprocess wall time), data in {home}")
    print(f"{'command':<40} {'median':>9} {'x Typer':>8}")
    for name, t in timings.items():
        print(f"{name:<40} {t['median_s'] * 1000:>7.0f}ms {t['vs_minimal_typer']:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
