"""selfback.store.sessions: typed save/list of coping sessions and skill effectiveness."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from selfback.paths import get_paths
from selfback.store.db import Store, open_store
from selfback.store.sessions import (
    CopingSession,
    get_session,
    last_helpful_skill,
    last_session,
    list_sessions,
    save_session,
    skill_effectiveness,
)

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture
def store() -> Iterator[Store]:
    s = open_store(get_paths())
    yield s
    s.close()


def add(
    store: Store,
    skill: str,
    before: int | None,
    after: int | None,
    *,
    hours: int,
    status: str = "completed",
) -> CopingSession:
    session = CopingSession(
        skill_id=skill,
        skill_version=1,
        skill_title=skill.replace("-", " ").title(),
        started_at=T0 + timedelta(hours=hours),
        ended_at=T0 + timedelta(hours=hours, minutes=5),
        status=status,  # type: ignore[arg-type]
        distress_before=before,
        distress_after=after,
    )
    save_session(store, session)
    return session


def test_save_is_an_upsert_and_round_trips(store: Store) -> None:
    session = CopingSession(
        skill_id="box-breathing",
        skill_version=2,
        skill_title="Box breathing",
        started_at=T0,
        situation="panic",
        distress_before=8,
    )
    first_id = save_session(store, session)
    session.answers = [{"step": "see", "kind": "ask", "answer": ["a", "b"]}]
    session.status = "completed"
    session.ended_at = T0 + timedelta(minutes=4)
    session.distress_after = 5
    assert save_session(store, session) == first_id
    rows = store.query("SELECT * FROM coping_sessions")
    assert len(rows) == 1
    row = rows[0]
    assert row["started_at"] == "2026-11-01T09:00:00+02:00"
    assert row["started_utc"] == "2026-11-01T07:00:00+00:00"
    assert row["ended_at"] == "2026-11-01T09:04:00+02:00"
    assert json.loads(row["answers"]) == session.answers
    back = get_session(store, session.uid)
    assert back is not None
    assert back.to_json() == session.to_json()
    assert back.drop == 3


def test_invalid_values_are_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        save_session(store, CopingSession("x", 1, T0, distress_before=11))
    with pytest.raises(ValueError):
        save_session(store, CopingSession("x", 1, T0, status="done"))  # type: ignore[arg-type]
    assert store.query("SELECT count(*) FROM coping_sessions")[0][0] == 0


def test_list_sessions_newest_first_and_filters(store: Store) -> None:
    add(store, "a", 5, 4, hours=0)
    add(store, "b", 5, 4, hours=2)
    add(store, "a", 5, 4, hours=1)
    assert [s.started_at.hour for s in list_sessions(store)] == [11, 10, 9]
    assert [s.skill_id for s in list_sessions(store, skill_id="a")] == ["a", "a"]
    assert len(list_sessions(store, limit=1)) == 1
    assert len(list_sessions(store, since=T0 + timedelta(hours=1))) == 2
    assert len(list_sessions(store, until=T0 + timedelta(hours=1))) == 1
    last = last_session(store)
    assert last is not None and last.skill_id == "b"


def test_skill_effectiveness(store: Store) -> None:
    add(store, "box-breathing", 8, 5, hours=0)
    add(store, "box-breathing", 6, 5, hours=1)
    add(store, "box-breathing", 6, None, hours=2, status="stopped")
    add(store, "stop", 7, 7, hours=3)
    add(store, "stop", 7, 8, hours=4, status="stopped")
    stats = skill_effectiveness(store)
    box = stats["box-breathing"]
    assert (box.uses, box.completed, box.rated, box.helped) == (3, 2, 2, 2)
    assert box.average_drop == pytest.approx(2.0)
    assert box.last_used.startswith("2026-11-01T11:00")
    stop = stats["stop"]
    assert (stop.uses, stop.completed, stop.rated, stop.helped) == (2, 1, 2, 0)
    assert stop.average_drop == pytest.approx(-0.5)


def test_unrated_skill_has_no_average(store: Store) -> None:
    add(store, "tipp", None, 4, hours=0)
    assert skill_effectiveness(store)["tipp"].average_drop is None


def test_last_helpful_skill(store: Store) -> None:
    assert last_helpful_skill(store) is None
    add(store, "box-breathing", 8, 5, hours=0)
    add(store, "stop", 7, 7, hours=1)
    add(store, "tipp", 7, None, hours=2)
    found = last_helpful_skill(store)
    assert found is not None and found.skill_id == "box-breathing" and found.drop == 3
    add(store, "grounding-54321", 9, 8, hours=3, status="stopped")
    found = last_helpful_skill(store)
    assert found is not None and found.skill_id == "grounding-54321"


def test_damaged_answers_json_does_not_break_reading(store: Store) -> None:
    s = add(store, "a", 5, 4, hours=0)
    with store.tx() as db:
        db.execute("UPDATE coping_sessions SET answers = 'not json' WHERE uid = ?", (s.uid,))
    back = get_session(store, s.uid)
    assert back is not None and back.answers == []


def test_the_list_says_which_rating_is_missing(store: Store, cli) -> None:  # type: ignore[no-untyped-def]
    add(store, "box-breathing", 5, None, hours=1)
    add(store, "stop", None, 2, hours=2)
    add(store, "tipp", 7, 3, hours=3)
    out = cli("sessions").stdout
    assert "(done, distress 5, not rated after)" in out
    assert "(done, not rated before, distress 2 after)" in out
    assert "(done, distress 7 to 3)" in out
    assert "to not rated" not in out


def test_a_long_delete_question_wraps_by_words(store: Store, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    add(store, "progressive-muscle-relaxation", 5, 3, hours=1)
    monkeypatch.setenv("COLUMNS", "40")
    result = cli("sessions", "delete", "1", input="n\n")
    assert result.exit_code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Delete session 1 (")
    assert all(len(line) <= 40 for line in lines[:-1]), lines
    assert "[y/N] Kept. Nothing was deleted." in lines[-1]
    assert len(lines[-1].split("[y/N]")[0] + "[y/N]") <= 40, lines
