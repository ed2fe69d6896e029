"""Parts that repeat, laid out for the walk engine.

A part with ``repeat`` is written out ``max`` times, with a choice between the rounds
("Another round?"). A later round is shown only when that choice was "Another round", and
the choice itself only while the round's rating holds (``repeat.while``): each further
round is offered, never forced (Enter goes on). Copies in round ``k`` get ids ending in
``-k`` (``urge_now-2``), so every round's answers are kept apart in the log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from selfback.skills.references import REFERENCE
from selfback.skills.schema import ChooseStep, Part, Skill, Step, When

ANOTHER_ROUND = "Another round"
GO_ON = "Go on"


@dataclass(frozen=True)
class Slot:
    """Where a step of the walk comes from.

    ``part``: the part it belongs to (an offer belongs to the part it repeats);
    ``round``: 1 for the first time through; ``gate``: the index of the offer that opens
    this round (for an offer: the offer before it); ``offer``: this is the "Another
    round?" choice after round ``round``; ``rating``: for an offer, the index of the
    rating that decides it.
    """

    part: str | None = None
    round: int = 1
    gate: int | None = None
    offer: bool = False
    rating: int | None = None


def offer_step(part: str, k: int, text: str) -> ChooseStep:
    return ChooseStep(
        kind="choose",
        id=f"{part}-again-{k}",
        text=text,
        options=[ANOTHER_ROUND, GO_ON],
        optional=True,
    )


def _copy(step: Step, k: int, ids: set[str]) -> Step:
    """Step ``step`` for round ``k``: its id, and a ``when`` naming a step of the same
    part, moved to that round."""
    update: dict[str, object] = {}
    if step.id is not None:
        update["id"] = f"{step.id}-{k}"
    if step.text is not None and "{" in step.text:
        update["text"] = _moved_refs(step.text, k, ids)
    if step.when is not None and step.when.step in ids:
        update["when"] = When.model_validate(
            {"step": f"{step.when.step}-{k}", "is": list(step.when.is_)}
        )
    return step.model_copy(update=update)


def _moved_refs(text: str, k: int, ids: set[str]) -> str:
    """``{step_id}`` of a step in the same part, moved to round ``k``."""

    def one(match: re.Match[str]) -> str:
        ref = match.group(1)
        if not ref or ref not in ids:
            return match.group(0)
        rest = f"|{match.group(2)}" if match.group(2) is not None else ""
        return f"{{{ref}-{k}{rest}}}"

    return REFERENCE.sub(one, text)


def _runs(steps: Sequence[Step]) -> list[tuple[str | None, list[Step]]]:
    runs: list[tuple[str | None, list[Step]]] = []
    for step in steps:
        if runs and step.part is not None and runs[-1][0] == step.part:
            runs[-1][1].append(step)
        else:
            runs.append((step.part, [step]))
    return runs


def _expand_run(name: str, part: Part, run: list[Step], out: list[Step], slots: list[Slot]) -> None:
    assert part.repeat is not None
    repeat = part.repeat
    ids = {s.id for s in run if s.id is not None}
    gate: int | None = None
    for k in range(1, repeat.max + 1):
        if k > 1:
            rating_id = repeat.while_.step if k == 2 else f"{repeat.while_.step}-{k - 1}"
            rating = next((i for i in range(len(out) - 1, -1, -1) if out[i].id == rating_id), None)
            out.append(offer_step(name, k - 1, repeat.offer))
            slots.append(Slot(name, k - 1, gate=gate, offer=True, rating=rating))
            gate = len(out) - 1
        for step in run:
            out.append(step if k == 1 else _copy(step, k, ids))
            slots.append(Slot(name, k, gate=gate))


def expand(skill: Skill, steps: Sequence[Step]) -> tuple[list[Step], list[Slot]]:
    """The steps to walk, with repeating parts written out, and where each comes from."""
    out: list[Step] = []
    slots: list[Slot] = []
    for name, run in _runs(steps):
        part = skill.part_of(name)
        if name is not None and part is not None and part.repeat is not None:
            _expand_run(name, part, run, out, slots)
            continue
        for step in run:
            out.append(step)
            slots.append(Slot(name))
    return out, slots
