"""The skill file format. This model is the single source of truth for skill files:
``selfback skills schema`` prints it as JSON Schema.

One skill per YAML file. Steps are a list; each step has a ``kind``:

- ``say``: a short instruction (``text``).
- ``ask``: a free-text prompt (``text``), optionally ``count`` answers ("name 5 things").
- ``choose``: pick one of ``options``.
- ``rate``: a number between ``min`` and ``max`` (with optional anchor labels).
- ``timer``: wait ``seconds`` with ``text`` on screen and a visible countdown.
- ``breathe``: a paced breathing pattern for ``cycles`` rounds.

Consecutive steps with the same ``part`` form one part (for example TIPP's cold water):
``s`` on any step of a part skips the rest of that part. A part is only a name for now;
later versions may give parts a title, a ``when`` or a repeat.

Some ``tags`` mean something to selfback (see ``SPECIAL_TAGS``): ``body``, ``eyes-closed``
and ``cognitive``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"

# Situations people can name in `cope`. Skill files may use only these, so that a typo
# never hides a skill from the person who needs it.
SITUATIONS: dict[str, str] = {
    "panic": "Panic, racing heart",
    "anxiety": "Anxious or worried",
    "anger": "Angry or irritated",
    "urge": "An urge I don't want to act on",
    "self-harm-urge": "Urge to hurt myself",
    "suicidal-thoughts": "Thoughts of ending my life",
    "substance-urge": "An urge to drink or use drugs",
    "low-mood": "Low, sad or flat",
    "overwhelm": "Overwhelmed, too much at once",
    "dissociation": "Numb, unreal or far away",
    "flashback": "A flashback or memory",
    "nightmare": "After a nightmare",
    "sleep": "Can't sleep",
    "rumination": "Stuck in my head, going round in circles",
    "loneliness": "Lonely",
    "shame": "Ashamed or self-critical",
    "grief": "Grief or loss",
    "conflict": "After a fight or conflict",
    "stress": "Stressed",
}

Situation = Literal[
    "panic",
    "anxiety",
    "anger",
    "urge",
    "self-harm-urge",
    "suicidal-thoughts",
    "substance-urge",
    "low-mood",
    "overwhelm",
    "dissociation",
    "flashback",
    "nightmare",
    "sleep",
    "rumination",
    "loneliness",
    "shame",
    "grief",
    "conflict",
    "stress",
]

ShortText = Annotated[str, Field(min_length=1, max_length=400)]

PART_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

# Tags that change how selfback offers or runs a skill.
SPECIAL_TAGS: dict[str, str] = {
    "body": (
        "a body-based skill (cold water, movement, paced breathing, grounding in the "
        "senses); at distress 7 or more the first suggestion is one of these"
    ),
    "eyes-closed": "eyes-closed imagery; never offered for dissociation or a flashback",
    "cognitive": (
        "weighs evidence or pros and cons; never offered for thoughts of ending my life or "
        "an urge to hurt myself, and it stops asking if an answer may mean risk"
    ),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class When(_Strict):
    """Show a step only when an earlier ``choose`` step was answered with one of ``is``.

    If that question was skipped, the step is shown (nothing is hidden by accident).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    step: str = Field(description="The id of an earlier choose step.")
    is_: list[int | str] = Field(
        alias="is",
        min_length=1,
        description="Options (their text, or their number counting from 1) that show this step.",
    )


class _StepBase(_Strict):
    when: When | None = Field(
        default=None,
        description="Show this step only after a certain choice (see When).",
    )
    id: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$",
        description="Optional stable name for the step, used to label answers in the log.",
    )
    optional: bool = Field(
        default=False, description="Whether Enter alone may skip this step without an answer."
    )
    part: str | None = Field(
        default=None,
        pattern=PART_PATTERN,
        description=(
            "Groups steps into a part: consecutive steps with the same part name form one "
            "part, and s on any of them skips the rest of that part."
        ),
    )


class SayStep(_StepBase):
    kind: Literal["say"]
    text: ShortText = Field(description="One short instruction, shown on its own screen.")


class AskStep(_StepBase):
    kind: Literal["ask"]
    text: ShortText = Field(description="The question or prompt.")
    count: int = Field(default=1, ge=1, le=10, description="How many answers to ask for.")
    placeholder: str | None = Field(
        default=None, max_length=80, description="An example answer shown as a hint."
    )


class ChooseStep(_StepBase):
    kind: Literal["choose"]
    text: ShortText
    options: list[Annotated[str, Field(min_length=1, max_length=120)]] = Field(
        min_length=2, max_length=9, description="2 to 9 options, picked by number."
    )


class RateStep(_StepBase):
    kind: Literal["rate"]
    text: ShortText
    min: int = Field(default=0, ge=0, le=100)
    max: int = Field(default=10, ge=1, le=100)
    min_label: str | None = Field(default=None, max_length=40)
    max_label: str | None = Field(default=None, max_length=40)
    high_is_hard: bool = Field(
        default=True,
        description=(
            "Whether a high number means things are hard (distress, an urge, a painful "
            "feeling). Then a number in the top tenth of the range (9 or 10 out of 10) brings "
            "crisis help and the choice to carry on, switch to something calming or stop. "
            "Set false where a high number is good news (pleasure, belief in a balanced "
            "thought)."
        ),
    )

    @model_validator(mode="after")
    def _range(self) -> RateStep:
        if self.max <= self.min:
            raise ValueError("max must be greater than min")
        return self


class TimerStep(_StepBase):
    kind: Literal["timer"]
    text: ShortText
    seconds: int = Field(gt=0, le=3600, description="How long, in seconds.")


class BreatheStep(_StepBase):
    kind: Literal["breathe"]
    text: ShortText | None = Field(default=None, description="A line shown above the pacer.")
    inhale: float = Field(gt=0, le=20, description="Seconds breathing in.")
    top_up: float = Field(
        default=0, ge=0, le=5, description="Seconds for a second, short in-breath (sighing)."
    )
    hold: float = Field(default=0, ge=0, le=20, description="Seconds holding after breathing in.")
    exhale: float = Field(gt=0, le=30, description="Seconds breathing out.")
    hold_after: float = Field(
        default=0, ge=0, le=20, description="Seconds resting after breathing out."
    )
    cycles: int = Field(ge=1, le=100, description="How many breaths.")

    @property
    def cycle_seconds(self) -> float:
        return self.inhale + self.top_up + self.hold + self.exhale + self.hold_after


Step = Annotated[
    SayStep | AskStep | ChooseStep | RateStep | TimerStep | BreatheStep,
    Field(discriminator="kind"),
]

STEP_KINDS = ("say", "ask", "choose", "rate", "timer", "breathe")


class DistressRange(_Strict):
    min: int = Field(ge=0, le=10, description="Lowest distress (0-10) this skill suits.")
    max: int = Field(ge=0, le=10, description="Highest distress (0-10) this skill suits.")

    @model_validator(mode="after")
    def _order(self) -> DistressRange:
        if self.max < self.min:
            raise ValueError("max must not be below min")
        return self


class Skill(_Strict):
    """One coping skill."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        json_schema_extra={"title": "selfback skill", "$comment": "schema version 1"},
    )

    id: str = Field(pattern=ID_PATTERN, description="Lower-case id with dashes, unique.")
    title: Annotated[str, Field(min_length=1, max_length=60)]
    summary: Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description="One or two sentences: what it is and when it helps."
    )
    version: int = Field(default=1, ge=1, description="Bump when the steps change.")
    situations: list[Situation] = Field(
        min_length=1, description="Situations this skill fits (see the list in the schema)."
    )
    distress: DistressRange = Field(description="The distress range (SUDS 0-10) it suits.")
    minutes: float = Field(gt=0, le=120, description="About how long it takes.")
    cautions: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        default_factory=list, description="Shown before the first step."
    )
    source: Annotated[str, Field(min_length=3, max_length=500)] = Field(
        description="Where the method comes from (author, title, year)."
    )
    tags: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(
        default_factory=list,
        description=(
            "Free labels. These change how selfback offers the skill: body (body-based; at "
            "distress 7 or more the first suggestion is one), eyes-closed (eyes-closed "
            "imagery; never offered for dissociation or a flashback), cognitive (weighs "
            "evidence or pros and cons; never offered for thoughts of ending my life or an "
            "urge to hurt myself, and it stops asking if an answer may mean risk)."
        ),
    )
    steps: list[Step] = Field(min_length=1, max_length=100)

    @field_validator("situations")
    @classmethod
    def _unique_situations(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists a situation twice")
        return value

    @model_validator(mode="after")
    def _references(self) -> Skill:
        problems = self.reference_problems()
        if problems:
            raise ValueError(problems[0])
        return self

    def reference_problems(self) -> list[str]:
        """Checks across steps: unique step ids, the steps of a part one after another, and
        ``when`` pointing at an earlier choose step and at options it really has. Messages
        start with the field path."""
        problems: list[str] = []
        seen: dict[str, int] = {}
        parts_done: set[str] = set()
        for i, step in enumerate(self.steps):
            previous_part = self.steps[i - 1].part if i else None
            if previous_part is not None and step.part != previous_part:
                parts_done.add(previous_part)
            if step.part is not None and step.part in parts_done:
                problems.append(
                    f"steps[{i}].part: the steps of part '{step.part}' must come one after another"
                )
            if step.id is not None:
                if step.id in seen:
                    problems.append(
                        f"steps[{i}].id: '{step.id}' is already used by steps[{seen[step.id]}]"
                    )
                seen.setdefault(step.id, i)
            if step.when is None:
                continue
            j = seen.get(step.when.step)
            target = self.steps[j] if j is not None and j < i else None
            if not isinstance(target, ChooseStep):
                problems.append(
                    f"steps[{i}].when.step: '{step.when.step}' must be the id of an earlier "
                    "choose step"
                )
                continue
            for value in step.when.is_:
                if isinstance(value, int):
                    if not 1 <= value <= len(target.options):
                        problems.append(
                            f"steps[{i}].when.is: option {value} does not exist "
                            f"(steps[{j}] has {len(target.options)})"
                        )
                elif value not in target.options:
                    problems.append(
                        f"steps[{i}].when.is: '{value}' is not one of the options of steps[{j}]"
                    )
        return problems

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags

    def fits(self, distress: int | None = None, situation: str | None = None) -> bool:
        if distress is not None and not (self.distress.min <= distress <= self.distress.max):
            return False
        return situation is None or situation in self.situations


def skill_json_schema() -> dict[str, object]:
    schema = Skill.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64] or "my-skill"
