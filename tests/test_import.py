"""`selfback import`: selfback JSON round trip, no doubles, Daylio CSV, clear errors."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from test_export_data import dump_log, make_log

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def full_export(cli: Callable[..., Any], out: Path) -> Path:
    result = cli(
        "export",
        "--format",
        "json",
        "--output",
        str(out),
        "--since",
        "all",
        "--notes",
        "--include-plan",
        "--include-crisis",
    )
    assert result.exit_code == 0, result
    return out


def move_home(monkeypatch: pytest.MonkeyPatch, path: Path) -> Path:
    monkeypatch.setenv("SELFBACK_HOME", str(path))
    return path


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in (
                "checkins",
                "checkin_tags",
                "checkin_values",
                "coping_sessions",
                "measure_results",
                "crisis_openings",
                "safety_plan_versions",
            )
        }
    finally:
        conn.close()


# -- selfback JSON ---------------------------------------------------------------------


def test_round_trip_gives_an_identical_log(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_log(days=200)
    original = dump_log(get_paths().database)
    out = full_export(cli, tmp_path / "all.json")

    new_home = move_home(monkeypatch, tmp_path / "new-home")
    result = cli("import", str(out))
    assert result.exit_code == 0, result
    assert "Added " in result.stdout
    assert dump_log(new_home / "selfback.db") == original

    # the safety plan that sos reads is the newest imported version
    mirror = json.loads((new_home / "safety-plan.json").read_text())
    assert mirror["uid"] == original["safety_plan_versions"][-1][0]


def test_importing_twice_adds_nothing_twice(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_log(days=60)
    out = full_export(cli, tmp_path / "all.json")
    new_home = move_home(monkeypatch, tmp_path / "new-home")
    assert cli("import", str(out)).exit_code == 0
    before = counts(new_home / "selfback.db")
    again = cli("import", str(out))
    assert again.exit_code == 0
    assert "Nothing new" in again.stdout
    assert counts(new_home / "selfback.db") == before
    # and back into the original home: everything is already there
    move_home(monkeypatch, home)
    same = cli("import", str(out))
    assert "Nothing new" in same.stdout


def test_import_adds_only_what_is_missing(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_log(days=60)
    out = full_export(cli, tmp_path / "all.json")
    data = json.loads(out.read_text())
    part = dict(
        data,
        checkins=data["checkins"][:10],
        coping_sessions=[],
        measure_results=[],
        crisis_openings=[],
        safety_plan_versions=[],
    )
    part_file = tmp_path / "part.json"
    part_file.write_text(json.dumps(part))
    new_home = move_home(monkeypatch, tmp_path / "new-home")
    assert cli("import", str(part_file)).exit_code == 0
    result = cli("import", str(out))
    assert result.exit_code == 0
    assert "Already in your log, so skipped: 10 check-ins" in result.stdout
    assert counts(new_home / "selfback.db")["checkins"] == len(data["checkins"])


def test_a_backup_is_made_before_importing_into_a_log(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_log(days=20)
    out = full_export(cli, tmp_path / "all.json")
    data = json.loads(out.read_text())
    part_file = tmp_path / "part.json"
    part_file.write_text(json.dumps(dict(data, checkins=data["checkins"][:5])))
    new_home = move_home(monkeypatch, tmp_path / "new-home")
    assert cli("import", str(part_file)).exit_code == 0
    result = cli("import", str(out))
    assert result.exit_code == 0
    backups = list((new_home / "backups").glob("selfback-before-import-*.db"))
    assert len(backups) == 1
    assert str(backups[0]) in result.stdout


def test_no_backup_when_nothing_changes(cli: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=20)
    out = full_export(cli, tmp_path / "all.json")
    result = cli("import", str(out))
    assert result.exit_code == 0
    assert "Nothing new in all.json: everything in it is already in your log." in result.stdout
    assert not list((home / "backups").glob("selfback-before-import-*.db"))
    assert "A copy of your log" not in result.stdout


def test_dry_run_changes_nothing(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_log(days=20)
    out = full_export(cli, tmp_path / "all.json")
    new_home = move_home(monkeypatch, tmp_path / "new-home")
    result = cli("import", str(out), "--dry-run")
    assert result.exit_code == 0
    assert "Would add" in result.stdout and "Nothing was changed" in result.stdout
    assert counts(new_home / "selfback.db")["checkins"] == 0


def _bad_file(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> Path:
    make_log(days=10, special_notes=False)
    from selfback.export import ExportRequest, run_export
    from selfback.export.data import Selection
    from selfback.periods import Period
    from selfback.store.db import open_store

    out = tmp_path / "src.json"
    from datetime import datetime

    with open_store(get_paths()) as store:
        run_export(
            store,
            ExportRequest("json", Selection(Period(None, None)), out, datetime.fromisoformat(NOW)),
        )
    data = json.loads(out.read_text())
    mutate(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    return bad


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["checkins"][3].update(mood=14), "entry 4 in checkins"),
        (lambda d: d["checkins"][0].update(ts="yesterday"), "'ts' is 'yesterday'"),
        (lambda d: d["checkins"][0].pop("uid"), "'uid' is missing"),
        (lambda d: d["coping_sessions"][0].update(status="half"), "completed or stopped"),
        (lambda d: d["measure_results"][0].update(answers=["x"]), "not a whole number"),
        (lambda d: d.update(schema_version=99), "newer selfback"),
        (lambda d: d.update(format="something-else"), "not a selfback export"),
        (lambda d: d.update(checkins={}), "'checkins' should be a list"),
    ],
)
def test_bad_records_import_nothing(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mutate: Any, message: str
) -> None:
    bad = _bad_file(tmp_path, mutate)
    new_home = move_home(monkeypatch, tmp_path / "new-home")
    result = cli("import", str(bad))
    assert result.exit_code == 3, result
    assert message in result.stderr
    assert "Traceback" not in result.output
    db = new_home / "selfback.db"
    assert not db.exists() or counts(db)["checkins"] == 0


def test_not_json_and_cut_short(cli: Any, tmp_path: Path) -> None:
    cut = tmp_path / "cut.json"
    cut.write_text('{"format": "selfback-export", "schema_version": 1, "checkins": [')
    result = cli("import", str(cut))
    assert result.exit_code == 3
    assert "is not valid JSON" in result.stderr
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    result = cli("import", str(other))
    assert result.exit_code == 2
    assert "cannot tell what notes.txt is" in result.stderr
    missing = cli("import", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "There is no file" in missing.stderr
    wrong = cli("import", str(cut), "--format", "xml")
    assert wrong.exit_code == 2 and "not an import format" in wrong.stderr


# -- Daylio ----------------------------------------------------------------------------

DAYLIO = (
    "\ufefffull_date,date,weekday,time,mood,activities,note_title,note\n"
    '2024-03-03,March 3,Sunday,20:15,rad,"friends | Good Meal | walk",Lovely,'
    '"Dinner with Ana, then a walk.<br>Felt light."\n'
    "2024-03-03,March 3,Sunday,8:05 am,meh,work,,\n"
    "2024-03-02,March 2,Saturday,9:40 pm,good,,,\n"
    '2024-03-01,March 1,Friday,13:00,bad,"work | conflict",,"Rough meeting, ""again"""\n'
    "2024-02-29,February 29,Thursday,23:59,awful,,,\n"
    "2024-02-28,February 28,Wednesday,12:00 pm,Sparkly,gym,,\n"
)


def write_daylio(tmp_path: Path, text: str = DAYLIO) -> Path:
    path = tmp_path / "daylio_export.csv"
    path.write_text(text, encoding="utf-8")
    return path


def daylio_rows(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT c.local_date, substr(c.ts, 12, 5), c.mood, c.note,"
            " (SELECT group_concat(value, '|') FROM (SELECT value FROM checkin_tags"
            "  WHERE checkin_id = c.id ORDER BY value)),"
            " (SELECT value_text FROM checkin_values WHERE checkin_id = c.id)"
            " FROM checkins c ORDER BY c.ts_utc"
        ).fetchall()
    finally:
        conn.close()


def test_daylio_unknown_mood_is_reported_clearly(cli: Any, home: Path, tmp_path: Path) -> None:
    result = cli("import", str(write_daylio(tmp_path)))
    assert result.exit_code == 2
    assert "Daylio moods selfback does not know: 'sparkly' (1 entry)" in result.stderr
    assert "--mood-map 'sparkly=N'" in result.stderr
    assert "Nothing was imported" in result.stderr
    db = home / "selfback.db"
    assert not db.exists() or counts(db)["checkins"] == 0


def test_daylio_import(cli: Any, home: Path, tmp_path: Path) -> None:
    path = write_daylio(tmp_path)
    result = cli("import", str(path), "--mood-map", "Sparkly=8")
    assert result.exit_code == 0, result
    assert "Added 6 check-ins from daylio_export.csv (Daylio CSV)" in result.stdout
    assert "rad = 9" in result.stdout and "sparkly = 8" in result.stdout
    rows = daylio_rows(home / "selfback.db")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("2024-02-28", "12:00", 8),
        ("2024-02-29", "23:59", 1),
        ("2024-03-01", "13:00", 3),
        ("2024-03-02", "21:40", 7),
        ("2024-03-03", "08:05", 5),
        ("2024-03-03", "20:15", 9),
    ]
    by_time = {(r[0], r[1]): r for r in rows}
    dinner = by_time[("2024-03-03", "20:15")]
    assert dinner[3] == "Lovely\nDinner with Ana, then a walk.\nFelt light."
    assert dinner[4] == "friends|good meal|walk"
    assert dinner[5] == "rad"  # Daylio's own mood name is kept
    assert by_time[("2024-03-01", "13:00")][3] == 'Rough meeting, "again"'
    assert by_time[("2024-03-01", "13:00")][4] == "conflict|work"

    again = cli("import", str(path), "--mood-map", "sparkly=8")
    assert again.exit_code == 0
    assert "Nothing new" in again.stdout
    assert len(daylio_rows(home / "selfback.db")) == 6


def test_daylio_later_export_adds_only_new_entries(cli: Any, home: Path, tmp_path: Path) -> None:
    first = write_daylio(tmp_path, "\n".join(DAYLIO.splitlines()[:3]) + "\n")
    assert cli("import", str(first)).exit_code == 0
    later = write_daylio(tmp_path, DAYLIO)
    result = cli("import", str(later), "--mood-map", "sparkly=8")
    assert "Added 4 check-ins" in result.stdout
    assert "skipped: 2 check-ins" in result.stdout


def test_daylio_custom_names_map_sensibly(cli: Any, home: Path, tmp_path: Path) -> None:
    text = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2024-01-01,Jan 1,Monday,10:00,Great,,,\n"
        "2024-01-02,Jan 2,Tuesday,10:00,okay,,,\n"
        "2024-01-03,Jan 3,Wednesday,10:00,SAD,,,\n"
        "2024-01-04,Jan 4,Thursday,10:00,terrible,,,\n"
    )
    assert cli("import", str(write_daylio(tmp_path, text))).exit_code == 0
    assert [r[2] for r in daylio_rows(home / "selfback.db")] == [9, 5, 3, 1]


@pytest.mark.parametrize(
    "text, message",
    [
        ("full_date,time\n2024-01-01,10:00\n", "the column mood is missing"),
        ("full_date,time,mood\n01/02/2024,10:00,rad\n", "Line 2 of daylio_export.csv has a date"),
        ("full_date,time,mood\n2024-01-02,25:61,rad\n", "'25:61' is not a time of day"),
        ("full_date,time,mood\n2024-01-02,10:00,\n", "has no mood"),
    ],
)
def test_daylio_bad_files(cli: Any, tmp_path: Path, text: str, message: str) -> None:
    result = cli("import", str(write_daylio(tmp_path, text)), "--format", "daylio")
    assert result.exit_code in (2, 3), result
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_mood_map_must_be_name_equals_number(cli: Any, tmp_path: Path) -> None:
    result = cli("import", str(write_daylio(tmp_path)), "--mood-map", "sparkly")
    assert result.exit_code == 2
    assert "should look like NAME=NUMBER" in result.stderr


def test_daylio_unknown_mood_asked_in_a_terminal(spawn: Any, home: Path, tmp_path: Path) -> None:
    path = write_daylio(tmp_path)
    child = spawn("import", str(path))
    child.expect("The Daylio mood 'sparkly' \\(1 entry\\) is new to selfback.")
    child.expect("0-10 mood")
    child.sendline("11")
    child.expect("Please type a number from 0 to 10")
    child.sendline("6")
    child.expect("Added 6 check-ins")
    child.expect(r"sparkly = 6")
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 0
    assert sorted(r[2] for r in daylio_rows(home / "selfback.db")) == [1, 3, 5, 6, 7, 9]


def pexpect_eof() -> Any:
    import pexpect

    return pexpect.EOF


def test_a_check_in_edited_since_the_export_is_reported_and_kept_or_taken(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    """An older export of a check-in that was edited since: the edit is never dropped
    without a word. Kept by default (and said), taken with --changed take."""
    make_log(days=20)
    out = full_export(cli, tmp_path / "all.json")
    data = json.loads(out.read_text())
    first = data["checkins"][0]
    first["note"] = "Written differently in the file."
    first["mood"] = 0 if first["mood"] != 0 else 1
    out.write_text(json.dumps(data))
    db = home / "selfback.db"

    def stored() -> tuple[Any, ...]:
        conn = sqlite3.connect(db)
        try:
            row = conn.execute(
                "SELECT mood, note FROM checkins WHERE uid = ?", (first["uid"],)
            ).fetchone()
        finally:
            conn.close()
        return tuple(row)

    before = stored()
    kept = cli("import", str(out))
    assert kept.exit_code == 0, kept
    said = " ".join(kept.stdout.split())
    assert "1 entry in the file differs from your log, so selfback kept your log's version" in said
    assert "(entry 1, " in said and "--changed take" in said
    assert "everything in it is already in your log" not in said
    assert stored() == before

    taken = cli("import", str(out), "--changed", "take")
    assert taken.exit_code == 0, taken
    assert "Updated 1 check-in to the answers in the file (entry 1, " in " ".join(
        taken.stdout.split()
    )
    assert stored() == (first["mood"], "Written differently in the file.")
    assert len(list((home / "backups").glob("selfback-before-import-*.db"))) == 1
