"""Earlier answers shown again: ``{step_id}`` in a step's text, and ``recall`` steps.

Pure functions over the answers given so far (by step id). The caller cleans the result
before printing it: these are a person's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from selfback.skills.references import REFERENCE
from selfback.skills.schema import LATER, NOW, LaterStep, RecallStep, Step

AnswerValue = str | int | list[str]
# Shown for ``{step_id}`` when that step has no answer and no words were given for it.
MISSING = "..."


def as_text(value: AnswerValue, step: Step | None = None) -> str:
    """One answer as words: a list joined by "; ", a later step's choice as its option."""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(step, LaterStep) and value in (NOW, LATER):
        return step.now if value == NOW else step.later
    return str(value)


def fill(
    text: str, answers: Mapping[str, AnswerValue], steps: Mapping[str, Step] | None = None
) -> str:
    """``text`` with each ``{step_id}`` replaced by that step's answer (or the words after
    ``|``, or "..." when it has none) and ``{{``/``}}`` by braces."""

    def one(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        ref, fallback = match.group(1), match.group(2)
        value = answers.get(ref)
        if value is None or value == "" or value == []:
            return fallback.strip() if fallback is not None else MISSING
        return as_text(value, (steps or {}).get(ref))

    return REFERENCE.sub(one, text)


@dataclass(frozen=True)
class Recalled:
    """One answer on a recall screen: its label (or None) and its words."""

    label: str | None
    text: str


def recall(
    step: RecallStep, answers: Mapping[str, AnswerValue], steps: Mapping[str, Step]
) -> list[Recalled]:
    """The answers a recall step shows, in its order; skipped ones are left out."""
    out: list[Recalled] = []
    for item in step.items():
        value = answers.get(item.step)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            for n, piece in enumerate(value):
                out.append(Recalled(item.label if n == 0 else None, piece))
            continue
        out.append(Recalled(item.label, as_text(value, steps.get(item.step))))
    return out
