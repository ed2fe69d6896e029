"""`selfback cope` without a terminal: piped input, bad arguments, broken data, start-up."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_cope_pty import TINY_SKILLS  # pytest puts tests/ on sys.path

CLI = Callable[..., Any]


@pytest.fixture(autouse=True)
def tiny_skills(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in TINY_SKILLS.items():
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    monkeypatch.setenv("SELFBACK_SKILLS_PATH", str(folder))
    return folder


def sessions(home: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(home / "selfback.db")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM coping_sessions ORDER BY id")]
    finally:
        conn.close()


def test_piped_input_walks_a_skill_in_clean_text(cli: CLI, home: Path) -> None:
    # 0-10, begin, step 1, choice, rating, last step, after
    result = cli("cope", "tiny-choose", input="5\n\n\n2\n4\n\n3\n")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "How intense is it right now, 0 to 10?" in out
    assert "Step 1 of 4 (Tiny choice)" in out and "Step 4 of 4" in out
    assert "Enter to go on, b back, s skip, q stop, ? help, ! crisis lines." in out
    assert "From 5 to 3: it came down 2 points." in out
    assert "\x1b" not in out
    [s] = sessions(home)
    assert s["status"] == "completed" and (s["distress_before"], s["distress_after"]) == (5, 3)
    assert json.loads(s["answers"]) == [
        {"step": "drink", "kind": "choose", "answer": "Water"},
        {"step": "calm", "kind": "rate", "answer": 4},
    ]


def test_full_flow_with_situation_and_suggestions(cli: CLI, home: Path) -> None:
    # 0-10, situation 9 (something else) -> pick "Stressed" by number, Enter takes first
    from selfback.actions.cope.situations import COMMON_SITUATIONS
    from selfback.skills.schema import SITUATIONS

    rest = [s for s in SITUATIONS if s not in COMMON_SITUATIONS]
    n = rest.index("stress") + 1
    something_else = len(COMMON_SITUATIONS) + 1
    result = cli("cope", input=f"3\n{something_else}\n{n}\nq\n")
    assert result.exit_code == 0, result
    assert "Some skills that could help right now" in result.stdout
    assert "Enter: none of these" in result.stdout
    if (home / "selfback.db").exists():
        assert sessions(home) == []


LONG_SKILL = """
id: tiny-long
title: Tiny long
summary: A long test skill, so cope checks in halfway.
situations: [stress]
distress: {min: 0, max: 10}
minutes: 12
source: Tests (2026).
steps:
  - {kind: say, text: One.}
  - {kind: say, text: Two.}
  - {kind: say, text: Three.}
  - {kind: say, text: Four.}
"""


def test_long_skills_check_in_halfway_and_9_shows_crisis_resources(
    cli: CLI, home: Path, tiny_skills: Path
) -> None:
    (tiny_skills / "tiny-long.yaml").write_text(LONG_SKILL.lstrip(), encoding="utf-8")
    # 0-10, begin, one, two, the check-in: 9, Enter (carry on), three, four, after, stop
    result = cli("cope", "tiny-long", input="6\n\n\n\n9\n\n\n\n7\n3\n")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "Step 3 of 5" in out
    assert "A quick check-in: how intense is it right now, 0 to 10?" in out
    after_check = out.split("A quick check-in")[1]
    assert "emergency" in after_check
    assert "What would help now?" in after_check
    assert "1. Carry on with Tiny long" in after_check
    assert "2. Switch to something calming" in after_check
    assert "3. See my safety plan" in after_check and "4. Stop for now" in after_check
    assert "Three." in after_check.split("What would help now?")[1]  # carried on
    assert "It still feels very hard" in after_check  # 7 afterwards: more help offered
    [s] = sessions(home)
    assert s["status"] == "completed"
    assert json.loads(s["answers"]) == [{"step": "distress-now", "kind": "rate", "answer": 9}]
    conn = sqlite3.connect(home / "selfback.db")
    try:
        sources = [r[0] for r in conn.execute("SELECT source FROM crisis_openings")]
        flags = [tuple(r) for r in conn.execute("SELECT source, kind, ref_uid FROM risk_flags")]
    finally:
        conn.close()
    assert sources == ["rating"]
    assert flags == [("rating", "high-rating", s["uid"])]


def test_menus_show_again_after_the_crisis_text_and_m_lists_every_skill(
    cli: CLI, home: Path
) -> None:
    # 0-10, crisis key at the situation menu, Enter (skip), m, crisis key, 1, quit at intro
    result = cli("cope", input="5\n!\n\nm\n!\n1\nq\n")
    assert result.exit_code == 0, result
    out = result.stdout
    assert out.count("What's going on?") == 2
    assert out.count("Type a number (Enter for 1, q to stop).") == 2
    assert "Tiny choice (1 minute)" in out  # every skill, including ones that don't fit
    assert "Enter to begin" in out


def test_unknown_skill_is_a_usage_error(cli: CLI) -> None:
    result = cli("cope", "box-breathin")
    assert result.exit_code == 2
    assert "There is no skill called 'box-breathin'" in result.stderr
    assert "selfback cope box-breathing" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_situation_is_a_usage_error(cli: CLI) -> None:
    result = cli("cope", "--for", "weather")
    assert result.exit_code == 2
    assert "'weather' is not a situation" in result.stderr and "low-mood" in result.stderr
    assert "`" not in result.stderr


@pytest.mark.parametrize("words", ["suicide", "suicidal", "want to die", "ending my life"])
def test_for_suicide_brings_crisis_help_first_and_a_flag(
    cli: CLI, home: Path, tiny_skills: Path, words: str
) -> None:
    result = cli("cope", "--for", words, input="4\n\nq\n")
    assert result.exit_code == 0, result
    out = result.stdout
    assert out.index("emergency") < out.index("Some skills that could help right now")
    # asked for by name: crisis help comes before any question
    assert out.index("emergency") < out.index("How intense is it right now")
    block = out.split("Some skills that could help right now")[1]
    for title in ("Thought record", "Check the facts", "Opposite action", "Tiny"):
        assert title not in block
    conn = sqlite3.connect(home / "selfback.db")
    try:
        flags = [tuple(r) for r in conn.execute("SELECT source, kind FROM risk_flags")]
        sources = [r[0] for r in conn.execute("SELECT source FROM crisis_openings")]
    finally:
        conn.close()
    assert flags == [("situation", "suicide")]
    assert sources == ["risk"]


def test_a_typo_in_the_situation_gets_the_nearest_one(cli: CLI) -> None:
    result = cli("cope", "--for", "panik")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "'panik' is not a situation selfback knows; did you mean panic?"
    )
    assert result.stdout == ""  # nothing asked before the one sentence


@pytest.mark.parametrize(
    ("words", "situation"),
    [
        ("sadness", "low-mood"),
        ("panicking", "panic"),
        ("can't sleep", "sleep"),
        ("self harm", "self-harm-urge"),
        ("self-harm", "self-harm-urge"),
        ("nightmares", "nightmare"),
    ],
)
def test_situation_accepts_plain_synonyms(cli: CLI, home: Path, words: str, situation: str) -> None:
    result = cli("cope", "tiny-choose", "--for", words, input="5\n\n\n\n")
    assert result.exit_code == 1, result  # input ran out inside the skill
    [s] = sessions(home)
    assert s["situation"] == situation


def test_situation_accepts_its_label_too(cli: CLI, home: Path) -> None:
    result = cli("cope", "tiny-choose", "--for", "Stressed", input="5\nq\n")
    assert result.exit_code == 0, result


def test_end_of_input_is_a_kind_stop_with_exit_1(cli: CLI, home: Path) -> None:
    result = cli("cope", "tiny-ask", input="5\n\nyellow\n")
    assert result.exit_code == 1
    assert "No more input, so selfback stopped." in result.stderr
    assert "Traceback" not in result.output
    [s] = sessions(home)
    assert s["status"] == "stopped"
    assert json.loads(s["answers"]) == [{"step": "first", "kind": "ask", "answer": "yellow"}]


def test_end_of_input_at_the_first_question(cli: CLI) -> None:
    result = cli("cope", input="")
    assert result.exit_code == 1
    assert "No more input" in result.stderr


def test_quit_at_the_first_question(cli: CLI, home: Path) -> None:
    result = cli("cope", input="q\n")
    assert result.exit_code == 0
    assert "Okay. If you need crisis lines, run selfback sos." in result.stdout
    assert "`" not in result.stdout


def test_invalid_distress_is_asked_again(cli: CLI) -> None:
    result = cli("cope", "tiny-choose", input="lots\n-3\n5\nq\n")
    assert result.stdout.count("Please type a number from 0 to 10") == 2
    assert result.exit_code == 0


@pytest.mark.parametrize("typed", ["11", "10/10", "11/10", "100", "a million"])
def test_distress_above_the_scale_counts_as_10_with_crisis_help(
    cli: CLI, home: Path, typed: str
) -> None:
    result = cli("cope", "tiny-choose", input=f"{typed}\n\nq\n")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "Please type a number" not in out
    assert "emergency" in out  # the short crisis text, at once
    above = typed != "10/10"
    assert ("more than the scale goes, so selfback counts it as a 10" in out) == above
    conn = sqlite3.connect(home / "selfback.db")
    try:
        flags = [tuple(r) for r in conn.execute("SELECT source, kind FROM risk_flags")]
        sources = [r[0] for r in conn.execute("SELECT source FROM crisis_openings")]
    finally:
        conn.close()
    assert flags == ([("rating", "high-rating")] if above else [])
    assert sources == ["cope"]


def test_skills_that_fail_to_load_still_leave_a_skill(
    cli: CLI, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr("selfback.skills.library.builtin_skills_dir", lambda: empty)
    monkeypatch.setenv("SELFBACK_SKILLS_PATH", str(empty))
    result = cli("cope", input="5\n\n\n\nq\n\n")
    assert result.exit_code == 0, result
    assert "selfback couldn't load its skills just now" in result.stdout
    assert "Slow breathing" in result.stdout
    [s] = sessions(home)
    assert s["skill_id"] == "slow-breathing" and s["status"] == "stopped"


def test_a_damaged_log_does_not_stop_the_skill(cli: CLI, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "selfback.db").write_bytes(b"not a database at all " * 200)
    result = cli("cope", "tiny-choose", input="5\n\n\n2\n4\n\n3\n")
    assert result.exit_code == 0, result
    assert "Your log can't be opened right now" in result.stdout
    assert "came down 2 points" in result.stdout
    assert "Saved in your log" not in result.stdout


def test_help_lists_the_keys(cli: CLI) -> None:
    result = cli("cope", "--help")
    assert result.exit_code == 0
    words = " ".join(result.stdout.split())
    for text in ("--for", "--again", "--plain", "b back", "! crisis lines", "sos works too"):
        assert text in words
    assert "`" not in result.stdout


def test_first_question_comes_before_heavy_imports(home: Path) -> None:
    """When the first question is on screen, no rich, YAML, sqlite3 or skill models are
    loaded yet (pydantic itself comes with Typer)."""
    probe = """
import sys
import selfback.actions.cope.skills as w
def probe(self):
    heavy = ["rich", "yaml", "sqlite3", "selfback.skills.schema", "selfback.skills.library",
             "selfback.store.db", "selfback.walk.engine"]
    print("LOADED " + ",".join(m for m in heavy if m in sys.modules))
    sys.stdout.flush()
    raise SystemExit(0)
w.Preload.start = probe
from selfback.main import run
run(["cope"])
"""
    env = dict(os.environ, SELFBACK_HOME=str(home))
    proc = subprocess.run(
        [sys.executable, "-c", probe], env=env, input="", capture_output=True, text=True
    )
    assert "How intense is it right now, 0 to 10?" in proc.stdout
    loaded = [line for line in proc.stdout.splitlines() if line.startswith("LOADED")]
    assert loaded == ["LOADED "], proc.stdout + proc.stderr
