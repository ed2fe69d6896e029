"""The everyday check-in's rules in plain Python (standard library only).

``checkin --mood 6 --tag work`` must start fast, so the flag path parses the everyday
values here without loading YAML or pydantic. The ranges are fixed by the ``checkins``
table's CHECK constraints; ``builtin/core.yaml`` describes the same trackers for the
questions, and a test keeps the two in step.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

# id -> (lowest, highest, whole numbers only)
CORE_RANGES: dict[str, tuple[float, float, bool]] = {
    "mood": (0, 10, True),
    "energy": (0, 10, True),
    "anxiety": (0, 10, True),
    "sleep": (0, 24, False),
}
CORE_LABELS = {"mood": "Mood", "energy": "Energy", "anxiety": "Anxiety", "sleep": "Sleep"}
MAX_WORDS = 30
MAX_NOTE = 20_000


def normalize_word(text: str) -> str:
    """A tag or emotion as stored: lower case, single spaces, no commas, at most 40 chars."""
    word = " ".join(text.replace(",", " ").split()).lower()
    return word[:40].strip()


def parse_hours(raw: str) -> float:
    """``7.5``, ``7,5``, ``7.5h``, ``7:30`` -> 7.5 (raises ValueError)."""
    text = raw.strip().lower()
    for suffix in ("hours", "hour", "hrs", "hr", "h"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    m = re.fullmatch(r"(\d{1,3}):([0-5]\d)", text)
    if m:
        return int(m.group(1)) + int(m.group(2)) / 60
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def core_expected(tracker_id: str) -> str:
    lo, hi, whole = CORE_RANGES[tracker_id]
    if whole:
        return f"a whole number from {lo:g} to {hi:g}"
    return f"hours from {lo:g} to {hi:g} (e.g. 7.5)"


def parse_core(tracker_id: str, raw: str) -> int | float:
    """Parse an everyday value; ValueError("must be ...") when it does not fit."""
    lo, hi, whole = CORE_RANGES[tracker_id]
    try:
        value: int | float = int(raw.strip()) if whole else parse_hours(raw)
    except ValueError:
        raise ValueError(f"must be {core_expected(tracker_id)}") from None
    if not (lo <= value <= hi):
        raise ValueError(f"must be {core_expected(tracker_id)}")
    return value if whole else round(float(value), 3)


def parse_words(text: str, suggestions: Sequence[str] = ()) -> list[str]:
    """``"1, 3, felt numb"`` -> the 1st and 3rd suggestions and "felt numb"."""
    out: list[str] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if part.isdigit():
            n = int(part)
            if not (1 <= n <= len(suggestions)):
                if suggestions:
                    raise ValueError(
                        f"has no number {n} in the list: use 1-{len(suggestions)} or a word"
                    )
                raise ValueError("must be words, not numbers")
            word = suggestions[n - 1]
        else:
            word = normalize_word(part)
            if not word:
                continue
        if word not in out:
            out.append(word)
    if len(out) > MAX_WORDS:
        raise ValueError(f"has too many entries (at most {MAX_WORDS})")
    return out
