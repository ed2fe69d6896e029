"""`selfback history`: the table, JSON, ranges, and fixing mistakes (edit, delete)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from selfback.errors import UsageError
from selfback.paths import get_paths
from selfback.periods import parse_since, parse_when
from selfback.store.checkins import NewCheckin, TrackerValue, add_checkin, get_checkin
from selfback.store.db import open_store

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def add(at: str, mood: int, **kw) -> int:  # type: ignore[no-untyped-def]
    store = open_store(get_paths())
    try:
        return add_checkin(store, NewCheckin(at=datetime.fromisoformat(at), mood=mood, **kw))
    finally:
        store.close()


def get(cid: int):  # type: ignore[no-untyped-def]
    store = open_store(get_paths())
    try:
        return get_checkin(store, cid)
    finally:
        store.close()


def test_empty_history_is_gentle(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("history")
    assert r.exit_code == 0
    assert "No check-ins from 08 Nov to 21 Nov" in r.stdout
    assert "missed" not in r.stdout.lower() and "streak" not in r.stdout.lower()


def test_table_shows_ids_values_and_notes(cli) -> None:  # type: ignore[no-untyped-def]
    a = add("2026-11-20T21:30:00+00:00", 4, sleep_hours=6.5, tags=["work"], emotions=["tired"])
    b = add("2026-11-21T08:00:00+00:00", 7, energy=6, anxiety=2, note="Slept well.\nWalked.")
    r = cli("history")
    assert r.exit_code == 0, r
    lines = r.stdout.splitlines()
    assert lines[0].split() == [
        "ID",
        "When",
        "Mood",
        "Energy",
        "Anxiety",
        "Sleep",
        "Emotions",
        "and",
        "tags",
    ]
    row_a = next(ln for ln in lines if ln.strip().startswith(f"{a} "))
    assert "Fri 20 Nov 21:30" in row_a and "6.5h" in row_a and "tired; work" in row_a
    row_b = next(ln for ln in lines if ln.strip().startswith(f"{b} "))
    assert "Sat 21 Nov 08:00" in row_b
    assert '"Slept well. Walked."' in r.stdout
    assert "2 check-ins on 2 days; average mood 5.5." in r.stdout
    assert "selfback history edit ID" in r.stdout


def test_since_and_until(cli) -> None:  # type: ignore[no-untyped-def]
    old = add("2026-09-01T12:00:00+00:00", 2)
    mid = add("2026-11-01T12:00:00+00:00", 5)
    new = add("2026-11-21T09:00:00+00:00", 8)

    def ids(*args: str) -> list[int]:
        r = cli("history", "--json", *args)
        assert r.exit_code == 0, r
        return [c["id"] for c in json.loads(r.stdout)["checkins"]]

    assert ids() == [new]  # default: the last 14 days
    assert ids("--since", "30d") == [mid, new]
    assert ids("--since", "all") == [old, mid, new]
    assert ids("--since", "2026-09-01", "--until", "2026-11-01") == [old, mid]
    assert ids("--since", "1y", "--until", "yesterday") == [old, mid]


def test_json_is_clean_and_complete(cli) -> None:  # type: ignore[no-untyped-def]
    add(
        "2026-11-21T09:00:00+01:00",
        6,
        energy=5,
        sleep_hours=7.0,
        tags=["walk"],
        emotions=["calm"],
        note="ok",
        values=[TrackerValue.make("pain", 2, "Pain", "scale", 3)],
    )
    r = cli("history", "--json")
    data = json.loads(r.stdout)
    [c] = data["checkins"]
    assert c["ts"] == "2026-11-21T09:00:00+01:00"
    assert c["ts_utc"] == "2026-11-21T08:00:00+00:00"
    assert c["tags"] == ["walk"] and c["emotions"] == ["calm"] and c["note"] == "ok"
    assert c["values"] == [
        {
            "tracker_id": "pain",
            "tracker_version": 2,
            "label": "Pain",
            "kind": "scale",
            "value": 3,
            "unit": None,
        }
    ]


@pytest.mark.parametrize("bad", ["3x", "-5d", "2026-13-45", "soon"])
def test_bad_since_is_one_clear_line(cli, bad: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("history", "--since", bad)
    assert r.exit_code == 2
    assert len(r.stderr.strip().splitlines()) == 1


def test_since_after_until(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("history", "--since", "2026-11-20", "--until", "2026-11-01")
    assert r.exit_code == 2 and "after" in r.stderr


def test_removed_tracker_keeps_its_values_and_label(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    folder = home / "trackers"
    folder.mkdir(parents=True)
    tracker = folder / "pain.yaml"
    tracker.write_text("id: pain\nkind: scale\ntitle: Back pain\nmax: 10\n")
    assert cli("checkin", "--mood", "5", "--set", "pain=6").exit_code == 0
    # renamed (and re-versioned), then removed altogether
    tracker.write_text("id: pain\nkind: scale\ntitle: Pain level\nversion: 2\nmax: 5\n")
    assert cli("checkin", "--mood", "6", "--set", "pain=2").exit_code == 0
    tracker.unlink()
    data = json.loads(cli("history", "--json").stdout)
    values = [c["values"] for c in data["checkins"]]
    assert values == [
        [
            {
                "tracker_id": "pain",
                "tracker_version": 1,
                "label": "Back pain",
                "kind": "scale",
                "value": 6,
                "unit": None,
            }
        ],
        [
            {
                "tracker_id": "pain",
                "tracker_version": 2,
                "label": "Pain level",
                "kind": "scale",
                "value": 2,
                "unit": None,
            }
        ],
    ]
    table = cli("history").stdout
    assert "Back pain: 6" in table and "Pain level: 2" in table


def test_show_one(cli) -> None:  # type: ignore[no-untyped-def]
    cid = add("2026-11-21T09:00:00+00:00", 6, note="line one\nline two")
    r = cli("history", "show", str(cid))
    assert r.exit_code == 0
    assert "    line one\n    line two" in r.stdout
    assert cli("history", "show", "999").exit_code == 2


def test_delete_asks_first(cli) -> None:  # type: ignore[no-untyped-def]
    cid = add("2026-11-21T09:00:00+00:00", 6)
    r = cli("history", "delete", str(cid), input="n\n")
    assert "Kept. Nothing was deleted." in r.stdout
    assert get(cid) is not None
    r = cli("history", "delete", str(cid), input="y\n")
    assert r.exit_code == 0 and f"Deleted check-in {cid}." in r.stdout
    assert get(cid) is None
    r = cli("history", "delete", str(cid), "--yes")
    assert r.exit_code == 2 and "no check-in with ID" in r.stderr


def test_edit_by_flags(cli) -> None:  # type: ignore[no-untyped-def]
    cid = add(
        "2026-11-21T09:00:00+00:00",
        6,
        sleep_hours=5.0,
        tags=["work"],
        values=[TrackerValue.make("old_tracker", 1, "Something old", "yesno", True)],
    )
    r = cli(
        "history",
        "edit",
        str(cid),
        "--mood",
        "4",
        "--tag",
        "walk",
        "--clear",
        "sleep",
        "--at",
        "08:15",
        "--note",
        "-",
        input="Fixed note",
    )
    assert r.exit_code == 0, r
    c = get(cid)
    assert (c.mood, c.sleep_hours, c.tags, c.note) == (4, None, ("walk",), "Fixed note")
    assert c.ts == "2026-11-21T08:15:00+00:00"
    assert c.updated_at != c.created_at
    # a value of a tracker that no longer exists is kept exactly
    assert c.values == (TrackerValue("old_tracker", 1, "Something old", "yesno", 1.0),)


def test_edit_with_bad_flags_changes_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    cid = add("2026-11-21T09:00:00+00:00", 6)
    before = get(cid)
    for args in (
        ["--mood", "12"],
        ["--clear", "mood"],
        ["--note", "text on argv"],
        ["--clear", "energy"],
    ):
        r = cli("history", "edit", str(cid), *args)
        assert r.exit_code == 2, (args, r)
    assert get(cid) == before


def test_edit_by_questions_keeps_clears_and_changes(cli) -> None:  # type: ignore[no-untyped-def]
    cid = add("2026-11-21T09:00:00+00:00", 6, energy=4, anxiety=7, tags=["work"], note="old note")
    # when: keep; mood: 5; energy: keep; anxiety: clear; sleep: 8; emotions: keep;
    # tags: replace; note: keep
    r = cli("history", "edit", str(cid), input="\n5\n\n-\n8\n\nwalk, friends\n\n")
    assert r.exit_code == 0, r
    assert "Mood right now, 0-10 [6]: " in r.stdout
    c = get(cid)
    assert (c.mood, c.energy, c.anxiety, c.sleep_hours) == (5, 4, None, 8.0)
    assert sorted(c.tags) == ["friends", "walk"]
    assert c.note == "old note"


def test_parse_since_and_when() -> None:
    today = date(2026, 11, 21)
    assert parse_since("14d", today) == date(2026, 11, 8)
    assert parse_since("1w", today) == date(2026, 11, 15)
    assert parse_since("all", today) is None
    assert parse_since("2026-01-02", today) == date(2026, 1, 2)
    now = datetime.fromisoformat("2026-11-21T10:00:00+02:00")
    assert parse_when("9:05", now).isoformat() == "2026-11-21T09:05:00+02:00"
    assert parse_when("yesterday 23:00", now).isoformat() == "2026-11-20T23:00:00+02:00"
    assert parse_when("2026-11-01 07:00", now).isoformat() == "2026-11-01T07:00:00+02:00"
    offset = parse_when("2026-11-01T07:00:00-05:00", now).utcoffset()
    assert offset is not None and offset.total_seconds() == -5 * 3600
    with pytest.raises(UsageError):
        parse_when("25:00", now)
    with pytest.raises(UsageError):
        parse_when("11:00", now)  # later today: in the future


def test_history_is_fast_on_a_big_log(home: Path) -> None:
    """history --since 30d reads a range by index, not the whole table."""
    store = open_store(get_paths())
    try:
        plan = " ".join(
            str(r[3])
            for r in store.query(
                "EXPLAIN QUERY PLAN SELECT id FROM checkins WHERE local_date >= ? AND"
                " local_date <= ? ORDER BY ts_utc",
                ("2026-10-23", "2026-11-21"),
            )
        )
    finally:
        store.close()
    assert "USING INDEX checkins_local_date" in plan
