"""A trauma skill walked for real: `selfback cope flashback-plan` in a pseudo-terminal,
through its "still partly back there" branch, with `!` on a step as its cautions promise."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from test_cope_pty import ANSI, cope, finish, sessions, skills_dir, step  # noqa: F401

TOTAL = 15  # every step of the flashback plan, with the "still partly back there" branch


def test_flashback_plan_in_plain_mode_with_the_crisis_key(cope: Any, home: Path) -> None:  # noqa: F811
    child = cope("flashback-plan", "--plain")
    child.expect_exact("How intense is it right now, 0 to 10?")
    child.sendline("8")
    child.expect_exact("Flashback plan: then and now (about 5 minutes)")
    child.expect_exact("Before you start:")
    child.expect_exact("never need to describe or remember what happened")
    child.expect_exact("Enter to begin")
    child.sendline("")

    step(child, 1, TOTAL)
    child.sendline("!")  # the cautions say ! works on any step
    child.expect_exact("emergency")
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("")
    step(child, 1, TOTAL)  # the same step again
    child.sendline("")
    step(child, 2, TOTAL)
    child.sendline("")
    child.expect_exact("Name the room or the place.")
    child.expect_exact("> ")
    child.sendline("my kitchen")
    step(child, 4, TOTAL)
    child.sendline("Tuesday")
    step(child, 5, TOTAL)
    child.sendline("")  # optional: Enter skips
    child.expect_exact("Step 6 of 15")
    child.expect_exact("Name 3 things around you that belong to your life now.")
    for i, thing in enumerate(["my green mug", "the fridge", "my phone"], 1):
        child.expect_exact(f"{i} of 3 > ")
        child.sendline(thing)
    step(child, 7, TOTAL)
    child.sendline("")
    step(child, 8, TOTAL, prompt=False)
    child.expect_exact("Press Enter to start (5 breaths")
    child.sendline("")
    child.expect_exact("Breath 1 of 5: breathe in... 4")
    child.expect_exact("Done: 5 breaths. Press Enter to go on.")
    child.sendline("")
    step(child, 9, TOTAL)
    child.sendline("I can leave now")
    step(child, 10, TOTAL)
    child.sendline("")
    child.expect_exact("How present do you feel now?")
    child.expect_exact("2. Still partly back there")
    child.expect_exact("> ")
    child.sendline("2")
    child.expect_exact(f"Step 12 of {TOTAL}")
    child.expect_exact("Name 5 things you can see, out loud if you can.")
    for i in range(1, 6):
        child.expect_exact(f"{i} of 5 > ")
        child.sendline(f"thing {i}")
    for n in (13, 14, 15):
        step(child, n, TOTAL)
        child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("5")
    child.expect_exact("From 8 to 5: it came down 3 points.")
    finish(child)

    screen = child.logfile_read.text
    assert not ANSI.search(screen)
    assert "That was then. This is now. I am here, today." in screen
    # Nothing on screen asks the person to describe what happened.
    assert not re.search(r"(?i)(tell|describe|write)[^.\n]*what happened\?", screen)
    [s] = sessions(home)
    assert s["skill_id"] == "flashback-plan" and s["status"] == "completed"
    assert (s["distress_before"], s["distress_after"]) == (8, 5)
    answers = {a["step"]: a["answer"] for a in s["answers"]}
    assert answers["where"] == "my kitchen"
    assert answers["now_things"] == ["my green mug", "the fridge", "my phone"]
    assert answers["here_now"] == "Still partly back there"
    assert answers["see_more"] == [f"thing {i}" for i in range(1, 6)]
    assert "age" not in answers
