"""Keystrokes and time for a check-in, the 10-second way and the full way, in a real pty.

    .venv/bin/python benchmarks/bench_checkin_keys.py [--runs 5] [--json]

Each path is driven with pexpect as a person would: the command is counted as typed at
the shell (``selfback checkin 6`` is 18 characters and Enter), then every answer and
its Enter. Three figures per path:

- keystrokes: every character typed, Enter included;
- machine seconds: launch to "Saved." (median of ``--runs``), the time selfback itself
  takes;
- estimated seconds for a person: the keystroke-level model of Card, Moran and Newell
  (1980): 0.28 s a keystroke (an average typist) and 1.35 s to think before each
  answer (one per question, and one before the command), plus the machine seconds.

The paths: ``checkin 6`` (the 10-second day); ``checkin`` answering only the mood and
pressing Enter on every other question; a full check-in (every everyday question
answered, two emotions and two tags by number, a short note); the full one again with
the DBT diary card switched on.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PY, tempdir

KEY_SECONDS = 0.28  # K, average skilled typist (Card, Moran and Newell 1980)
THINK_SECONDS = 1.35  # M, mental preparation before an answer
SAVED = "Saved. Thank you for checking in."

EVERYDAY_FULL = ["6", "5", "3", "7.5", "1,8", "2,3", "Walked by the river."]


@dataclass
class Path_:
    name: str
    args: list[str]
    answers: list[str] | None  # None: answer every question that is asked with Enter
    setup: list[list[str]]
    first: str = "6"  # the answer to the first question (mood)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"SELFBACK_HOME": str(home), "TERM": "xterm", "COLUMNS": "80", "LINES": "40"})
    env.pop("NO_COLOR", None)
    return env


def _run(path: Path_, home: Path) -> tuple[float, int, int]:
    """One check-in: (machine seconds, keystrokes after the command, questions)."""
    child = pexpect.spawn(
        PY, ["-m", "selfback", *path.args], env=_env(home), encoding="utf-8", timeout=30
    )
    keys = questions = 0
    answers = list(path.answers or [])
    started = time.perf_counter()
    waiting = 0.0
    while True:
        i = child.expect([r": $", r"\? $", SAVED, pexpect.EOF])
        if i >= 2:
            break
        if questions == 0:
            answer = path.first
        elif path.answers is None:
            answer = ""
        else:
            answer = answers.pop(0) if answers else ""
        questions += 1
        keys += len(answer) + 1
        t = time.perf_counter()
        child.sendline(answer)
        waiting += time.perf_counter() - t
    elapsed = time.perf_counter() - started - waiting
    child.expect(pexpect.EOF)
    child.close()
    return elapsed, keys, questions


def _home(path: Path_) -> Path:
    home = tempdir() / "home"
    for setup in [["config", "set", "country", "GB"], *path.setup]:
        subprocess.run(
            [PY, "-m", "selfback", *setup], env=_env(home), check=True, capture_output=True
        )
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    paths = [
        Path_("checkin 6 (the 10-second day)", ["checkin", "6"], [], []),
        Path_("checkin, mood only, Enter on the rest", ["checkin"], None, []),
        Path_("checkin, full", ["checkin"], EVERYDAY_FULL[1:], []),
        Path_(
            "checkin, full, diary card on",
            ["checkin"],
            EVERYDAY_FULL[1:-1] + ["1", "no", "0", "1", "no", "1,2"] + EVERYDAY_FULL[-1:],
            [["trackers", "enable", "diary-card"]],
        ),
    ]
    results = []
    for path in paths:
        # Each run in a fresh home, as a first check-in of the day (``ask: daily``
        # questions are asked), after a warm-up run for the bytecode.
        runs = [_run(path, _home(path)) for _ in range(args.runs + 1)][1:]
        machine = statistics.median(r[0] for r in runs)
        _, keys, questions = runs[-1]
        command = len("selfback " + " ".join(path.args)) + 1
        total_keys = command + keys
        person = machine + KEY_SECONDS * total_keys + THINK_SECONDS * (questions + 1)
        results.append(
            {
                "path": path.name,
                "questions": questions,
                "keystrokes": total_keys,
                "machine_seconds": round(machine, 3),
                "estimated_seconds": round(person, 1),
            }
        )
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'path':<40} {'questions':>9} {'keys':>5} {'machine s':>9} {'person s':>8}")
    for r in results:
        print(
            f"{r['path']:<40} {r['questions']:>9} {r['keystrokes']:>5} "
            f"{r['machine_seconds']:>9} {r['estimated_seconds']:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
