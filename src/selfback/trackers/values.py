"""Turning typed-in text into a tracker's value, and answers into a check-in to store.

Used by both ways of checking in (questions and ``--set id=value`` flags), so they accept
exactly the same things. Errors are ``ValueError`` with a short phrase that says what is
expected ("must be a whole number from 0 to 5"); the caller adds where it came from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from selfback.store.checkins import NewCheckin, TrackerValue, ValueType
from selfback.trackers.core import CORE_RANGES, parse_core, parse_words
from selfback.trackers.schema import (
    AnyTracker,
    ChoiceTracker,
    NumberTracker,
    ScaleTracker,
    TagsTracker,
    TextTracker,
    YesNoTracker,
)

YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}


def expected(tracker: AnyTracker) -> str:
    """What a valid answer looks like, as a phrase."""
    if isinstance(tracker, ScaleTracker):
        return f"a whole number from {tracker.min} to {tracker.max}"
    if isinstance(tracker, YesNoTracker):
        return "yes or no"
    if isinstance(tracker, NumberTracker):
        unit = f" ({tracker.unit})" if tracker.unit else ""
        if tracker.min is not None and tracker.max is not None:
            return f"a number from {tracker.min:g} to {tracker.max:g}{unit}"
        if tracker.min is not None:
            return f"a number of at least {tracker.min:g}{unit}"
        if tracker.max is not None:
            return f"a number of at most {tracker.max:g}{unit}"
        return f"a number{unit}"
    if isinstance(tracker, ChoiceTracker):
        return "one of: " + ", ".join(tracker.options) + " (or its number)"
    if isinstance(tracker, TagsTracker):
        return "words separated by commas"
    return f"a short text (at most {tracker.max_length} characters)"


def _number(raw: str, unit: str | None) -> float:
    text = raw.strip().lower()
    if unit:
        for suffix in sorted(
            {unit.lower(), unit.lower()[:1], unit.lower().rstrip("s")}, key=len, reverse=True
        ):
            if suffix and text.endswith(suffix):
                text = text[: -len(suffix)].strip()
                break
    m = re.fullmatch(r"(\d{1,3}):([0-5]\d)", text)  # 7:30 hours
    if m:
        return int(m.group(1)) + int(m.group(2)) / 60
    text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def parse_answer(
    tracker: AnyTracker, raw: str, *, suggestions: Sequence[str] | None = None
) -> ValueType:
    """Parse ``raw`` for ``tracker``; raise ValueError("must be ...") if it does not fit."""
    text = raw.strip()
    if tracker.id in CORE_RANGES:  # the same rules as the fast flag path
        return parse_core(tracker.id, text)
    if isinstance(tracker, ScaleTracker):
        return _parse_scale(tracker, text)
    if isinstance(tracker, YesNoTracker):
        return _parse_yesno(text)
    if isinstance(tracker, NumberTracker):
        return _parse_number(tracker, text)
    if isinstance(tracker, ChoiceTracker):
        return _parse_choice(tracker, text)
    if isinstance(tracker, TagsTracker):
        return parse_words(text, suggestions if suggestions is not None else tracker.suggestions)
    assert isinstance(tracker, TextTracker)
    if not text:
        raise ValueError("must not be empty")
    if len(text) > tracker.max_length:
        raise ValueError(f"is too long (at most {tracker.max_length} characters)")
    return text


def _parse_scale(tracker: ScaleTracker, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not (tracker.min <= value <= tracker.max):
        raise ValueError(f"must be {expected(tracker)}")
    return value


def _parse_yesno(text: str) -> bool:
    low = text.lower()
    if low in YES:
        return True
    if low in NO:
        return False
    raise ValueError("must be yes or no")


def _parse_number(tracker: NumberTracker, text: str) -> float:
    try:
        num = _number(text, tracker.unit)
    except ValueError:
        raise ValueError(f"must be {expected(tracker)}") from None
    if (tracker.min is not None and num < tracker.min) or (
        tracker.max is not None and num > tracker.max
    ):
        raise ValueError(f"must be {expected(tracker)}")
    return round(num, 3)


def _parse_choice(tracker: ChoiceTracker, text: str) -> str:
    if text.isdigit() and 1 <= int(text) <= len(tracker.options):
        return tracker.options[int(text) - 1]
    for option in tracker.options:
        if option.lower() == text.lower():
            return option
    raise ValueError(f"must be {expected(tracker)}")


def condition_met(tracker: AnyTracker, answers: Mapping[str, ValueType]) -> bool:
    """Whether ``tracker`` should be asked, given the answers so far."""
    cond = tracker.only_if
    if cond is None:
        return True
    if cond.tracker not in answers:
        return False
    answer = answers[cond.tracker]
    if cond.at_least is not None:
        if isinstance(answer, bool):
            return int(answer) >= cond.at_least
        return isinstance(answer, int | float) and answer >= cond.at_least
    wanted = (cond.equals or "").lower()
    if isinstance(answer, bool):
        return wanted in (YES if answer else NO)
    if isinstance(answer, list):
        return wanted in (a.lower() for a in answer)
    return str(answer).lower() == wanted


def show_value(value: ValueType, unit: str | None = None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, float):
        text = f"{value:g}"
        return f"{text} {unit}" if unit else text
    return str(value)


def build_checkin(
    at: datetime,
    answers: Mapping[str, ValueType],
    trackers: Mapping[str, AnyTracker],
    *,
    keep: Sequence[TrackerValue] = (),
    uid: str | None = None,
) -> NewCheckin:
    """Turn answers keyed by tracker id into a check-in to store.

    Core answers go to their columns; every other answer is stored with its tracker's id,
    version, title and unit. ``keep`` holds stored values of trackers that are no longer
    defined (when editing), which are kept exactly as they were.
    """
    mood = answers.get("mood")
    if not isinstance(mood, int) or isinstance(mood, bool):
        raise ValueError("a check-in needs a mood from 0 to 10")

    def opt_int(key: str) -> int | None:
        v = answers.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    sleep = answers.get("sleep")
    note = answers.get("note")
    emotions = answers.get("emotions")
    tags = answers.get("tags")
    entry = NewCheckin(
        at=at,
        mood=mood,
        energy=opt_int("energy"),
        anxiety=opt_int("anxiety"),
        sleep_hours=float(sleep) if isinstance(sleep, int | float) else None,
        note=note if isinstance(note, str) and note.strip() else None,
        emotions=list(emotions) if isinstance(emotions, list) else [],
        tags=list(tags) if isinstance(tags, list) else [],
        uid=uid,
    )
    core = {"mood", "energy", "anxiety", "sleep", "note", "emotions", "tags"}
    for tracker_id, value in answers.items():
        if tracker_id in core:
            continue
        tracker = trackers.get(tracker_id)
        if tracker is None:
            raise ValueError(f"there is no tracker called '{tracker_id}'")
        if isinstance(value, list) and not value:
            continue
        unit = tracker.unit if isinstance(tracker, NumberTracker) else None
        entry.values.append(
            TrackerValue.make(tracker.id, tracker.version, tracker.title, tracker.kind, value, unit)
        )
    answered = {v.tracker_id for v in entry.values}
    entry.values.extend(v for v in keep if v.tracker_id not in answered)
    return entry
