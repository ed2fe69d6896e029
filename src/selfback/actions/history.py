"""The check-in log: reading a span, finding one entry, and fixing or deleting it.

Editing keeps what a person recorded true to when they recorded it: answers to trackers
that are no longer defined are kept exactly as they were, and an answer that did not
change keeps the tracker version and label it was recorded under (so a tracker edited
since does not relabel old answers). The new record is built by the one check-in builder
and written by the one check-in writer (``selfback.actions.checkin``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from selfback.errors import UsageError
from selfback.messages import history as msg

if TYPE_CHECKING:
    from selfback.actions.hear import Heard
    from selfback.paths import Paths
    from selfback.store.checkins import Checkin
    from selfback.trackers.schema import AnyTracker


def entries(paths: Paths, since: date | None, until: date) -> list[Checkin]:
    """The check-ins from ``since`` (None: the start) to ``until``, oldest first."""
    from selfback.store.checkins import list_checkins
    from selfback.store.db import open_store

    store = open_store(paths)
    try:
        return list_checkins(store, since, until)
    finally:
        store.close()


def find(paths: Paths, checkin_id: int) -> Checkin:
    """Check-in ``checkin_id``; a UsageError (one sentence) when there is none."""
    from selfback.store.checkins import get_checkin
    from selfback.store.db import open_store

    store = open_store(paths)
    try:
        found = get_checkin(store, checkin_id)
    finally:
        store.close()
    if found is None:
        raise UsageError(msg.NO_SUCH.format(id=checkin_id))
    return found


def delete(paths: Paths, checkin_id: int) -> bool:
    """Delete check-in ``checkin_id``; False when it was already gone."""
    from selfback.store.checkins import delete_checkin
    from selfback.store.db import open_store

    store = open_store(paths)
    try:
        return delete_checkin(store, checkin_id)
    finally:
        store.close()


@dataclass(frozen=True)
class Editing:
    """A check-in being edited: as stored, and the trackers defined now."""

    checkin: Checkin
    trackers: Mapping[str, AnyTracker]
    order: tuple[AnyTracker, ...]  # every active tracker, the note last

    @property
    def answers(self) -> dict[str, Any]:
        return self.checkin.answers()

    def questions(self) -> tuple[list[AnyTracker], AnyTracker | None]:
        """What to ask again, in order: every active tracker and any other one this
        check-in answered (the note apart, asked last)."""
        note = next((t for t in self.order if t.id == "note"), None)
        asked = [t for t in self.order if t.id != "note"]
        ids = {t.id for t in self.order}
        asked += [
            self.trackers[k]
            for k in self.checkin.answers()
            if k in self.trackers and k not in ids and k != "note"
        ]
        return asked, note

    def undefined(self) -> dict[str, Any]:
        """Answers to trackers that are no longer defined (kept as they were)."""
        return {k: v for k, v in self.answers.items() if k not in self.trackers and k != "note"}


@dataclass(frozen=True)
class Edit:
    """The edited check-in: when it happened and every answer it keeps."""

    when: datetime
    answers: Mapping[str, Any]


@dataclass(frozen=True)
class Edited:
    checkin_id: int
    heard: Heard | None  # changed answers that may mean risk: show, then record


def start(paths: Paths, checkin_id: int) -> Editing:
    """Begin editing check-in ``checkin_id`` (a UsageError when there is none)."""
    from selfback.trackers.library import load_trackers

    found = find(paths, checkin_id)
    lib = load_trackers(paths)
    defs = {e.tracker.id: e.tracker for e in lib.entries.values()}
    return Editing(found, defs, tuple(lib.active(include_on_demand=True)))


def with_changes(
    editing: Editing, changes: Mapping[str, Any], clear: Sequence[str]
) -> dict[str, Any]:
    """The stored answers with ``changes`` made and the answers named in ``clear``
    removed (mood stays: every check-in has one)."""
    answers = editing.answers
    for raw in clear:
        key = raw.strip().lower().replace("-", "_")
        if key == "mood":
            raise UsageError(msg.MOOD_STAYS)
        if key not in answers:
            raise UsageError(msg.NOTHING_TO_CLEAR.format(id=editing.checkin.id, key=key))
        answers.pop(key)
    answers.update(changes)
    return answers


def save(paths: Paths, now: datetime, editing: Editing, edit: Edit) -> Edited:
    """Replace the check-in with ``edit`` in one transaction. An empty note is no note."""
    from selfback.actions.checkin import CheckinDraft, build_entry, replace
    from selfback.actions.hear import notice

    c = editing.checkin
    answers = {k: v for k, v in edit.answers.items() if not (k == "note" and v is None)}
    keep = [v for v in c.values if v.tracker_id not in editing.trackers and v.tracker_id in answers]
    for v in keep:
        answers.pop(v.tracker_id, None)
    try:
        entry = build_entry(
            CheckinDraft(edit.when, answers, editing.trackers), keep=keep, uid=c.uid
        )
    except ValueError as exc:
        raise UsageError(msg.EDIT_DOES_NOT_WORK.format(problem=exc)) from None
    # An answer that did not change keeps the tracker version and label it was recorded under.
    old = {v.tracker_id: v for v in c.values}
    entry.values = [
        old[v.tracker_id] if v.tracker_id in old and old[v.tracker_id].value == v.value else v
        for v in entry.values
    ]
    if not replace(paths, c.id, entry, now=now):
        raise UsageError(msg.GONE_MEANWHILE.format(id=c.id))
    return Edited(c.id, notice(answers, editing.trackers, before=c.answers()))


def record_heard(paths: Paths, editing: Editing, heard: Heard) -> None:
    """Record what an edit brought up, once it is on screen."""
    from selfback.actions.hear import record

    record(paths, heard, ref_uid=editing.checkin.uid)
