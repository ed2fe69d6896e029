"""How fast risk detection is: first use in a fresh process, a typical note, a long note.

Targets (exit 1 when one is missed):

- importing selfback.safety.risk reads no data and takes under 20 ms more than `re`;
- the first call (reading and compiling the English phrase file) under 100 ms;
- a typical note (every line of the corpora): median under 0.3 ms, slowest under 1 ms;
- a 1 MB note under 2 s, and ten times the text about ten times the time (linear).

Run: .venv/bin/python benchmarks/bench_risk.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FIRST_USE = (
    "import time, re\n"
    "t0 = time.perf_counter()\n"
    "import selfback.safety.risk as r\n"
    "t1 = time.perf_counter()\n"
    "r.detect('hello there')\n"
    "t2 = time.perf_counter()\n"
    "print(t1 - t0, t2 - t1)\n"
)


def first_use(runs: int) -> tuple[float, float]:
    imports, firsts = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST_USE],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(ROOT / "src")},
        ).stdout.split()
        imports.append(float(out[0]))
        firsts.append(float(out[1]))
    return min(imports), min(firsts)


def corpus_lines() -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "data" / "risk").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.append(line.strip())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args(argv).runs

    from selfback.safety.risk import detect

    import_s, first_s = first_use(runs)
    lines = corpus_lines()
    detect("warm up")
    per_note: list[float] = []
    for text in lines:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            detect(text)
            best = min(best, time.perf_counter() - t)
        per_note.append(best)
    note = "went to work, the bus was late, ate pasta, watched telly, feeling a bit low. "
    sizes = {}
    for size in (100_000, 1_000_000):
        text = note * (size // len(note))
        best = float("inf")
        for _ in range(max(1, runs // 3)):
            t = time.perf_counter()
            detect(text)
            best = min(best, time.perf_counter() - t)
        sizes[size] = best

    median = statistics.median(per_note)
    slowest = max(per_note)
    print(f"import selfback.safety.risk      {import_s * 1000:7.1f} ms")
    print(f"first call (load + compile)      {first_s * 1000:7.1f} ms")
    print(f"typical note ({len(lines)} lines)   median {median * 1e6:6.0f} us, ", end="")
    print(f"slowest {slowest * 1e6:6.0f} us")
    for size, seconds in sizes.items():
        print(f"{size:>9,} character note        {seconds * 1000:7.1f} ms")
    ratio = sizes[1_000_000] / sizes[100_000]

    checks = [
        ("import under 20 ms", import_s < 0.020),
        ("first call under 100 ms", first_s < 0.100),
        ("typical note median under 0.3 ms", median < 0.0003),
        ("slowest corpus line under 1 ms", slowest < 0.001),
        ("1 MB note under 2 s", sizes[1_000_000] < 2.0),
        (f"linear in length (10x text: {ratio:.1f}x time, under 15x)", ratio < 15),
    ]
    print("\nTargets:")
    missed = 0
    for name, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {name}")
        missed += not ok
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
