"""Every speed and scale target of selfback, measured in one run.

    benchmarks/run [--runs 7] [--quick]

Builds synthetic data (a 10-year log: 100,000 check-ins, 20,000 coping sessions, 500
measure results, plus 500 extra skill files), then prints the median time and peak
memory of each command next to ``python -c pass`` and a minimal Typer app measured in the
same run, as ratios, and checks the targets:

- ``sos`` at most 0.6 x the minimal Typer app;
- ``--help``, ``cope`` to its first prompt and ``checkin --mood`` within 1.2 x it;
- ``history`` and ``trends`` over the 10-year log under 0.5 s;
- ``cope`` to its first prompt, ``checkin --mood`` and ``history`` again with the log
  encrypted (SQLCipher, an unlocked session), against the same targets;
- the HTML export of a year under 1.5 s;
- peak memory under 150 MiB everywhere.

Exits 1 when a target is missed. ``--quick`` uses a smaller log (for a smoke test).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    PY,
    fresh_env,
    measure,
    minimal_typer_app,
    selfback,
    tempdir,
    time_to_prompt,
)

END = "2026-11-21T10:00:00+00:00"
FORMATS = ["html", "pdf", "md", "csv", "json", "fhir"]

EXTRA_SKILL = """\
id: extra-{n:03d}
title: Extra skill {n}
summary: A generated skill for the benchmark.
situations: [anxiety, stress]
distress: {{min: 2, max: 8}}
minutes: 3
source: Benchmark generator (2026)
steps:
  - kind: say
    text: Sit comfortably and let your shoulders drop.
  - kind: breathe
    inhale: 4
    exhale: 6
    cycles: 5
  - kind: ask
    text: Name three things you can see.
    count: 3
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement")
    parser.add_argument("--quick", action="store_true", help="a small log, for a smoke test")
    args = parser.parse_args(argv)
    runs = args.runs

    work = tempdir()
    try:
        return _run(work, runs, args.quick)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(work: Path, runs: int, quick: bool) -> int:
    home = work / "home"
    sizes = (2_000, 400, 50) if quick else (100_000, 20_000, 500)
    print(
        f"Building synthetic data: {sizes[0]:,} check-ins, {sizes[1]:,} sessions, "
        f"{sizes[2]:,} measure results, 500 extra skills ...",
        flush=True,
    )
    t0 = time.perf_counter()
    # In a child process: a child's peak-memory figure starts from its parent's (fork), so
    # this process must stay small for the memory column to be honest.
    subprocess.run(
        [
            PY,
            str(Path(__file__).parent / "gen_data.py"),
            str(home),
            "--checkins",
            str(sizes[0]),
            "--sessions",
            str(sizes[1]),
            "--measures",
            str(sizes[2]),
            "--end",
            END,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    skills_dir = work / "extra-skills"
    skills_dir.mkdir()
    for n in range(500):
        (skills_dir / f"extra-{n:03d}.yaml").write_text(EXTRA_SKILL.format(n=n))
    print(f"  done in {time.perf_counter() - t0:.1f} s\n", flush=True)

    env = fresh_env(home, SELFBACK_NOW=END)
    env_skills = dict(env, SELFBACK_SKILLS_PATH=str(skills_dir))
    out_dir = work / "out"
    out_dir.mkdir()

    rows: list[tuple[str, float, float]] = []

    def timed(label: str, argv: list[str], e: dict[str, str] = env, **kw: object) -> float:
        seconds, peak = measure(argv, runs=runs, env=e, cwd=out_dir, **kw)  # type: ignore[arg-type]
        rows.append((label, seconds, peak))
        print(f"  {label:<34} {seconds * 1000:8.1f} ms  {peak:6.1f} MiB", flush=True)
        return seconds

    print("Baselines (same run):")
    base = timed("python -c pass", [PY, "-c", "pass"])
    typer_app = timed("minimal Typer app", minimal_typer_app(work))
    print("\nselfback:")
    help_t = timed("selfback --help", selfback("--help"))
    sos_t = timed("selfback sos", selfback("sos"))
    cope_t = time_to_prompt(selfback("cope"), r"0 to 10", runs=runs, env=env)
    rows.append(("cope to first prompt", cope_t, float("nan")))
    print(f"  {'cope to first prompt (pty)':<34} {cope_t * 1000:8.1f} ms", flush=True)
    checkin_t = timed("checkin --mood 6", selfback("checkin", "--mood", "6", "--tag", "work"))
    hist_t = timed("history --since 30d", selfback("history", "--since", "30d"))
    trends_t = timed("trends --since 365d", selfback("trends", "--since", "365d"))
    export_t: dict[str, float] = {}
    for fmt in FORMATS:
        out = out_dir / f"report.{fmt}"
        argv = selfback(
            "export", "--format", fmt, "--since", "365d", "--no-notes", "--output", str(out)
        )
        if fmt == "csv":
            argv = selfback(
                "export",
                "--format",
                fmt,
                "--since",
                "365d",
                "--no-notes",
                "--output",
                str(out_dir / "csv-out"),
            )
        export_t[fmt] = timed(f"export --format {fmt} (1 year)", argv)
        shutil.rmtree(out_dir / "csv-out", ignore_errors=True)
    timed(
        "export --format json (10 years)",
        selfback(
            "export",
            "--format",
            "json",
            "--since",
            "3660d",
            "--no-notes",
            "--output",
            str(out_dir / "all.json"),
        ),
    )
    skills_t = timed("skills list (+500 skills)", selfback("skills", "list"), env_skills)

    # The same three with the log encrypted (SQLCipher) and unlocked for the session, as
    # after `selfback passphrase set` or `selfback unlock` (docs/privacy.md).
    env_enc = _encrypted_copy(work, home)
    print("\nselfback, log encrypted (unlocked session):")
    cope_enc = time_to_prompt(selfback("cope"), r"0 to 10", runs=runs, env=env_enc)
    rows.append(("cope to first prompt, encrypted", cope_enc, float("nan")))
    print(f"  {'cope to first prompt (pty)':<34} {cope_enc * 1000:8.1f} ms", flush=True)
    checkin_enc = timed(
        "checkin --mood 6, encrypted", selfback("checkin", "--mood", "6", "--tag", "work"), env_enc
    )
    hist_enc = timed(
        "history --since 30d, encrypted", selfback("history", "--since", "30d"), env_enc
    )

    print("\nRatios to the minimal Typer app (and to python -c pass):")
    for label, seconds, _ in rows[2:]:
        print(f"  {label:<34} {seconds / typer_app:5.2f} x Typer   {seconds / base:6.1f} x python")

    checks = [
        ("sos <= 0.6 x Typer app", sos_t <= 0.6 * typer_app),
        ("--help <= 1.2 x Typer app", help_t <= 1.2 * typer_app),
        ("cope first prompt <= 1.2 x Typer app", cope_t <= 1.2 * typer_app),
        ("checkin --mood <= 1.2 x Typer app", checkin_t <= 1.2 * typer_app),
        ("history --since 30d < 0.5 s", hist_t < 0.5),
        ("trends --since 365d < 0.5 s", trends_t < 0.5),
        ("export html of a year < 1.5 s", export_t["html"] < 1.5),
        (
            "peak memory < 150 MiB everywhere",
            all(peak < 150 for _, _, peak in rows if peak == peak),
        ),
        ("skills list with 500 extra skills < 1.5 s", skills_t < 1.5),
        ("encrypted: cope first prompt <= 1.2 x Typer app", cope_enc <= 1.2 * typer_app),
        ("encrypted: checkin --mood <= 1.2 x Typer app", checkin_enc <= 1.2 * typer_app),
        ("encrypted: history --since 30d < 0.5 s", hist_enc < 0.5),
    ]
    print("\nTargets:")
    missed = 0
    for name, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {name}")
        missed += not ok
    print(f"\n{len(checks) - missed} of {len(checks)} targets met.")
    return 1 if missed else 0


def _encrypted_copy(work: Path, home: Path) -> dict[str, str]:
    """A copy of the synthetic home, encrypted with `selfback passphrase set` (which
    leaves it unlocked for the session); the environment to run selfback in it."""
    enc_home = work / "home-encrypted"
    shutil.copytree(home, enc_home)
    runtime = work / "run"
    runtime.mkdir(mode=0o700)
    env = fresh_env(enc_home, SELFBACK_NOW=END, XDG_RUNTIME_DIR=str(runtime))
    t0 = time.perf_counter()
    subprocess.run(
        selfback("passphrase", "set"),
        input="benchmark passphrase\nbenchmark passphrase\n",
        text=True,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"\n  (encrypting a copy of the log took {time.perf_counter() - t0:.1f} s)", flush=True)
    return env


if __name__ == "__main__":
    raise SystemExit(main())
