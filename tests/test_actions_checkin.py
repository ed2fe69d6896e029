"""The check-in use cases, typed values in and out, without a terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from selfback.actions import checkin, history
from selfback.actions.hear import Heard
from selfback.errors import UsageError
from selfback.paths import get_paths

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class Screen:
    def __init__(self) -> None:
        self.said: list[str] = []

    def saved(self, sealed: bool = False) -> None:
        self.said.append("saved")

    def heard(self, heard: Heard) -> None:
        self.said.append("heard: " + heard.lead)


def _flags(home: Path) -> list[tuple[str, str]]:
    from selfback.store.db import open_store

    store = open_store(get_paths())
    try:
        rows = store.query("SELECT source, kind FROM risk_flags ORDER BY id")
        return [(r["source"], r["kind"]) for r in rows]
    finally:
        store.close()


def test_one_builder_gives_the_same_record_with_or_without_tracker_files() -> None:
    from selfback.trackers.library import load_trackers

    answers: dict[str, Any] = {"mood": 6, "sleep": 7.5, "tags": ["work"], "note": "ok"}
    defs = checkin.definitions(load_trackers(get_paths()))
    fast = checkin.build_entry(checkin.CheckinDraft(NOW, answers))
    full = checkin.build_entry(checkin.CheckinDraft(NOW, answers, defs))
    assert fast == full
    with pytest.raises(ValueError, match="mood"):
        checkin.build_entry(checkin.CheckinDraft(NOW, {"energy": 3}))


def test_check_in_saves_then_shows_what_was_heard_then_records_it(home: Path) -> None:
    screen = Screen()
    draft = checkin.CheckinDraft(NOW, {"mood": 2, "note": "I want to die"})
    saved = checkin.check_in(get_paths(), NOW, draft, screen)
    assert screen.said[0] == "saved" and screen.said[1].startswith("heard: ")
    assert saved.heard is not None and saved.gentle is None
    assert _flags(home) == [("checkin-note", "suicide")]
    found = history.entries(get_paths(), None, NOW.date())
    assert [c.uid for c in found] == [saved.uid]


def test_a_hard_day_not_heard_as_risk_gets_a_gentle_line(home: Path) -> None:
    saved = checkin.check_in(get_paths(), NOW, checkin.CheckinDraft(NOW, {"mood": 2}), Screen())
    assert saved.heard is None and saved.gentle is not None and "selfback cope" in saved.gentle


def test_what_was_heard_is_shown_even_when_saving_fails(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_a: Any, **_k: Any) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(checkin, "add", full)
    screen = Screen()
    draft = checkin.CheckinDraft(NOW, {"mood": 2, "note": "I want to die"})
    with pytest.raises(OSError):
        checkin.check_in(get_paths(), NOW, draft, screen)
    assert [s.split(":")[0] for s in screen.said] == ["heard"]


def test_an_edit_keeps_answers_to_trackers_no_longer_defined_as_they_were(home: Path) -> None:
    from selfback.store.checkins import TrackerValue

    paths = get_paths()
    entry = checkin.build_entry(checkin.CheckinDraft(NOW, {"mood": 5}))
    old_value = TrackerValue.make("old_tracker", 1, "Gone now", "scale", 3)
    entry.values = [old_value]
    checkin.add(paths, entry, now=NOW)
    [stored] = history.entries(paths, None, NOW.date())
    editing = history.start(paths, stored.id)
    answers = history.with_changes(editing, {"mood": 7}, clear=[])
    later = NOW + timedelta(hours=1)
    history.save(paths, later, editing, history.Edit(stored.when, answers))
    edited = history.find(paths, stored.id)
    assert edited.mood == 7
    assert edited.values == (old_value,)  # a tracker no longer defined: kept as it was
    with pytest.raises(UsageError, match="Mood cannot be cleared"):
        history.with_changes(editing, {}, clear=["mood"])
    with pytest.raises(UsageError, match="no answer for 'sleep'"):
        history.with_changes(editing, {}, clear=["sleep"])
