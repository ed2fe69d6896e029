"""The 10-second check-in (`selfback checkin 6`), the interactive form's header and
anchors, and option numbers that stay where they are (issue 19, item 1)."""

from __future__ import annotations

from pathlib import Path

import pexpect

from selfback.actions.checkin import numbered_words
from selfback.paths import get_paths
from selfback.store.checkins import list_checkins
from selfback.store.db import open_store

OPTIONAL_PROMPTS = (
    "Energy, 0-10: ",
    "Anxiety, 0-10: ",
    "Hours of sleep last night (e.g. 7.5): ",
    "Emotions, numbers or words, commas between: ",
    "What was part of today, numbers or words, commas between: ",
    "Anything else? Enter to finish, or type a short note: ",
)


def stored():  # type: ignore[no-untyped-def]
    store = open_store(get_paths())
    try:
        return list_checkins(store)
    finally:
        store.close()


def test_checkin_with_a_number_saves_the_mood_and_asks_nothing(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", "6")
    assert r.exit_code == 0, r
    assert "Saved." in r.stdout and "?" not in r.stdout
    [c] = stored()
    assert (c.mood, c.energy, c.anxiety, c.note, list(c.tags)) == (6, None, None, None, [])


def test_checkin_with_a_number_takes_the_other_flags(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", "4", "--tag", "work", "--energy", "3")
    assert r.exit_code == 0, r
    [c] = stored()
    assert (c.mood, c.energy, list(c.tags)) == (4, 3, ["work"])


def test_checkin_number_is_checked_and_not_given_twice(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("checkin", "tired")
    assert r.exit_code == 2 and "whole number from 0 to 10" in r.stderr
    r = cli("checkin", "6", "--mood", "3")
    assert r.exit_code == 2 and "not both" in r.stderr
    assert stored() == []


def test_ten_second_checkin_in_a_terminal(spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn("checkin", "6")
    child.expect_exact("Saved. Thank you for checking in.")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0
    assert ":" not in child.before  # no question was asked
    assert [c.mood for c in stored()] == [6]


def test_interactive_form_says_what_is_needed_and_the_ends_of_the_scale(spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn("checkin")
    child.expect_exact("Mood is needed; Enter skips any other question.")
    child.expect_exact("0 = very low, 10 = very good")
    child.expect_exact("Mood right now, 0-10: ")
    assert "Enter skips a question" not in child.before
    child.sendline("")
    child.expect_exact("This one is needed")
    child.expect_exact("Mood right now, 0-10: ")
    child.sendline("7")
    child.expect_exact("0 = exhausted, 10 = full of energy")
    for prompt in OPTIONAL_PROMPTS:  # Enter on every optional question
        child.expect_exact(prompt)
        child.sendline("")
    child.expect_exact("Saved. Thank you for checking in.")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0
    [c] = stored()
    assert (c.mood, c.energy, c.emotions, c.tags, c.note) == (7, None, (), (), None)


def _checkin_with_emotions(spawn, typed: str) -> str:  # type: ignore[no-untyped-def]
    """A check-in that answers only mood and emotions; the emotions' numbered list."""
    child = spawn("checkin", "--all")
    child.expect_exact("Mood right now, 0-10: ")
    child.sendline("5")
    for prompt in OPTIONAL_PROMPTS[:3]:
        child.expect_exact(prompt)
        child.sendline("")
    child.expect_exact(OPTIONAL_PROMPTS[3])
    listing = child.before.split("\n")[-2] if "\n" in child.before else child.before
    child.sendline(typed)
    for prompt in OPTIONAL_PROMPTS[4:]:
        child.expect_exact(prompt)
        child.sendline("")
    child.expect_exact("Saved.")
    child.expect(pexpect.EOF)
    return str(listing)


def test_numbers_stay_put_across_checkins(spawn) -> None:  # type: ignore[no-untyped-def]
    first = _checkin_with_emotions(spawn, "3, zebra")
    assert "1 calm  2 happy  3 sad" in first
    # "sad" and "zebra" are used; nothing moves, and the new word comes at the end.
    second = _checkin_with_emotions(spawn, "9, 3")
    assert "1 calm  2 happy  3 sad" in second and "9 zebra" in second
    third = _checkin_with_emotions(spawn, "9")
    assert "1 calm  2 happy  3 sad" in third and "9 zebra" in third
    emotions = [sorted(c.emotions) for c in sorted(stored(), key=lambda c: c.id)]
    assert emotions == [["sad", "zebra"], ["sad", "zebra"], ["zebra"]]


def test_a_pinned_word_comes_first(cli, spawn) -> None:  # type: ignore[no-untyped-def]
    r = cli("trackers", "pin", "emotions", "Hopeful")
    assert r.exit_code == 0 and "number 1" in r.stdout, r
    listing = _checkin_with_emotions(spawn, "1")
    assert "1 hopeful  2 calm  3 happy" in listing
    assert [list(c.emotions) for c in stored()] == [["hopeful"]]
    assert cli("trackers", "unpin", "emotions", "hopeful").exit_code == 0
    assert cli("trackers", "unpin", "emotions", "hopeful").exit_code == 2
    r = cli("trackers", "pin", "mood", "calm")
    assert r.exit_code == 2 and "not a word tracker" in r.stderr


def test_numbered_words_keep_their_order() -> None:
    base = ["calm", "happy"]
    assert numbered_words([], base, ["sad", "calm", "zebra"]) == ["calm", "happy", "sad", "zebra"]
    assert numbered_words(["zebra"], base, ["sad", "zebra"]) == ["zebra", "calm", "happy", "sad"]


def test_pins_survive_in_the_tracker_settings_file(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("trackers", "enable", "diary-card")
    cli("trackers", "pin", "tags", "walk")
    text = (home / "trackers.json").read_text()
    assert '"walk"' in text and "diary-card" in text
    from selfback.trackers.state import load_state

    state = load_state(get_paths())
    assert state.pins == {"tags": ["walk"]} and state.packs == ["diary-card"]


def test_editing_shows_the_same_numbers(cli, spawn) -> None:  # type: ignore[no-untyped-def]
    _checkin_with_emotions(spawn, "zebra")
    child = spawn("history", "edit", "1")
    child.expect_exact("When [")
    child.sendline("")
    for _ in range(4):  # mood, energy, anxiety, sleep: keep
        child.expect(r"\]?: $")
        child.sendline("")
    child.expect_exact("Emotions, numbers or words, commas between [zebra]: ")
    assert "9 zebra" in child.before and "1 calm  2 happy" in child.before
    child.sendline("9, 1")
    child.expect_exact("What was part of today")
    child.sendline("")
    child.expect_exact("Anything else?")
    child.sendline("")
    child.expect(pexpect.EOF)
    [c] = stored()
    assert sorted(c.emotions) == ["calm", "zebra"]
