"""Checks across the steps and parts of a skill: what one field says about another.

Every message starts with the field path (``steps[4].when.step: ...``), which the loader
turns into ``file:line field: message``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from selfback.skills.steps import (
    AskStep,
    ChooseStep,
    LaterStep,
    Part,
    RateStep,
    RecallStep,
    Step,
    When,
)

# ``{step_id}`` or ``{step_id|words if skipped}`` in a step's text; ``{{`` and ``}}`` are
# braces.
REFERENCE = re.compile(r"\{\{|\}\}|\{([a-z0-9][a-z0-9_-]{0,63})(?:\|([^{}]{0,200}))?\}")
ANSWERING = (AskStep, ChooseStep, RateStep, LaterStep)


def text_references(text: str) -> list[str]:
    """The step ids ``text`` shows answers of, in order."""
    return [m.group(1) for m in REFERENCE.finditer(text) if m.group(1)]


class _Checker:
    def __init__(self, steps: Sequence[Step], parts: Mapping[str, Part]) -> None:
        self.steps = steps
        self.parts = parts
        self.problems: list[str] = []
        self.seen: dict[str, int] = {}  # step id -> its index
        self.spans: dict[str, tuple[int, int]] = {}  # part -> first and last index

    def say(self, text: str) -> None:
        self.problems.append(text)

    def earlier(self, ref: str, i: int) -> Step | None:
        j = self.seen.get(ref)
        return self.steps[j] if j is not None and j < i else None

    def run(self) -> list[str]:
        parts_done: set[str] = set()
        for i, step in enumerate(self.steps):
            previous_part = self.steps[i - 1].part if i else None
            if previous_part is not None and step.part != previous_part:
                parts_done.add(previous_part)
            if step.part is not None:
                if step.part in parts_done:
                    self.say(
                        f"steps[{i}].part: the steps of part '{step.part}' must come one "
                        "after another"
                    )
                first, _ = self.spans.get(step.part, (i, i))
                self.spans[step.part] = (first, i)
            if step.id is not None:
                if step.id in self.seen:
                    self.say(
                        f"steps[{i}].id: '{step.id}' is already used by steps[{self.seen[step.id]}]"
                    )
                self.seen.setdefault(step.id, i)
            if step.when is not None:
                self.when(step.when, i, f"steps[{i}].when")
            self.texts(step, i)
            if isinstance(step, RecallStep):
                self.recall(step, i)
        for i, step in enumerate(self.steps):
            if isinstance(step, LaterStep):
                self.later(step, i)
        self.part_definitions()
        return self.problems

    def when(self, when: When, i: int, where: str) -> None:
        target = self.earlier(when.step, i)
        if not isinstance(target, ChooseStep | LaterStep):
            self.say(f"{where}.step: '{when.step}' must be the id of an earlier choose step")
            return
        j = self.seen[when.step]
        for value in when.is_:
            if isinstance(value, int):
                if not 1 <= value <= len(target.options):
                    self.say(
                        f"{where}.is: option {value} does not exist "
                        f"(steps[{j}] has {len(target.options)})"
                    )
            elif value not in target.options:
                self.say(f"{where}.is: '{value}' is not one of the options of steps[{j}]")

    def texts(self, step: Step, i: int) -> None:
        for ref in text_references(step.text or ""):
            if not isinstance(self.earlier(ref, i), ANSWERING):
                self.say(
                    f"steps[{i}].text: {{{ref}}} must name an earlier ask, choose, rate or "
                    "later step (write {{ for a brace)"
                )

    def recall(self, step: RecallStep, i: int) -> None:
        for n, item in enumerate(step.items()):
            if not isinstance(self.earlier(item.step, i), ANSWERING):
                self.say(
                    f"steps[{i}].show[{n}]: '{item.step}' must be the id of an earlier ask, "
                    "choose, rate or later step"
                )

    def later(self, step: LaterStep, i: int) -> None:
        span = self.spans.get(step.follow_up)
        if span is None:
            self.say(f"steps[{i}].follow_up: no step is in part '{step.follow_up}'")
        elif span[0] <= i:
            self.say(
                f"steps[{i}].follow_up: the steps of part '{step.follow_up}' must come after "
                "this step"
            )
        for n, ref in enumerate(step.plan):
            if not isinstance(self.earlier(ref, i), ANSWERING):
                self.say(
                    f"steps[{i}].plan[{n}]: '{ref}' must be the id of an earlier ask, choose "
                    "or rate step"
                )

    def part_definitions(self) -> None:
        for name, part in self.parts.items():
            span = self.spans.get(name)
            if span is None:
                self.say(f"parts.{name}: no step is in this part (give steps part: {name})")
                continue
            first, last = span
            if part.when is not None:
                self.when(part.when, first, f"parts.{name}.when")
            if part.repeat is not None:
                self.repeat(name, part, first, last)

    def repeat(self, name: str, part: Part, first: int, last: int) -> None:
        assert part.repeat is not None
        cond = part.repeat.while_
        j = self.seen.get(cond.step)
        target = self.steps[j] if j is not None else None
        where = f"parts.{name}.repeat.while"
        if j is None or not first <= j <= last or not isinstance(target, RateStep):
            self.say(f"{where}.step: '{cond.step}' must be the id of a rate step in part '{name}'")
            return
        for field, value in (("at_least", cond.at_least), ("at_most", cond.at_most)):
            if value is not None and not target.min <= value <= target.max:
                self.say(
                    f"{where}.{field}: {value} is outside the rating's range "
                    f"({target.min} to {target.max})"
                )
        for k in range(first, last + 1):
            if isinstance(self.steps[k], LaterStep):
                self.say(f"steps[{k}].kind: a later step cannot be in a part that repeats")


def reference_problems(steps: Sequence[Step], parts: Mapping[str, Part]) -> list[str]:
    """Unique step ids; the steps of a part one after another; ``when`` pointing at an
    earlier choose step and options it has; ``{id}`` in texts, ``show``, ``plan`` and
    ``follow_up`` naming steps that exist; a part's definition matching its steps."""
    return _Checker(steps, parts).run()
