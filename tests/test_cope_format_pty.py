"""The grown-up skill format in a real terminal (pexpect): a letter read back, long answers
(several lines, Ctrl-D, $EDITOR), a thought record's summary, TIPP's parts and urge
surfing's repeat, and the built-in skills that use them."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pexpect

from test_cope_pty import cope, finish, sessions, skills_dir

__all__ = ["cope", "skills_dir"]


def at(child: Any, text: str, answer: str | None = None) -> None:
    """Wait for ``text`` and the prompt after it; then send ``answer`` (if given)."""
    child.expect_exact(text)
    child.expect_exact("> ")
    if answer is not None:
        child.sendline(answer)


def begin(child: Any, distress: str = "3") -> None:
    at(child, "0 to 10?", distress)
    at(child, "Enter to begin", "")


def answers(home: Path) -> dict[str, Any]:
    [s] = sessions(home)
    return {a["step"]: a["answer"] for a in s["answers"]}


def test_the_letter_of_several_lines_is_read_back_before_the_end(cope: Any, home: Path) -> None:
    child = cope("unsent-letter", "--plain")
    begin(child)
    at(child, "This letter is never sent.", "")
    at(child, "Who is the letter to?", "1")
    at(child, "How do you want to address them?", "Dear Sam,")
    at(child, "quick check-in", "")  # the distress re-check of a long skill: Enter skips
    child.expect_exact("What do you want them to know?")
    at(child, "An empty line (or Ctrl-D) finishes.")
    child.sendline("I miss our walks by the river.")
    child.expect_exact("... ")
    child.sendline("I am sorry I left without a word.")
    child.expect_exact("... ")
    child.sendline("")  # an empty line finishes the letter
    at(child, "What do you wish had been different", "")  # optional: Enter skips
    at(child, "What do you need", "")
    child.expect_exact("Here is your letter. Read it back slowly")
    child.expect_exact("Dear Sam,")
    child.expect_exact("I miss our walks by the river.")
    child.expect_exact("I am sorry I left without a word.")
    at(child, "Enter to go on", "")
    at(child, "Finish with one kind line to yourself.", "It makes sense that I miss him.")
    at(child, "Nothing is sent.", "")
    at(child, "And now, 0 to 10?", "2")
    finish(child)
    got = answers(home)
    assert got["letter_main"] == "I miss our walks by the river.\nI am sorry I left without a word."
    assert "letter_wish" not in got


def test_ctrl_d_finishes_a_long_answer_and_reach_out_shows_the_message(
    cope: Any, home: Path
) -> None:
    child = cope("reach-out", "--plain")
    begin(child)
    at(child, "One short, honest message is enough.", "")
    at(child, "Who is one person who feels safe to contact?", "Ana")
    at(child, "a helpline counts too", "")
    at(child, "How would you like to reach them?", "1")
    at(child, "Draft a short, honest message.")
    child.sendline("Hi Ana, rough day here.")
    child.expect_exact("... ")
    child.sendline("Could we talk tonight?")
    child.expect_exact("... ")
    child.sendcontrol("d")  # Ctrl-D finishes too
    child.expect_exact("Here is your message to Ana, ready to copy or to read out:")
    child.expect_exact("Hi Ana, rough day here.")
    child.expect_exact("Could we talk tonight?")
    at(child, "Enter to go on", "")
    at(child, "When will you send it", "after dinner")
    at(child, "If they don't reply straight away", "")
    at(child, "How does it feel to have this plan?", "")
    at(child, "And now, 0 to 10?", "")
    finish(child)
    assert answers(home)["message"] == "Hi Ana, rough day here.\nCould we talk tonight?"


def _editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def _drafts(home: Path) -> list[str]:
    folder = home / "drafts"
    return sorted(os.listdir(folder)) if folder.exists() else []


def test_e_writes_a_long_answer_in_the_editor_and_leaves_no_file(
    cope: Any, home: Path, tmp_path: Path
) -> None:
    seen = tmp_path / "seen.txt"
    editor = _editor(
        tmp_path,
        f'ls -l "$1" > {seen}\nprintf "Hi Ana,\\nI would love a walk.\\n" >> "$1"\n',
    )
    child = cope("reach-out", "--plain", env={"EDITOR": editor, "VISUAL": ""})
    begin(child)
    at(child, "One short, honest message is enough.", "")
    at(child, "Who is one person who feels safe to contact?", "Ana")
    at(child, "a helpline counts too", "")
    at(child, "How would you like to reach them?", "1")
    child.expect_exact("type e and press Enter to write it in your editor")
    at(child, "e editor", "e")
    child.expect_exact("Got it: 2 lines from your editor.")
    child.expect_exact("Here is your message to Ana")
    child.expect_exact("I would love a walk.")
    at(child, "Enter to go on", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    assert answers(home)["message"] == "Hi Ana,\nI would love a walk."
    assert seen.read_text().startswith("-rw-------")  # private while it existed
    assert _drafts(home) == []  # and gone after


def test_a_failing_editor_leaves_no_file_and_typing_still_works(
    cope: Any, home: Path, tmp_path: Path
) -> None:
    editor = _editor(tmp_path, 'echo "my secret words" >> "$1"\nexit 3\n')
    child = cope("reach-out", "--plain", env={"EDITOR": editor, "VISUAL": ""})
    begin(child)
    at(child, "One short, honest message is enough.", "")
    at(child, "Who is one person who feels safe to contact?", "Ana")
    at(child, "a helpline counts too", "")
    at(child, "How would you like to reach them?", "1")
    at(child, "e editor", "e")
    child.expect_exact("Your editor ended with a problem")
    child.expect_exact("> ")
    child.sendline("Typed instead.")
    child.expect_exact("... ")
    child.sendline("")
    at(child, "Enter to go on", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    assert answers(home)["message"] == "Typed instead."
    assert _drafts(home) == []


def test_ctrl_c_in_the_editor_leaves_no_file(cope: Any, home: Path, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    editor = _editor(tmp_path, f'echo "half a letter" >> "$1"\ntouch {ready}\nsleep 30\n')
    child = cope("reach-out", "--plain", env={"EDITOR": editor, "VISUAL": ""})
    begin(child)
    at(child, "One short, honest message is enough.", "")
    at(child, "Who is one person who feels safe to contact?", "Ana")
    at(child, "a helpline counts too", "")
    at(child, "How would you like to reach them?", "1")
    at(child, "e editor", "e")
    for _ in range(100):
        if ready.exists():
            break
        child.expect(pexpect.TIMEOUT, timeout=0.1)
    child.sendintr()
    child.expect_exact("What you did so far is saved.")
    finish(child, 130)
    assert _drafts(home) == []


def test_a_thought_records_summary_shows_the_thought_typed(cope: Any, home: Path) -> None:
    child = cope("thought-record", "--plain")
    begin(child, "4")
    at(child, "We will look at one moment closely.", "")
    at(child, "Situation:", "Monday, at work")
    at(child, "What mood did you feel most strongly?", "anxious")
    at(child, "How strong was that mood?", "70")
    at(child, "What went through your mind?", "")
    at(child, "Which thought carries the most feeling?", "They think I am useless")
    at(child, "How much do you believe that thought right now?", "60")
    at(child, "What facts support the thought?", "")
    at(child, "What facts don't fit the thought?", "My manager thanked me")
    child.expect_exact("2 of 3 > ")
    child.sendline("")
    at(child, "Write a balanced thought", "One comment is not the whole picture")
    at(child, "How much do you believe the balanced thought?", "50")
    at(child, "Now rate the same mood again.", "40")
    child.expect_exact("Your thought record, all together:")
    child.expect_exact("The thought:")
    child.expect_exact("They think I am useless")
    child.expect_exact("Facts that don't fit:")
    child.expect_exact("My manager thanked me")
    child.expect_exact("The mood now (0-100):")
    at(child, "Enter to go on", "")
    at(child, "Any shift counts", "")
    at(child, "And now, 0 to 10?", "3")
    finish(child)


def test_tipp_skips_a_whole_part_with_one_key(cope: Any, home: Path) -> None:
    child = cope("tipp", "--plain")
    begin(child, "8")
    at(child, "TIPP works through your body", "")
    at(child, "If you feel unsafe", "")
    at(child, "Which part do you want to do?", "5")  # all four
    child.expect_exact("· Temperature")  # the part's title in the header
    at(child, "s skip this part", "s")  # one key: the whole part
    child.expect_exact("Rest before the next part.")
    child.expect_exact("> ")
    assert "Fill a bowl" not in child.logfile_read.text
    child.sendline("q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    skipped = [a["step"] for a in sessions(home)[0]["answers"]]
    assert skipped == ["part"]


def test_tipp_shows_only_the_part_chosen(cope: Any, home: Path) -> None:
    child = cope("tipp", "--plain")
    begin(child, "8")
    at(child, "TIPP works through your body", "")
    at(child, "If you feel unsafe", "")
    at(child, "Which part do you want to do?", "3")  # paced breathing only
    child.expect_exact("· Paced breathing")
    at(child, "Paced breathing. Breathe in for 4", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    text = child.logfile_read.text
    assert "· Temperature" not in text and "Fill a bowl" not in text
    assert "Rest before the next part" not in text


def _surf_round(child: Any, urge: str) -> None:
    at(child, "Watch the urge like a wave.", "")  # Enter starts the timer
    at(child, "Time's up. Press Enter to go on.", "")
    at(child, "How strong is the urge now?", urge)


def test_urge_surfing_offers_another_round_while_the_urge_stays_high(cope: Any, home: Path) -> None:
    child = cope("urge-surfing", "--plain")
    begin(child, "6")
    at(child, "You have an urge", "")
    at(child, "If you feel unsafe", "")
    at(child, "put a little distance", "")
    at(child, "Name the urge in a few words.", "")
    at(child, "How strong is the urge right now?", "7")
    at(child, "Urges often come in waves.", "")
    at(child, "Where do you feel the urge in your body?", "")
    at(child, "Press Enter to start", "")
    at(child, "Press Enter to go on.", "")
    child.expect_exact("· Riding the wave")  # the part's title
    _surf_round(child, "6")
    at(child, "from 7 to 6", "")
    at(child, "Would you like another round of watching it?")
    child.sendline("1")  # another round: offered, taken
    child.expect_exact(", round 2")
    _surf_round(child, "5")
    at(child, "from 7 to 5", "")
    at(child, "Would you like another round of watching it?", "")  # Enter goes on
    at(child, "If the urge is still strong, that's okay.", "b")  # back: the offer again
    at(child, "Would you like another round of watching it?", "1")
    child.expect_exact(", round 3")
    _surf_round(child, "2")  # the urge fell: no more offers
    at(child, "from 7 to 2", "")
    at(child, "If the urge is still strong, that's okay.", "")
    text = child.logfile_read.text
    assert text.count("Would you like another round") == 3
    at(child, "Reaching out is also a way through.", "")
    at(child, "What helped, even a little", "")
    at(child, "And now, 0 to 10?", "2")
    finish(child)
    got = answers(home)
    assert (got["urge_now"], got["urge_now-2"], got["urge_now-3"]) == (6, 5, 2)
    assert got["wave-again-1"] == "Another round" and "urge_now-4" not in got


def test_urge_surfing_offers_nothing_when_the_urge_falls(cope: Any, home: Path) -> None:
    child = cope("urge-surfing", "--plain")
    begin(child, "6")
    for text in ("You have an urge", "If you feel unsafe", "put a little distance"):
        at(child, text, "")
    at(child, "Name the urge in a few words.", "")
    at(child, "How strong is the urge right now?", "5")
    at(child, "Urges often come in waves.", "")
    at(child, "Where do you feel the urge in your body?", "")
    at(child, "Press Enter to start", "")
    at(child, "Press Enter to go on.", "")
    _surf_round(child, "2")
    at(child, "from 5 to 2", "")
    at(child, "If the urge is still strong, that's okay.", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    assert "Would you like another round" not in child.logfile_read.text


def test_dear_man_reads_the_script_back(cope: Any, home: Path) -> None:
    child = cope("dear-man", "--plain")
    begin(child)
    at(child, "What do you want to ask for", "a quiet evening")
    at(child, "Describe:", "We have had guests all week.")
    at(child, "Express:", "I feel drained.")
    at(child, "Assert:", "Can we keep Friday free?")
    at(child, "Reinforce:", "We would both rest.")
    at(child, "quick check-in", "")  # the distress re-check of a long skill
    at(child, "Mindful:", "")
    at(child, "Appear confident:", "")
    at(child, "Negotiate:", "")
    at(child, "When and where could you say it?", "tonight at dinner")
    child.expect_exact("Here is your script.")
    child.expect_exact("Assert:")
    child.expect_exact("Can we keep Friday free?")
    child.expect_exact("When and where:")
    child.expect_exact("tonight at dinner")
    at(child, "Enter to go on", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    assert "Negotiate:" not in child.logfile_read.text.split("Here is your script.")[-1]


def test_risk_words_in_a_long_answer_are_heard(cope: Any, home: Path) -> None:
    import sqlite3

    child = cope("unsent-letter", "--plain")
    begin(child)
    at(child, "This letter is never sent.", "")
    at(child, "Who is the letter to?", "2")
    at(child, "How do you want to address them?", "")
    at(child, "quick check-in", "")
    at(child, "An empty line (or Ctrl-D) finishes.", "Since you went I just want to die")
    child.expect_exact("... ")
    child.sendline("")
    child.expect_exact("Thank you for writing that down.")
    child.expect_exact("What would help now?")
    at(child, "1. Carry on with Unsent letter", "1")
    at(child, "What do you wish had been different", "q")
    at(child, "how intense is it now, 0 to 10?", "")
    finish(child)
    conn = sqlite3.connect(home / "selfback.db")
    try:
        kinds = [r[0] for r in conn.execute("SELECT source FROM risk_flags")]
    finally:
        conn.close()
    assert kinds == ["skill-answer"]


def test_new_screens_fit_40_columns_without_breaking_a_word(cope: Any, home: Path) -> None:
    child = cope("urge-surfing", "--plain", env={"COLUMNS": "40"}, dimensions=(30, 40))
    begin(child, "6")
    for text in ("You have an urge", "If you feel unsafe", "put a little"):
        at(child, text, "")
    at(child, "Name the urge", "")
    at(child, "How strong is the", "7")
    at(child, "Urges often come", "")
    at(child, "Where do you feel", "")
    at(child, "Enter to start", "")  # Enter starts the pacer
    at(child, "Done: 6 breaths.", "")
    at(child, "Watch the urge", "")
    at(child, "Time's up.", "")
    at(child, "How strong is the", "8")
    at(child, "Whatever the", "")
    at(child, "2. Go on", "q")
    at(child, "how intense is it", "")
    finish(child)
    lines = child.logfile_read.text.replace("\r\n", "\n").split("\n")
    assert all(len(line) <= 40 for line in lines), [x for x in lines if len(x) > 40]
    text = " ".join(child.logfile_read.text.split())
    assert "Would you like another round of watching it?" in text
    assert "Riding the wave" in text
