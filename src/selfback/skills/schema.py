"""The skill file format. This model is the single source of truth for skill files:
``selfback skills schema`` prints it as JSON Schema.

One skill per YAML file. Steps are a list; each step has a ``kind``:

- ``say``: a short instruction (``text``).
- ``ask``: a free-text prompt (``text``), optionally ``count`` answers ("name 5 things").
- ``choose``: pick one of ``options``.
- ``rate``: a number between ``min`` and ``max`` (with optional anchor labels).
- ``timer``: wait ``seconds`` with ``text`` on screen and a visible countdown.
- ``breathe``: a paced breathing pattern for ``cycles`` rounds.

- ``recall``: earlier answers shown again (a letter read back, a record in full).
- ``later``: "now or later?"; later saves the plan and its follow-up part is asked once at
  the next check-in or `cope`.

Any step's text may show an earlier answer: ``{step_id}``, or ``{step_id|words if
skipped}``; ``{{`` and ``}}`` are braces. An ``ask`` with ``lines: true`` takes several
lines (or ``$EDITOR``).

Consecutive steps with the same ``part`` form one part (for example TIPP's cold water):
``s`` on any step of a part skips the rest of that part. ``parts`` gives a part a title, a
``when`` for all its steps and a ``repeat`` (offered again while a rating holds).

Some ``tags`` mean something to selfback (see ``SPECIAL_TAGS``): ``body``, ``eyes-closed``
and ``cognitive``.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from selfback.skills.references import reference_problems
from selfback.skills.situation_names import SITUATIONS
from selfback.skills.steps import (
    LATER,
    NOW,
    PART_PATTERN,
    STEP_KINDS,
    AskStep,
    BreatheStep,
    ChooseStep,
    LaterStep,
    Part,
    RateStep,
    RecallItem,
    RecallStep,
    Repeat,
    RepeatWhile,
    SayStep,
    ShortText,
    Step,
    TimerStep,
    When,
    _Strict,
)

__all__ = [
    "ID_PATTERN",
    "LATER",
    "NOW",
    "PART_PATTERN",
    "SCHEMA_VERSION",
    "SITUATIONS",
    "SPECIAL_TAGS",
    "STEP_KINDS",
    "AskStep",
    "BreatheStep",
    "ChooseStep",
    "DistressRange",
    "LaterStep",
    "Part",
    "RateStep",
    "RecallItem",
    "RecallStep",
    "Repeat",
    "RepeatWhile",
    "SayStep",
    "ShortText",
    "Situation",
    "Skill",
    "Step",
    "TimerStep",
    "When",
    "skill_json_schema",
    "slugify",
]

SCHEMA_VERSION = 2  # 2: recall and later steps, long answers, parts with a title, when, repeat

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"

# Situations people can name in `cope` (``situation_names``, standard library only). Skill
# files may use only these, so that a typo never hides a skill from the person who needs it.

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
        json_schema_extra={"title": "selfback skill", "$comment": "schema version 2"},
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
    parts: dict[Annotated[str, Field(pattern=PART_PATTERN)], Part] = Field(
        default_factory=dict,
        description=(
            "What the parts named by steps' part field are: a title, a when for the whole "
            "part, a repeat. A part needs no entry here to work as a group."
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
        """Checks across steps and parts (``selfback.skills.references``); messages start
        with the field path."""
        return reference_problems(self.steps, self.parts)

    def part_of(self, name: str | None) -> Part | None:
        """The definition of part ``name`` (None: not in a part, or a part with only a
        name)."""
        return self.parts.get(name) if name is not None else None

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
