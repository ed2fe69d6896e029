"""`selfback` with no arguments: the short home screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.store.db import iso, new_uid, open_store, utc_iso
from selfback.store.sessions import CopingSession, save_session

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW.isoformat())


def add_checkin(when: datetime) -> None:
    with open_store(get_paths()) as store, store.tx() as db:
        db.execute(
            "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 6, ?, ?)",
            (new_uid(), iso(when), utc_iso(when), when.date().isoformat(), iso(when), iso(when)),
        )


def test_home_without_a_log_shows_the_ways_in_and_creates_nothing(
    cli: Callable[..., Any], home: Path
) -> None:
    result = cli()
    assert result.exit_code == 0, result
    out = result.stdout
    assert "selfback cope" in out and "selfback sos" in out
    assert "Today: no check-in yet" in out and "selfback checkin" in out
    assert "\x1b[" not in out
    assert not (home / "selfback.db").exists()


def test_home_shows_todays_checkin(cli: Callable[..., Any]) -> None:
    add_checkin(NOW - timedelta(days=1))
    assert "no check-in yet" in cli().stdout
    add_checkin(NOW - timedelta(hours=1))
    assert "Today: you checked in." in cli().stdout
    add_checkin(NOW - timedelta(minutes=5))
    assert "you checked in 2 times" in cli().stdout


def test_home_mentions_the_last_skill_that_helped(cli: Callable[..., Any]) -> None:
    with open_store(get_paths()) as store:
        save_session(
            store,
            CopingSession(
                skill_id="box-breathing",
                skill_version=1,
                skill_title="Box breathing",
                started_at=NOW - timedelta(days=2),
                status="completed",
                distress_before=7,
                distress_after=4,
            ),
        )
    out = cli().stdout
    assert "Box breathing helped" in out and "selfback cope --again" in out


def test_home_gently_mentions_an_overdue_measure(cli: Callable[..., Any], home: Path) -> None:
    taken = NOW - timedelta(days=30)
    with open_store(get_paths()) as store, store.tx() as db:
        db.execute(
            "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
            " taken_utc, answers, total, band) VALUES (?, 'phq9', 1, ?, ?, ?, 4, 'minimal')",
            (new_uid(), iso(taken), utc_iso(taken), "[0,0,1,1,1,1,0,0,0]"),
        )
    assert "PHQ-9" in cli().stdout
    (home / "config.json").write_text('{"measure_reminders": false}')
    assert "PHQ-9" not in cli().stdout


def test_home_survives_a_damaged_log(cli: Callable[..., Any], home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "selfback.db").write_bytes(b"this is not a database" * 100)
    result = cli()
    assert result.exit_code == 0
    assert "selfback cope" in result.stdout and "selfback sos" in result.stdout
