"""The one check-in writer: every check-in, from any source, is held to the same rules."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.store.checkins import (
    BadRow,
    CheckinRow,
    InvalidCheckin,
    TrackerValue,
    check_row,
    insert_checkins,
    list_checkins,
)
from selfback.store.db import open_store

NOW = "2026-11-21T10:00:00+00:00"
GOOD = CheckinRow(
    uid="a" * 32,
    ts="2026-11-20T21:30:00+01:00",
    ts_utc="2026-11-20T20:30:00+00:00",
    local_date="2026-11-20",
    mood=6,
    energy=4,
    anxiety=None,
    sleep_hours=7.5,
    note="a walk helped",
    created_at="2026-11-20T21:30:00+01:00",
    updated_at="2026-11-20T21:30:00+01:00",
    emotions=("calm",),
    tags=("walk", "work"),
    values=(
        TrackerValue("urge_selfharm", 1, "Urge to self-harm", "scale", 2.0),
        TrackerValue("skills_used", 1, "Skills used", "tags", None, '["tipp", "stop"]'),
        TrackerValue("med_taken", 1, "Took my medication", "yesno", 1.0),
    ),
)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"mood": 11}, "mood"),
        ({"mood": True}, "mood"),
        ({"energy": -1}, "energy"),
        ({"sleep_hours": 25.0}, "sleep_hours"),
        ({"ts": "2026-11-20T21:30:00"}, "ts"),
        ({"ts_utc": "2026-11-20T21:30:00+00:00"}, "ts_utc"),
        ({"ts_utc": "2026-11-20T21:30:00+01:00"}, "ts_utc"),
        ({"local_date": "2026-11-21"}, "local_date"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"tags": ("Work",)}, "tags"),
        ({"tags": ("walk, work",)}, "tags"),
        ({"emotions": ("",)}, "emotions"),
        ({"values": (TrackerValue("pain", 0, "Pain", "scale", 2.0),)}, "values"),
        ({"values": (TrackerValue("pain", 1, "Pain", "colour", 2.0),)}, "values"),
        ({"values": (TrackerValue("pain", 1, "Pain", "scale", 2.5),)}, "values"),
        ({"values": (TrackerValue("pain", 1, "Pain", "scale", None, "2"),)}, "values"),
        ({"values": (TrackerValue("meds", 1, "Meds", "yesno", 3.0),)}, "values"),
        ({"values": (TrackerValue("skills", 1, "Skills", "tags", None, "tipp"),)}, "values"),
        ({"values": (TrackerValue("mood", 1, "Mood", "scale", 2.0),)}, "values"),
        ({"values": (TrackerValue("", 1, "Empty", "scale", 2.0),)}, "values"),
        ({"values": GOOD.values + GOOD.values[:1]}, "values"),
    ],
)
def test_the_rules(change: dict[str, Any], field: str) -> None:
    check_row(GOOD)
    with pytest.raises(InvalidCheckin) as caught:
        check_row(replace(GOOD, **change))
    assert caught.value.field == field


def test_a_bad_row_anywhere_writes_nothing() -> None:
    rows = [replace(GOOD, uid=f"{n:032x}") for n in range(5)]
    rows[3] = replace(rows[3], tags=("Not A Word",))
    with open_store(get_paths()) as store:
        with pytest.raises(BadRow) as caught, store.tx() as db:
            insert_checkins(db, rows)
        assert caught.value.index == 3
        assert list_checkins(store) == []


def test_many_at_once_with_tags_and_values_and_no_doubles() -> None:
    rows = [replace(GOOD, uid=f"{n:032x}") for n in range(1200)]
    with open_store(get_paths()) as store:
        with store.tx() as db:
            first = insert_checkins(db, rows[:700], skip_existing=True)
        with store.tx() as db:
            again = insert_checkins(db, [*rows, rows[0]], skip_existing=True)
        stored = list_checkins(store)
    assert len(first) == 700 and len(again) == 500
    assert len({cid for cid, _row in first + again}) == 1200
    assert len(stored) == 1200
    assert all(c.tags == ("walk", "work") and len(c.values) == 3 for c in stored)


# -- every source goes through it --------------------------------------------------------


def _exported(cli: Callable[..., Any], tmp_path: Path) -> dict[str, Any]:
    assert cli("checkin", "--mood", "6", "--tag", "walk").exit_code == 0
    out = tmp_path / "all.json"
    result = cli("export", "--format", "json", "--output", str(out), "--since", "all")
    assert result.exit_code == 0, result
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def _import(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Any
) -> Any:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("SELFBACK_HOME", str(tmp_path / "other"))
    return cli("import", str(path))


def _checkins(home: Path) -> list[tuple[Any, ...]]:
    if not (home / "selfback.db").exists():
        return []
    conn = sqlite3.connect(home / "selfback.db")
    try:
        return conn.execute("SELECT uid, ts, ts_utc FROM checkins").fetchall()
    finally:
        conn.close()


def test_json_import_refuses_a_ts_utc_that_is_not_ts(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)
    data = _exported(cli, tmp_path)
    data["checkins"][0]["ts_utc"] = "2020-01-01T00:00:00+00:00"
    result = _import(cli, tmp_path, monkeypatch, data)
    assert result.exit_code == 3, result
    assert "entry 1 in checkins" in result.stderr and "ts_utc" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert _checkins(tmp_path / "other") == []


def test_json_import_refuses_a_tracker_answer_of_an_unknown_kind(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)
    data = _exported(cli, tmp_path)
    data["checkins"][0]["values"] = [
        {"tracker_id": "pain", "tracker_version": 1, "kind": "colour", "value_num": 3}
    ]
    result = _import(cli, tmp_path, monkeypatch, data)
    assert result.exit_code == 3, result
    assert "value 1 ('pain')" in result.stderr and "'kind' is 'colour'" in result.stderr
    assert _checkins(tmp_path / "other") == []


def test_json_import_keeps_tags_as_words(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)
    data = _exported(cli, tmp_path)
    data["checkins"][0]["tags"] = ["Long   Walk", "long walk"]
    data["checkins"][0]["emotions"] = ["Calm"]
    result = _import(cli, tmp_path, monkeypatch, data)
    assert result.exit_code == 0, result
    with open_store(get_paths()) as store:
        [c] = list_checkins(store)
    assert c.tags == ("long walk",) and c.emotions == ("calm",)


def test_daylio_import_goes_through_the_one_writer(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfback.store import checkins

    seen: list[str] = []

    def watching(row: CheckinRow) -> None:
        seen.append(row.uid)
        check_row(row)

    monkeypatch.setattr(checkins, "check_row", watching)
    path = tmp_path / "daylio_export.csv"
    path.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-03-01,1 Mar,Friday,20:15,good,walk | Friends,,\n"
        "2024-03-02,2 Mar,Saturday,9:05 am,meh,,,slept badly\n"
    )
    result = cli("import", str(path))
    assert result.exit_code == 0, result
    assert len(seen) == 2
    with open_store(get_paths()) as store:
        stored = list_checkins(store)
    assert [c.uid for c in stored] == seen
    assert stored[0].tags == ("friends", "walk") or set(stored[0].tags) == {"friends", "walk"}


def test_checkin_command_goes_through_the_one_writer(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfback.store import checkins

    seen: list[CheckinRow] = []

    def watching(row: CheckinRow) -> None:
        seen.append(row)
        check_row(row)

    monkeypatch.setattr(checkins, "check_row", watching)
    assert cli("checkin", "--mood", "6", "--tag", "Walk").exit_code == 0
    assert [r.tags for r in seen] == [("walk",)]


def test_history_edit_goes_through_the_one_writer(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfback.store import checkins

    assert cli("checkin", "--mood", "6", "--tag", "walk").exit_code == 0
    seen: list[CheckinRow] = []

    def watching(row: CheckinRow) -> None:
        seen.append(row)
        check_row(row)

    monkeypatch.setattr(checkins, "check_row", watching)
    result = cli("history", "edit", "1", "--mood", "7")
    assert result.exit_code == 0, result
    assert [r.mood for r in seen] == [7]


def test_an_edit_that_breaks_a_rule_changes_nothing() -> None:
    from datetime import datetime

    from selfback.store.checkins import NewCheckin, add_checkin, get_checkin, replace_checkin

    at = datetime.fromisoformat("2026-11-20T21:30:00+01:00")
    with open_store(get_paths()) as store:
        cid = add_checkin(store, NewCheckin(at, 6, tags=["walk"]))
        with pytest.raises(InvalidCheckin):
            replace_checkin(store, cid, NewCheckin(at, 6, tags=["Walk, Run"]), now=at)
        stored = get_checkin(store, cid)
    assert stored is not None and stored.tags == ("walk",)
