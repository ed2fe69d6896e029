"""How long `selfback cope` takes from launch to its first prompt, in a real pty.

Measured in the same run, interleaved so machine load affects all alike:

- ``python -c pass``-like floor: the interpreter printing the same question;
- a minimal Typer app: one command in a temporary file that prints the question;
- ``python -m selfback cope``.

Each is started with pexpect in a pseudo-terminal and timed until the question
("How intense is it right now, 0 to 10?") appears; then it is answered with ``q``.
Bytecode caching is enabled and two warm-up rounds run first, as for an installed copy.
The target is ``selfback cope`` within 1.2x of the minimal Typer app.

    .venv/bin/python benchmarks/bench_cope.py [--runs 15] [--json] [--importtime]

``--importtime`` also prints the slowest imports of ``selfback cope`` (``python -X
importtime``) and which heavy modules (rich, yaml, sqlite3, our models) were loaded by
the time the first question was written.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "How intense is it right now, 0 to 10?"
TARGET = 1.2

MINIMAL_TYPER = f"""\
import sys

import typer

app = typer.Typer(add_completion=False)


@app.command()
def cope(skill: str = typer.Argument(None)) -> None:
    sys.stdout.write({QUESTION!r} + "\\n> ")
    sys.stdout.flush()
    sys.stdin.readline()


if __name__ == "__main__":
    app()
"""

PYTHON_FLOOR = f"import sys; sys.stdout.write({QUESTION!r} + '\\n> '); sys.stdin.readline()"

# Run inside `selfback cope` (by --importtime): which heavy modules are loaded at the
# moment the first question is on screen (the preload thread starts right after).
PROBE = """
import sys
from selfback.main import run
from selfback.cli.app import get_click_command  # imports in the order `selfback` does
import selfback.ui.walkthrough as w

def probe(self):
    heavy = ["rich", "yaml", "sqlite3", "selfback.skills.schema", "selfback.store.db",
             "selfback.skills.library", "pydantic"]
    print("LOADED-AT-FIRST-PROMPT " + " ".join(m for m in heavy if m in sys.modules),
          file=sys.stderr)
    raise SystemExit(0)

w._Preload.start = probe
sys.exit(run(["cope"]))
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        {
            "SELFBACK_HOME": str(home),
            "TERM": "xterm-256color",
            "COLUMNS": "100",
            "LINES": "40",
        }
    )
    env.pop("NO_COLOR", None)
    return env


def time_to_prompt(argv: list[str], env: dict[str, str]) -> float:
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=30)
    child.expect_exact(QUESTION)
    elapsed = time.perf_counter() - start
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    return elapsed


def measure(runs: int) -> dict[str, object]:
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="selfback-bench-") as tmp:
        root = Path(tmp)
        home = root / "home"
        home.mkdir(mode=0o700)
        (home / ".welcomed").write_text("welcomed\n")
        script = root / "minimal_typer.py"
        script.write_text(MINIMAL_TYPER)
        env = _env(home)
        commands = {
            "python": [py, "-c", PYTHON_FLOOR],
            "typer": [py, str(script)],
            "cope": [py, "-m", "selfback", "cope"],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(2):  # warm-up: bytecode caches and the OS file cache
            for argv in commands.values():
                time_to_prompt(argv, env)
        for _ in range(runs):
            for name, argv in commands.items():
                samples[name].append(time_to_prompt(argv, env))
    med = {name: statistics.median(xs) for name, xs in samples.items()}
    return {
        "runs": runs,
        "median_ms": {k: round(v * 1000, 1) for k, v in med.items()},
        "min_ms": {k: round(min(xs) * 1000, 1) for k, xs in samples.items()},
        "ratio_cope_to_typer": round(med["cope"] / med["typer"], 3),
        "ratio_cope_to_python": round(med["cope"] / med["python"], 2),
        "ratio_typer_to_python": round(med["typer"] / med["python"], 2),
        "target_ratio_cope_to_typer": TARGET,
        "within_target": med["cope"] / med["typer"] <= TARGET,
    }


def importtime_report(top: int = 15) -> str:
    with tempfile.TemporaryDirectory(prefix="selfback-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir(mode=0o700)
        (home / ".welcomed").write_text("welcomed\n")
        env = _env(home)
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", PROBE],
            env=env,
            input="",
            capture_output=True,
            text=True,
            timeout=60,
        )
    rows = []
    loaded = ""
    for line in proc.stderr.splitlines():
        if line.startswith("LOADED-AT-FIRST-PROMPT"):
            loaded = line.split(" ", 1)[1] if " " in line else ""
            continue
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, self_us, cum_us, name = (part.strip() for part in line.replace(":", "|", 1).split("|"))
        rows.append((int(cum_us), int(self_us), name))
    rows.sort(reverse=True)
    out = [f"Slowest imports before the first prompt (top {top}, cumulative ms):"]
    out += [f"  {cum / 1000:7.1f}  {name}" for cum, _, name in rows[:top]]
    ours = sum(s for _, s, n in rows if n.strip().startswith("selfback"))
    out.append(f"selfback's own modules (self time): {ours / 1000:.1f} ms")
    out.append(f"Heavy modules loaded when the first question is shown: {loaded or 'none'}")
    out.append("(pydantic comes from Typer itself: Typer 0.29 coerces parameters with it.)")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.add_argument("--importtime", action="store_true", help="also show import costs")
    args = parser.parse_args()
    result = measure(max(1, args.runs))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    med = result["median_ms"]
    assert isinstance(med, dict)
    print(f"Launch to first prompt, median of {result['runs']} runs (pty):")
    print(f"  python (floor)       {med['python']:7.1f} ms")
    print(f"  minimal Typer app    {med['typer']:7.1f} ms")
    print(f"  selfback cope        {med['cope']:7.1f} ms")
    print(
        f"Ratios: cope/typer {result['ratio_cope_to_typer']}x (target <= {TARGET}x: "
        f"{'met' if result['within_target'] else 'NOT met'}), "
        f"cope/python {result['ratio_cope_to_python']}x, "
        f"typer/python {result['ratio_typer_to_python']}x"
    )
    if args.importtime:
        print()
        print(importtime_report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
