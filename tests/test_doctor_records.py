"""`selfback doctor`'s "Records" check: records already in the log that break its rules
(`selfback.store.consistency`), named with a few ids, never changed.

The log is made by selfback itself (check-ins, sessions, results, the plan, the hope
box, crisis openings), then one record is changed in SQLite the way an import by an
older selfback could have left it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from selfback.actions import hope as H
from selfback.paths import get_paths
from test_export_data import dump_log, make_log

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def _log(home: Path) -> Path:
    make_log(days=40, special_notes=False)
    H.add_item(get_paths(), datetime.fromisoformat(NOW), kind="message", text="Still here.")
    H.keep_note(get_paths(), datetime.fromisoformat(NOW), situation="panic", text="Breathe.")
    return home / "selfback.db"


def _sql(db: Path, sql: str) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def _records(cli: Any) -> dict[str, Any]:
    r = cli("doctor", "--json")
    report = json.loads(r.stdout)
    check: dict[str, Any] = next(c for c in report["checks"] if c["name"] == "Records")
    assert (r.exit_code == 0) == report["ok"]
    return check


def test_a_log_selfback_wrote_keeps_every_rule(cli: Any, home: Path) -> None:
    _log(home)
    assert cli("checkin", "6").exit_code == 0
    check = _records(cli)
    assert check["ok"] and check["problems"] == []
    r = cli("doctor")
    assert "Records" in r.stdout and "times and kinds are as selfback writes them" in r.stdout


def test_doctor_before_there_is_a_log(cli: Any) -> None:
    check = _records(cli)
    assert check["ok"] and check["detail"] == "nothing to check yet"


CASES = [
    (
        "ts_utc four years from ts",
        "UPDATE checkins SET ts_utc = '2022-03-01T19:00:00+00:00' WHERE id IN (2, 5)",
        "2 check-ins whose ts_utc is not the moment of ts in UTC (first: check-in 2: ",
    ),
    (
        "ts_utc not in UTC",
        "UPDATE checkins SET ts_utc = ts WHERE id = 3",
        "1 check-in whose ts_utc is not the moment of ts in UTC (first: check-in 3",
    ),
    (
        "ts without offset",
        "UPDATE checkins SET ts = substr(ts, 1, 19) WHERE id = 4",
        "1 check-in whose ts has no UTC offset (first: check-in 4",
    ),
    (
        "local_date",
        "UPDATE checkins SET local_date = '2001-01-01' WHERE id = 6",
        "1 check-in whose local_date is not the date of ts (first: check-in 6",
    ),
    (
        "tracker kind",
        "UPDATE checkin_values SET kind = 'colour' WHERE checkin_id = 7 AND tracker_id = 'water'",
        "1 tracker answer of a kind selfback does not know (first: check-in 7: water (colour))",
    ),
    (
        "started_utc",
        "UPDATE coping_sessions SET started_utc = '2030-01-01T00:00:00+00:00' WHERE id = 1",
        "1 coping session whose started_utc is not the moment of started_at in UTC",
    ),
    (
        "taken_utc",
        "UPDATE measure_results SET taken_utc = '1999-01-01T00:00:00+00:00' WHERE id = 1",
        "1 questionnaire result whose taken_utc is not the moment of taken_at in UTC",
    ),
    (
        "opened_utc",
        "UPDATE crisis_openings SET opened_utc = 'soon' WHERE id = 1",
        "1 crisis-screen opening whose opened_utc is not the moment of opened_at in UTC",
    ),
    (
        "saved_utc",
        "UPDATE safety_plan_versions SET saved_utc = '2000-01-01T00:00:00+00:00' WHERE id = 1",
        "1 safety-plan version whose saved_utc is not the moment of saved_at in UTC",
    ),
    (
        "added_utc",
        "UPDATE hope_items SET added_utc = '2000-01-01T00:00:00+00:00'",
        "1 hope-box item whose added_utc is not the moment of added_at in UTC",
    ),
    (
        "written_utc",
        "UPDATE next_time_notes SET written_utc = '2000-01-01T00:00:00+00:00'",
        "1 note for next time whose written_utc is not the moment of written_at in UTC",
    ),
    (
        "hope kind",
        "UPDATE hope_items SET kind = 'video'",
        "1 hope-box item of a kind selfback does not know (first: hope-box item 1: video)",
    ),
    (
        "crisis source",
        "UPDATE crisis_openings SET source = 'phone' WHERE id = 1",
        "1 crisis-screen opening from a source selfback does not know (first: crisis-screen "
        "opening 1: phone)",
    ),
    (
        "questionnaire",
        "UPDATE measure_results SET instrument = 'phq10' WHERE id = 1",
        "1 questionnaire result of a questionnaire selfback does not have (first: "
        "questionnaire result 1: phq10)",
    ),
]


@pytest.mark.parametrize("sql, problem", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_doctor_names_records_that_break_a_rule(
    cli: Any, home: Path, sql: str, problem: str
) -> None:
    db = _log(home)
    _sql(db, sql)
    before = dump_log(db)
    check = _records(cli)
    assert not check["ok"]
    assert any(p.startswith(problem) for p in check["problems"]), check["problems"]
    assert "Nothing was changed" in check["problems"][-1]
    r = cli("doctor")
    assert r.exit_code != 0
    assert "PROBLEM  Records" in r.stdout and problem[:30] in r.stdout
    # the other checks are still there, and nothing in the log moved
    for name in ("Database", "Integrity", "Privacy", "Settings", "Plan copy"):
        assert name in r.stdout
    assert dump_log(db) == before


def test_many_records_are_counted_and_a_few_named(cli: Any, home: Path) -> None:
    db = _log(home)
    _sql(db, "UPDATE checkins SET ts_utc = '2022-03-01T19:00:00+00:00'")
    n = sqlite3.connect(db).execute("SELECT count(*) FROM checkins").fetchone()[0]
    check = _records(cli)
    line = check["problems"][0]
    assert line.startswith(f"{n} check-ins whose ts_utc")
    assert line.count("check-in ") == 3 and check["detail"].startswith(f"{n} records")


def test_an_old_log_without_the_hope_box_is_checked_too(cli: Any, home: Path) -> None:
    db = _log(home)
    _sql(db, "DROP TABLE hope_items")
    _sql(db, "UPDATE checkins SET local_date = '2001-01-01' WHERE id = 1")
    check = _records(cli)
    assert any("local_date is not the date of ts" in p for p in check["problems"])


def test_a_damaged_database_is_not_checked_twice(cli: Any, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "selfback.db").write_bytes(b"not a database at all" * 100)
    check = _records(cli)
    assert check["ok"] and "cannot be read" in check["detail"]
