"""Checking in: what the questions are, building the check-in, saving it, and what to
say after.

One builder (:func:`build_entry`) turns answers keyed by tracker id into the record, for
the questions, the flags and ``history edit`` alike; :func:`add` and :func:`replace` are
the one place a check-in is written (through ``selfback.store.checkins``). Answers with
only the everyday values (``checkin --mood 6 --tag work``) are built without loading any
tracker file, so the flag path stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from selfback.actions.hear import Heard, notice
from selfback.messages import checkin as msg

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.store.checkins import NewCheckin, TrackerValue
    from selfback.trackers.library import TrackerLibrary
    from selfback.trackers.schema import AnyTracker

WORD_TRACKERS = {"emotions": "emotion", "tags": "tag"}
MOST_SUGGESTIONS = 16  # numbered words shown for one word tracker


@dataclass(frozen=True)
class CheckinDraft:
    """A check-in before it is saved: when, the answers (tracker id -> value) and the
    tracker definitions they answer (None: only the everyday answers, no files loaded)."""

    when: datetime
    answers: Mapping[str, Any]
    trackers: Mapping[str, AnyTracker] | None = None


@dataclass(frozen=True)
class Questions:
    """What a check-in by questions asks: the active trackers in order, those already
    answered today (``ask: daily``), suggestions for word trackers, and a line about
    tracker files left out (if any)."""

    trackers: tuple[AnyTracker, ...]
    definitions: Mapping[str, AnyTracker]
    answered_today: frozenset[str]
    suggestions: Mapping[str, list[str]] = field(default_factory=dict)
    problems: str | None = None


@dataclass(frozen=True)
class CheckinSaved:
    uid: str
    heard: Heard | None  # something that may mean risk: show it, then record it
    gentle: str | None  # otherwise, a kind line for a hard day (or None)
    sealed: bool = False  # the log is locked: sealed into the inbox for the next unlock


class CheckinScreen(Protocol):
    """How the use case talks to the person while saving."""

    def heard(self, heard: Heard) -> None:
        """Show the lead line and the short crisis text."""

    def saved(self, sealed: bool = False) -> None:
        """Say that the check-in is saved (``sealed``: into the inbox, the log is locked)."""


def definitions(lib: TrackerLibrary | None) -> dict[str, AnyTracker] | None:
    """Tracker id -> definition for every tracker in ``lib`` (None for no library)."""
    return None if lib is None else {e.tracker.id: e.tracker for e in lib.entries.values()}


def problems_line(lib: TrackerLibrary) -> str | None:
    n = len(lib.problems)
    if not n:
        return None
    what = msg.ONE_PROBLEM if n == 1 else msg.PROBLEMS.format(count=n)
    return msg.LEFT_OUT.format(what=what)


def numbered_words(pinned: Sequence[str], base: Sequence[str], mine: Sequence[str]) -> list[str]:
    """A word tracker's numbered list: the pinned words, the tracker's own suggestions,
    then the person's words in the order first used. Nothing moves when a word is used
    again; a new word comes at the end (and is numbered while the list has room)."""
    return list(dict.fromkeys([*pinned, *base, *mine]))[:MOST_SUGGESTIONS]


def questions(paths: Paths, when: datetime, *, include_on_demand: bool) -> Questions:
    """The questions of a check-in at ``when``. Reads the tracker files and the log."""
    from selfback.store.checkins import answered_on, words_by_first_use
    from selfback.store.db import open_store
    from selfback.store.keys import is_locked
    from selfback.trackers.library import load_trackers
    from selfback.trackers.schema import TagsTracker

    lib = load_trackers(paths)
    active = tuple(lib.active(include_on_demand=include_on_demand))
    if is_locked(paths):  # the questions are asked all the same; the answer is sealed
        return Questions(active, definitions(lib) or {}, frozenset(), {}, problems_line(lib))
    store = open_store(paths)
    try:
        today = frozenset(answered_on(store, when.date()))
        suggestions: dict[str, list[str]] = {}
        for tracker in active:
            if tracker.kind != "tags":
                continue
            base = list(tracker.suggestions) if isinstance(tracker, TagsTracker) else []
            pinned = lib.state.pins.get(tracker.id, [])
            kind = WORD_TRACKERS.get(tracker.id)
            mine = [] if kind is None else words_by_first_use(store, kind, MOST_SUGGESTIONS * 4)
            suggestions[tracker.id] = numbered_words(pinned, base, mine)
    finally:
        store.close()
    return Questions(active, definitions(lib) or {}, today, suggestions, problems_line(lib))


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def build_entry(
    draft: CheckinDraft, *, keep: Sequence[TrackerValue] = (), uid: str | None = None
) -> NewCheckin:
    """The record for ``draft``. Everyday answers go to their columns; every other answer
    is stored with its tracker's id, version, title and unit (``keep``: stored values of
    trackers no longer defined, kept as they were). ValueError when the answers do not
    make a check-in (no mood, an unknown tracker)."""
    if draft.trackers is not None:
        from selfback.trackers.values import build_checkin

        return build_checkin(draft.when, draft.answers, draft.trackers, keep=keep, uid=uid)
    from selfback.store.checkins import NewCheckin

    answers = draft.answers
    mood = _opt_int(answers.get("mood"))
    if mood is None:
        raise ValueError("a check-in needs a mood from 0 to 10")
    sleep = answers.get("sleep")
    return NewCheckin(
        at=draft.when,
        mood=mood,
        energy=_opt_int(answers.get("energy")),
        anxiety=_opt_int(answers.get("anxiety")),
        sleep_hours=float(sleep) if isinstance(sleep, int | float) else None,
        note=answers.get("note"),
        emotions=list(answers.get("emotions", [])),
        tags=list(answers.get("tags", [])),
        values=list(keep),
        uid=uid,
    )


# -- the one place check-ins are written ----------------------------------------------------


def add(paths: Paths, entry: NewCheckin, *, now: datetime) -> str:
    """Save a new check-in in one transaction; returns its uid. While the log is locked
    it is checked, then sealed into the inbox for the next unlock (``actions.sealed``)."""
    from selfback.store.checkins import add_checkin
    from selfback.store.db import new_uid, open_store
    from selfback.store.keys import is_locked

    entry.uid = entry.uid or new_uid()
    if is_locked(paths):
        from selfback.actions.sealed import seal_checkin
        from selfback.store.checkin_model import check_row

        check_row(entry.to_row(now=now))
        return seal_checkin(paths, entry)
    store = open_store(paths)
    try:
        add_checkin(store, entry, now=now)
    finally:
        store.close()
    return entry.uid


def replace(paths: Paths, checkin_id: int, entry: NewCheckin, *, now: datetime) -> bool:
    """Replace check-in ``checkin_id`` in one transaction; False when it is gone."""
    from selfback.store.checkins import replace_checkin
    from selfback.store.db import open_store

    store = open_store(paths)
    try:
        return replace_checkin(store, checkin_id, entry, now=now)
    finally:
        store.close()


# -- checking in ----------------------------------------------------------------------------


def gentle_line(answers: Mapping[str, Any]) -> str | None:
    """A kind line for a hard day that was not heard as risk: a strong urge, or low mood."""
    urge = _opt_int(answers.get("urge_selfharm"))
    if (urge is not None and urge >= 3) or answers.get("acted_selfharm") is True:
        return msg.GENTLE_URGE
    mood = _opt_int(answers.get("mood"))
    if mood is not None and mood <= 3:
        return msg.GENTLE_LOW
    return None


def check_in(
    paths: Paths, now: datetime, draft: CheckinDraft, screen: CheckinScreen
) -> CheckinSaved:
    """Save ``draft``, then hear the person: anything that may mean risk gets the short
    crisis text once (``screen.heard``) and is recorded after it. If saving fails, what
    was heard is still shown before the error goes on (nothing is recorded: the log could
    not be written)."""
    from selfback.store.keys import is_locked

    heard = notice(draft.answers, draft.trackers)
    try:
        sealed = is_locked(paths)
        uid = add(paths, build_entry(draft), now=now)
    except BaseException:
        if heard is not None:
            screen.heard(heard)
        raise
    screen.saved(sealed)
    if heard is None:
        return CheckinSaved(uid, None, gentle_line(draft.answers), sealed)
    from selfback.actions.hear import record

    screen.heard(heard)
    record(paths, heard, ref_uid=uid)  # while locked, sealed too and added at unlock
    return CheckinSaved(uid, heard, None, sealed)
