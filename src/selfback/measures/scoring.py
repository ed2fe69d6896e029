"""Scoring, bands, flags and change, driven entirely by the instrument's data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from selfback.measures.schema import Band, Instrument, Item

Answers = Sequence[int | None]


@dataclass(frozen=True)
class Score:
    instrument: Instrument
    answers: tuple[int | None, ...]  # one per item, in order; None = not asked
    total: int  # the raw sum of the scored items (what the database stores)
    display: int  # the total on the scale people read (WHO-5: raw x 4 = %)
    band: Band
    flags: tuple[str, ...]  # e.g. ("phq9-item9",)
    crisis: bool  # a crisis item was answered at or above its flag level
    suggest: str | None  # a screen at or above its threshold: the full instrument's id

    @property
    def text(self) -> str:
        return format_total(self.instrument, self.total)


def should_ask(instrument: Instrument, item: Item, answers: Answers) -> bool:
    """Whether ``item`` is asked, given the answers to the items before it."""
    if item.ask_if == "always":
        return True
    scored_ids = {i.id for i in instrument.scored_items}
    return any(
        (a or 0) > 0
        for it, a in zip(instrument.items, answers, strict=False)
        if it.id in scored_ids
    )


def band_for(instrument: Instrument, total: int) -> Band:
    for band in instrument.bands:
        if band.min <= total <= band.max:
            return band
    raise ValueError(f"{instrument.name}: total {total} is outside 0-{instrument.max_total}")


def band_by_id(instrument: Instrument, band_id: str) -> Band | None:
    return next((b for b in instrument.bands if b.id == band_id), None)


def to_display(instrument: Instrument, total: int) -> int:
    return total * instrument.display_multiplier


def format_total(instrument: Instrument, total: int) -> str:
    """'12 of 27', or for a percentage scale '52% (13 of 25)'."""
    if instrument.display_unit == "%":
        return f"{to_display(instrument, total)}% ({total} of {instrument.max_total})"
    return f"{total} of {instrument.max_total}"


def score(instrument: Instrument, answers: Answers) -> Score:
    """Score a complete set of answers (one per item; None only for items not asked)."""
    if len(answers) != len(instrument.items):
        raise ValueError(
            f"{instrument.name} has {len(instrument.items)} items, got {len(answers)} answers"
        )
    total = 0
    flags: list[str] = []
    crisis = False
    for index, (item, answer) in enumerate(zip(instrument.items, answers, strict=True)):
        asked = should_ask(instrument, item, answers[:index])
        if answer is None:
            if item.scored or asked:
                raise ValueError(f"{instrument.name} item {item.id} needs an answer")
            continue
        if not asked:
            raise ValueError(f"{instrument.name} item {item.id} was not meant to be asked")
        values = [o.value for o in instrument.item_options(item)]
        if isinstance(answer, bool) or answer not in values:
            raise ValueError(f"{instrument.name} item {item.id}: {answer!r} is not an option")
        if item.scored:
            total += answer
        if item.flag is not None and answer >= item.flag_at:
            flags.append(item.flag)
            crisis = crisis or item.crisis
    suggest = None
    if instrument.screen_threshold is not None and total >= instrument.screen_threshold:
        suggest = instrument.screen_for
    return Score(
        instrument=instrument,
        answers=tuple(answers),
        total=total,
        display=to_display(instrument, total),
        band=band_for(instrument, total),
        flags=tuple(flags),
        crisis=crisis,
        suggest=suggest,
    )


@dataclass(frozen=True)
class Change:
    previous_total: int
    delta: int  # on the display scale (WHO-5: percentage points), new minus old
    direction: Literal["better", "worse", "same"]
    meaningful: bool | None  # None when no published threshold is known
    band_changed: bool
    reliable: bool | None = None  # at least the published reliable change (PCL-5: 5)


def change(instrument: Instrument, previous_total: int, total: int) -> Change:
    delta = to_display(instrument, total) - to_display(instrument, previous_total)
    if delta == 0:
        direction: Literal["better", "worse", "same"] = "same"
    elif (delta > 0) == (instrument.higher_is == "better"):
        direction = "better"
    else:
        direction = "worse"
    meaningful = None
    if instrument.meaningful_change is not None:
        meaningful = abs(delta) >= instrument.meaningful_change
    reliable = None
    if instrument.reliable_change is not None:
        reliable = abs(delta) >= instrument.reliable_change
    old_band = None
    if 0 <= previous_total <= instrument.max_total:
        old_band = band_for(instrument, previous_total)
    return Change(
        previous_total=previous_total,
        delta=delta,
        direction=direction,
        meaningful=meaningful,
        band_changed=old_band is None or old_band.id != band_for(instrument, total).id,
        reliable=reliable,
    )


def change_sentence(instrument: Instrument, ch: Change, previous_date: str) -> str:
    """Plain words for the change since last time, without praise or blame."""
    prev = to_display(instrument, ch.previous_total)
    unit = instrument.display_unit
    last = f"last time ({prev}{unit} on {previous_date})"
    if ch.delta == 0:
        text = f"The same as {last}."
    else:
        size = abs(ch.delta)
        points = "point" if size == 1 else "points"
        more = "higher" if ch.delta > 0 else "lower"
        text = f"{size} {points} {more} than {last}."
    if instrument.higher_is == "better":
        text += f" On the {instrument.name}, higher means better well-being."
    else:
        text += f" On the {instrument.name}, lower means these problems bothered you less."
    meaningful = instrument.meaningful_change
    if ch.meaningful is not None and meaningful is not None and ch.delta != 0:
        threshold = f"{meaningful} points"
        reliable = instrument.reliable_change
        if ch.meaningful:
            text += f" A change of {threshold} or more is usually seen as meaningful."
        elif reliable is not None and ch.reliable:
            text += (
                f" A change of {reliable} to {meaningful - 1} points is "
                f"usually seen as more than chance; {threshold} or more is usually seen "
                "as meaningful."
            )
        elif reliable is not None:
            text += f" Changes under {reliable} points are usually within everyday ups and downs."
        else:
            text += f" Changes under {threshold} are usually within everyday ups and downs."
    return text
