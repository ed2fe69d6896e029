"""What goes with better or worse mood: for each tag and tracker, the average mood on days
with it and on days without it.

A pure function over the store: no printing, no wording beyond short labels. The
renderer (``selfback trends``) decides how to say it; ``enough_data`` tells it whether a
row may be ranked at all. This is a description of the person's own log, never a claim
about causes.

Days, not check-ins, are the unit: a day's mood is the mean of its check-ins' moods.

- Tags (activities and triggers) and the items of custom ``tags`` trackers: days where
  any check-in has it, against days with check-ins that do not.
- ``yesno`` trackers: days answered yes (in any check-in), against days answered only no.
- ``scale`` trackers (energy and anxiety included): days whose highest answer is at or
  above the tracker's threshold (``high_from``, or the upper half of its range), against
  days answered below it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from selfback.export.pack import DIARY_SKILLS
from selfback.skills.titles import skill_word
from selfback.store import influence as queries
from selfback.store.db import Store

if TYPE_CHECKING:
    from selfback.trackers.schema import AnyTracker

MIN_DAYS = 5


@dataclass(frozen=True)
class InfluenceRow:
    key: str  # "tag:walk", "tracker:urge_selfharm", "tracker:skills_used:tipp"
    source: str  # "tag", "yesno", "scale", "tags"
    label: str  # "walk", "Urge to self-harm", "Skills used: tipp"
    with_label: str  # "walk", "yes", "1-5"
    without_label: str  # "without 'walk'", "no", "0"
    days_with: int
    days_without: int
    mood_with: float | None
    mood_without: float | None
    enough_data: bool  # at least MIN_DAYS days on each side
    rank: int | None = None  # 1 = largest difference; None when not ranked

    @property
    def difference(self) -> float | None:
        """Average mood with minus without (positive: better mood on days with it)."""
        if self.mood_with is None or self.mood_without is None:
            return None
        return self.mood_with - self.mood_without

    def to_json(self) -> dict[str, object]:
        diff = self.difference
        return {
            "key": self.key,
            "source": self.source,
            "label": self.label,
            "with_label": self.with_label,
            "without_label": self.without_label,
            "days_with": self.days_with,
            "days_without": self.days_without,
            "mood_with": None if self.mood_with is None else round(self.mood_with, 2),
            "mood_without": None if self.mood_without is None else round(self.mood_without, 2),
            "difference": None if diff is None else round(diff, 2),
            "enough_data": self.enough_data,
            "rank": self.rank,
        }


def without(word: str) -> str:
    """Days without a tag, in neutral words: "without 'friends'" (never "no friends",
    which reads as having none)."""
    return f"without '{word}'"


@dataclass(frozen=True)
class ScaleInfo:
    """What the function needs to know about a scale tracker."""

    min: int
    max: int
    threshold: int  # values >= threshold count as "with"


def _mean(days: set[str], mood: Mapping[str, float]) -> float | None:
    if not days:
        return None
    return sum(mood[d] for d in days) / len(days)


def _default_scales() -> dict[str, ScaleInfo]:
    """Ranges of the built-in scale trackers (energy, anxiety, the diary-card urges).

    Read straight from the shipped YAML (they are validated by the tracker tests), so
    that `trends` does not build the tracker models just to learn three numbers.
    """
    out = {
        "energy": ScaleInfo(0, 10, 6),
        "anxiety": ScaleInfo(0, 10, 6),
    }
    from pathlib import Path

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    folder = Path(__file__).resolve().parent.parent / "trackers" / "builtin"
    try:
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
            for t in (data or {}).get("trackers", []):
                if isinstance(t, dict) and t.get("kind") == "scale" and "id" in t:
                    low, high = int(t.get("min", 0)), int(t.get("max", 10))
                    threshold = t.get("high_from")
                    if threshold is None:
                        threshold = (low + high) // 2 + 1
                    out[str(t["id"])] = ScaleInfo(low, high, int(threshold))
    except (OSError, ValueError, TypeError, yaml.YAMLError):  # pragma: no cover - tested files
        from selfback.crashlog import log

        log.exception("reading the built-in tracker ranges")
    return out


def scale_infos(trackers: Mapping[str, AnyTracker]) -> dict[str, ScaleInfo]:
    """Turn tracker definitions (e.g. ``builtin_trackers()``) into ScaleInfo."""
    from selfback.trackers.schema import ScaleTracker

    out: dict[str, ScaleInfo] = {}
    for key, t in trackers.items():
        if isinstance(t, ScaleTracker):
            out[key] = ScaleInfo(t.min, t.max, t.threshold)
    return out


class _Tally:
    """What the influence table is counted from, gathered query by query."""

    def __init__(self) -> None:
        # per key: days "with", days answered (for trackers), labels
        self.with_days: dict[str, set[str]] = defaultdict(set)
        self.answered: dict[str, set[str]] = {}
        # key -> source, label, with, without
        self.labels: dict[str, tuple[str, str, str, str]] = {}
        self.day_max: dict[str, dict[str, float]] = defaultdict(dict)  # scale: day's highest
        self.yes_days: dict[str, set[str]] = defaultdict(set)
        self.yesno_answered: dict[str, set[str]] = defaultdict(set)
        self.latest_label: dict[str, str] = {}

    def tag(self, day: str, word: str) -> None:
        key = f"tag:{word}"
        self.with_days[key].add(day)
        self.labels.setdefault(key, ("tag", word, word, without(word)))

    def highs(self, highs: queries.DayHighs) -> None:
        """The everyday scales live in columns: the day's highest answer."""
        for tracker_id, value in (("energy", highs.energy), ("anxiety", highs.anxiety)):
            if value is not None:
                self.day_max[tracker_id][highs.day] = float(value)

    def answer(self, a: queries.DayAnswer) -> None:
        day, tracker_id, kind, label, num, text = a
        self.latest_label[tracker_id] = label or tracker_id
        if kind == "yesno" and num is not None:
            self.yesno_answered[tracker_id].add(day)
            if num:
                self.yes_days[tracker_id].add(day)
        elif kind == "scale" and num is not None:
            prev = self.day_max[tracker_id].get(day)
            self.day_max[tracker_id][day] = num if prev is None else max(prev, num)
        elif kind == "tags" and text:
            for item in _tag_items(text):
                key = f"tracker:{tracker_id}:{item}"
                self.with_days[key].add(day)
                word = skill_word(str(item)) if tracker_id == DIARY_SKILLS else str(item)
                self.labels[key] = (
                    "tags",
                    f"{label or tracker_id}: {word}",
                    word,
                    without(word),
                )

    def yesno(self) -> None:
        for tracker_id, days in self.yesno_answered.items():
            key = f"tracker:{tracker_id}"
            self.with_days[key] = self.yes_days[tracker_id]
            self.answered[key] = days
            self.labels[key] = ("yesno", self.latest_label[tracker_id], "yes", "no")

    def scales(self, info: Mapping[str, ScaleInfo]) -> None:
        for tracker_id, values in self.day_max.items():
            if not values:
                continue
            key = f"tracker:{tracker_id}"
            si = info.get(tracker_id)
            if si is None:
                top = int(max(values.values()))
                si = ScaleInfo(0, max(top, 1), max(top, 1) // 2 + 1)
            self.with_days[key] = {d for d, v in values.items() if v >= si.threshold}
            self.answered[key] = set(values)
            label = _SCALE_LABELS.get(tracker_id) or self.latest_label.get(tracker_id, tracker_id)
            high = f"{si.threshold}-{si.max}" if si.threshold < si.max else str(si.max)
            low = f"{si.min}-{si.threshold - 1}" if si.threshold - 1 > si.min else str(si.min)
            self.labels[key] = ("scale", label, high, low)

    def rows(self, mood: Mapping[str, float], min_days: int) -> list[InfluenceRow]:
        all_days = set(mood)
        out: list[InfluenceRow] = []
        for key, (source, label, w_label, wo_label) in self.labels.items():
            base = self.answered.get(key, all_days)
            days_with = self.with_days[key] & base
            days_without = base - days_with
            out.append(
                InfluenceRow(
                    key=key,
                    source=source,
                    label=label,
                    with_label=w_label,
                    without_label=wo_label,
                    days_with=len(days_with),
                    days_without=len(days_without),
                    mood_with=_mean(days_with, mood),
                    mood_without=_mean(days_without, mood),
                    enough_data=len(days_with) >= min_days and len(days_without) >= min_days,
                )
            )
        return out


_SCALE_LABELS = {"energy": "Energy", "anxiety": "Anxiety"}


def _tag_items(text: str) -> list[object]:
    try:
        items = json.loads(text)
    except ValueError:
        return []
    return items if isinstance(items, list) else []


def influence_table(
    store: Store,
    since: date | None,
    until: date | None,
    *,
    scales: Mapping[str, ScaleInfo] | None = None,
    min_days: int = MIN_DAYS,
) -> list[InfluenceRow]:
    """One row per tag and per yes/no, scale or tags tracker seen in [since, until].

    Rows with at least ``min_days`` days on each side are ranked by the size of the
    difference (largest first); the rest follow, unranked, most days first.
    ``scales`` gives ranges for scale trackers (default: the built-in ones; others use
    0 to the highest value seen).
    """
    mood = queries.day_moods(store, since, until)
    if not mood:
        return []
    info = dict(_default_scales())
    if scales:
        info.update(scales)
    tally = _Tally()
    for day, word in queries.tag_days(store, since, until):
        tally.tag(day, word)
    for highs in queries.day_highs(store, since, until):
        tally.highs(highs)
    for answer in queries.tracker_answers(store, since, until):
        tally.answer(answer)
    tally.yesno()
    tally.scales(info)
    rows = tally.rows(mood, min_days)
    ranked = sorted(
        (r for r in rows if r.enough_data),
        key=lambda r: (-abs(r.difference or 0.0), r.label),
    )
    rest = sorted(
        (r for r in rows if not r.enough_data),
        key=lambda r: (-(r.days_with + r.days_without), -r.days_with, r.label),
    )
    out = [_with_rank(r, i) for i, r in enumerate(ranked, start=1)]
    return out + rest


def _with_rank(row: InfluenceRow, rank: int) -> InfluenceRow:
    return replace(row, rank=rank)
