"""The steps of a skill file and its parts (see ``selfback.skills.schema`` for the whole
file). Kept apart so that the cross-step checks (``selfback.skills.references``) can use
them without importing the skill model itself.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ShortText = Annotated[str, Field(min_length=1, max_length=400)]

PART_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
STEP_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class When(_Strict):
    """Show a step (or a part) only when an earlier ``choose`` step was answered with one of
    ``is``.

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
        pattern=STEP_ID_PATTERN,
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
    lines: bool = Field(
        default=False,
        description=(
            "Whether the answer may take several lines (a letter, a message): the person "
            "types line after line and finishes with an empty line or Ctrl-D, or types e "
            "to write it in their $EDITOR. Only with count 1."
        ),
    )

    @model_validator(mode="after")
    def _lines_alone(self) -> AskStep:
        if self.lines and self.count != 1:
            raise ValueError("lines: a long answer (lines: true) takes count 1")
        return self


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


class RecallItem(_Strict):
    """One earlier answer to show again, with an optional label before it."""

    step: str = Field(description="The id of an earlier ask, choose, rate or later step.")
    label: Annotated[str, Field(min_length=1, max_length=60)] | None = Field(
        default=None, description="A short label shown before the answer (e.g. Situation)."
    )


class RecallStep(_StepBase):
    kind: Literal["recall"]
    text: ShortText | None = Field(default=None, description="A line shown above the answers.")
    show: list[str | RecallItem] = Field(
        min_length=1,
        max_length=30,
        description=(
            "The earlier answers to show, in this order: step ids, or {step, label}. "
            "Answers that were skipped are left out."
        ),
    )
    empty: ShortText | None = Field(
        default=None, description="Said instead when none of those steps has an answer."
    )

    def items(self) -> list[RecallItem]:
        return [RecallItem(step=i) if isinstance(i, str) else i for i in self.show]


class LaterStep(_StepBase):
    kind: Literal["later"]
    text: ShortText = Field(description="The question: is it for now or for later?")
    follow_up: str = Field(
        pattern=PART_PATTERN,
        description=(
            "The part with the questions about how it went. Answered now, or, after "
            "Later, asked once at the next check-in or cope."
        ),
    )
    plan: list[str] = Field(
        default_factory=list,
        max_length=5,
        description="Ids of earlier steps whose answers describe the plan (shown later).",
    )
    now: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        default="Now: I've done it, or I'll do it now",
        description="The first option's words.",
    )
    later: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        default="Later: ask me next time", description="The second option's words."
    )

    @property
    def options(self) -> list[str]:
        return [self.now, self.later]


Step = Annotated[
    SayStep | AskStep | ChooseStep | RateStep | TimerStep | BreatheStep | RecallStep | LaterStep,
    Field(discriminator="kind"),
]

STEP_KINDS = ("say", "ask", "choose", "rate", "timer", "breathe", "recall", "later")

# What a later step stores as its answer.
NOW = "now"
LATER = "later"


class RepeatWhile(_Strict):
    """The rating that decides whether another round is offered."""

    step: str = Field(description="The id of a rate step inside the part.")
    at_least: int | None = Field(
        default=None, ge=0, le=100, description="Offer another round while it is this or more."
    )
    at_most: int | None = Field(
        default=None, ge=0, le=100, description="Offer another round while it is this or less."
    )

    @model_validator(mode="after")
    def _some_bound(self) -> RepeatWhile:
        if self.at_least is None and self.at_most is None:
            raise ValueError("give at_least or at_most (or both)")
        return self

    def holds(self, value: int) -> bool:
        low = self.at_least is None or value >= self.at_least
        high = self.at_most is None or value <= self.at_most
        return low and high


class Repeat(_Strict):
    """Offer the part again while a rating in it stays high (or low), up to ``max`` rounds.
    Each further round is a choice; Enter goes on."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    while_: RepeatWhile = Field(alias="while", description="When another round is offered.")
    max: int = Field(ge=2, le=10, description="The most rounds in all, the first included.")
    offer: ShortText = Field(
        default="Another round?", description="The question offering another round."
    )


class Part(_Strict):
    """What a part is: its title, a ``when`` for all its steps, and a repeat."""

    title: Annotated[str, Field(min_length=1, max_length=60)] | None = Field(
        default=None, description="Shown in the header of the part's steps."
    )
    when: When | None = Field(
        default=None, description="Show the whole part only after a certain choice."
    )
    repeat: Repeat | None = Field(
        default=None, description="Offer the part again while a rating in it holds."
    )
