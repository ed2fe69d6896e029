"""`plan edit` for real in a terminal, then `sos` shows what was entered."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pexpect

from selfback.paths import get_paths


def _set_country(code: str) -> None:
    paths = get_paths().ensure()
    paths.config_file.write_text(json.dumps({"country": code}), encoding="utf-8")


def _answer_list(child: Any, items: list[str]) -> None:
    for item in items:
        child.expect_exact("  + ")
        child.sendline(item)
    child.expect_exact("  + ")
    child.sendline("")


def _answer_contacts(child: Any, people: list[tuple[str, str]]) -> None:
    for name, reach in people:
        child.expect_exact("+ name > ")
        child.sendline(name)
        child.expect_exact("number or way to reach > ")
        child.sendline(reach)
    child.expect_exact("+ name > ")
    child.sendline("")


def test_plan_edit_end_to_end_then_sos_shows_the_contacts(spawn: Any, home: Path) -> None:
    _set_country("GB")
    child = spawn("plan", "edit")
    child.expect_exact("Stanley-Brown")
    child.expect_exact("Enter keeps what is in [brackets]")
    child.expect_exact("Step 1 of 6. Warning signs")
    _answer_list(child, ["I stop answering messages"])
    child.expect_exact("Step 2 of 6")
    child.expect_exact("Skills you can name here:")
    _answer_list(child, ["grounding-54321", "music loud"])
    child.expect_exact("Step 3 of 6")
    _answer_list(child, ["the corner cafe"])
    child.expect_exact("Step 4 of 6. People I can ask for help")
    _answer_contacts(child, [("Priya", "07700 900111"), ("Tom", "tom@example.org")])
    child.expect_exact("Step 5 of 6")
    _answer_contacts(child, [("GP surgery", "020 7946 0123")])
    child.expect_exact("Step 6 of 6")
    _answer_list(child, [])
    child.expect_exact("My reasons for living")
    _answer_list(child, ["my niece", "finishing my degree"])
    child.expect_exact("Save this plan? [Y/n]")
    child.sendline("")
    child.expect_exact("Saved (version 1)")
    child.expect_exact("offer these skills first: grounding-54321")
    child.expect_exact("every month or two")
    child.expect_exact("someone you trust")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0

    sos = spawn("sos")
    sos.expect_exact("999")
    sos.expect_exact("116 123")
    sos.expect_exact("85258")
    sos.expect_exact("Priya: 07700 900111")
    sos.expect_exact("Tom: tom@example.org")
    sos.expect_exact("GP surgery: 020 7946 0123")
    sos.expect_exact("my niece")
    sos.expect_exact("selfback cope")
    sos.wait()
    assert sos.exitstatus == 0

    # Edit again: earlier answers are the defaults; change one contact's number.
    child = spawn("plan", "edit")
    child.expect_exact("[I stop answering messages] > ")
    child.sendline("")
    child.expect_exact("  + ")
    child.sendline("")
    for _ in range(2):  # step 2 items
        child.expect_exact("] > ")
        child.sendline("")
    child.expect_exact("  + ")
    child.sendline("")
    child.expect_exact("[the corner cafe] > ")
    child.sendline("")
    child.expect_exact("  + ")
    child.sendline("")
    child.expect_exact("[Priya] name > ")
    child.sendline("")
    child.expect_exact("[07700 900111] number or way to reach > ")
    child.sendline("07700 900999")
    child.expect_exact("[Tom] name > ")
    child.sendline("-")
    child.expect_exact("removed")
    child.expect_exact("+ name > ")
    child.sendline("")
    child.expect_exact("[GP surgery] name > ")
    child.sendline("")
    child.expect_exact("] number or way to reach > ")
    child.sendline("")
    child.expect_exact("+ name > ")
    child.sendline("")
    child.expect_exact("Step 6 of 6")
    child.expect_exact("  + ")
    child.sendline("")
    child.expect_exact("[my niece] > ")
    child.sendline("")
    child.expect_exact("[finishing my degree] > ")
    child.sendline("")
    child.expect_exact("  + ")
    child.sendline("")
    child.expect_exact("Save this plan? [Y/n]")
    child.sendline("y")
    child.expect_exact("Saved (version 2)")
    child.wait()

    history = spawn("plan", "history")
    history.expect_exact("2        ")
    history.expect_exact("(current)")
    history.expect_exact("1        ")
    history.wait()

    old = spawn("plan", "show", "--version", "1")
    old.expect_exact("Tom: tom@example.org")
    old.expect_exact("earlier version")
    old.wait()

    sos = spawn("sos")
    sos.expect_exact("Priya: 07700 900999")
    sos.expect_exact("selfback cope")
    assert "Tom" not in sos.before
    sos.wait()


def test_ctrl_c_keeps_a_draft_and_the_next_edit_continues_from_it(spawn: Any, home: Path) -> None:
    child = spawn("plan", "edit")
    child.expect_exact("Step 1 of 6")
    child.expect_exact("  + ")
    child.sendline("my chest gets tight")
    child.expect_exact("  + ")
    child.sendcontrol("c")
    child.expect_exact("kept as a draft")
    child.wait()
    assert child.exitstatus == 130

    child = spawn("plan", "edit")
    child.expect_exact("unfinished draft")
    child.sendline("y")
    child.expect_exact("[my chest gets tight] > ")
    child.sendcontrol("c")
    child.wait()
