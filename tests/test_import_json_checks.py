"""`selfback import` of a selfback JSON file: checked against the export's schema, entry
by entry (docs/data.md, "The JSON export, field by field"), before anything is written.

Every test runs the real `selfback import` command on a real export with one thing
changed, and each fails without the check it names.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from selfback.actions import hope as H
from selfback.paths import get_paths
from selfback.store.db import open_store
from selfback.store.safety import insert_risk_flag
from test_export_data import dump_log, make_log

NOW = "2026-11-21T10:00:00+00:00"
TABLES = (
    "checkins",
    "coping_sessions",
    "measure_results",
    "crisis_openings",
    "safety_plan_versions",
    "risk_flags",
    "hope_items",
    "next_time_notes",
)

Data = dict[str, Any]


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def _fill(tmp_path: Path) -> None:
    """A log with every kind of record the JSON export writes."""
    make_log(days=40, special_notes=False)
    paths = get_paths()
    now = datetime.fromisoformat(NOW)
    song = tmp_path / "song.mp3"
    song.write_bytes(b"ID3")
    H.add_item(paths, now, kind="message", text="You have done hard things before.")
    H.add_item(paths, now, kind="voice", text="Mum", path=str(song))
    H.keep_note(paths, now, situation="panic", text="Breathe out longer.", skill_id="tipp")
    with open_store(paths) as store, store.tx() as db:
        insert_risk_flag(db, source="checkin-note", kind="suicide", when=now)


def _export(cli: Any, tmp_path: Path) -> Data:
    _fill(tmp_path)
    out = tmp_path / "all.json"
    r = cli(
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
    assert r.exit_code == 0, r
    data: Data = json.loads(out.read_text(encoding="utf-8"))
    assert all(data[t] for t in TABLES), [t for t in TABLES if not data[t]]
    return data


def _rows(db: Path) -> dict[str, int]:
    if not db.exists():
        return dict.fromkeys(TABLES, 0)
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def _import(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Data, home: str = "other"
) -> Any:
    bad = tmp_path / "in.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("SELFBACK_HOME", str(tmp_path / home))
    return cli("import", str(bad))


def _value(rec: Data, tracker: str) -> Data:
    found: Data = next(v for v in rec["values"] if v["tracker_id"] == tracker)
    return found


def test_a_whole_export_passes_every_check(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export(cli, tmp_path)
    r = _import(cli, tmp_path, monkeypatch, data)
    assert r.exit_code == 0, r
    assert _rows(tmp_path / "other" / "selfback.db") == {t: len(data[t]) for t in TABLES}


def _set(name: str, n: int, /, **changes: object) -> Callable[[Data], None]:
    return lambda d: d[name][n - 1].update(changes)


def _drop(name: str, n: int, key: str) -> Callable[[Data], None]:
    return lambda d: d[name][n - 1].pop(key)


def _four_years_on(name: str, key: str) -> Callable[[Data], None]:
    def run(d: Data) -> None:
        rec = d[name][0]
        moment = datetime.fromisoformat(rec[key])
        rec[key] = moment.replace(year=moment.year + 4).isoformat()

    return run


def _in_local_time(d: Data) -> None:
    rec = d["checkins"][1]
    rec["ts_utc"] = rec["ts"]  # the same moment, but not written in UTC


def _tracker(d: Data, **changes: object) -> None:
    _value(d["checkins"][0], "water").update(changes)


def _plan(d: Data, **changes: object) -> None:
    d["safety_plan_versions"][0]["plan"].update(changes)


def _session_answer(d: Data, **changes: object) -> None:
    d["coping_sessions"][0]["answers"][0].update(changes)


def _same_uid(d: Data) -> None:
    d["checkins"][4]["uid"] = d["checkins"][1]["uid"]


def _neither(d: Data) -> None:
    d["hope_items"][0].update(text=None, path=None)


CASES: list[tuple[str, Callable[[Data], None], str]] = [
    # unknown fields, in every kind of record and inside them
    (
        "unknown check-in field",
        _set("checkins", 12, foo=1),
        "entry 12 in checkins: unknown field 'foo'",
    ),
    (
        "unknown top field",
        lambda d: d.update(extra=[]),
        "at the top of the file, unknown field 'extra'",
    ),
    (
        "unknown value field",
        lambda d: _tracker(d, colour="red"),
        "('water') in 'values': unknown field 'colour'",
    ),
    (
        "unknown session field",
        _set("coping_sessions", 2, mood=3),
        "entry 2 in coping_sessions: unknown field 'mood'",
    ),
    (
        "unknown answer field",
        lambda d: _session_answer(d, extra=1),
        "answer 1 ('notice') in 'answers': unknown field 'extra'",
    ),
    (
        "unknown result field",
        _set("measure_results", 1, score=3),
        "entry 1 in measure_results: unknown field 'score'",
    ),
    (
        "unknown opening field",
        _set("crisis_openings", 1, where="home"),
        "entry 1 in crisis_openings: unknown field 'where'",
    ),
    (
        "unknown plan field",
        lambda d: _plan(d, extra="x"),
        "entry 1 in safety_plan_versions: in 'plan', unknown field 'extra'",
    ),
    (
        "unknown flag field",
        _set("risk_flags", 1, words="x"),
        "entry 1 in risk_flags: unknown field 'words'",
    ),
    (
        "unknown hope field",
        _set("hope_items", 2, colour="blue"),
        "entry 2 in hope_items: unknown field 'colour'",
    ),
    (
        "unknown note field",
        _set("next_time_notes", 1, mood=2),
        "entry 1 in next_time_notes: unknown field 'mood'",
    ),
    # words selfback knows
    (
        "tracker kind",
        lambda d: _tracker(d, kind="mood-ring"),
        "('water') in 'values': 'kind' is 'mood-ring', not a tracker kind selfback knows",
    ),
    (
        "session status",
        _set("coping_sessions", 1, status="half"),
        "'status' is 'half', not a session status selfback knows (completed or stopped)",
    ),
    (
        "opening source",
        _set("crisis_openings", 2, source="phone"),
        "entry 2 in crisis_openings: 'source' is 'phone', not a crisis-screen source",
    ),
    (
        "hope kind",
        _set("hope_items", 1, kind="video"),
        "entry 1 in hope_items: 'kind' is 'video', not a hope-box kind",
    ),
    (
        "questionnaire",
        _set("measure_results", 1, instrument="phq10"),
        "'instrument' is 'phq10', not a questionnaire selfback knows",
    ),
    ("band", _set("measure_results", 1, band="fine"), "'band' is 'fine', not a band of phq9"),
    ("plan format", lambda d: _plan(d, format="other"), "in 'plan', 'format' is 'other'"),
    # times that agree with each other
    (
        "ts_utc years off",
        _four_years_on("checkins", "ts_utc"),
        "entry 1 in checkins: 'ts_utc' is '20",
    ),
    ("ts_utc not in UTC", _in_local_time, "entry 2 in checkins: 'ts_utc' is"),
    (
        "local_date",
        _set("checkins", 3, local_date="2001-01-01"),
        "entry 3 in checkins: 'local_date' is 2001-01-01, not the date of 'ts'",
    ),
    (
        "started_utc",
        _four_years_on("coping_sessions", "started_utc"),
        "entry 1 in coping_sessions: 'started_utc'",
    ),
    (
        "taken_utc",
        _four_years_on("measure_results", "taken_utc"),
        "entry 1 in measure_results: 'taken_utc'",
    ),
    (
        "opened_utc",
        _four_years_on("crisis_openings", "opened_utc"),
        "entry 1 in crisis_openings: 'opened_utc'",
    ),
    (
        "saved_utc",
        _four_years_on("safety_plan_versions", "saved_utc"),
        "entry 1 in safety_plan_versions: 'saved_utc'",
    ),
    (
        "flagged_utc",
        _four_years_on("risk_flags", "flagged_utc"),
        "entry 1 in risk_flags: 'flagged_utc'",
    ),
    ("added_utc", _four_years_on("hope_items", "added_utc"), "entry 1 in hope_items: 'added_utc'"),
    (
        "written_utc",
        _four_years_on("next_time_notes", "written_utc"),
        "entry 1 in next_time_notes: 'written_utc'",
    ),
    (
        "a time without offset",
        _set("hope_items", 1, added_at="2026-11-21T10:00:00"),
        "'added_at' is '2026-11-21T10:00:00', a time without its UTC offset",
    ),
    # wrong types
    (
        "mood as text",
        _set("checkins", 5, mood="7"),
        "entry 5 in checkins: 'mood' is '7'; it should be a whole number from 0 to 10",
    ),
    ("tags as text", _set("checkins", 1, tags="work"), "'tags' is 'work'; it should be a list"),
    ("note as a number", _set("checkins", 1, note=5), "'note' is 5; it should be text"),
    (
        "plan as a list",
        _set("safety_plan_versions", 1, plan=[]),
        "'plan' is []; it should be an object",
    ),
    (
        "plan reasons",
        lambda d: _plan(d, reasons="live"),
        "in 'plan', 'reasons' is 'live'; it should be a list",
    ),
    (
        "included",
        lambda d: d["included"].update(notes="yes"),
        "in 'included', 'notes' is 'yes'; it should be true or false",
    ),
    (
        "entry not an object",
        lambda d: d["risk_flags"].append("flag"),
        "in risk_flags: it is 'flag', not an object",
    ),
    # missing required fields
    ("no mood", _drop("checkins", 7, "mood"), "entry 7 in checkins: 'mood' is missing"),
    (
        "no started_at",
        _drop("coping_sessions", 1, "started_at"),
        "entry 1 in coping_sessions: 'started_at' is missing",
    ),
    (
        "no tracker id",
        lambda d: _value(d["checkins"][0], "water").pop("tracker_id"),
        "'tracker_id' is missing",
    ),
    ("no flag kind", _drop("risk_flags", 1, "kind"), "entry 1 in risk_flags: 'kind' is missing"),
    (
        "no note text",
        _drop("next_time_notes", 1, "text"),
        "entry 1 in next_time_notes: 'text' is missing",
    ),
    ("no text nor path", _neither, "entry 1 in hope_items: it has neither 'text' nor 'path'"),
    # out-of-range values
    (
        "sleep",
        _set("checkins", 2, sleep_hours=30),
        "'sleep_hours' is 30; it should be a number from 0 to 24",
    ),
    (
        "distress",
        _set("coping_sessions", 1, distress_after=11),
        "'distress_after' is 11; it should be a whole number from 0 to 10",
    ),
    ("total", _set("measure_results", 1, total=99), "'total' is 99; phq9 totals at most 27"),
    (
        "an answer",
        _set("measure_results", 1, answers=[7]),
        "answer 1 in 'answers' is 7; it should be from 0 to 3",
    ),
    (
        "too many answers",
        _set("measure_results", 1, answers=[0] * 11),
        "'answers' has 11 items; phq9 has 10",
    ),
    (
        "tracker version",
        lambda d: _tracker(d, tracker_version=0),
        "'tracker_version' is 0; it should be a whole number from 1",
    ),
    # the same record twice, and the rules of a stored check-in
    ("same uid", _same_uid, "entry 5 in checkins: its uid"),
    (
        "number as text",
        lambda d: _tracker(d, value_num=None, value_text="lots"),
        "entry 1 in checkins: the answer to 'water' (number) should hold a number",
    ),
]


@pytest.mark.parametrize("mutate, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_check_refuses_the_file_and_names_the_entry(
    cli: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mutate: Callable[[Data], None],
    message: str,
) -> None:
    data = _export(cli, tmp_path)
    mutate(data)
    r = _import(cli, tmp_path, monkeypatch, data)
    assert r.exit_code == 3, r
    assert message in r.stderr
    assert "Nothing was imported" in r.stderr and r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr
    assert _rows(tmp_path / "other" / "selfback.db") == dict.fromkeys(TABLES, 0)


def test_the_first_few_problems_are_named_and_all_are_counted(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export(cli, tmp_path)
    for rec in data["checkins"][:10]:
        rec["foo"] = 1
    data["hope_items"][0]["kind"] = "video"
    r = _import(cli, tmp_path, monkeypatch, data)
    assert r.exit_code == 3, r
    assert "(11 problems)" in r.stderr
    for n in (1, 2, 3):
        assert f"entry {n} in checkins: unknown field 'foo'" in r.stderr
    assert "entry 4 in checkins" not in r.stderr and "and 8 more" in r.stderr


def test_a_refused_file_changes_nothing_and_makes_no_backup(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export(cli, tmp_path)
    before = dump_log(home / "selfback.db")
    # passes the schema; only the rules of a stored check-in refuse it
    _value(data["checkins"][5], "water").update(value_num=None, value_text="lots")
    r = _import(cli, tmp_path, monkeypatch, data, home="home")
    assert r.exit_code == 3, r
    assert "entry 6 in checkins: the answer to 'water' (number) should hold a number" in r.stderr
    assert dump_log(home / "selfback.db") == before
    assert not list((home / "backups").glob("*before-import*"))


def _keys(entries: list[Data]) -> set[str]:
    return {k for e in entries for k in e}


def test_the_schema_is_exactly_what_the_export_writes(cli: Any, tmp_path: Path) -> None:
    from selfback.importer import json_checks
    from selfback.importer.selfback_json import KINDS

    data = _export(cli, tmp_path)
    assert set(KINDS) == set(TABLES)
    for name, kind in KINDS.items():
        assert _keys(data[name]) == set(kind.schema), name
    values = [v for c in data["checkins"] for v in c["values"]]
    assert _keys(values) == set(json_checks.VALUE)
    answers = [a for s in data["coping_sessions"] for a in s["answers"]]
    assert _keys(answers) == set(json_checks.ANSWER)
    # the log's plans were written by the test; selfback writes every field of the schema
    assert _keys([p["plan"] for p in data["safety_plan_versions"]]) <= set(json_checks.PLAN)
    from selfback.safety.plan import SafetyPlan

    assert set(SafetyPlan().to_dict()) == set(json_checks.PLAN)
    head = set(data) - set(TABLES)
    assert head == set(json_checks.HEAD)


def test_docs_data_md_lists_every_field(cli: Any) -> None:
    from selfback.importer import json_checks
    from selfback.importer.selfback_json import KINDS

    text = (Path(__file__).parents[1] / "docs" / "data.md").read_text(encoding="utf-8")
    section = text.split("## The JSON export, field by field", 1)[1].split("\n## ", 1)[0]
    rows = {
        line.split("|")[1].strip(): line.split("|")[2]
        for line in section.splitlines()
        if line.startswith("| ")
    }
    wanted = {f"`{name}`": set(kind.schema) for name, kind in KINDS.items()}
    wanted["the top"] = set(json_checks.HEAD)
    wanted["a tracker answer in `values`"] = set(json_checks.VALUE)
    for row, fields in wanted.items():
        assert row in rows, row
        missing = [f for f in fields if f"`{f}`" not in rows[row]]
        assert not missing, (row, missing)
    plan = rows["`safety_plan_versions`"]
    assert not [f for f in json_checks.PLAN if f"`{f}`" not in plan]
