"""`selfback cope` driven for real in a pseudo-terminal (pexpect), with a scaled clock so
timers and the pacer take milliseconds. Each test checks the session in the log."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pexpect
import pytest

from selfback.fsutil import ensure_dir

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

TINY_SKILLS = {
    "tiny-choose": """
id: tiny-choose
title: Tiny choice
summary: A test skill with a choice and a rating.
situations: [anger, stress]
distress: {min: 0, max: 10}
minutes: 1
source: Tests (2026).
steps:
  - kind: say
    text: Tiny choice begins here.
  - kind: choose
    id: drink
    text: Which drink sounds good?
    options: [Tea, Water, Juice]
  - kind: rate
    id: calm
    text: How calm is your body?
    min: 0
    max: 5
    min_label: not at all
    max_label: very
  - kind: say
    text: Tiny choice is over.
""",
    "tiny-ask": """
id: tiny-ask
title: Tiny questions
summary: A test skill with questions.
situations: [rumination]
distress: {min: 0, max: 10}
minutes: 1
source: Tests (2026).
steps:
  - kind: ask
    id: first
    text: Name one colour near you.
  - kind: ask
    id: second
    text: Name two sounds.
    count: 2
  - kind: say
    text: Tiny questions third step.
  - kind: say
    text: Tiny questions last step.
""",
    "tiny-breathe": """
id: tiny-breathe
title: Tiny breathing
summary: A test skill with a long breathing pacer.
situations: [stress]
distress: {min: 0, max: 10}
minutes: 30
source: Tests (2026).
steps:
  - kind: breathe
    text: Breathe with the pacer.
    inhale: 5
    hold: 5
    exhale: 10
    cycles: 100
  - kind: say
    text: Tiny breathing after.
""",
    "tiny-timer": """
id: tiny-timer
title: Tiny timer
summary: A test skill with a long timer.
situations: [stress]
distress: {min: 0, max: 10}
minutes: 60
source: Tests (2026).
steps:
  - kind: say
    text: Tiny timer begins.
  - kind: timer
    text: Wait with the timer.
    seconds: 3600
  - kind: say
    text: Tiny timer after.
""",
}


@pytest.fixture
def skills_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "test-skills"
    folder.mkdir()
    for name, text in TINY_SKILLS.items():
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    return folder


@pytest.fixture
def cope(spawn: Any, home: Path, skills_dir: Path) -> Any:
    """Start `selfback cope ...` in a pty, past the one-time welcome."""
    ensure_dir(home)
    (home / ".welcomed").write_text("welcomed\n")

    def start(
        *args: str, env: dict[str, str] | None = None, dimensions: tuple[int, int] = (40, 100)
    ) -> Any:
        full = {"SELFBACK_SKILLS_PATH": str(skills_dir)}
        full.update(env or {})
        child = spawn("cope", *args, env=full, dimensions=dimensions)
        child.logfile_read = _Log()
        child.delaybeforesend = None
        return child

    return start


class _Log:
    """Keeps everything the child printed, for assertions about the whole screen."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.parts)


def sessions(home: Path) -> list[dict[str, Any]]:
    conn = sqlite3.connect(home / "selfback.db")
    conn.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in conn.execute("SELECT * FROM coping_sessions ORDER BY id")]
    finally:
        conn.close()
    for r in rows:
        r["answers"] = json.loads(r["answers"])
    return rows


def openings(home: Path) -> list[str]:
    conn = sqlite3.connect(home / "selfback.db")
    try:
        return [r[0] for r in conn.execute("SELECT source FROM crisis_openings ORDER BY id")]
    finally:
        conn.close()


def finish(child: Any, code: int = 0) -> None:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == code, child.logfile_read.text[-2000:]


def step(child: Any, n: int, total: int | None = None, *, prompt: bool = True) -> None:
    """Wait for the header of step n (plain: "Step n of t", colour: "step n of t")."""
    of = rf" of {total}" if total else " of"
    child.expect(rf"(?i)step {n}{of}")
    if prompt:
        child.expect_exact("> ")


def write_plan(home: Path, skill_ids: list[str], helpers: tuple[tuple[str, str], ...] = ()) -> None:
    from selfback.safety.plan import Contact, SafetyPlan

    ensure_dir(home)
    plan = SafetyPlan(coping_skills=skill_ids, helpers=[Contact(n, r) for n, r in helpers])
    (home / "safety-plan.json").write_text(plan.to_json(), encoding="utf-8")


def flags(home: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(home / "selfback.db")
    try:
        return [
            (r[0], r[1], r[2])
            for r in conn.execute("SELECT source, kind, ref_uid FROM risk_flags ORDER BY id")
        ]
    finally:
        conn.close()


# -- four skills end to end ------------------------------------------------------------------


def test_box_breathing_from_the_safety_plan_with_the_animated_pacer(cope: Any, home: Path) -> None:
    write_plan(home, ["box-breathing"])
    child = cope()
    child.expect_exact("How intense is it right now, 0 to 10?")
    child.expect_exact("> ")
    child.sendline("6")
    child.expect_exact("What's going on?")
    child.expect_exact("> ")
    child.sendline("1")  # anxious or worried
    child.expect_exact("Some skills that could help right now")
    child.expect("1\\. .*Box breathing.*from your safety plan")
    child.expect_exact("Enter for 1")
    child.sendline("")  # Enter takes the first
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("")
    step(child, 2, 4)
    child.sendline("")
    step(child, 3, 4, prompt=False)
    child.expect_exact("Press Enter to start (6 breaths")
    child.sendline("")
    child.expect_exact("Breathe in")
    child.expect_exact("Hold")
    child.expect_exact("Breathe out")
    child.expect_exact("Done: 6 breaths. Press Enter to go on.")
    child.sendline("")
    step(child, 4, 4)
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("3")
    child.expect_exact("From 6 to 3: it came down 3 points.")
    child.expect_exact("Leave a note for next time you feel like this? (y/n)")
    child.sendline("")  # no note (selfback.actions.hope)
    child.expect_exact("Saved in your log.")
    finish(child)
    screen = child.logfile_read.text
    assert "\x1b[2J" in screen  # a calm, cleared screen per step in colour mode
    assert "\x1b[?25l" in screen and "█" in screen  # the animated pacer bar
    [s] = sessions(home)
    assert s["skill_id"] == "box-breathing" and s["skill_version"] == 1
    assert s["situation"] == "anxiety"
    assert (s["distress_before"], s["distress_after"]) == (6, 3)
    assert s["status"] == "completed" and s["answers"] == []
    assert s["started_at"] < s["ended_at"]


def test_grounding_with_five_answers_in_plain_mode(cope: Any, home: Path) -> None:
    child = cope("grounding-54321", "--plain")
    child.expect_exact("How intense is it right now, 0 to 10?")
    child.sendline("7")
    child.expect_exact("5-4-3-2-1 grounding (about 4 minutes)")
    child.expect_exact("Before you start:")
    child.sendline("")
    step(child, 1, 8)
    child.sendline("")
    child.expect_exact("Step 2 of 8 (5-4-3-2-1 grounding)")
    child.expect_exact("Name 5 things you can see.")
    for i, thing in enumerate(["a mug", "a lamp", "my hands", "the door", "a plant"], 1):
        child.expect_exact(f"{i} of 5 > ")
        child.sendline(thing)
    for n, count in ((3, 4), (4, 3), (5, 2), (6, 1)):
        child.expect_exact(f"Step {n} of 8")
        for i in range(1, count + 1):
            child.expect_exact(f"{i} of {count} > " if count > 1 else "> ")
            child.sendline(f"thing {n}.{i}")
    step(child, 7, 8)  # optional: Enter skips it
    child.sendline("")
    step(child, 8, 8)
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("5")
    child.expect_exact("came down 2 points")
    finish(child)
    assert not ANSI.search(child.logfile_read.text)
    [s] = sessions(home)
    assert s["skill_id"] == "grounding-54321" and s["status"] == "completed"
    assert s["situation"] is None
    answers = {a["step"]: a["answer"] for a in s["answers"]}
    assert answers["see"] == ["a mug", "a lamp", "my hands", "the door", "a plant"]
    assert answers["touch"] == ["thing 3.1", "thing 3.2", "thing 3.3", "thing 3.4"]
    assert answers["taste"] == "thing 6.1"
    assert "here_now" not in answers


def test_custom_skill_with_a_choice_and_a_rating(cope: Any, home: Path) -> None:
    child = cope("tiny-choose", "--for", "anger")
    child.expect_exact("How intense is it right now, 0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("")
    child.expect_exact("Which drink sounds good?")
    child.expect_exact("2. Water")
    child.expect_exact("> ")
    child.sendline("7")
    child.expect_exact("Please type a number from 1 to 3.")
    child.sendline("2")
    child.expect_exact("How calm is your body?")
    child.expect_exact("(0 to 5: 0 = not at all, 5 = very)")
    child.expect_exact("> ")
    child.sendline("4")
    step(child, 4, 4)
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("5")
    child.expect_exact("Still a 5.")
    finish(child)
    [s] = sessions(home)
    assert s["skill_id"] == "tiny-choose" and s["situation"] == "anger"
    assert s["answers"] == [
        {"step": "drink", "kind": "choose", "answer": "Water"},
        {"step": "calm", "kind": "rate", "answer": 4},
    ]


def test_stop_skill_with_the_plain_pacer_under_no_color(cope: Any, home: Path) -> None:
    child = cope("stop", env={"NO_COLOR": "1"})
    child.expect_exact("How intense is it right now, 0 to 10?")
    child.sendline("8")
    child.expect_exact("Enter to begin")
    child.sendline("")
    for n in (1, 2, 3):
        step(child, n, 8)
        child.sendline("")
    step(child, 4, 8)
    child.sendline("")
    # one line per phase, no cursor tricks: screen-reader friendly
    child.expect_exact("Breath 1 of 4: breathe in... 4\r\n")
    child.expect_exact("Breathe out... 6\r\n")
    child.expect_exact("Breath 4 of 4: breathe in... 4\r\n")
    child.expect_exact("Done: 4 breaths. Press Enter to go on.")
    child.sendline("")
    step(child, 5, 8)
    child.sendline("")  # optional
    step(child, 6, 8)
    child.sendline("the room is quiet")
    step(child, 7, 8)
    child.sendline("drink some water")
    step(child, 8, 8)
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("6")
    finish(child)
    assert not ANSI.search(child.logfile_read.text)
    [s] = sessions(home)
    assert s["skill_id"] == "stop" and s["status"] == "completed"
    assert s["answers"] == [
        {"step": "outside", "kind": "ask", "answer": "the room is quiet"},
        {"step": "next_step", "kind": "ask", "answer": "drink some water"},
    ]


def test_reduced_motion_setting_gives_the_plain_pacer_in_colour(cope: Any, home: Path) -> None:
    (home / "config.json").write_text('{"reduced_motion": true}')
    child = cope("box-breathing")
    child.expect_exact("0 to 10?")
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.sendline("")
    for n in (1, 2):
        step(child, n, 4)
        child.sendline("")
    step(child, 3, 4)
    child.sendline("")
    child.expect_exact("Breath 1 of 6: breathe in... 4\r\n")
    child.expect_exact("Done: 6 breaths.")
    child.sendline("q")
    child.expect_exact("how intense is it now, 0 to 10?")
    child.sendline("")
    finish(child)
    assert "\x1b[?25l" not in child.logfile_read.text


# -- navigation: back, skip, stop, help, crisis key --------------------------------------------


def test_back_skip_help_and_stop(cope: Any, home: Path) -> None:
    child = cope("tiny-ask", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("4")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("")  # required question left empty: a gentle nudge first
    child.expect_exact("Take your time.")
    child.sendline("green")
    step(child, 2, 4)
    child.sendline("b")
    step(child, 1, 4, prompt=False)
    child.expect_exact("Before, you wrote: green")
    child.sendline("")  # Enter keeps it
    step(child, 2, 4)
    child.sendline("?")
    child.expect_exact("How this works.")
    child.expect_exact("Press Enter to go back.")
    child.sendline("")
    step(child, 2, 4)
    child.sendline("s")  # skip
    step(child, 3, 4)
    child.sendline("q")  # stop
    child.expect_exact("Stopped here. That's okay.")
    child.expect_exact("Before you go: how intense is it now, 0 to 10?")
    child.sendline("3")
    finish(child)
    [s] = sessions(home)
    assert s["status"] == "stopped" and s["distress_after"] == 3 and s["ended_at"]
    assert s["answers"] == [{"step": "first", "kind": "ask", "answer": "green"}]


def test_b_on_the_first_step_returns_to_the_skill_choice(cope: Any, home: Path) -> None:
    child = cope("tiny-ask", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("4")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4, prompt=False)
    child.expect_exact("b another skill")  # the hint says what b does here
    child.expect_exact("> ")
    child.sendline("b")
    child.expect_exact("Some skills that could help right now:")
    child.expect_exact("> ")
    child.sendline("q")
    finish(child)
    assert sessions(home) == []  # nothing was written in it, so it is not kept


def test_the_full_hint_once_then_a_short_one(cope: Any, home: Path) -> None:
    child = cope("tiny-ask", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("4")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4, prompt=False)
    child.expect_exact("Type, then Enter, b another skill, s skip, q stop, ? help, ! crisis")
    child.sendline("green")
    step(child, 2, 4, prompt=False)
    child.expect_exact("Type, then Enter, b back, s skip, q stop, ? help, ! crisis lines.")
    child.expect_exact("> ")
    child.sendline("rain")
    child.sendline("wind")
    step(child, 3, 4, prompt=False)
    child.expect_exact("Enter to go on, b back, s skip, q stop, ? help, ! crisis lines.")
    child.sendline("")
    step(child, 4, 4, prompt=False)
    child.expect_exact("Enter to go on; keys b, s, q, ?, !.")  # the same keys, short now
    child.sendline("")
    child.expect_exact("0 to 10?")
    child.sendline("")
    finish(child)


def test_crisis_key_shows_resources_and_returns_to_the_step(cope: Any, home: Path) -> None:
    child = cope("tiny-ask", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("!")
    child.expect_exact("emergency")
    child.expect_exact("selfback sos")
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("")
    step(child, 1, 4)  # the same step again
    child.sendline("blue")
    step(child, 2, 4)
    child.sendline("q")
    child.expect_exact("0 to 10?")
    child.sendline("")
    finish(child)
    assert openings(home) == ["key"]
    [s] = sessions(home)
    assert s["answers"] == [{"step": "first", "kind": "ask", "answer": "blue"}]


def test_high_distress_shows_crisis_resources_first_then_continues(cope: Any, home: Path) -> None:
    child = cope("tiny-choose", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("9")
    child.expect_exact("emergency")
    child.expect_exact("Press Enter when you're ready to go on.")
    child.sendline("")
    child.expect_exact("Enter to begin")  # the skill is never blocked
    child.sendline("q")
    child.expect_exact("Okay.")
    finish(child)
    assert openings(home) == ["cope"]


def test_self_harm_urge_shows_crisis_resources_before_suggestions(cope: Any, home: Path) -> None:
    child = cope("--plain")
    child.expect_exact("0 to 10?")
    child.sendline("4")
    child.expect_exact("What's going on?")
    child.expect_exact("7. Urge to hurt myself")
    child.sendline("7")
    child.expect_exact("emergency")
    child.expect_exact("Press Enter when you're ready to go on.")
    child.sendline("")
    child.expect_exact("Some skills that could help right now")
    child.expect_exact("Enter for 1")
    child.sendline("q")
    finish(child)
    assert openings(home) == ["cope"]
    assert sessions(home) == []


def test_still_high_offers_another_skill(cope: Any, home: Path) -> None:
    child = cope("tiny-choose", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("8")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("q")
    child.expect_exact("Before you go: how intense is it now, 0 to 10?")
    child.sendline("8")
    child.expect_exact("It still feels very hard. What would help now?")
    child.expect_exact("2. See crisis lines")
    child.sendline("2")
    child.expect_exact("emergency")
    child.expect_exact("1. Try another skill")
    child.sendline("1")
    child.expect_exact("Some skills that could help right now")
    child.expect_exact("Enter for 1")
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.sendline("q")
    finish(child)
    rows = sessions(home)
    assert len(rows) == 1 and rows[0]["distress_after"] == 8
    assert openings(home) == ["cope"]
    assert "Tiny choice (about" not in child.logfile_read.text.split("Try another skill")[-1]


def test_again_repeats_the_last_skill_that_helped(cope: Any, home: Path) -> None:
    child = cope("tiny-choose", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("6")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("q")
    child.expect_exact("0 to 10?")
    child.sendline("4")
    child.expect_exact("Next time, selfback cope --again starts Tiny choice at once.")
    finish(child)

    child = cope("--again", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Tiny choice (about 1 minute)")
    child.sendline("q")
    finish(child)


def test_again_without_history_falls_back_to_choosing(cope: Any) -> None:
    child = cope("--again", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Nothing in your log is marked as having helped yet")
    child.expect_exact("What's going on?")
    child.sendline("q")
    child.expect_exact("Okay.")
    finish(child)


# -- Ctrl-C and end of input -------------------------------------------------------------------


def test_ctrl_c_mid_timer_exits_130_and_saves_the_session_as_stopped(cope: Any, home: Path) -> None:
    child = cope("tiny-timer")  # a one-hour timer: 3.6 s at the test time scale
    child.expect_exact("0 to 10?")
    child.sendline("6")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 3)
    child.sendline("")
    step(child, 2, 3)
    child.sendline("")
    child.expect_exact("(Enter finishes early")
    child.expect_exact("60:00")  # the visible countdown ...
    child.expect(r"5\d:\d\d")  # ... is running
    child.sendintr()
    child.expect_exact("Stopped. What you did so far is saved.")
    finish(child, 130)
    assert "Traceback" not in child.logfile_read.text
    assert child.logfile_read.text.count("Stopped") == 1  # one kind line, not two
    [s] = sessions(home)
    assert s["skill_id"] == "tiny-timer" and s["status"] == "stopped" and s["ended_at"]
    assert s["distress_before"] == 6 and s["distress_after"] is None


def test_ctrl_c_during_the_pacer_exits_130_and_restores_the_terminal(cope: Any, home: Path) -> None:
    child = cope("tiny-breathe")  # 100 breaths of 20 s: 2 s at the test time scale
    child.expect_exact("0 to 10?")
    child.sendline("7")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 2)
    child.sendline("")
    child.expect_exact("Breath 2 of 100")
    child.sendintr()
    child.expect_exact("Stopped. What you did so far is saved.")
    finish(child, 130)
    text = child.logfile_read.text
    assert "Traceback" not in text
    assert text.rfind("\x1b[?25h") > text.rfind("\x1b[?25l")  # the cursor is shown again
    [s] = sessions(home)
    assert s["skill_id"] == "tiny-breathe" and s["status"] == "stopped"


def test_keys_during_the_pacer(cope: Any, home: Path) -> None:
    child = cope("tiny-breathe", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("7")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 2)
    child.sendline("")
    child.expect_exact("Breath 2 of 100: breathe in... 5")
    child.send("!")  # a single key, no Enter needed while the pacer runs
    child.expect_exact("emergency")
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("")
    step(child, 1, 2)
    child.sendline("")
    child.expect_exact("Breath 1 of 100")
    child.send("s")  # skip the rest of the pacer
    step(child, 2, 2)
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("5")
    finish(child)
    assert openings(home) == ["key"]
    assert sessions(home)[0]["status"] == "completed"


def test_enter_finishes_a_timer_early(cope: Any, home: Path) -> None:
    child = cope("tiny-timer", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 3)
    child.sendline("")
    step(child, 2, 3)
    child.sendline("")
    child.expect_exact("Timer: 60 minutes.")
    child.sendline("")
    child.expect_exact("Finished early. That's fine. Press Enter to go on.")
    child.sendline("")
    step(child, 3, 3)
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("")
    finish(child)
    assert sessions(home)[0]["status"] == "completed"


def test_end_of_input_stops_kindly_and_saves(cope: Any, home: Path) -> None:
    child = cope("tiny-ask")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("red")
    step(child, 2, 4)
    child.sendeof()
    child.expect_exact("No more input, so selfback stopped.")
    finish(child, 1)
    assert "Traceback" not in child.logfile_read.text
    [s] = sessions(home)
    assert s["status"] == "stopped"
    assert s["answers"] == [{"step": "first", "kind": "ask", "answer": "red"}]


def test_ctrl_c_at_the_first_question(cope: Any, home: Path) -> None:
    child = cope()
    child.expect_exact("0 to 10?")
    child.expect_exact("> ")
    child.sendintr()
    finish(child, 130)
    assert "Traceback" not in child.logfile_read.text


# -- hearing the person: the crisis path never slips ------------------------------------------

SAFE_FOR_SUICIDAL_THOUGHTS = {
    "reach-out",
    "grounding-54321",
    "tipp",
    "stop",
    "cyclic-sighing",
    "box-breathing",
    "resonance-breathing",
}
COGNITIVE_TITLES = ("Thought record", "Check the facts", "Opposite action")


def suggested_titles(text: str) -> list[str]:
    """The numbered titles in the last suggestion list on screen."""
    block = text.split("Some skills that could help right now:")[-1].split("Enter for 1")[0]
    return re.findall(r"^  \d\. (.+?) \(\d+ minutes?\)", ANSI.sub("", block), re.M)


def test_thoughts_of_ending_my_life_bring_crisis_help_and_people_first(
    cope: Any, home: Path
) -> None:
    write_plan(home, [], helpers=(("Sam", "07700 900123"),))
    child = cope("--plain", env={"SELFBACK_SKILLS_PATH": ""})
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("8. Thoughts of ending my life")
    child.expect_exact("10. Something else")
    child.expect_exact("> ")
    child.sendline("8")
    child.expect_exact("emergency")
    child.expect_exact("Your people:")
    child.expect_exact("Sam: 07700 900123")
    child.expect_exact("Press Enter when you're ready to go on.")
    child.sendline("")
    child.expect_exact("Some skills that could help right now:")
    child.expect_exact("Enter for 1")
    text = child.logfile_read.text
    assert text.index("Sam: 07700 900123") < text.index("Some skills that could help")
    titles = suggested_titles(text)
    assert len(titles) == 3 and not set(titles) & set(COGNITIVE_TITLES)
    child.sendline("m")  # not even the full list offers a thinking-heavy skill
    child.expect_exact("Type a number (Enter for 1, q to stop).")
    full = child.logfile_read.text.split("Enter for 1")[-2]
    assert not any(t in full for t in COGNITIVE_TITLES)
    child.sendline("q")
    finish(child)
    assert openings(home) == ["cope"]
    assert flags(home) == []  # picked from the list: recorded as the situation, no flag


def test_words_at_whats_going_on_are_heard(cope: Any, home: Path) -> None:
    child = cope("--plain", env={"SELFBACK_SKILLS_PATH": ""})
    child.expect_exact("0 to 10?")
    child.sendline("6")
    child.expect_exact("Type a number, or a few words.")
    child.sendline("panik")  # a typo: a hint, not a guess
    child.expect_exact("Did you mean panic, racing heart? It is number 2.")
    child.sendline("I just want to die tonight")
    child.expect_exact("Thank you for telling me.")
    child.expect_exact("emergency")
    child.expect_exact("Press Enter when you're ready to go on.")
    child.sendline("")
    child.expect_exact("Some skills that could help right now:")
    child.expect_exact("Enter for 1")
    titles = suggested_titles(child.logfile_read.text)
    assert titles and not set(titles) & set(COGNITIVE_TITLES)
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.sendline("q")
    finish(child)
    assert openings(home) == ["risk"]
    assert flags(home) == [("situation", "suicide", None)]


def test_a_9_on_the_urge_rating_in_urge_surfing(cope: Any, home: Path) -> None:
    child = cope("urge-surfing", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("4")
    child.expect_exact("Enter to begin")
    child.sendline("")
    for n in (1, 2, 3, 4):  # three short screens and the optional "name the urge"
        step(child, n)
        child.sendline("")
    step(child, 5, prompt=False)
    child.expect_exact("How strong is the urge right now?")
    child.expect_exact("> ")
    child.sendline("9")
    child.expect_exact("emergency")
    child.expect_exact("What would help now?")
    child.expect_exact("1. Carry on with Urge surfing")
    child.expect_exact("2. Switch to something calming")
    child.expect_exact("3. See my safety plan")
    child.expect_exact("4. Stop for now")
    child.sendline("3")  # the plan, then the same choice again
    child.expect_exact("No safety plan yet")
    child.expect_exact("Press Enter to go back.")
    child.sendline("")
    child.expect_exact("What would help now?")
    child.sendline("")  # Enter: carry on
    step(child, 6)
    child.expect_exact("")
    child.sendline("q")
    child.expect_exact("Before you go: how intense is it now, 0 to 10?")
    child.sendline("")
    finish(child)
    [s] = sessions(home)
    assert {"step": "urge_start", "kind": "rate", "answer": 9} in s["answers"]
    assert openings(home) == ["rating", "key"]
    assert flags(home) == [("rating", "high-rating", s["uid"])]


def test_sos_help_and_selfback_sos_typed_at_any_prompt(cope: Any, home: Path) -> None:
    child = cope("tiny-choose", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("SOS")  # at the first question
    child.expect_exact("emergency")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline(" help ")  # at the intro
    child.expect_exact("emergency")
    child.expect_exact("(For how the keys work, type ? and press Enter.)")
    child.expect_exact("Press Enter to go back to the skill.")
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("  Selfback SOS ")  # at a step
    child.expect_exact("emergency")
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("")
    step(child, 1, 4)  # the same step, not the next one
    child.sendline("")
    step(child, 2, 4)
    child.sendline("sos")  # at a choice
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("")
    step(child, 2, 4)
    child.sendline("1")
    step(child, 3, 4)
    child.sendline("help")  # at a rating
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("sos")  # even at "Press Enter"
    child.expect_exact("emergency")
    child.sendline("")
    step(child, 3, 4)
    child.sendline("3")
    step(child, 4, 4)
    child.sendline("")
    child.expect_exact("And now, 0 to 10?")
    child.sendline("4")
    finish(child)
    assert openings(home) == ["key"] * 6
    [s] = sessions(home)
    assert s["answers"] == [
        {"step": "drink", "kind": "choose", "answer": "Tea"},
        {"step": "calm", "kind": "rate", "answer": 3},
    ]


def test_sos_typed_at_a_timers_follow_up_prompt(cope: Any, home: Path) -> None:
    child = cope("tiny-timer", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 3)
    child.sendline("")
    step(child, 2, 3, prompt=False)
    child.expect_exact("Press Enter to start")
    child.expect_exact("> ")
    child.sendline("sos")  # before the timer starts
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("")
    step(child, 2, 3)
    child.sendline("")
    child.expect_exact("Timer: 60 minutes.")
    child.sendline("")  # finish early
    child.expect_exact("Finished early. That's fine. Press Enter to go on.")
    child.sendline("selfback sos")
    child.expect_exact("Press Enter to go back to your step.")
    child.sendline("")
    child.expect_exact("Finished early. That's fine. Press Enter to go on.")  # the same prompt
    child.sendline("q")
    finish_after_stop(child)
    assert openings(home) == ["key", "key"]


def finish_after_stop(child: Any) -> None:
    child.expect_exact("0 to 10?")
    child.sendline("")
    finish(child)


LONG_TINY = """
id: tiny-long
title: Tiny long
summary: A long test skill, so cope checks in halfway.
situations: [stress]
distress: {min: 0, max: 10}
minutes: 12
source: Tests (2026).
steps:
  - {kind: say, text: Long one.}
  - {kind: say, text: Long two.}
  - {kind: say, text: Long three.}
  - {kind: say, text: Long four.}
"""


def test_a_distress_spike_mid_skill_then_switch(cope: Any, home: Path, skills_dir: Path) -> None:
    (skills_dir / "tiny-long.yaml").write_text(LONG_TINY.lstrip(), encoding="utf-8")
    child = cope("tiny-long", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline("")
    for n in (1, 2):
        step(child, n, 5)
        child.sendline("")
    step(child, 3, 5, prompt=False)
    child.expect_exact("A quick check-in")
    child.expect_exact("> ")
    child.sendline("9")
    child.expect_exact("emergency")
    child.expect_exact("What would help now?")
    child.sendline("switch")
    child.expect_exact("Something calming for your body:")
    child.expect(r"1\. ([^\r\n]+?) \(\d+ minutes?\)")
    calm_title = child.match.group(1)
    child.expect_exact("Enter for 1, b to go back, ! crisis lines.")
    child.sendline("")
    child.expect_exact(f"{calm_title} (about")  # its intro, with its cautions
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1)
    child.sendline("q")
    child.expect_exact("Before you go: how intense is it now, 0 to 10?")
    child.sendline("6")
    child.expect_exact("From 9 to 6: it came down 3 points.")
    finish(child)
    first, second = sessions(home)
    assert first["skill_id"] == "tiny-long" and first["status"] == "stopped" and first["ended_at"]
    assert first["answers"] == [{"step": "distress-now", "kind": "rate", "answer": 9}]
    assert first["distress_after"] is None
    assert second["skill_title"] == calm_title and second["distress_before"] == 9
    assert second["skill_id"] in {"tipp", "stop", "grounding-54321", "cyclic-sighing"}
    assert openings(home) == ["rating"]
    assert flags(home) == [("rating", "high-rating", first["uid"])]


def test_the_thought_record_never_argues_with_a_suicidal_thought(cope: Any, home: Path) -> None:
    child = cope("thought-record", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1)
    child.sendline("")
    step(child, 2)
    child.sendline("at home, tonight")
    step(child, 3)
    child.sendline("hopeless")
    step(child, 4)
    child.sendline("80")
    step(child, 5, prompt=False)
    child.expect_exact("1 of 3 > ")
    child.sendline("I want to kill myself")
    child.expect_exact("Thank you for writing that down.")
    child.expect_exact("emergency")
    child.expect_exact("So it stops here.")
    child.expect_exact("What would help now?")
    child.expect_exact("1. Switch to something calming")
    child.expect_exact("3. Stop for now")
    child.sendline("3")
    child.expect_exact("Stopped here. That's okay.")
    child.expect_exact("0 to 10?")
    child.sendline("")
    finish(child)
    text = child.logfile_read.text
    assert "Carry on with" not in text
    assert "How much do you believe" not in text and "What facts support" not in text
    [s] = sessions(home)
    assert s["status"] == "stopped"
    assert {"step": "thoughts", "kind": "ask", "answer": ["I want to kill myself"]} in s["answers"]
    assert openings(home) == ["risk"]
    assert flags(home) == [("skill-answer", "suicide", s["uid"])]


def test_a_risk_answer_in_another_skill_offers_to_carry_on(cope: Any, home: Path) -> None:
    child = cope("tiny-ask", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("i want to hurt myself")
    child.expect_exact("emergency")
    child.expect_exact("1. Carry on with Tiny questions")
    child.sendline("carry on")
    step(child, 2, 4)
    child.sendline("q")
    finish_after_stop(child)
    [s] = sessions(home)
    assert flags(home) == [("skill-answer", "self-harm", s["uid"])]
    assert openings(home) == ["risk"]


def test_try_another_skill_never_offers_the_same_one_first(cope: Any, home: Path) -> None:
    child = cope("tiny-choose", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("8")
    child.expect_exact("Enter to begin")
    child.sendline("")
    step(child, 1, 4)
    child.sendline("q")
    child.expect_exact("0 to 10?")
    child.sendline("8")  # no drop
    child.expect_exact("1. Try another skill")
    child.sendline("1")
    child.expect_exact("Some skills that could help right now")
    child.expect_exact("Enter for 1")
    child.sendline("m")  # even the full list puts it last
    child.expect_exact("Type a number (Enter for 1, q to stop).")
    listing = child.logfile_read.text.split("Try another skill")[-1]
    numbered = re.findall(r"^\s+\d+\. (.+?) \(", listing.split("Enter for 1")[-2], re.M)
    assert numbered[-1] == "Tiny choice" and numbered[0] != "Tiny choice"
    child.sendline("q")
    finish(child)


# -- readable in any terminal ------------------------------------------------------------------


def screen_lines(text: str) -> list[str]:
    plain = ANSI.sub("", text.replace("\x1b[2J\x1b[H", ""))
    return [line for chunk in plain.split("\r\n") for line in chunk.split("\n")]


@pytest.mark.parametrize("plain", [True, False])
def test_40_columns_never_split_a_word_on_the_first_screens(
    cope: Any, home: Path, plain: bool
) -> None:
    args = ("--plain",) if plain else ()
    child = cope(*args, env={"COLUMNS": "40", "LINES": "24"}, dimensions=(24, 40))
    child.expect_exact("> ")
    child.sendline("6")
    child.expect_exact("Something else")
    child.expect_exact("> ")
    child.sendline("2")  # panic
    child.expect_exact("Enter for 1")
    child.expect_exact("> ")
    child.sendline("")
    child.expect_exact("Enter to begin")
    child.expect_exact("> ")
    child.sendline("")
    child.expect(r"(?i)step 1 of")
    child.expect_exact("> ")
    child.sendline("?")
    child.expect_exact("Press Enter to go back.")
    child.sendline("")
    child.expect(r"(?i)step 1 of")
    child.expect_exact("> ")
    child.sendline("q")
    child.expect_exact("0 to 10?")
    child.sendline("")
    finish(child)
    lines = screen_lines(child.logfile_read.text)
    long = [line for line in lines if len(line) > 40]
    assert long == [], long
    text = "\n".join(lines)
    for phrase in ("How intense is it right now, 0 to 10?", "Thoughts of ending my life"):
        assert phrase in text
    assert "`" not in text and "**" not in text


def test_a_skill_title_with_escape_sequences_prints_none(
    cope: Any, home: Path, skills_dir: Path
) -> None:
    (skills_dir / "tiny-evil.yaml").write_text(
        "id: tiny-evil\n"
        'title: "\\e]0;pwned\\a\\e[2J\\e[HTiny evil"\n'
        'summary: "Looks \\e[8mhidden\\e[0m harmless."\n'
        "situations: [stress]\n"
        "distress: {min: 0, max: 10}\n"
        "minutes: 1\n"
        "source: Tests (2026).\n"
        "steps:\n"
        '  - {kind: say, text: "Step \\e[2Jone."}\n'
        '  - {kind: choose, text: Pick, options: ["\\e[31mRed", Blue]}\n',
        encoding="utf-8",
    )
    child = cope("tiny-evil", "--plain")
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Tiny evil (about 1 minute)")
    child.expect_exact("Looks hidden harmless.")
    child.sendline("")
    child.expect_exact("Step one.")
    child.sendline("")
    child.expect_exact("1. Red")
    child.sendline("2")
    child.expect_exact("You finished Tiny evil.")
    child.sendline("")
    finish(child)
    assert "\x1b" not in child.logfile_read.text and "\x07" not in child.logfile_read.text

    child = cope("tiny-evil")  # colour: only selfback's own styling and screen changes
    child.expect_exact("0 to 10?")
    child.sendline("5")
    child.expect_exact("Enter to begin")
    child.sendline("q")
    finish(child)
    text = child.logfile_read.text
    assert "pwned" not in text and "\x1b]" not in text and "\x1b[8m" not in text
    assert "Tiny evil" in text


def test_own_words_at_whats_going_on_are_taken_as_they_are(cope: Any, home: Path) -> None:
    """Words with no situation selfback knows are not met with "please type a number":
    they are thanked and the skills that help in most hard moments follow."""
    child = cope("--plain", env={"SELFBACK_SKILLS_PATH": ""})
    child.expect_exact("0 to 10?")
    child.sendline("6")
    child.expect_exact("Type a number, or a few words.")
    child.sendline("my flatmate took my charger again")
    child.expect_exact("Thank you for putting it in your own words.")
    child.expect_exact("Some skills that could help right now:")
    assert "Please type a number" not in child.logfile_read.text
    child.sendline("q")
    finish(child)


def test_a_near_word_gets_a_hint_and_enter_goes_on(cope: Any, home: Path) -> None:
    child = cope("--plain", env={"SELFBACK_SKILLS_PATH": ""})
    child.expect_exact("0 to 10?")
    child.sendline("6")
    child.expect_exact("Type a number, or a few words.")
    child.sendline("panik")
    child.expect_exact("Type that, or press Enter to")
    child.sendline("")
    child.expect_exact("Some skills that could help right now:")
    assert "Please type a number" not in child.logfile_read.text
    child.sendline("q")
    finish(child)
