"""What in a check-in may mean risk: the person's own words, and diary-card answers.

Pure and quiet (never prints, never writes): ``concerns(answers, trackers)`` says what was
noticed, and the caller shows the short crisis text once and records the flags. Nothing
here keeps a copy of the words.

- Words: the note (source ``checkin-note``), text trackers (``tracker``), and tags,
  emotions and other word lists typed as words (``tag``), through
  ``selfback.safety.risk.detect``.
- A self-harm or suicide urge, or any rating about them, at the top of its scale:
  9-10 on a 0-10 scale, 5 on the diary card's 0-5 (the top tenth of the range). Source
  ``rating``.
- A yes to "did you act on that urge?" after a self-harm or suicide urge (the diary card's
  ``acted_selfharm``). Source ``diary-card``; ``injury`` asks the caller to add a kind line
  about getting any injury looked at.

Standard library plus ``selfback.safety.risk`` only at module level, so the fast flag path
of ``selfback checkin`` stays fast (the tracker models are named for the type checker only,
never imported: their ``kind`` tells them apart).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from selfback.safety.risk import detect

if TYPE_CHECKING:
    from selfback.trackers.schema import AnyTracker

# Answers stored in the check-in's own columns, and what kind of value each is.
_WORD_LISTS = ("emotions", "tags")
HIGH_SHARE = 0.9  # the top tenth of a scale counts as "9-10"


@dataclass(frozen=True)
class Concern:
    """One thing noticed in a check-in (never the words themselves)."""

    source: str  # a selfback.safety.risk.FLAG_SOURCES value
    kind: str  # "suicide" or "self-harm"
    opening: str  # the crisis_openings source when the text is shown: "risk" or "rating"
    injury: bool = False  # acted on a self-harm urge: mention getting injuries looked at


def _squash(text: object) -> str:
    return "".join(ch for ch in str(text or "").lower() if ch.isalnum())


def topic(tracker: AnyTracker) -> str | None:
    """``"self-harm"`` or ``"suicide"`` when a tracker asks about that, else None.

    From the tracker's id (``urge_selfharm``, ``urge_suicide`` ...), then its title and
    question read by the risk detector ("Urge to self-harm").
    """
    ident = _squash(tracker.id)
    if "suicid" in ident:
        return "suicide"
    if "selfharm" in ident or "selfinjur" in ident:
        return "self-harm"
    for text in (tracker.title, tracker.prompt):
        hit = detect(text) if text else None
        if hit is not None:
            return hit.kind
    return None


def is_high(tracker: AnyTracker, value: object) -> bool:
    """Whether ``value`` is in the top tenth of a scale tracker's range (0-10: 9 or 10)."""
    if tracker.kind != "scale" and tracker.kind != "number":
        return False
    lo, hi = tracker.min, tracker.max
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if not isinstance(lo, int | float) or not isinstance(hi, int | float) or hi <= lo:
        return False
    return value >= lo + HIGH_SHARE * (hi - lo)


def _acted_topic(tracker: AnyTracker, trackers: Mapping[str, AnyTracker]) -> str | None:
    """For a yes/no "did you act on it?" tracker: the topic of the urge it follows."""
    cond = tracker.only_if
    urge = trackers.get(cond.tracker) if cond is not None else None
    if urge is not None:
        found = topic(urge)
        if found is not None:
            return found
    if "acted" in _squash(tracker.id):
        return topic(tracker)
    return None


def _words(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        yield from (v for v in value if isinstance(v, str))


def concerns(
    answers: Mapping[str, Any],
    trackers: Mapping[str, AnyTracker] | None = None,
    *,
    before: Mapping[str, Any] | None = None,
) -> list[Concern]:
    """What in ``answers`` (tracker id -> value) may mean risk, one entry per source and
    kind, in the order found. ``trackers`` (id -> tracker definition) tells text and
    urge trackers apart; without it only the note, tags and emotions are read.
    ``before`` (when editing) holds the old answers: only changed ones count."""
    trackers = trackers or {}
    found: dict[tuple[str, str], Concern] = {}

    def add(c: Concern) -> None:
        key = (c.source, c.kind)
        old = found.get(key)
        if old is None or (c.injury and not old.injury):
            found[key] = c

    for tracker_id, value in answers.items():
        if value is None or (before is not None and before.get(tracker_id) == value):
            continue
        tracker = trackers.get(tracker_id)
        kind = tracker.kind if tracker is not None else None
        if tracker_id == "note" or kind == "text":
            source = "checkin-note" if tracker_id == "note" else "tracker"
            hit = detect(value) if isinstance(value, str) else None
            if hit is not None:
                add(Concern(source, hit.kind, "risk"))
            continue
        if tracker_id in _WORD_LISTS or kind == "tags":
            for word in _words(value):
                hit = detect(word)
                if hit is not None:
                    add(Concern("tag", hit.kind, "risk"))
                    break
            continue
        if tracker is None:
            continue
        if kind == "scale":
            about = topic(tracker)
            if about is not None and is_high(tracker, value):
                add(Concern("rating", about, "rating"))
        elif kind == "yesno" and value is True:
            about = _acted_topic(tracker, trackers)
            if about is not None:
                add(Concern("diary-card", about, "rating", injury=True))
    return list(found.values())
