"""The safety plan: model, versions, mirror, drafts and the plan commands."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from selfback.errors import DataError
from selfback.paths import get_paths
from selfback.safety import plan as P
from selfback.safety.plan import Contact, SafetyPlan

NOW = datetime.fromisoformat("2026-11-21T10:00:00+00:00")


def sample() -> SafetyPlan:
    return SafetyPlan(
        warning_signs=["not sleeping", "  pulling   away  "],
        coping=["box-breathing", "Skill: STOP", "a long walk", "5-4-3-2-1 grounding"],
        distractions=["the library"],
        helpers=[Contact("Sam", "07700 900123")],
        professionals=[Contact("Dr Lee", "020 7946 0000")],
        safer=["ask Sam to keep things for me"],
        reasons=["my dog Pip"],
    )


def db_versions() -> int:
    with sqlite3.connect(get_paths().database) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM safety_plan_versions").fetchone()[0])


def test_round_trip_and_whitespace_cleanup() -> None:
    plan = SafetyPlan.from_dict(json.loads(sample().to_json()))
    assert plan.warning_signs == ["not sleeping", "pulling away"]
    assert plan.helpers == [Contact("Sam", "07700 900123")]
    assert plan.contacts() == [Contact("Sam", "07700 900123"), Contact("Dr Lee", "020 7946 0000")]
    data = plan.to_dict()
    assert data["format"] == "selfback-safety-plan" and "Stanley-Brown" in data["label"]
    with pytest.raises(ValueError):
        SafetyPlan.from_dict({"format": "something-else"})
    with pytest.raises(ValueError):
        SafetyPlan.from_dict([1, 2])


def test_step_two_names_skills_by_id_prefix_or_title(home: Path) -> None:
    skills = P.known_skills(get_paths())
    assert {"box-breathing", "stop", "grounding-54321"} <= set(skills)
    plan = P.link_skills(sample(), skills)
    assert plan.skill_ids() == ["box-breathing", "stop", "grounding-54321"]


def test_known_skills_survives_broken_files(home: Path) -> None:
    folder = get_paths().user_skills_dir
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("id: calm-walk\ntitle: Calm walk\nsteps: [", "utf-8")
    (folder / "junk.yaml").write_bytes(b"\xff\x00\xfe")
    skills = P.known_skills(get_paths())
    assert skills["calm-walk"] == "Calm walk"
    assert "box-breathing" in skills


def test_save_keeps_every_version_and_the_mirror_matches_the_newest(home: Path) -> None:
    paths = get_paths()
    first = P.save_plan(paths, sample(), now=NOW)
    changed = sample()
    changed.reasons.append("the garden in spring")
    second = P.save_plan(paths, changed, now=NOW + timedelta(days=1))
    assert (first.number, second.number) == (1, 2)
    assert db_versions() == 2
    mirror = P.read_plan_file(paths)
    assert mirror is not None and mirror.uid == second.uid
    assert mirror.reasons == ["my dog Pip", "the garden in spring"]
    history = P.plan_history(paths)
    assert [v.number for v in history] == [1, 2]
    assert history[0].plan.reasons == ["my dog Pip"]
    assert (paths.plan_file.stat().st_mode & 0o777) == 0o600
    assert P.current_version(paths).uid == second.uid  # type: ignore[union-attr]


def test_a_failed_mirror_write_is_said_and_repaired_at_the_next_start(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The copy is written after the commit: a full disk there keeps the saved plan, says
    # so, and leaves a note so that the next start writes the copy again.
    from selfback.main import run

    paths = get_paths()
    P.save_plan(paths, sample(), now=NOW)
    before = paths.plan_file.read_bytes()

    def full_disk(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("selfback.fsutil.atomic_write", full_disk)
    changed = sample()
    changed.reasons = ["something new"]
    with pytest.raises(DataError, match="Your plan was saved, but the copy"):
        P.save_plan(paths, changed, now=NOW + timedelta(minutes=1))
    monkeypatch.undo()
    monkeypatch.setenv("SELFBACK_HOME", str(home))
    assert db_versions() == 2
    assert paths.plan_file.read_bytes() == before
    # The note is this process's: a later run (here another pid) sees it as left behind.
    (note,) = paths.tmp_dir.glob("plan-*")
    note.rename(note.with_name("plan-999999999-left"))
    assert run(["--help"]) == 0
    assert P.read_plan_file(paths).reasons == ["something new"]  # type: ignore[union-attr]
    assert not list(paths.tmp_dir.glob("plan-*"))


def test_an_interrupted_commit_leaves_the_mirror_alone(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = get_paths()
    P.save_plan(paths, sample(), now=NOW)
    before = paths.plan_file.read_bytes()
    from selfback.store import safety as S

    def interrupt(*a: Any, **k: Any) -> None:
        raise KeyboardInterrupt  # e.g. Ctrl-C before the commit

    monkeypatch.setattr(S, "insert_plan_version", interrupt)
    changed = sample()
    changed.reasons = ["something new"]
    with pytest.raises(KeyboardInterrupt):
        P.save_plan(paths, changed, now=NOW)
    assert db_versions() == 1
    assert paths.plan_file.read_bytes() == before
    assert not list(paths.tmp_dir.glob("plan-*"))


def test_load_plan_prefers_the_mirror_then_the_database(home: Path) -> None:
    paths = get_paths()
    assert P.load_plan(paths) is None
    saved = P.save_plan(paths, sample(), now=NOW)
    paths.plan_file.unlink()
    from_db = P.load_plan(paths)
    assert from_db is not None and from_db.uid == saved.uid and from_db.reasons == ["my dog Pip"]
    paths.plan_file.write_text("{ damaged", encoding="utf-8")
    assert P.load_plan(paths) is not None
    paths.database.write_bytes(b"garbage" * 50)
    for suffix in ("-wal", "-shm"):
        Path(str(paths.database) + suffix).unlink(missing_ok=True)
    assert P.load_plan(paths) is None  # never raises


def test_to_text_lists_all_six_steps_and_reasons() -> None:
    text = sample().to_text(skill_titles={"box-breathing": "Box breathing"})
    for n in range(1, 7):
        assert f"\n{n}. " in "\n" + text
    assert "My reasons for living" in text
    assert "box-breathing (selfback skill: Box breathing)" in text
    assert "Sam: 07700 900123" in text


# -- commands --------------------------------------------------------------------------------


def test_plan_show_without_a_plan(cli: Any) -> None:
    result = cli("plan", "show")
    assert result.exit_code == 0
    assert "no safety plan yet" in result.stdout and "selfback plan edit" in result.stdout
    assert cli("plan", "show", "--json").stdout.strip() == "null"
    assert cli("plan", "history", "--json").stdout.strip() == "[]"


EDIT_INPUT = (
    "\n".join(
        [
            "not sleeping",
            "",  # 1
            "box-breathing",
            "a walk",
            "",  # 2
            "the library",
            "",  # 3
            "Sam",
            "07700 900123",
            "",  # 4
            "Dr Lee",
            "020 7946 0000",
            "",  # 5
            "",  # 6
            "my dog Pip",
            "",  # reasons
            "y",
        ]
    )
    + "\n"
)


def test_plan_edit_with_piped_answers_then_show_and_history(cli: Any, home: Path) -> None:
    result = cli("plan", "edit", input=EDIT_INPUT)
    assert result.exit_code == 0, result.output
    assert "Saved (version 1)" in result.stdout
    assert "Stanley-Brown" in result.stdout and "every month or two" in result.stdout
    assert "offer these skills first: box-breathing" in result.stdout
    shown = cli("plan", "show")
    assert "Sam: 07700 900123" in shown.stdout and "my dog Pip" in shown.stdout
    assert "(nothing yet)" in shown.stdout  # step 6 was left empty
    data = json.loads(cli("plan", "show", "--json").stdout)
    assert data["helpers"] == [{"name": "Sam", "reach": "07700 900123"}]
    assert data["coping_skills"] == ["box-breathing"]

    # Edit again: Enter keeps, - removes, text replaces, new items are added.
    again = (
        "\n".join(
            [
                "",
                "feeling numb",
                "",  # 1: keep, add
                "-",
                "",
                "",  # 2: remove box-breathing, keep a walk
                "",
                "",  # 3: keep
                "Sam B",
                "",
                "",  # 4: rename, keep number
                "",
                "-",
                "",  # 5: keep name, remove the number
                "",  # 6
                "",
                "",  # reasons
                "y",
            ]
        )
        + "\n"
    )
    result = cli("plan", "edit", input=again)
    assert result.exit_code == 0, result.output
    assert "Saved (version 2)" in result.stdout
    new = json.loads(cli("plan", "show", "--json").stdout)
    assert new["warning_signs"] == ["not sleeping", "feeling numb"]
    assert new["coping"] == ["a walk"] and new["coping_skills"] == []
    assert new["helpers"] == [{"name": "Sam B", "reach": "07700 900123"}]
    assert new["professionals"] == [{"name": "Dr Lee", "reach": ""}]
    history = json.loads(cli("plan", "history", "--json").stdout)
    assert [v["version"] for v in history] == [1, 2]
    assert history[0]["plan"]["helpers"][0]["name"] == "Sam"
    listing = cli("plan", "history").stdout
    assert "(current)" in listing and "2 warning signs" in listing
    old = cli("plan", "show", "--version", "1")
    assert "earlier version" in old.stdout and "Sam: 07700 900123" in old.stdout
    bad = cli("plan", "show", "--version", "7")
    assert bad.exit_code == 2 and "versions go from 1 to 2" in bad.stderr


def test_nothing_changed_saves_no_new_version(cli: Any) -> None:
    cli("plan", "edit", input=EDIT_INPUT)
    keep_all = "\n" * 30
    result = cli("plan", "edit", input=keep_all)
    assert result.exit_code == 0
    assert "Nothing changed" in result.stdout
    assert len(json.loads(cli("plan", "history", "--json").stdout)) == 1


def test_answering_no_saves_nothing(cli: Any) -> None:
    answers = EDIT_INPUT.rsplit("y\n", 1)[0] + "n\n"
    result = cli("plan", "edit", input=answers)
    assert result.exit_code == 0 and "Not saved." in result.stdout
    assert cli("plan", "show", "--json").stdout.strip() == "null"
    assert not P.draft_file(get_paths()).exists()


def test_running_out_of_input_keeps_a_draft_to_continue_from(cli: Any) -> None:
    result = cli("plan", "edit", input="not sleeping\nfeeling numb\n")
    assert result.exit_code == 1
    assert "kept as a draft" in result.stderr
    assert "Traceback" not in result.output
    draft = P.load_draft(get_paths())
    assert draft is not None and draft[0].warning_signs == ["not sleeping", "feeling numb"]
    # Continue from the draft: the typed answers come back as defaults.
    result = cli("plan", "edit", input="y\n" + "\n" * 30)
    assert "unfinished draft" in result.stdout
    assert "[not sleeping]" in result.stdout and "[feeling numb]" in result.stdout
    assert "Saved (version 1)" in result.stdout
    assert not P.draft_file(get_paths()).exists()


def test_plan_show_falls_back_to_the_sos_copy_when_the_database_is_damaged(
    cli: Any, home: Path
) -> None:
    cli("plan", "edit", input=EDIT_INPUT)
    db = get_paths().database
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(b"not a database" * 100)
    result = cli("plan", "show")
    assert result.exit_code == 0
    assert "Sam: 07700 900123" in result.stdout
    assert "looks damaged" in result.stderr and "copy of your plan that sos uses" in result.stderr
    history = cli("plan", "history")
    assert history.exit_code == 3 and "looks damaged" in history.stderr


def test_old_plan_gets_a_gentle_review_nudge(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    P.save_plan(get_paths(), sample(), now=NOW - timedelta(days=90))
    monkeypatch.setenv("SELFBACK_NOW", NOW.isoformat())
    result = cli("plan")
    assert result.exit_code == 0
    assert "90 days since you last changed it" in result.stdout
