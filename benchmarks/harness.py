"""Shared timing helpers for the benchmarks: subprocess wall time, peak memory, and time
to a first prompt in a pseudo-terminal. Every script measures its baselines (``python -c
pass`` and a minimal Typer app) in the same run, so results are ratios, not absolutes."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent

MINIMAL_TYPER_APP = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print(f"hello {name}")


if __name__ == "__main__":
    app()
"""


def minimal_typer_app(folder: Path) -> list[str]:
    path = folder / "minimal_typer_app.py"
    path.write_text(MINIMAL_TYPER_APP)
    return [PY, str(path)]


def selfback(*args: str) -> list[str]:
    return [PY, "-m", "selfback", *args]


def run_once(
    argv: Sequence[str],
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    cwd: Path | None = None,
) -> tuple[float, float, int]:
    """Run once; return (seconds, peak RSS in MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv),
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(
    argv: Sequence[str],
    *,
    runs: int = 10,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    warmup: int = 1,
) -> tuple[float, float]:
    """Median seconds and max peak RSS (MiB) over ``runs`` runs (after warm-up runs)."""
    for _ in range(warmup):
        run_once(argv, env, stdin, cwd)
    times, peaks = [], []
    for _ in range(runs):
        elapsed, peak, code = run_once(argv, env, stdin, cwd)
        if code not in (0,):
            raise SystemExit(f"benchmark command failed (exit {code}): {' '.join(argv)}")
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def time_to_prompt(
    argv: Sequence[str], expect: str, *, runs: int = 10, env: dict[str, str] | None = None
) -> float:
    """Median seconds from launch until ``expect`` (a regex) appears in a pseudo-terminal."""
    import pexpect

    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        child = pexpect.spawn(
            argv[0], list(argv[1:]), env=env, encoding="utf-8", timeout=30, dimensions=(40, 100)
        )
        child.expect(expect)
        elapsed = time.perf_counter() - start
        child.terminate(force=True)
        if i:  # first run warms the caches
            times.append(elapsed)
    return statistics.median(times)


def fresh_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SELFBACK_")}
    env.update({"SELFBACK_HOME": str(home), "TERM": env.get("TERM", "xterm-256color")})
    # Measure an installed program: byte-code cached, as pip install leaves it. Some
    # environments set PYTHONDONTWRITEBYTECODE, which would recompile on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "selfback-bench-pycache")
    env.update(extra)
    return env


def data_parser(description: str, *, runs: int) -> argparse.ArgumentParser:
    """The options every log benchmark shares: runs, data sizes, a home to reuse, --json."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--home", type=Path, default=None, help="reuse or fill this folder")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser


def tempdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="selfback-bench-"))
