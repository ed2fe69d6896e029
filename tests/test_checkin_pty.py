"""`selfback checkin` in a real terminal (pexpect): one question per line, Enter skips."""

from __future__ import annotations

import time
from pathlib import Path

import pexpect

from selfback.paths import get_paths
from selfback.store.checkins import list_checkins
from selfback.store.db import open_store


def stored():  # type: ignore[no-untyped-def]
    store = open_store(get_paths())
    try:
        return list_checkins(store)
    finally:
        store.close()


def answer(child, prompt: str, text: str) -> None:  # type: ignore[no-untyped-def]
    child.expect_exact(prompt)
    child.sendline(text)


def test_interactive_checkin_in_a_terminal(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    child = spawn("checkin")
    answer(child, "Mood right now, 0-10: ", "11")
    child.expect_exact("Please type a whole number from 0 to 10")
    answer(child, "Mood right now, 0-10: ", "6")
    answer(child, "Energy, 0-10: ", "")
    answer(child, "Anxiety, 0-10: ", "?")
    child.expect_exact("0 calm")
    answer(child, "Anxiety, 0-10: ", "3")
    answer(child, "Hours of sleep last night (e.g. 7.5): ", "7:30")
    child.expect_exact("1 calm  2 happy  3 sad")
    answer(child, "Emotions, numbers or words, commas between: ", "1, numb")
    answer(child, "What was part of today, numbers or words, commas between: ", "2,walk")
    answer(child, "Anything else? Enter to finish, or type a short note: ", "Made tea.")
    child.expect_exact("Saved. Thank you for checking in.")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0
    assert time.monotonic() - started < 30
    [c] = stored()
    assert (c.mood, c.energy, c.anxiety, c.sleep_hours) == (6, None, 3, 7.5)
    assert set(c.emotions) == {"calm", "numb"} and set(c.tags) == {"exercise", "walk"}
    assert c.note == "Made tea."


def test_a_user_tracker_file_adds_a_question(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    folder = home / "trackers"
    folder.mkdir(parents=True)
    (folder / "pain.yaml").write_text(
        "id: pain\nkind: scale\ntitle: Pain\nprompt: Pain right now\nmin: 0\nmax: 10\n"
        "anchors: {0: none, 10: the worst}\n"
    )
    (folder / "outside.yaml").write_text(
        "id: outside_time\nkind: number\ntitle: Time outside\nunit: minutes\norder: 200\n"
    )
    child = spawn("checkin")
    answer(child, "Mood right now, 0-10: ", "4")
    for prompt in ("Energy, 0-10: ", "Anxiety, 0-10: ", "Hours of sleep last night (e.g. 7.5): "):
        answer(child, prompt, "")
    answer(child, "Emotions, numbers or words, commas between: ", "")
    answer(child, "What was part of today, numbers or words, commas between: ", "")
    answer(child, "Pain right now, 0-10: ", "7")
    answer(child, "Time outside (minutes): ", "45")
    answer(child, "Anything else? Enter to finish, or type a short note: ", "")
    child.expect_exact("Saved. Thank you for checking in.")
    child.wait()
    [c] = stored()
    values = {v.tracker_id: v for v in c.values}
    assert values["pain"].value == 7
    assert (values["pain"].label, values["pain"].tracker_version) == ("Pain", 1)
    assert values["outside_time"].value == 45.0 and values["outside_time"].unit == "minutes"


def test_ctrl_c_stops_without_saving(spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn("checkin")
    answer(child, "Mood right now, 0-10: ", "5")
    child.expect_exact("Energy, 0-10: ")
    child.sendintr()
    child.expect("Stopped")
    child.wait()
    assert child.exitstatus == 130
    assert not get_paths().database.exists() or stored() == []
