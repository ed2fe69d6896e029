"""How fast `selfback sos` gets its crisis text out, next to `python -c pass` and a
minimal one-command Typer app measured in the same run.

Time to output: from launch until the whole text has been read from the pipe (the last
line, the offer of `selfback cope`); the opening is logged after that, so it is shown
separately as the total run time. Median over --runs runs (default 20), interleaved.

The check: sos must take at most 0.6 times the Typer app's time to output.
Run: .venv/bin/python benchmarks/bench_sos.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PY, fresh_env, minimal_typer_app, run_once, selfback, tempdir

LIMIT = 0.6


def time_to_output(argv: Sequence[str], marker: bytes, env: dict[str, str]) -> tuple[float, float]:
    """(seconds until ``marker`` has been read from stdout, seconds until exit)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    seen = b""
    out_at: float | None = None
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        seen += chunk
        if out_at is None and marker in seen:
            out_at = time.perf_counter() - start
    proc.wait()
    total = time.perf_counter() - start
    if proc.returncode != 0 or out_at is None:
        raise SystemExit(f"benchmark command failed: {' '.join(argv)} (exit {proc.returncode})")
    return out_at, total


def prepare_home() -> Path:
    """A realistic home: a country set and a safety plan mirror with contacts."""
    home = tempdir()
    (home / "config.json").write_text(json.dumps({"country": "GB"}))
    plan = {
        "format": "selfback-safety-plan",
        "schema": 1,
        "helpers": [{"name": "Sam", "reach": "07700 900123"}],
        "professionals": [{"name": "Dr Lee", "reach": "020 7946 0000"}],
        "reasons": ["my dog Pip"],
    }
    (home / "safety-plan.json").write_text(json.dumps(plan))
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)

    home = prepare_home()
    env = fresh_env(home)
    # Measure an installed program as people run it: with its bytecode cached. (Some
    # environments set PYTHONDONTWRITEBYTECODE, which would make every run recompile
    # selfback's own modules but not Typer's.) The cache goes to a throwaway folder.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    cases = {
        "python -c pass": ([PY, "-c", "pass"], None),
        "minimal Typer app": (minimal_typer_app(home), b"hello world"),
        "selfback sos": (selfback("sos"), b"selfback cope"),
    }
    out: dict[str, list[float]] = {name: [] for name in cases}
    total: dict[str, list[float]] = {name: [] for name in cases}
    for i in range(args.runs + 1):  # the first round warms the caches
        for name, (cmd, marker) in cases.items():
            if marker is None:
                seconds, _, _ = run_once(cmd, env)
                first, whole = seconds, seconds
            else:
                first, whole = time_to_output(cmd, marker, env)
            if i:
                out[name].append(first)
                total[name].append(whole)

    med = {name: statistics.median(v) for name, v in out.items()}
    med_total = {name: statistics.median(v) for name, v in total.items()}
    print(f"selfback sos benchmark: median of {args.runs} runs each (seconds)")
    print(f"{'command':<20} {'to output':>10} {'total':>10}")
    for name in cases:
        print(f"{name:<20} {med[name]:>10.4f} {med_total[name]:>10.4f}")
    sos, typer_app, bare = med["selfback sos"], med["minimal Typer app"], med["python -c pass"]
    ratio = sos / typer_app
    print()
    print(f"sos / Typer app     = {ratio:.2f}  (must be <= {LIMIT})")
    print(f"sos / python -c pass = {sos / bare:.2f}")
    print(f"sos above bare Python: {1000 * (sos - bare):.1f} ms")
    if ratio > LIMIT:
        print(f"FAIL: sos takes {ratio:.2f} times the Typer app's time (limit {LIMIT}).")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
