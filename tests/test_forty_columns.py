"""At 40 columns in a real terminal, no screen breaks a word (rule 8, issue 19).

Every line selfback writes must fit in 40 columns: a longer one would be broken by the
terminal wherever the edge falls, mid-word. (A single word longer than the line, such as
a file path, may stand alone on its line.)"""

from __future__ import annotations

import re
from pathlib import Path

import pexpect
import pytest

COLS = 40
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


def spawn40(spawn, *args: str):  # type: ignore[no-untyped-def]
    return spawn(
        *args, env={"COLUMNS": str(COLS), "LINES": "60"}, dimensions=(60, COLS), timeout=20
    )


def too_wide(text: str) -> list[str]:
    lines = ANSI.sub("", text).replace("\r\n", "\n").split("\n")
    return [ln for ln in lines if len(ln.rstrip()) > COLS and " " in ln.strip()]


def run_all(child, answers: list[str] | None = None) -> str:  # type: ignore[no-untyped-def]
    seen = ""
    for answer in answers or []:
        child.expect(r"[:?] $")
        seen += child.before + child.after
        child.sendline(answer)
    child.expect(pexpect.EOF)
    return seen + child.before


@pytest.fixture
def log(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    (home / ".welcomed").parent.mkdir(parents=True, exist_ok=True)
    (home / ".welcomed").write_text("welcomed\n")
    cli("config", "set", "country", "GB")
    cli("trackers", "enable", "diary-card")
    for day in range(1, 8):
        args = ["checkin", str(day + 2), "--at", f"2026-11-{13 + day} 21:00", "--sleep", "7"]
        args += ["--tag", "long walk outside", "--emotion", "hopeful", "--energy", "5"]
        args += ["--set", "urge_quit=1"]
        assert cli(*args).exit_code == 0
    note = "A long note about the day that needs wrapping well before forty columns."
    assert cli("checkin", "5", "--note", "-", input=note).exit_code == 0


def test_checkin_questions_fit(spawn, log) -> None:  # type: ignore[no-untyped-def]
    answers = ["", "6", "3", "2", "7.5", "1,2", "1", "0", "0", "0", "", "Tea."]
    child = spawn40(spawn, "checkin")
    out = run_all(child, answers)
    assert "Saved." in out
    assert "0 = very low, 10 = very good" in out
    assert too_wide(out) == []


@pytest.mark.parametrize(
    "args",
    [
        [],  # the home screen
        ["history", "--since", "all"],
        ["history", "show", "8"],
        ["trends", "--since", "all"],
        ["trackers", "list"],
        ["config", "show"],
        ["skills", "list"],
        ["skills", "show", "box-breathing"],
        ["measure"],
        ["--help"],
        ["trackers", "--help"],
        ["checkin", "--help"],
        ["help", "history", "edit"],
    ],
)
def test_screens_fit(spawn, log, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    child = spawn40(spawn, *args)
    out = run_all(child)
    child.wait()
    assert child.exitstatus == 0, out
    assert len(out.strip().splitlines()) > 3
    assert too_wide(out) == []


def test_a_questionnaire_fits(spawn, log) -> None:  # type: ignore[no-untyped-def]
    child = spawn40(spawn, "measure", "phq2")
    out = run_all(child, ["1", "1"])
    assert "Your score" in out
    assert too_wide(out) == []


def test_a_repeated_part_and_its_offer_fit(spawn, log) -> None:  # type: ignore[no-untyped-def]
    """Urge surfing at 40 columns, through a round of its repeated part to the offer of
    another: every key hint keeps its indent and fits (a hint one part long, or a line
    ending in its separator, used to spill past the edge and lose its indent)."""
    child = spawn40(spawn, "cope", "urge-surfing")
    steps = ["8", "", "", "", "", "", "7", "", "", "", "", "", "", "6", ""]
    seen = ""
    for answer in steps:
        child.expect(r"> $")
        seen += child.before + child.after
        child.sendline(answer)
    child.expect("another round")
    child.expect(r"> $")
    seen += child.before + child.after
    child.sendline("q")
    while child.expect([r"> $", pexpect.EOF]) == 0:  # the after rating, then done
        seen += child.before + child.after
        child.sendline("")
    seen += child.before
    plain = ANSI.sub("", seen).replace("\r\n", "\n").replace("\r", "\n")
    assert "Type a number, or Enter to go on" in plain
    # The breathing guide redraws its line with a carriage return: each redraw is a line.
    assert too_wide(seen.replace("\r\n", "\n").replace("\r", "\n")) == []
    KEYS = ("keys b", "b back", "s skip", "q stop", "? help", "crisis lines", "q, ?, !")
    hints = [ln for ln in plain.split("\n") if any(k in ln for k in KEYS)]
    assert hints and all(ln.startswith("  ") for ln in hints), hints
    # The header breaks between its parts: the part's name stays whole on its own line.
    assert "\nRiding the wave\n" in plain
    assert not any(ln.startswith("·") for ln in plain.split("\n"))


def test_a_wrapped_question_uses_the_whole_line_above_its_prompt(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Only the prompt's own line keeps room for the answer: the lines above it are full
    (the question no longer wraps to three short lines at 40 columns)."""
    monkeypatch.setenv("COLUMNS", "40")
    result = cli("checkin", input="5\n\n\n\n\n\n\n")
    assert result.exit_code == 0, result
    assert "What was part of today, numbers or\nwords, commas between: " in result.stdout


def test_an_error_in_a_narrow_terminal_breaks_no_word(spawn, log) -> None:  # type: ignore[no-untyped-def]
    child = spawn40(spawn, "history", "show", "99999")
    out = run_all(child)
    child.wait()
    assert child.exitstatus != 0
    assert len(ANSI.sub("", out).strip()) > COLS  # long enough to need wrapping
    assert too_wide(out) == []
