"""`selfback checkin` by flags and by questions (in-process, no terminal)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from selfback.paths import get_paths
from selfback.store.checkins import list_checkins
from selfback.store.db import open_store

NOW = "2026-11-21T10:00:00+01:00"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def stored():  # type: ignore[no-untyped-def]
    if not get_paths().database.exists():
        return []
    store = open_store(get_paths())
    try:
        return list_checkins(store)
    finally:
        store.close()


def test_flags_record_a_checkin(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli(
        "checkin",
        "--mood",
        "6",
        "--energy",
        "4",
        "--anxiety",
        "3",
        "--sleep",
        "7.5",
        "--tag",
        "work",
        "--tag",
        "walk,Friends",
        "--emotion",
        "calm",
    )
    assert r.exit_code == 0, r
    assert r.stdout.strip() == "Saved. Thank you for checking in."
    [c] = stored()
    assert (c.mood, c.energy, c.anxiety, c.sleep_hours) == (6, 4, 3, 7.5)
    assert sorted(c.tags) == ["friends", "walk", "work"]
    assert c.emotions == ("calm",)
    assert c.note is None
    # time with its UTC offset, the local date, and UTC for ordering
    assert c.ts == "2026-11-21T10:00:00+01:00"
    assert c.ts_utc == "2026-11-21T09:00:00+00:00"
    assert c.local_date == "2026-11-21"


def test_several_checkins_a_day_are_fine(cli) -> None:  # type: ignore[no-untyped-def]
    for mood in ("3", "5", "7"):
        assert cli("checkin", "--mood", mood).exit_code == 0
    assert [c.mood for c in stored()] == [3, 5, 7]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--mood", "11"], "Mood must be a whole number from 0 to 10"),
        (["--mood", "-1"], "Mood must be"),
        (["--mood", "six"], "Mood must be"),
        (["--mood", "5.5"], "Mood must be"),
        (["--mood", "5", "--energy", "12"], "Energy must be"),
        (["--mood", "5", "--anxiety", "x"], "Anxiety must be"),
        (["--mood", "5", "--sleep", "25"], "Sleep must be hours from 0 to 24"),
        (["--mood", "5", "--sleep", "nan"], "Sleep must be"),
        (["--mood", "5", "--sleep", "1e309"], "Sleep must be"),
        (["--mood", "5", "--tag", "12"], "--tag must be words"),
        (["--energy", "5"], "needs a mood"),
        (["--mood", "5", "--set", "nonsense"], "--set needs ID=VALUE"),
        (["--mood", "5", "--set", "nope=3"], "no tracker called 'nope'"),
        (["--mood", "5", "--at", "tomorrow"], "not a time"),
        (["--mood", "5", "--at", "2030-01-01 10:00"], "in the future"),
        (["--mood", "5", "--note", "-", "--edit"], "not both"),
    ],
)
def test_invalid_flags_exit_2_and_write_nothing(cli, args: list[str], words: str) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", *args)
    assert r.exit_code == 2, r
    assert words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.output
    assert stored() == []


def test_note_is_never_taken_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", "--mood", "5", "--note", "my very private secret")
    assert r.exit_code == 2
    assert "never taken on the command line" in r.stderr
    assert "my very private secret" not in r.output
    assert stored() == []


def test_no_option_accepts_free_text_for_a_note() -> None:
    """--note takes only '-', for checkin and history edit alike."""
    from selfback.cli.app import get_click_command

    root = get_click_command()
    for path in (["checkin"], ["history", "edit"]):
        cmd = root
        for name in path:
            cmd = cmd.commands[name]
        notes = [p for p in cmd.params if "--note" in getattr(p, "opts", [])]
        assert len(notes) == 1
        assert notes[0].metavar == "-"


def test_note_from_stdin(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", "--mood", "4", "--note", "-", input="  A hard day.\nBut I walked.\n")
    assert r.exit_code == 0, r
    assert stored()[0].note == "A hard day.\nBut I walked."


def test_note_from_editor(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "editor-args"
    editor = tmp_path / "fake-editor"
    editor.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > "{log}"\n'
        'stat -c %a "$1" >> "' + str(log) + '"\n'
        'printf "Written in the editor.\\n# a comment line\\n" >> "$1"\n'
    )
    editor.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(editor))
    r = cli("checkin", "--mood", "5", "--edit")
    assert r.exit_code == 0, r
    assert stored()[0].note == "Written in the editor."
    args, perms = log.read_text().splitlines()
    assert perms == "600"  # the draft is private
    assert not Path(args).exists()  # and removed afterwards
    assert Path(args).parent.parent == home


def test_editor_failing_saves_nothing(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EDITOR", "false")
    r = cli("checkin", "--mood", "5", "--edit")
    assert r.exit_code == 2
    assert "nothing was saved" in r.stderr
    assert stored() == []


def test_no_editor_set_is_a_clear_error(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", "--mood", "5", "--edit")
    assert r.exit_code == 2
    assert "$EDITOR" in r.stderr
    assert stored() == []


def test_at_records_an_earlier_time(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "--mood", "5", "--at", "yesterday 21:30").exit_code == 0
    c = stored()[0]
    assert c.ts == "2026-11-20T21:30:00+01:00"
    assert c.local_date == "2026-11-20"


def test_set_custom_and_pack_trackers(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    (home / "trackers").mkdir(parents=True)
    (home / "trackers" / "pain.yaml").write_text("id: pain\nkind: scale\ntitle: Pain\nmax: 10\n")
    r = cli(
        "checkin",
        "--mood",
        "3",
        "--set",
        "urge_selfharm=3",
        "--set",
        "acted_selfharm=no",
        "--set",
        "pain=7",
    )
    assert r.exit_code == 0, r
    values = {v.tracker_id: v for v in stored()[0].values}
    assert values["urge_selfharm"].value == 3
    assert values["urge_selfharm"].label == "Urge to self-harm"
    assert values["acted_selfharm"].value is False
    assert values["pain"].value == 7 and values["pain"].tracker_version == 1
    # a strong urge brings a gentle pointer to help
    assert "selfback sos" in r.stdout


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ("urge_selfharm=6", "urge_selfharm must be a whole number from 0 to 5"),
        ("acted_selfharm=maybe", "acted_selfharm must be yes or no"),
        ("skills_used=12", "skills_used has no number 12 in the list"),
        ("pain=-1", "pain must be a whole number from 0 to 10"),
        ("med_name=sertraline", "never takes on the command line"),
    ],
)
def test_set_validates_against_the_trackers_kind(cli, home: Path, item: str, words: str) -> None:  # type: ignore[no-untyped-def]
    (home / "trackers").mkdir(parents=True)
    (home / "trackers" / "pain.yaml").write_text("id: pain\nkind: scale\ntitle: Pain\n")
    r = cli("checkin", "--mood", "5", "--set", "urge_use=1", "--set", item)
    assert r.exit_code == 2, r
    assert words in r.stderr
    assert stored() == []


def test_low_mood_gets_a_gentle_pointer(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", "--mood", "2")
    assert "selfback cope" in r.stdout and "selfback sos" in r.stdout
    r = cli("checkin", "--mood", "7")
    assert "selfback cope" not in r.stdout


QUESTIONS = "6\n\n3\n7.5\n1, numb\nwork\nA short note\n"


def test_questions_without_a_terminal(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", input=QUESTIONS)
    assert r.exit_code == 0, r
    for prompt in (
        "Mood right now, 0-10: ",
        "Energy, 0-10: ",
        "Anxiety, 0-10: ",
        "Hours of sleep last night (e.g. 7.5): ",
        "Emotions, numbers or words, commas between: ",
        "Anything else? Enter to finish, or type a short note: ",
    ):
        assert prompt in r.stdout
    assert "Saved. Thank you for checking in." in r.stdout
    [c] = stored()
    assert (c.mood, c.energy, c.anxiety, c.sleep_hours) == (6, None, 3, 7.5)
    assert set(c.emotions) == {"calm", "numb"}
    assert c.tags == ("work",)
    assert c.note == "A short note"


def test_sleep_is_asked_once_a_day(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", input=QUESTIONS).exit_code == 0
    r = cli("checkin", input="5\n\n\n\n\n\n")
    assert r.exit_code == 0, r
    assert "Hours of sleep" not in r.stdout
    assert [c.sleep_hours for c in stored()] == [7.5, None]


def test_input_ending_early_saves_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", input="6\n4\n")
    assert r.exit_code == 1
    assert "Nothing was half-saved" in r.stderr
    assert stored() == []


def test_wrong_answers_are_asked_again(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", input="eleven\n11\n\n6\n\n\n\n\n\n\n")
    assert r.exit_code == 0, r
    assert r.stdout.count("Please type a whole number from 0 to 10") == 2
    assert "This one is needed" in r.stdout
    assert stored()[0].mood == 6


def test_pack_questions_follow_conditions(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    # mood, energy, anxiety, sleep, emotions, tags, urge_selfharm=0 (acted skipped),
    # urge_use=2, acted_use=n, urge_quit skip, skills, note
    r = cli("checkin", input="5\n\n\n\n\n\n0\n2\nn\n\n2,tipp\n\n")
    assert r.exit_code == 0, r
    assert r.stdout.count("Did you act on that urge? y/n: ") == 1
    values = {v.tracker_id: v.value for v in stored()[0].values}
    assert values == {
        "urge_selfharm": 0,
        "urge_use": 2,
        "acted_use": False,
        "skills_used": ["tipp"],
    }


def test_fast_flag_path_loads_no_yaml_or_pydantic(home: Path) -> None:
    """`checkin --mood 6` stays quick: no tracker files, YAML or our pydantic models."""
    import subprocess

    code = (
        "import sys\n"
        "from selfback.main import run\n"
        "rc = run(['checkin', '--mood', '6', '--tag', 'work'])\n"
        "bad = [m for m in ('yaml', 'selfback.trackers.schema', 'selfback.trackers.library',"
        " 'rich') if m in sys.modules]\n"
        "print(rc, bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"SELFBACK_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == "0 []"


def test_database_file_is_private_after_checkin(cli) -> None:  # type: ignore[no-untyped-def]
    cli("checkin", "--mood", "5")
    assert stat.S_IMODE(get_paths().database.stat().st_mode) == 0o600
