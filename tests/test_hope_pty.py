"""The hope box for real in a pseudo-terminal (pexpect): adding, then seeing it in `cope` at
distress 9 and in `sos`; asking before a file is opened; the note for next time."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from selfback.fsutil import ensure_dir

TINY = """
id: tiny-say
title: Tiny say
summary: A test skill with one step.
situations: [anger, stress]
distress: {min: 0, max: 10}
minutes: 1
source: Tests (2026).
steps:
  - kind: say
    text: Tiny say begins here.
"""
MESSAGE = "You got through the last one. You will get through this."
NOTE = "Cold water on my face helped, then texting Sam."


@pytest.fixture
def run(spawn: Any, home: Path, tmp_path: Path) -> Any:
    """Start selfback in a pty, past the welcome, with one tiny skill."""
    ensure_dir(home)
    (home / ".welcomed").write_text("welcomed\n")
    skills = tmp_path / "skills"
    skills.mkdir()
    (skills / "tiny-say.yaml").write_text(TINY.lstrip(), encoding="utf-8")

    def start(*args: str, env: dict[str, str] | None = None) -> Any:
        full = {"SELFBACK_SKILLS_PATH": str(skills), "SELFBACK_PLAIN": "1"}
        full.update(env or {})
        child = spawn(*args, env=full)
        child.delaybeforesend = None
        return child

    return start


def finish(child: Any, code: int = 0) -> str:
    child.expect(pexpect.EOF)
    before = str(child.before)
    child.close()
    assert child.exitstatus == code, before[-2000:]
    return before


def add_message(run: Any) -> None:
    child = run("hope", "add")
    child.expect_exact("What would you like to keep?")
    child.expect_exact("1. A message to yourself")
    child.expect_exact("> ")
    child.sendline("1")
    child.expect_exact("Write your message to yourself")
    child.expect_exact("> ")
    child.sendline(MESSAGE)
    child.expect_exact("Kept in your hope box (number 1)")
    finish(child)


def test_added_then_shown_in_cope_at_distress_9_and_pointed_to_by_sos(run: Any) -> None:
    add_message(run)
    child = run("cope", "tiny-say", "--for", "anger")
    child.expect_exact("How intense is it right now, 0 to 10?")
    child.expect_exact("> ")
    child.sendline("9")
    child.expect_exact("emergency number")  # crisis help still comes first at 9
    child.expect_exact("ready to go on.")
    child.sendline("")
    child.expect_exact("look at your hope box first? (y/n)")
    child.sendline("y")
    child.expect_exact("From your hope box")
    child.expect_exact(MESSAGE)
    child.expect_exact("ready to go on.")
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.sendline("q")
    finish(child)

    child = run("sos")
    out = finish(child)
    assert "Your hope box has your own reminders: selfback hope list" in out
    assert MESSAGE not in out


def test_cope_does_not_offer_the_box_below_8(run: Any) -> None:
    add_message(run)
    child = run("cope", "tiny-say", "--for", "anger")
    child.expect_exact("> ")
    child.sendline("6")
    index = child.expect_exact(["hope box", "Enter to begin"])
    assert index == 1
    child.sendline("q")
    finish(child)


def opener(tmp_path: Path) -> tuple[str, Path]:
    marker = tmp_path / "opened.txt"
    script = tmp_path / "opener.py"
    script.write_text(
        f"import sys\nopen({str(marker)!r}, 'w').write(sys.argv[1])\n", encoding="utf-8"
    )
    return f"{sys.executable} {script}", marker


def test_a_photo_is_opened_only_after_yes(run: Any, tmp_path: Path) -> None:
    photo = tmp_path / "beach.jpg"
    photo.write_bytes(b"jpeg")
    child = run("hope", "add")
    child.expect_exact("> ")
    child.sendline("photo")
    child.expect_exact("The file's place on this computer")
    child.sendline("https://example.com/beach.jpg")
    child.expect_exact("not web or network addresses")
    finish(child, 2)

    child = run("hope", "add", "--kind", "photo")
    child.expect_exact("The file's place on this computer")
    child.expect_exact("> ")
    child.sendline(str(photo))
    child.expect_exact("A few words about it")
    child.expect_exact("> ")
    child.sendline("The beach last summer")
    child.expect_exact("Kept in your hope box (number 1)")
    finish(child)

    command, marker = opener(tmp_path)
    child = run("hope", "show", "1", env={"SELFBACK_OPENER": command})
    child.expect_exact("The beach last summer")
    child.expect_exact("Open it with your computer's usual app? [y/N]")
    child.sendline("")
    child.expect_exact("Not opened.")
    finish(child)
    assert not marker.exists()

    child = run("hope", "show", "1", env={"SELFBACK_OPENER": command})
    child.expect_exact("[y/N]")
    child.sendline("y")
    child.expect_exact("Opening it")
    finish(child)
    assert marker.read_text() == str(photo)


def test_a_note_for_next_time_round_trip(run: Any, home: Path) -> None:
    child = run("cope", "tiny-say", "--for", "anger")
    child.expect_exact("> ")
    child.sendline("6")
    child.expect_exact("Enter to begin")
    child.sendline("")
    child.expect_exact("Tiny say begins here.")
    child.expect_exact("> ")
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("3")
    child.expect_exact("Leave a note for next time you feel like this? (y/n)")
    child.sendline("y")
    child.expect_exact("Write it to yourself")
    child.expect_exact("> ")
    child.sendline(NOTE)
    child.expect_exact("selfback cope will show it to you first")
    finish(child)

    conn = sqlite3.connect(home / "selfback.db")
    try:
        row = conn.execute("SELECT situation, skill_id, text FROM next_time_notes").fetchone()
    finally:
        conn.close()
    assert row == ("anger", "tiny-say", NOTE)

    child = run("cope", "--for", "anger")
    child.expect_exact("> ")
    child.sendline("5")
    child.expect_exact("A note you left for next time")
    child.expect_exact(NOTE)
    child.expect_exact("Last time, Tiny say helped.")
    child.expect_exact("ready to go on.")
    child.sendline("")
    child.expect_exact("Some skills that could help right now")
    child.expect_exact("> ")
    child.sendline("q")
    finish(child)


def test_no_note_is_offered_when_it_did_not_help(run: Any) -> None:
    child = run("cope", "tiny-say", "--for", "anger")
    child.expect_exact("> ")
    child.sendline("4")
    child.expect_exact("Enter to begin")
    child.sendline("")
    child.expect_exact("Tiny say begins here.")
    child.expect_exact("> ")
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("4")
    out = finish(child)
    assert "Leave a note" not in out
