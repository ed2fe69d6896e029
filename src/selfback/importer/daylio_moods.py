"""Daylio's moods on selfback's 0-10 mood.

Daylio's five mood levels are spread evenly over selfback's 0-10 mood (the middle of
each fifth): rad 9, good 7, meh 5, bad 3, awful 1. Common custom names ("great", "okay",
"sad"...) map onto the same levels; any other name must be given a number with
``--mood-map NAME=N`` (or, in a terminal, is asked for).
"""

from __future__ import annotations

from collections import Counter

from selfback.errors import UsageError
from selfback.importer.common import AskMood

__all__ = ["DEFAULT_MOODS", "KNOWN", "LEVELS", "resolve_moods"]

DEFAULT_MOODS = {"rad": 9, "good": 7, "meh": 5, "bad": 3, "awful": 1}
SYNONYMS = {
    9: (
        "great",
        "awesome",
        "amazing",
        "fantastic",
        "excellent",
        "super",
        "wonderful",
        "ecstatic",
        "joyful",
        "happy",
        "very good",
        "best",
        "brilliant",
    ),
    7: ("nice", "content", "pleasant", "positive", "well", "pretty good", "calm", "relaxed"),
    5: (
        "ok",
        "okay",
        "o.k.",
        "neutral",
        "so-so",
        "so so",
        "average",
        "normal",
        "alright",
        "fine",
        "mixed",
        "blah",
    ),
    3: (
        "sad",
        "down",
        "low",
        "not good",
        "poor",
        "upset",
        "unhappy",
        "stressed",
        "anxious",
        "tired",
        "rough",
        "not great",
    ),
    1: (
        "terrible",
        "horrible",
        "miserable",
        "depressed",
        "worst",
        "very bad",
        "dreadful",
        "hopeless",
        "awful day",
        "really bad",
    ),
}
KNOWN: dict[str, int] = dict(DEFAULT_MOODS)
for _value, _names in SYNONYMS.items():
    for _name in _names:
        KNOWN.setdefault(_name, _value)
# Daylio's levels as numbers 1 (awful) to 5 (rad), which some exports carry.
LEVELS = {"1": 1, "2": 3, "3": 5, "4": 7, "5": 9}


def resolve_moods(
    counts: Counter[str], mood_map: dict[str, int], ask_mood: AskMood | None
) -> dict[str, int]:
    """Every mood name in the file (lower case, with its number of entries) -> 0-10.
    Unknown names are asked for or reported."""
    chosen: dict[str, int] = {}
    unknown: list[str] = []
    for name in counts:
        if name in mood_map:
            chosen[name] = mood_map[name]
        elif name in KNOWN:
            chosen[name] = KNOWN[name]
        elif name in LEVELS:
            chosen[name] = LEVELS[name]
        else:
            unknown.append(name)
    if unknown and ask_mood is not None:
        for name in unknown:
            chosen[name] = ask_mood(name, counts[name])
        unknown = []
    if unknown:
        listed = ", ".join(
            f"'{n}' ({counts[n]} {'entry' if counts[n] == 1 else 'entries'})" for n in unknown
        )
        example = " ".join(f"--mood-map '{n}=N'" for n in unknown[:3])
        raise UsageError(
            f"Daylio moods selfback does not know: {listed}. Say what each means on selfback's "
            f"0-10 mood (0 worst, 10 best; rad is 9, meh 5, awful 1) with {example}. "
            "Nothing was imported."
        )
    return chosen
