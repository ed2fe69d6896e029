"""The questionnaire file format: one JSON file per instrument in ``measures/data/``.

This pydantic model is the single source of truth for those files. Scoring, bands,
safety flags, screening hints and export metadata (LOINC codes, attribution) all come
from the data; the code only sums and looks things up.

- ``options`` are the answers shared by every item (value + label); an item may bring
  its own (PHQ-9's unscored "how difficult" question does).
- ``scored`` items add up to the raw ``total``; ``display_multiplier`` turns the raw
  total into the scale people read (WHO-5: raw 0-25 x 4 = 0-100 %).
- ``bands`` cover every possible raw total exactly once, in order.
- An item with ``flag`` adds that flag to the result when answered at or above
  ``flag_at`` (PHQ-9 item 9: ``"phq9-item9"``); ``crisis: true`` also shows crisis
  resources and offers the safety plan, whatever the total.
- ``screen_for`` / ``screen_threshold``: a short screen (PHQ-2) that suggests the full
  instrument (PHQ-9) at or above the threshold.
- ``meaningful_change`` / ``reliable_change``: published change thresholds (PCL-5: 10
  points meaningful, 5 reliable); ``retake_after_days`` matches the time frame (PCL-5 asks
  about the past month, so 30) and drives the home-screen reminder.
- ``instructions`` (the publisher's) and ``intro`` (selfback's own line) are for the
  questionnaire screen to show once before the first item.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ID_PATTERN = r"^[a-z][a-z0-9]{1,15}$"
LOINC_PATTERN = r"^[0-9]{1,7}-[0-9]$"

Text = Annotated[str, Field(min_length=1, max_length=600)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Option(_Strict):
    value: int = Field(ge=0, le=10, description="The score this answer gives.")
    label: Text


class Item(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$", description="Stable item name.")
    text: Text
    scored: bool = Field(default=True, description="Whether the item adds to the total.")
    options: tuple[Option, ...] | None = Field(
        default=None, description="Answers for this item only (default: the instrument's)."
    )
    ask_if: Literal["always", "any-problem"] = Field(
        default="always",
        description="'any-problem': ask only when some scored item was answered above 0.",
    )
    flag: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9-]{0,31}$",
        description="Flag recorded on the result when the answer is >= flag_at.",
    )
    flag_at: int = Field(default=1, ge=1)
    crisis: bool = Field(
        default=False,
        description="Answering >= flag_at shows crisis resources and offers the safety plan.",
    )
    note: Text | None = Field(default=None, description="A short line shown under the item.")
    loinc: str | None = Field(default=None, pattern=LOINC_PATTERN)

    @model_validator(mode="after")
    def _check(self) -> Item:
        if self.crisis and self.flag is None:
            raise ValueError(f"item {self.id}: a crisis item needs a flag")
        if not self.scored and self.flag is not None:
            raise ValueError(f"item {self.id}: only scored items may carry a flag")
        return self


class Band(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$", description="Stored in results.")
    min: int = Field(ge=0, description="Lowest raw total in the band (inclusive).")
    max: int = Field(ge=0, description="Highest raw total in the band (inclusive).")
    label: Text = Field(description="A short plain name, e.g. 'mild'.")
    text: Text = Field(description="One plain sentence; never a diagnosis.")


class Loinc(_Strict):
    panel: str | None = Field(default=None, pattern=LOINC_PATTERN)
    total: str | None = Field(default=None, pattern=LOINC_PATTERN)


class Instrument(_Strict):
    id: str = Field(pattern=ID_PATTERN, description="Command-line name, e.g. phq9.")
    version: int = Field(ge=1, description="Bump when items, options or scoring change.")
    name: Text = Field(description="Display name, e.g. PHQ-9.")
    title: Text = Field(description="Full name, e.g. Patient Health Questionnaire-9.")
    about: Text = Field(description="What it asks about, in a few plain words.")
    kind: Literal["full", "screen"] = "full"
    time_frame: Text = Field(description="e.g. 'Over the last 2 weeks'.")
    instructions: Text | None = Field(
        default=None,
        description="The publisher's instructions, for showing once before the first item.",
    )
    intro: Text | None = Field(
        default=None,
        description="A short line of selfback's own, for showing before the first item.",
    )
    stem: Text = Field(description="The question every item completes.")
    options: tuple[Option, ...] = Field(min_length=2)
    items: tuple[Item, ...] = Field(min_length=1)
    higher_is: Literal["better", "worse"] = Field(
        description="Whether a higher total means better well-being or more problems."
    )
    display_multiplier: int = Field(default=1, ge=1)
    display_unit: Literal["", "%"] = ""
    meaningful_change: int | None = Field(
        default=None,
        ge=1,
        description="A change (on the display scale) usually seen as meaningful, if published.",
    )
    reliable_change: int | None = Field(
        default=None,
        ge=1,
        description="A smaller change usually seen as more than chance (reliable), if published.",
    )
    retake_after_days: int = Field(
        default=14,
        ge=1,
        le=366,
        description="After how many days a reminder may mention it again (its time frame).",
    )
    bands: tuple[Band, ...] = Field(min_length=1)
    screen_for: str | None = Field(default=None, pattern=ID_PATTERN)
    screen_threshold: int | None = Field(default=None, ge=1)
    loinc: Loinc = Field(default_factory=Loinc)
    attribution: Text
    sources: tuple[Text, ...] = Field(min_length=1)

    # --- derived -----------------------------------------------------------------------
    def item_options(self, item: Item) -> tuple[Option, ...]:
        return item.options if item.options is not None else self.options

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.scored)

    @property
    def max_total(self) -> int:
        return sum(max(o.value for o in self.item_options(i)) for i in self.scored_items)

    @property
    def max_display(self) -> int:
        return self.max_total * self.display_multiplier

    @property
    def family(self) -> str:
        """The full instrument this one belongs to (phq2 -> phq9), for reminders."""
        return self.screen_for or self.id

    @model_validator(mode="after")
    def _check(self) -> Instrument:
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        if not self.scored_items:
            raise ValueError("at least one item must be scored")
        for item in self.items:
            values = [o.value for o in self.item_options(item)]
            if values != list(range(len(values))):
                raise ValueError(f"item {item.id}: option values must be 0, 1, 2 ... in order")
            if item.flag is not None and item.flag_at > max(values):
                raise ValueError(f"item {item.id}: flag_at is above the highest answer")
        expected = 0
        for band in self.bands:
            if band.min != expected or band.max < band.min:
                raise ValueError(
                    f"bands must cover 0..{self.max_total} in order without gaps "
                    f"(problem at band {band.id})"
                )
            expected = band.max + 1
        if expected != self.max_total + 1:
            raise ValueError(f"bands must end at the highest total, {self.max_total}")
        if len({b.id for b in self.bands}) != len(self.bands):
            raise ValueError("band ids must be unique")
        if self.kind == "screen" and (self.screen_for is None or self.screen_threshold is None):
            raise ValueError("a screen needs screen_for and screen_threshold")
        if self.kind == "full" and self.screen_for is not None:
            raise ValueError("only a screen may name screen_for")
        if self.reliable_change is not None and (
            self.meaningful_change is None or self.reliable_change >= self.meaningful_change
        ):
            raise ValueError("reliable_change must be below meaningful_change")
        if self.display_unit == "%" and self.max_display != 100:
            raise ValueError("a percentage scale must run from 0 to 100")
        return self
