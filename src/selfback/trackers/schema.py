"""The tracker file format: one question a check-in can ask.

The everyday check-in (mood, energy, anxiety, sleep, emotions, tags, note) is itself a set
of trackers, shipped in ``selfback/trackers/builtin/core.yaml``. Optional packs (the DBT
diary card, medication) live next to it, and people add their own trackers as YAML files in
their trackers folder, one tracker per file.

Each tracker has a ``kind``:

- ``scale``: a whole number from ``min`` to ``max`` (default 0-10), with optional anchors.
- ``yesno``: yes or no.
- ``number``: any number, with an optional ``unit`` and range (hours slept, pain pills).
- ``choice``: one of 2 to 9 ``options``, picked by number.
- ``tags``: several short words, from numbered ``suggestions`` or typed freely.
- ``text``: a short free-text answer (never taken on the command line).

Values are stored with the tracker's ``id`` and ``version`` and its title at the time, so
renaming or removing a tracker never loses or mislabels what was recorded.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from selfback.trackers.core import normalize_word

TRACKER_KINDS = ("scale", "yesno", "number", "choice", "tags", "text")

# Lower-case letters, digits and underscores, so `--set urge_selfharm=3` reads well.
TRACKER_ID_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
PACK_ID_PATTERN = r"^[a-z][a-z0-9-]{0,39}$"

# The trackers whose values live in columns of the `checkins` table (and `checkin_tags`).
CORE_IDS = ("mood", "energy", "anxiety", "sleep", "emotions", "tags", "note")


Title = Annotated[str, Field(min_length=1, max_length=60)]
Word = Annotated[str, Field(min_length=1, max_length=40)]


def _yaml_word(value: Any) -> Any:
    """YAML 1.1 reads a bare yes/no/on/off as true/false and 5 as a number: undo that."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Condition(_Strict):
    """Ask this tracker only when an earlier answer fits (e.g. "acted on it?" after an urge)."""

    tracker: str = Field(pattern=TRACKER_ID_PATTERN, description="The earlier tracker's id.")
    at_least: float | None = Field(
        default=None, description="Ask only when that answer is at least this number."
    )
    equals: str | None = Field(
        default=None,
        max_length=120,
        description="Ask only when that answer is this (yes, no, or a choice option).",
    )

    @field_validator("equals", mode="before")
    @classmethod
    def _word(cls, value: Any) -> Any:
        return _yaml_word(value)

    @model_validator(mode="after")
    def _one(self) -> Condition:
        if (self.at_least is None) == (self.equals is None):
            raise ValueError("give exactly one of at_least or equals")
        return self


class _TrackerBase(_Strict):
    id: str = Field(
        pattern=TRACKER_ID_PATTERN,
        description="Stable id: lower-case letters, digits and underscores (e.g. pain_level).",
    )
    version: int = Field(
        default=1, ge=1, description="Bump when the meaning changes, e.g. a different range."
    )
    title: Title = Field(description="A short name, stored with every value (e.g. Pain).")
    prompt: Annotated[str, Field(min_length=1, max_length=120)] | None = Field(
        default=None,
        description="The question, without the range (e.g. 'Pain right now'). "
        "Defaults to the title.",
    )
    optional: bool = Field(default=True, description="Whether Enter alone skips it.")
    ask: Literal["always", "daily", "on-demand"] = Field(
        default="always",
        description="always: every check-in; daily: the first check-in of a day that has not "
        "answered it yet; on-demand: only with selfback checkin --all or --set.",
    )
    only_if: Condition | None = Field(
        default=None, description="Ask only when an earlier answer fits."
    )
    order: int = Field(
        default=100, ge=0, le=1000, description="Where it comes among your own trackers."
    )
    description: Annotated[str, Field(max_length=300)] | None = None

    @property
    def question(self) -> str:
        return self.prompt or self.title


class ScaleTracker(_TrackerBase):
    kind: Literal["scale"]
    min: int = Field(default=0, ge=0, le=100)
    max: int = Field(default=10, ge=1, le=100)
    anchors: dict[int, Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=dict,
        description="Words for some numbers, e.g. {0: none, 10: the worst}. Shown on '?'.",
    )
    high_from: int | None = Field(
        default=None,
        description="In trends, days at or above this value count as 'with' it. "
        "Default: the upper half of the range.",
    )

    @field_validator("max")
    @classmethod
    def _max(cls, value: int, info: ValidationInfo) -> int:
        low = info.data.get("min")
        if low is not None and value <= low:
            raise ValueError(f"must be greater than min ({low})")
        return value

    @field_validator("anchors")
    @classmethod
    def _anchors(cls, value: dict[int, str], info: ValidationInfo) -> dict[int, str]:
        low, high = info.data.get("min"), info.data.get("max")
        if low is None or high is None:
            return value
        for key in value:
            if not (low <= key <= high):
                raise ValueError(f"anchor {key} is outside the range {low}-{high}")
        return value

    @field_validator("high_from")
    @classmethod
    def _high_from(cls, value: int | None, info: ValidationInfo) -> int | None:
        low, high = info.data.get("min"), info.data.get("max")
        if value is None or low is None or high is None:
            return value
        if not (low < value <= high):
            raise ValueError(f"must be above min ({low}) and at most max ({high})")
        return value

    @property
    def threshold(self) -> int:
        if self.high_from is not None:
            return self.high_from
        return (self.min + self.max) // 2 + 1


class YesNoTracker(_TrackerBase):
    kind: Literal["yesno"]


class NumberTracker(_TrackerBase):
    kind: Literal["number"]
    unit: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    min: float | None = Field(default=None, ge=-1_000_000, le=1_000_000)
    max: float | None = Field(default=None, ge=-1_000_000, le=1_000_000)

    @field_validator("max")
    @classmethod
    def _max(cls, value: float | None, info: ValidationInfo) -> float | None:
        low = info.data.get("min")
        if value is not None and low is not None and value <= low:
            raise ValueError(f"must be greater than min ({low:g})")
        return value


class ChoiceTracker(_TrackerBase):
    kind: Literal["choice"]
    options: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        min_length=2, max_length=9, description="2 to 9 options, picked by number."
    )

    @field_validator("options", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        return [_yaml_word(v) for v in value] if isinstance(value, list) else value

    @field_validator("options")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len({v.lower() for v in value}) != len(value):
            raise ValueError("lists an option twice")
        return value


class TagsTracker(_TrackerBase):
    kind: Literal["tags"]
    suggestions: list[Word] = Field(
        default_factory=list,
        max_length=9,
        description="Up to 9 common answers, shown numbered on one line.",
    )

    @field_validator("suggestions", mode="before")
    @classmethod
    def _words(cls, value: Any) -> Any:
        return [_yaml_word(v) for v in value] if isinstance(value, list) else value

    @field_validator("suggestions")
    @classmethod
    def _clean(cls, value: list[str]) -> list[str]:
        out = [normalize_word(v) for v in value]
        if any(not v for v in out):
            raise ValueError("suggestions must contain letters or digits")
        if len(set(out)) != len(out):
            raise ValueError("lists a suggestion twice")
        return out


class TextTracker(_TrackerBase):
    kind: Literal["text"]
    max_length: int = Field(default=500, ge=1, le=20_000)


Tracker = Annotated[
    ScaleTracker | YesNoTracker | NumberTracker | ChoiceTracker | TagsTracker | TextTracker,
    Field(discriminator="kind"),
]

AnyTracker = ScaleTracker | YesNoTracker | NumberTracker | ChoiceTracker | TagsTracker | TextTracker


class Pack(_Strict):
    """A named group of trackers that can be switched on and off together."""

    id: str = Field(pattern=PACK_ID_PATTERN)
    title: Title
    description: Annotated[str, Field(min_length=1, max_length=400)]
    source: Annotated[str, Field(max_length=400)] | None = None
    default_on: bool = Field(default=False, description="Whether it is on until switched off.")
    trackers: list[Tracker] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _ids(self) -> Pack:
        seen: set[str] = set()
        for t in self.trackers:
            if t.id in seen:
                raise ValueError(f"tracker id '{t.id}' appears twice")
            if t.only_if is not None and t.only_if.tracker not in seen:
                raise ValueError(
                    f"'{t.id}' depends on '{t.only_if.tracker}', which must come before it"
                )
            seen.add(t.id)
        return self
