"""Terminal text outside cope and sos: no markdown, and nothing from a person, a file or an
import can reach the terminal as a control sequence (it could clear the screen, retitle
the window or hide the crisis lines)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths

NOW = "2026-11-21T10:00:00+00:00"
# Clear screen, an OSC window title, an 8-bit CSI and OSC, a bell, a bidi override.
EVIL = "\x1b[2J\x1b[H\x1b]0;owned\x07\x9b31m\x9d8;;x\x9c\u202eevil"
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MARKDOWN = re.compile(r"`|\*\*|(?<![\w*])\*\w[^*\n]*\*(?!\w)")


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def _command_paths() -> list[list[str]]:
    from selfback.cli.app import get_click_command

    root = get_click_command(None)
    found: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        found.append(path)
        for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
            walk(sub, [*path, name])

    walk(root, [])
    return found


HELP_PATHS = _command_paths()


def _help_param(path: list[str]) -> Any:
    # cli/cope.py belongs to the helper working on `selfback cope` in this round.
    marks: list[Any] = [] if path[:1] == ["cope"] else []
    return pytest.param(path, id=" ".join(path) or "selfback", marks=marks)


@pytest.mark.parametrize("path", [_help_param(p) for p in HELP_PATHS])
def test_every_help_is_plain_text(cli: Callable[..., Any], path: list[str]) -> None:
    res = cli(*path, "--help")
    assert res.exit_code == 0, res
    assert "Usage" in res.stdout
    assert not MARKDOWN.search(res.stdout), res.stdout


def test_the_help_walk_sees_every_command() -> None:
    names = {" ".join(p) for p in HELP_PATHS}
    for expected in ("checkin", "history edit", "measure", "plan show", "import", "trackers"):
        assert expected in names


@pytest.mark.parametrize(
    "args",
    [
        ("trends", "--since", "nope"),
        ("history", "show", "999"),
        ("export", "--format", "json"),
        ("checkin", "--mood", "5", "--set", "nothing=1"),
        ("measure", "phq9", "gad7"),
        ("checkin", "--nope"),
        ("skills", "show", "nope"),
    ],
)
def test_errors_are_plain_text(cli: Callable[..., Any], args: tuple[str, ...]) -> None:
    res = cli(*args)
    assert res.exit_code != 0
    assert res.stderr.strip()
    assert not MARKDOWN.search(res.output), res.output


def test_stopped_message_is_plain() -> None:
    from selfback.messages.common import STOPPED

    assert "`" not in STOPPED and "selfback sos" in STOPPED


# -- control sequences from records, files and imports ---------------------------------


def _evil_log(home: Path, cli: Callable[..., Any]) -> None:
    from selfback.safety.plan import Contact, SafetyPlan, save_plan
    from selfback.store.db import open_store
    from selfback.store.measures import save_result

    paths = get_paths().ensure()
    # a tracker and a skill file with control sequences in every text field
    (home / "trackers").mkdir(parents=True, exist_ok=True)
    esc = json.dumps(EVIL)  # a JSON string is a valid YAML double-quoted string
    (home / "trackers" / "pain.yaml").write_text(
        f"id: pain\nkind: choice\ntitle: {esc}\nprompt: {esc}\noptions: [{esc}, calm]\n"
    )
    (home / "skills").mkdir(parents=True, exist_ok=True)
    skill = (Path(__file__).resolve().parent.parent / "skills" / "box-breathing.yaml").read_text()
    skill = skill.replace("id: box-breathing", "id: evil-skill")
    skill = skill.replace("title: Box breathing", f"title: {esc}")
    skill = skill.replace(
        "    text: Sit or stand so your back is comfortable. Let your shoulders drop.",
        f"    text: {esc}",
    )
    (home / "skills" / "evil-skill.yaml").write_text(skill)
    assert (
        cli(
            "checkin",
            "--mood",
            "4",
            "--tag",
            f"work,{EVIL}",
            "--set",
            "pain=1",
            "--note",
            "-",
            input=EVIL + "\nsecond line\n",
        ).exit_code
        == 0
    )
    when = datetime.fromisoformat(NOW)
    save_plan(
        paths,
        SafetyPlan(
            warning_signs=[EVIL],
            helpers=[Contact(EVIL, EVIL)],
            reasons=[EVIL],
        ),
        now=when,
    )
    store = open_store(paths)
    try:
        save_result(
            store,
            instrument="zz" + EVIL,
            instrument_version=1,
            taken_at=when,
            answers=[1],
            total=1,
            band=EVIL,
        )
        with store.tx() as db:
            db.execute(
                "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title,"
                " situation, distress_before, distress_after, started_at, started_utc, status,"
                " answers) VALUES ('s1', 'evil-skill', 1, ?, ?, 8, 3, ?, ?, 'completed', '[]')",
                (EVIL, EVIL, NOW, NOW),
            )
    finally:
        store.close()


LISTINGS = [
    ("history",),
    ("history", "show", "1"),
    ("trends",),
    ("plan", "show"),
    ("plan", "history"),
    ("skills", "list"),
    ("skills", "show", "evil-skill"),
    ("skills", "validate", "SKILLS"),
    ("trackers", "list"),
    ("trackers", "validate"),
    ("measure", "history"),
    ("measure", "history", "--plain"),
    ("measure",),
    (),  # the home screen
]


def _expand(args: tuple[str, ...], home: Path) -> Iterator[str]:
    for a in args:
        yield str(home / "skills") if a == "SKILLS" else a


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: " ".join(a) or "home")
def test_listings_print_no_control_sequences(
    cli: Callable[..., Any], home: Path, args: tuple[str, ...]
) -> None:
    _evil_log(home, cli)
    res = cli(*_expand(args, home))
    assert res.exit_code in (0, 1), res
    assert res.stdout.strip(), res
    quiet = (("plan", "history"), ("measure",), ("trackers", "validate"))
    assert "evil" in res.output or args in quiet, res.output
    assert not CONTROLS.search(res.output), repr(res.output)


def test_a_checkin_question_from_a_file_prints_no_control_sequences(
    cli: Callable[..., Any], home: Path
) -> None:
    (home / "trackers").mkdir(parents=True)
    esc = json.dumps(EVIL)
    (home / "trackers" / "pain.yaml").write_text(
        f"id: pain\nkind: choice\ntitle: {esc}\nprompt: {esc}\noptions: [{esc}, calm]\n"
    )
    res = cli("checkin", input="5\n\n\n\n\n\n2\n\n")
    assert res.exit_code == 0, res
    assert "evil" in res.stdout
    assert not CONTROLS.search(res.output), repr(res.output)


def test_import_summaries_print_no_control_sequences(
    cli: Callable[..., Any], home: Path, tmp_path: Path
) -> None:
    name = "sp\x1b[2Jarkly"
    text = (
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        f"2024-03-03,March 3,Sunday,20:15,{name},walk,,{EVIL}\n"
    )
    path = tmp_path / "daylio_export.csv"
    path.write_text(text, encoding="utf-8")
    unknown = cli("import", str(path))
    assert unknown.exit_code == 2 and "arkly" in unknown.stderr
    assert not CONTROLS.search(unknown.output), repr(unknown.output)
    ok = cli("import", str(path), "--mood-map", f"{name}=7")
    assert ok.exit_code == 0, ok
    assert "arkly = 7" in ok.stdout
    assert not CONTROLS.search(ok.output), repr(ok.output)
