"""Taking a questionnaire as a use case: scripted screens, typed results."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from selfback.actions import measure
from selfback.measures.library import get_instrument
from selfback.paths import get_paths

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class Script:
    """Answers in order (``"q"`` quits); records which screens were shown."""

    def __init__(self, answers: list[int | str]) -> None:
        self.answers: Iterator[int | str] = iter(answers)
        self.shown: list[str] = []

    def ask(self, session: Any) -> Any:
        answer = next(self.answers)
        if answer == "q":
            raise measure.Quit
        return answer

    def crisis_answer(self) -> None:
        self.shown.append("crisis")

    def answers_kept(self) -> None:
        self.shown.append("kept")

    def finished(self) -> None:
        self.shown.append("finished")

    def result(self, score: Any, saved: Any) -> None:
        self.shown.append(f"result {score.total}")


def test_a_crisis_answer_gets_help_first_and_the_score_after(home: Path) -> None:
    script = Script([*[0] * 8, 2, 1])
    taken = measure.take(get_paths(), lambda: NOW, get_instrument("phq9"), script)
    assert taken.stopped is None and taken.score is not None and taken.score.total == 2
    assert script.shown == ["crisis", "kept", "finished", "crisis", "result 2"]
    [past] = measure.past_results(get_paths(), "phq9")
    assert not past.partial and past.flags == ["phq9-item9"]


def test_stopping_after_a_crisis_answer_keeps_a_partial_result(home: Path) -> None:
    script = Script([*[0] * 8, 3, "q"])
    taken = measure.take(get_paths(), lambda: NOW, get_instrument("phq9"), script)
    assert taken.stopped == "quit" and taken.kept
    [past] = measure.past_results(get_paths(), None)
    assert past.partial and past.score is None and past.band_label == "partial, not scored"
    assert "result" not in " ".join(script.shown)


def test_going_back_and_stopping_without_a_crisis_answer_saves_nothing(home: Path) -> None:
    script = Script([1, measure.BACK, 0, "q"])
    taken = measure.take(get_paths(), lambda: NOW, get_instrument("gad7"), script)
    assert taken.stopped == "quit" and not taken.kept
    assert measure.past_results(get_paths(), None) == []
    assert [row.last_taken for row in measure.overview(get_paths())] == [None] * len(
        measure.overview(get_paths())
    )
