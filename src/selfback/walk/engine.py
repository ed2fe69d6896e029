"""The walk-through engine: a pure state machine over a skill's steps.

It never prints, reads input or looks at the real clock; the terminal UI drives it::

    walk = Walk(skill, now=env.clock.now)
    while (view := walk.current) is not None:
        ...show view.step, then one of:
        walk.answer(value)   # ask: str or list[str]; choose: 0-based index; rate: int
        walk.next()          # go on (say/timer/breathe; keeps an earlier answer)
        walk.skip()          # no answer, go on
        walk.skip_part()     # no answer, and skip the rest of the step's part too
        walk.back()          # previous step (False at the first step)
        walk.stop()          # end here, status "stopped"
    record = walk.record()

Reaching the end (answering or skipping the last step) completes the walk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from selfback.skills.schema import (
    LATER,
    AskStep,
    ChooseStep,
    LaterStep,
    RateStep,
    RecallStep,
    Skill,
    Step,
    When,
)
from selfback.walk.answers import (
    MAX_ANSWER_CHARS,
    AnswerValue,
    InvalidAnswer,
    needs_answer_message,
    validate,
)
from selfback.walk.parts import Slot, expand
from selfback.walk.recall import Recalled, fill, recall

__all__ = [
    "DISTRESS_CHECK_ID",
    "MAX_ANSWER_CHARS",
    "AnswerRecord",
    "AnswerValue",
    "InvalidAnswer",
    "StepView",
    "Walk",
    "WalkFinished",
    "WalkRecord",
    "distress_check_step",
    "plan_steps",
    "step_label",
]

Status = Literal["active", "completed", "stopped"]
EndStatus = Literal["completed", "stopped"]

# A distress re-check the engine adds halfway through long skills (content guide: "ask
# before and after every skill, and re-ask during long ones").
DISTRESS_CHECK_ID = "distress-now"
DISTRESS_CHECK_TEXT = "A quick check-in: how intense is it right now, 0 to 10?"
LONG_SKILL_MINUTES = 8.0
ANSWERING = (AskStep, ChooseStep, RateStep, LaterStep)


class WalkFinished(RuntimeError):
    """An operation was attempted after the walk ended (a bug in the caller)."""


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as it goes into the log: ``{"step", "kind", "answer"}``."""

    step: str
    kind: str
    answer: AnswerValue

    def to_json(self) -> dict[str, object]:
        value: object = list(self.answer) if isinstance(self.answer, list) else self.answer
        return {"step": self.step, "kind": self.kind, "answer": value}


@dataclass(frozen=True)
class StepView:
    """What the UI needs to show one step."""

    index: int  # 0-based position in the walk's step list
    total: int  # steps the person will see (choices can hide some)
    step: Step
    label: str  # the step's id, or "step-N"
    previous: AnswerValue | None  # the answer given earlier (when coming back)
    is_distress_check: bool = False
    position: int = 0  # 1-based place among the steps shown (0: same as index + 1)
    part_title: str | None = None  # the title of the step's part, if it has one
    round: int = 1  # in a part that repeats: which round
    is_offer: bool = False  # the "Another round?" choice of a part that repeats

    @property
    def number(self) -> int:
        return self.position or self.index + 1

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def is_last(self) -> bool:
        return self.number == self.total

    @property
    def kind(self) -> str:
        return self.step.kind

    @property
    def part(self) -> str | None:
        """The name of the part this step belongs to (None: not in a part)."""
        return self.step.part

    @property
    def needs_answer(self) -> bool:
        return isinstance(self.step, ANSWERING)


@dataclass(frozen=True)
class WalkRecord:
    """The outcome of a walk, ready to be logged."""

    skill_id: str
    skill_version: int
    skill_title: str
    started_at: datetime
    ended_at: datetime | None
    status: EndStatus  # an unfinished walk is recorded as "stopped"
    answers: list[AnswerRecord]
    steps_total: int
    steps_seen: int  # how many distinct steps were shown
    skipped: list[str] = field(default_factory=list)
    distress_checks: list[int] = field(default_factory=list)

    def answers_json(self) -> list[dict[str, object]]:
        return [a.to_json() for a in self.answers]


def distress_check_step() -> RateStep:
    return RateStep(
        kind="rate",
        id=DISTRESS_CHECK_ID,
        text=DISTRESS_CHECK_TEXT,
        min=0,
        max=10,
        min_label="calm",
        max_label="the worst",
        optional=True,
    )


def plan_steps(skill: Skill, *, distress_check: bool = True) -> list[Step]:
    """The steps to walk: the skill's own, plus a distress re-check halfway through long
    skills that have no rating step of their own."""
    steps: list[Step] = list(skill.steps)
    if (
        distress_check
        and skill.minutes >= LONG_SKILL_MINUTES
        and len(steps) >= 4
        and not any(isinstance(s, RateStep) for s in steps)
    ):
        steps.insert(len(steps) // 2, distress_check_step())
    return steps


def step_label(step: Step, index: int) -> str:
    return step.id or f"step-{index + 1}"


class Walk:
    """One walk through one skill."""

    def __init__(
        self,
        skill: Skill,
        *,
        now: Callable[[], datetime],
        distress_check: bool = True,
        steps: Sequence[Step] | None = None,
    ) -> None:
        self.skill = skill
        self._now = now
        base = (
            list(steps) if steps is not None else plan_steps(skill, distress_check=distress_check)
        )
        self.steps, self.slots = expand(skill, base)
        if not self.steps:
            raise ValueError("a walk needs at least one step")
        self.started_at = now()
        self.ended_at: datetime | None = None
        self.status: Status = "active"
        self.index = 0
        self._answers: dict[int, AnswerValue] = {}
        self._skipped: set[int] = set()
        self._choice_index: dict[str, int] = {
            step.id: i
            for i, step in enumerate(self.steps)
            if step.id and isinstance(step, ChooseStep | LaterStep)
        }
        self._by_id: dict[str, int] = {}
        for i, step in enumerate(self.steps):
            if step.id is not None:
                self._by_id.setdefault(step.id, i)
        self._seen: set[int] = {0}
        # After skip_part: the step landed on -> the step the part was skipped from, so
        # that back() returns to where the person was.
        self._skipped_from: dict[int, int] = {}

    # -- state -------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.status != "active"

    @property
    def total(self) -> int:
        """How many steps will be shown, given the choices made so far."""
        return sum(1 for i in range(len(self.steps)) if self.visible(i))

    def visible(self, index: int) -> bool:
        """Whether a step is shown: a ``when`` (the step's or its part's) hides it after a
        different choice (a skipped or unanswered choice hides nothing); "Later" hides the
        follow-up part; a further round of a part shows only after "Another round"."""
        slot = self.slots[index]
        if not self._holds(self.steps[index].when):
            return False
        part = self.skill.part_of(slot.part)
        if part is not None and not self._holds(part.when):
            return False
        if slot.part is not None and slot.part in self.deferred():
            return False
        if slot.gate is not None and not self._accepted(slot.gate):
            return False
        if slot.offer:
            return self._wants_more(slot)
        return True

    def _holds(self, when: When | None) -> bool:
        if when is None:
            return True
        source = self._choice_index.get(when.step)
        if source is None:
            return True
        chosen = self._answers.get(source)
        if chosen is None:
            return True
        step = self.steps[source]
        number: int | None
        if isinstance(step, LaterStep):
            number = 2 if chosen == LATER else 1
            chosen = step.options[number - 1]
        else:
            options = step.options if isinstance(step, ChooseStep) else []
            number = options.index(chosen) + 1 if chosen in options else None
        return any(v in (chosen, number) for v in when.is_)

    def _accepted(self, offer: int) -> bool:
        from selfback.walk.parts import ANOTHER_ROUND

        return self.visible(offer) and self._answers.get(offer) == ANOTHER_ROUND

    def _wants_more(self, slot: Slot) -> bool:
        part = self.skill.part_of(slot.part)
        if part is None or part.repeat is None or slot.rating is None:
            return False
        value = self._answers.get(slot.rating)
        return isinstance(value, int) and part.repeat.while_.holds(value)

    def deferred(self) -> set[str]:
        """The follow-up parts of later steps answered "Later" (asked another time)."""
        out: set[str] = set()
        for i, step in enumerate(self.steps):
            chose_later = isinstance(step, LaterStep) and self._answers.get(i) == LATER
            if chose_later and isinstance(step, LaterStep) and self._holds(step.when):
                out.add(step.follow_up)
        return out

    # -- earlier answers ---------------------------------------------------------------

    def answers_by_id(self) -> dict[str, AnswerValue]:
        """The answers given so far on the path taken, by step id."""
        return {
            step.id: self._answers[i]
            for i, step in enumerate(self.steps)
            if step.id is not None and i in self._answers and self.visible(i)
        }

    def steps_by_id(self) -> dict[str, Step]:
        return {sid: self.steps[i] for sid, i in self._by_id.items()}

    def fill(self, text: str) -> str:
        """``text`` with ``{step_id}`` replaced by earlier answers (see walk.recall)."""
        return fill(text, self.answers_by_id(), self.steps_by_id())

    def recall(self, step: RecallStep) -> list[Recalled]:
        """The earlier answers a recall step shows."""
        return recall(step, self.answers_by_id(), self.steps_by_id())

    @property
    def current(self) -> StepView | None:
        if self.finished:
            return None
        step = self.steps[self.index]
        slot = self.slots[self.index]
        part = self.skill.part_of(slot.part)
        return StepView(
            index=self.index,
            total=self.total,
            step=step,
            label=step_label(step, self.index),
            previous=self._answers.get(self.index),
            is_distress_check=(step.id == DISTRESS_CHECK_ID and isinstance(step, RateStep)),
            position=sum(1 for i in range(self.index + 1) if self.visible(i)),
            part_title=part.title if part is not None else None,
            round=slot.round,
            is_offer=slot.offer,
        )

    def answer_at(self, index: int) -> AnswerValue | None:
        return self._answers.get(index)

    # -- navigation --------------------------------------------------------------------

    def _require_active(self) -> Step:
        if self.finished:
            raise WalkFinished("the walk has already ended")
        return self.steps[self.index]

    def _advance(self) -> None:
        following = [i for i in range(self.index + 1, len(self.steps)) if self.visible(i)]
        if not following:
            self.status = "completed"
            self.ended_at = self._now()
            return
        self.index = following[0]
        self._seen.add(self.index)

    def answer(self, value: AnswerValue | None) -> AnswerValue | None:
        """Record an answer for the current step and go on. Returns the value stored.

        ``ask`` takes text (or a list of texts, up to ``count``); ``choose`` takes the
        0-based index of the option; ``rate`` takes a whole number in range. Steps without
        answers take ``None``. An empty answer to an optional step counts as a skip.
        Raises :class:`InvalidAnswer` when the value does not fit; nothing changes then.
        """
        step = self._require_active()
        stored = validate(step, value)
        if stored is None:
            if isinstance(step, ANSWERING):
                # An empty answer: allowed only on optional steps (validated above).
                self._skip_current()
                return None
            self._answers.pop(self.index, None)
            self._skipped.discard(self.index)
            self._advance()
            return None
        self._answers[self.index] = stored
        self._skipped.discard(self.index)
        self._advance()
        return stored

    def next(self) -> None:
        """Go on. Keeps an answer given earlier; an optional step without one is skipped.

        Raises :class:`InvalidAnswer` on a required question that has no answer yet.
        """
        step = self._require_active()
        if isinstance(step, ANSWERING):
            if self.index in self._answers:
                self._skipped.discard(self.index)
                self._advance()
                return
            if step.optional:
                self._skip_current()
                return
            raise InvalidAnswer(needs_answer_message(step))
        self._skipped.discard(self.index)
        self._advance()

    def skip(self) -> None:
        """Go on without an answer (any step may be skipped; skipping the last one ends
        the walk as completed)."""
        self._require_active()
        self._skip_current()

    def skip_part(self) -> None:
        """Skip the current step and the rest of its part (the steps after it with the
        same ``part``). A step outside any part is skipped on its own, like ``skip()``."""
        self._require_active()
        origin = self.index
        part = self.steps[origin].part
        if part is None:
            self._skip_current()
            return
        last = origin
        while last + 1 < len(self.steps) and self.steps[last + 1].part == part:
            last += 1
        for i in range(origin, last + 1):
            if self.visible(i):
                self._answers.pop(i, None)
                self._skipped.add(i)
        self.index = last
        self._advance()
        if not self.finished:
            self._skipped_from[self.index] = origin

    def _skip_current(self) -> None:
        self._answers.pop(self.index, None)
        self._skipped.add(self.index)
        self._advance()

    def back(self) -> bool:
        """Go to the previous step. At the first step nothing changes and False is returned."""
        self._require_active()
        origin = self._skipped_from.pop(self.index, None)
        if origin is not None and self.visible(origin):
            self.index = origin
            return True
        earlier = [i for i in range(self.index) if self.visible(i)]
        if not earlier:
            return False
        self.index = earlier[-1]
        return True

    def stop(self) -> None:
        """End the walk here (status "stopped"). Answers so far are kept."""
        if self.finished:
            return
        self.status = "stopped"
        self.ended_at = self._now()

    # -- result ------------------------------------------------------------------------

    def record(self) -> WalkRecord:
        """The session so far (also while still active: a partial record)."""
        answers: list[AnswerRecord] = []
        checks: list[int] = []
        for index in sorted(self._answers):
            if not self.visible(index):
                continue  # an answer on a path the person later chose not to take
            step = self.steps[index]
            value = self._answers[index]
            answers.append(AnswerRecord(step_label(step, index), step.kind, value))
            if step.id == DISTRESS_CHECK_ID and isinstance(value, int):
                checks.append(value)
        return WalkRecord(
            skill_id=self.skill.id,
            skill_version=self.skill.version,
            skill_title=self.skill.title,
            started_at=self.started_at,
            ended_at=self.ended_at,
            status="stopped" if self.status == "active" else self.status,
            answers=answers,
            steps_total=self.total,  # steps shown, given the choices made
            steps_seen=len(self._seen),
            skipped=[step_label(self.steps[i], i) for i in sorted(self._skipped)],
            distress_checks=checks,
        )
