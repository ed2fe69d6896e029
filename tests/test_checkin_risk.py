"""Hearing the person in a check-in: risk in their own words, and diary-card answers.

A hit never blocks: the check-in is saved as usual, then the short crisis text for the
person's country (with their own people) follows once, and a flag is recorded without
any copy of the words.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.safety.plan import Contact, SafetyPlan, save_plan
from selfback.store.checkins import list_checkins
from selfback.store.db import open_store

NOW = "2026-11-21T10:00:00+01:00"
CRISIS = "You don't have to get through this alone."


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def set_config(**values: object) -> None:
    paths = get_paths().ensure()
    data: dict[str, object] = {}
    if paths.config_file.exists():
        data = json.loads(paths.config_file.read_text(encoding="utf-8"))
    data.update(values)
    paths.config_file.write_text(json.dumps(data), encoding="utf-8")


def table(name: str) -> list[dict[str, Any]]:
    db = get_paths().database
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM {name} ORDER BY id")]


def checkins() -> list[Any]:
    store = open_store(get_paths())
    try:
        return list_checkins(store)
    finally:
        store.close()


def no_copy_of(words: str) -> None:
    """Nothing but the check-in itself holds the words: no flag, no opening."""
    for name in ("risk_flags", "crisis_openings"):
        assert words not in json.dumps(table(name))


def test_piped_note_from_the_issue_shows_crisis_text_in_a_real_pipe(home: Path) -> None:
    set_config(country="GB")
    save_plan(
        get_paths(),
        SafetyPlan(helpers=[Contact("Sam", "07700 900123")]),
        now=datetime.fromisoformat(NOW),
    )
    run = subprocess.run(
        [sys.executable, "-m", "selfback", "checkin", "--mood", "5", "--note", "-"],
        input="I want to die tonight\n",
        capture_output=True,
        text=True,
        env={"SELFBACK_HOME": str(home), "PATH": "/usr/bin:/bin", "SELFBACK_NOW": NOW},
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run
    out = run.stdout
    assert out.startswith("Saved. Thank you for checking in.")
    assert out.strip() != "Saved. Thank you for checking in."
    assert CRISIS in out
    assert "999" in out and "116 123" in out  # real numbers for GB
    assert "Sam: 07700 900123" in out  # their own people
    assert out.count(CRISIS) == 1
    assert "`" not in out
    [c] = checkins()
    assert c.note == "I want to die tonight"  # saved as usual
    [flag] = table("risk_flags")
    assert (flag["source"], flag["kind"], flag["ref_uid"]) == ("checkin-note", "suicide", c.uid)
    assert [o["source"] for o in table("crisis_openings")] == ["risk"]
    no_copy_of("die tonight")


def test_everyday_words_show_nothing_extra(cli: Any) -> None:
    r = cli("checkin", "--mood", "6", "--note", "-", input="Dead tired but ok\n")
    assert r.exit_code == 0, r
    assert r.stdout.strip() == "Saved. Thank you for checking in."
    assert table("risk_flags") == []


def test_no_opening_logged_when_the_person_turned_it_off(cli: Any) -> None:
    set_config(log_crisis_openings=False)
    r = cli("checkin", "--mood", "4", "--note", "-", input="i might hurt myself\n")
    assert r.exit_code == 0, r
    assert CRISIS in r.stdout
    assert [f["kind"] for f in table("risk_flags")] == ["self-harm"]
    assert table("crisis_openings") == []


def test_tags_and_emotions_typed_as_words(cli: Any) -> None:
    r = cli("checkin", "--mood", "3", "--tag", "work,want to die", "--emotion", "numb")
    assert r.exit_code == 0, r
    assert CRISIS in r.stdout
    # the gentle "that sounds hard" pointer is not added on top of the crisis text
    assert "That sounds hard" not in r.stdout
    [c] = checkins()
    [flag] = table("risk_flags")
    assert (flag["source"], flag["ref_uid"]) == ("tag", c.uid)


def test_note_typed_at_the_question_and_a_text_tracker(cli: Any) -> None:
    assert cli("trackers", "enable", "medication").exit_code == 0
    # mood, energy, anxiety, sleep, emotions, tags, med_taken=y, med_name, note
    answers = "5\n\n\n\n\n\ny\nkms\nI keep thinking about killing myself\n"
    r = cli("checkin", input=answers)
    assert r.exit_code == 0, r
    assert "Saved. Thank you for checking in." in r.stdout
    assert r.stdout.count(CRISIS) == 1
    sources = sorted(f["source"] for f in table("risk_flags"))
    assert sources == ["checkin-note", "tracker"]
    assert len(table("crisis_openings")) == 1
    no_copy_of("killing myself")


def test_diary_card_acted_yes_brings_crisis_text_and_the_injury_line(cli: Any) -> None:
    set_config(country="GB")
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    r = cli("checkin", "--mood", "4", "--set", "urge_selfharm=2", "--set", "acted_selfharm=yes")
    assert r.exit_code == 0, r
    out = " ".join(r.stdout.split())
    assert CRISIS in out
    assert "999" in out  # real numbers, not command names only
    assert "injury looked at" in out
    assert out.index("injury looked at") < out.index(CRISIS)
    [c] = checkins()
    [flag] = table("risk_flags")
    assert (flag["source"], flag["kind"], flag["ref_uid"]) == ("diary-card", "self-harm", c.uid)
    assert [o["source"] for o in table("crisis_openings")] == ["rating"]


def test_diary_card_acted_yes_by_questions(cli: Any) -> None:
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    # mood ... tags, urge_selfharm=3, acted=y, urge_use 0, urge_quit 0, skills, note
    r = cli("checkin", input="5\n\n\n\n\n\n3\ny\n0\n0\n\n\n")
    assert r.exit_code == 0, r
    assert "injury looked at" in " ".join(r.stdout.split()) and CRISIS in r.stdout
    assert [f["source"] for f in table("risk_flags")] == ["diary-card"]


def test_urge_at_the_top_of_its_scale_brings_crisis_text(cli: Any) -> None:
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    r = cli("checkin", "--mood", "4", "--set", "urge_selfharm=4")
    assert CRISIS not in r.stdout  # strong, not the top: the gentle pointer only
    assert "selfback cope --for self-harm-urge" in r.stdout
    r = cli("checkin", "--mood", "4", "--set", "urge_selfharm=5", "--set", "acted_selfharm=no")
    assert CRISIS in r.stdout
    assert "injury" not in r.stdout
    assert [(f["source"], f["kind"]) for f in table("risk_flags")] == [("rating", "self-harm")]


def test_own_suicide_urge_tracker_at_9(cli: Any, home: Path) -> None:
    (home / "trackers").mkdir(parents=True)
    (home / "trackers" / "s.yaml").write_text(
        "id: urge_suicide\nkind: scale\ntitle: Urge to end my life\n"
    )
    r = cli("checkin", "--mood", "4", "--set", "urge_suicide=8")
    assert CRISIS not in r.stdout
    r = cli("checkin", "--mood", "4", "--set", "urge_suicide=9")
    assert CRISIS in r.stdout
    assert [(f["source"], f["kind"]) for f in table("risk_flags")] == [("rating", "suicide")]


def test_history_edit_of_a_note_is_heard_once(cli: Any) -> None:
    assert cli("checkin", "--mood", "5", "--note", "-", input="a long day\n").exit_code == 0
    [c] = checkins()
    r = cli("history", "edit", str(c.id), "--note", "-", input="I want to end it all\n")
    assert r.exit_code == 0, r
    assert "Saved your changes" in r.stdout and CRISIS in r.stdout
    [flag] = table("risk_flags")
    assert (flag["source"], flag["ref_uid"]) == ("checkin-note", c.uid)
    # changing something else later does not bring the same words up again
    r = cli("history", "edit", str(c.id), "--mood", "6")
    assert r.exit_code == 0, r
    assert CRISIS not in r.stdout
    assert len(table("risk_flags")) == 1


def test_a_broken_detector_never_loses_the_checkin(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import selfback.trackers.risk as risk

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(risk, "concerns", boom)
    r = cli("checkin", "--mood", "5", "--note", "-", input="I want to die\n")
    assert r.exit_code == 0, r
    assert len(checkins()) == 1


def test_concerns_is_pure_and_never_keeps_words() -> None:
    from selfback.trackers.risk import Concern, concerns

    found = concerns({"mood": 5, "note": "i want to die", "tags": ["kms"]})
    assert found == [
        Concern("checkin-note", "suicide", "risk"),
        Concern("tag", "suicide", "risk"),
    ]
    assert concerns({"note": "same"}, before={"note": "same"}) == []


def test_note_written_in_the_editor_is_heard(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    editor = tmp_path / "fake-editor"
    editor.write_text("#!/bin/sh\nprintf 'honestly I want to die\\n' >> \"$1\"\n")
    editor.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(editor))
    r = cli("checkin", "--mood", "5", "--edit")
    assert r.exit_code == 0, r
    assert CRISIS in r.stdout
    [c] = checkins()
    assert [(f["source"], f["ref_uid"]) for f in table("risk_flags")] == [("checkin-note", c.uid)]


def test_crisis_text_after_a_checkin_wraps_by_words_at_40_columns(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    r = cli("checkin", "--mood", "4", "--set", "urge_selfharm=2", "--set", "acted_selfharm=yes")
    lead = r.stdout.split("\n\n", 1)[1].split(CRISIS)[0]
    assert all(len(line) <= 40 for line in lead.splitlines()), lead
    assert "injury" in lead


def test_crisis_text_still_shows_when_the_log_cannot_be_written(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfback.errors import DataError
    from selfback.store import checkins as store_checkins

    def broken(*_a: object, **_k: object) -> None:
        raise DataError("The database is busy. Nothing was saved.")

    monkeypatch.setattr(store_checkins, "add_checkin", broken)
    r = cli("checkin", "--mood", "5", "--note", "-", input="I want to die\n")
    assert r.exit_code == 3, r
    assert CRISIS in r.stdout and "Nothing was saved" in r.stderr
