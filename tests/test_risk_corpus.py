"""Recall and false-positive rate of risk detection on the phrase corpora.

The corpora are plain files under tests/data/risk/ (one phrase per line, # comments):

- risk.txt / safe.txt: the tuning corpus (patterns were written against it);
- heldout_risk.txt / heldout_safe.txt: a held-out set written before its first run and
  never used to tune the patterns (see the header of each file).

Run as a script to print the figures published in docs/safety.md:

    .venv/bin/python tests/test_risk_corpus.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data" / "risk"

MIN_RECALL = 0.95
MAX_FALSE_POSITIVES = 0.05


def phrases(name: str) -> list[str]:
    """The phrases of one corpus file: every line that is not blank or a # comment."""
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            out.append(text)
    return out


@dataclass(frozen=True)
class Figures:
    risk_total: int
    missed: tuple[str, ...]
    safe_total: int
    flagged: tuple[str, ...]

    @property
    def recall(self) -> float:
        return (self.risk_total - len(self.missed)) / self.risk_total

    @property
    def false_positive_rate(self) -> float:
        return len(self.flagged) / self.safe_total

    def line(self, label: str) -> str:
        found = self.risk_total - len(self.missed)
        return (
            f"{label}: recall {100 * self.recall:.1f}% ({found} of {self.risk_total}), "
            f"false positives {100 * self.false_positive_rate:.1f}% "
            f"({len(self.flagged)} of {self.safe_total})"
        )


def measure(prefix: str = "") -> Figures:
    from selfback.safety.risk import detect

    risky = phrases(f"{prefix}risk.txt")
    safe = phrases(f"{prefix}safe.txt")
    return Figures(
        risk_total=len(risky),
        missed=tuple(p for p in risky if detect(p) is None),
        safe_total=len(safe),
        flagged=tuple(p for p in safe if detect(p) is not None),
    )


@pytest.mark.parametrize(
    ("prefix", "minimum"), [("", 200), ("heldout_", 100)], ids=["main", "heldout"]
)
def test_corpus_is_large_enough(prefix: str, minimum: int) -> None:
    assert len(phrases(f"{prefix}risk.txt")) >= minimum
    assert len(phrases(f"{prefix}safe.txt")) >= minimum


@pytest.mark.parametrize("prefix", ["", "heldout_"], ids=["main", "heldout"])
def test_recall_and_false_positives(prefix: str) -> None:
    figures = measure(prefix)
    assert figures.recall >= MIN_RECALL, "missed:\n" + "\n".join(figures.missed)
    assert figures.false_positive_rate <= MAX_FALSE_POSITIVES, "flagged:\n" + "\n".join(
        figures.flagged
    )


def test_no_phrase_is_in_both_sets() -> None:
    risky = {p.lower() for p in phrases("risk.txt") + phrases("heldout_risk.txt")}
    safe = {p.lower() for p in phrases("safe.txt") + phrases("heldout_safe.txt")}
    assert not risky & safe


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    print(measure("").line("main corpus"))
    print(measure("heldout_").line("held-out set"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
