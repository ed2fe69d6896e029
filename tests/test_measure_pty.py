"""The PHQ-9 end to end in a real terminal: back navigation, Ctrl-C, nothing half-saved."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pexpect

from selfback.paths import get_paths
from selfback.store.db import database_exists, open_store


def _rows() -> list[Any]:
    if not database_exists(get_paths()):
        return []
    store = open_store(get_paths())
    try:
        return store.query("SELECT * FROM measure_results")
    finally:
        store.close()


def _welcomed(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / ".welcomed").write_text("welcomed\n")


def _answer(child: Any, question: int, value: str) -> None:
    child.expect_exact(f"question {question} of 9")
    child.expect_exact("Your answer: ")
    child.sendline(value)


def test_phq9_ctrl_c_midway_saves_nothing(spawn: Callable[..., Any], home: Path) -> None:
    _welcomed(home)
    child = spawn("measure", "phq9")
    _answer(child, 1, "2")
    _answer(child, 2, "1")
    _answer(child, 3, "b")  # back to question 2
    child.expect_exact("question 2 of 9")
    child.expect_exact("Before, you chose 1")
    child.expect_exact("Your answer: ")
    child.sendline("3")
    _answer(child, 3, "1")
    _answer(child, 4, "2")
    child.expect_exact("question 5 of 9")
    child.expect_exact("Your answer: ")
    child.sendintr()
    child.expect_exact("Nothing from this PHQ-9 was saved.")
    child.expect_exact("selfback sos")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert _rows() == []


def test_phq9_end_to_end_with_back_and_enter(spawn: Callable[..., Any], home: Path) -> None:
    _welcomed(home)
    child = spawn("measure", "phq9", env={"SELFBACK_NOW": "2026-11-21T10:00:00+00:00"})
    child.expect_exact("question 1 of 9")
    child.expect_exact("Over the last 2 weeks")
    child.expect_exact("Your answer: ")
    child.sendline("b")  # nothing before the first question
    child.expect_exact("This is the first question")
    child.expect_exact("Your answer: ")
    child.sendline("1")
    _answer(child, 2, "")  # Enter alone is re-asked gently
    child.expect_exact("No rush")
    child.expect_exact("Your answer: ")
    child.sendline("7")  # out of range
    child.expect_exact("Please type a number from 0 to 3")
    child.expect_exact("Your answer: ")
    child.sendline("2")
    for q, v in ((3, "1"), (4, "1"), (5, "0"), (6, "1"), (7, "0"), (8, "0")):
        _answer(child, q, v)
    _answer(child, 9, "b")  # back to 8, change it
    _answer(child, 8, "2")
    _answer(child, 9, "0")
    child.expect_exact("one last question")
    child.expect_exact("how difficult")
    child.expect_exact("Your answer: ")
    child.sendline("1")
    child.expect_exact("Your score:")
    child.expect_exact("8 of 27")
    child.expect_exact("Scores in this range are often described as mild.")
    child.expect_exact("Self-report, not a diagnosis.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [row] = _rows()
    assert json.loads(row["answers"]) == [1, 2, 1, 1, 0, 1, 0, 2, 0, 1]
    assert (row["instrument"], row["total"], row["band"]) == ("phq9", 8, "mild")
    assert row["taken_at"].startswith("2026-11-21T10:0")
    assert json.loads(row["flags"]) == []


def test_phq9_item9_in_a_terminal_shows_crisis_help(spawn: Callable[..., Any], home: Path) -> None:
    _welcomed(home)
    child = spawn("measure", "phq9")
    for q in range(1, 9):
        _answer(child, q, "0")
    _answer(child, 9, "1")
    child.expect_exact("You said thoughts")  # at once
    child.expect_exact("how difficult")
    child.expect_exact("Your answer: ")
    child.sendline("0")
    # crisis help before the score when results are shown, the credit line last
    child.expect_exact("You said thoughts")
    child.expect_exact("selfback sos")
    child.expect_exact("Your score:")
    child.expect_exact("Pfizer")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [row] = _rows()
    assert json.loads(row["flags"]) == ["phq9-item9"]


def test_phq9_item9_then_input_closed_keeps_a_partial_result(
    spawn: Callable[..., Any], home: Path
) -> None:
    """Item 9 answered 1, then the input closed at the "how difficult" question: crisis
    help appears at once (before that question), the item-9 answer is kept as a flagged
    partial result and the screen says so, and history shows it as partial."""
    _welcomed(home)
    child = spawn("measure", "phq9", env={"SELFBACK_NOW": "2026-11-21T10:00:00+00:00"})
    for q in range(1, 9):
        _answer(child, q, "1" if q == 2 else "0")
    _answer(child, 9, "1")
    child.expect_exact("You said thoughts")
    child.expect_exact("You don't have to get through this alone.")
    child.expect_exact("selfback sos")
    child.expect_exact("kept, even if you stop now")
    child.expect_exact("one last question")  # the next question comes after the help
    child.expect_exact("Your answer: ")
    child.sendeof()
    child.expect(r"kept\s+as\s+a\s+partial\s+PHQ-9\s+result")
    child.expect(r"not\s+scored")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    [row] = _rows()
    assert row["band"] == "partial"
    assert json.loads(row["flags"]) == ["partial", "phq9-item9"]
    assert json.loads(row["answers"]) == [0, 1, 0, 0, 0, 0, 0, 0, 1, None]

    history = spawn("measure", "history")
    history.expect_exact("partial, not scored")
    history.expect_exact("item 9 flag")
    history.expect(pexpect.EOF)
    assert "1 of 27" not in (history.before or "")
