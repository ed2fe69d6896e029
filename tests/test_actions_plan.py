"""Saving the safety plan as a use case: a scripted editor, typed results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from selfback.actions import plan as action
from selfback.paths import get_paths
from selfback.safety import plan as P

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


class Editor:
    def __init__(self, answers: dict[str, list[Any]], *, save: bool = True) -> None:
        self.answers = answers
        self.save = save
        self.drafts: list[bool] = []

    def continue_draft(self, saved_at: str) -> bool:
        return True

    def begin(self) -> None:
        pass

    def edit_step(
        self, step: Any, old: list[Any], skills: Mapping[str, str], keep: Callable[..., None]
    ) -> list[Any]:
        items = self.answers.get(step.key, old)
        keep(items)
        self.drafts.append(P.load_draft(get_paths()) is not None)
        return items

    def confirm(self, plan: Any, skills: Mapping[str, str]) -> bool:
        return self.save


def test_saving_a_new_plan_then_the_same_one_again(home: Path) -> None:
    paths = get_paths()
    editor = Editor({"warning_signs": ["Not sleeping"], "coping": ["box breathing"]})
    edited = action.edit_plan(paths, lambda: NOW, editor)
    assert edited.outcome == "saved" and edited.version == 1 and not edited.had_plan
    assert all(editor.drafts) and P.load_draft(paths) is None
    again = action.edit_plan(paths, lambda: NOW, Editor({}))
    assert again.outcome == "unchanged"
    shown = action.find_plan(paths)
    assert shown.number == 1 and shown.latest and shown.plan is not None
    assert shown.plan.warning_signs == ["Not sleeping"]


def test_not_saving_leaves_no_version_and_no_draft(home: Path) -> None:
    paths = get_paths()
    edited = action.edit_plan(paths, lambda: NOW, Editor({"reasons": ["My cat"]}, save=False))
    assert edited.outcome == "not-saved" and edited.version is None
    assert action.find_plan(paths).plan is None and P.load_draft(paths) is None
