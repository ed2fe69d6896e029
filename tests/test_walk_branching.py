"""`when`: a choice shows only the steps that belong to it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from selfback.paths import builtin_skills_dir
from selfback.skills.library import parse_skill_text
from selfback.skills.schema import Skill
from selfback.walk.engine import Walk

SKILL: dict[str, Any] = {
    "id": "branchy",
    "title": "Branchy",
    "summary": "s",
    "situations": ["anxiety"],
    "distress": {"min": 0, "max": 10},
    "minutes": 2,
    "source": "test 2026",
    "steps": [
        {"kind": "say", "text": "Start."},
        {"kind": "choose", "id": "part", "text": "Which?", "options": ["Cold", "Move", "Both"]},
        {"kind": "say", "text": "Cold one.", "when": {"step": "part", "is": ["Cold", 3]}},
        {"kind": "ask", "id": "cold_note", "text": "Note?", "when": {"step": "part", "is": [1, 3]}},
        {"kind": "say", "text": "Move one.", "when": {"step": "part", "is": [2, 3]}},
        {"kind": "say", "text": "End."},
    ],
}


def now() -> datetime:
    return datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def texts_walked(choice: int | None) -> list[str]:
    walk = Walk(Skill.model_validate(SKILL), now=now)
    seen = []
    while (view := walk.current) is not None:
        seen.append(view.step.text or "")
        if view.kind == "choose":
            if choice is None:
                walk.skip()
            else:
                walk.answer(choice)
        elif view.kind == "ask":
            walk.answer("brr")
        else:
            walk.next()
    assert walk.status == "completed"
    return seen


def test_choice_shows_only_its_steps() -> None:
    assert texts_walked(0) == ["Start.", "Which?", "Cold one.", "Note?", "End."]
    assert texts_walked(1) == ["Start.", "Which?", "Move one.", "End."]
    assert texts_walked(2) == ["Start.", "Which?", "Cold one.", "Note?", "Move one.", "End."]


def test_skipped_choice_hides_nothing() -> None:
    assert len(texts_walked(None)) == 6


def test_step_numbers_and_back_follow_the_visible_path() -> None:
    walk = Walk(Skill.model_validate(SKILL), now=now)
    walk.next()
    assert walk.current is not None and walk.current.total == 6  # nothing chosen yet
    walk.answer(1)  # Move
    view = walk.current
    assert view is not None and view.step.text == "Move one."
    assert (view.number, view.total) == (3, 4)
    assert walk.back() and walk.current is not None and walk.current.kind == "choose"
    walk.answer(0)  # change of mind: Cold
    assert walk.current is not None and walk.current.step.text == "Cold one."
    walk.next()
    walk.answer("brr")
    assert walk.current is not None and walk.current.is_last
    walk.next()
    answers = {a.step: a.answer for a in walk.record().answers}
    assert answers == {"part": "Cold", "cold_note": "brr"}


def test_answers_on_an_abandoned_path_are_not_logged() -> None:
    walk = Walk(Skill.model_validate(SKILL), now=now)
    walk.next()
    walk.answer(0)  # Cold
    walk.next()
    walk.answer("note on the cold path")
    walk.back()
    walk.back()
    walk.back()
    walk.answer(1)  # Move instead
    walk.next()
    walk.next()
    assert walk.status == "completed"
    assert [a.step for a in walk.record().answers] == ["part"]


def test_bad_references_are_precise_problems() -> None:
    bad = dict(SKILL, steps=[dict(s) for s in SKILL["steps"]])
    bad["steps"][4]["when"] = {"step": "nope", "is": [1]}
    _, problems = parse_skill_text(yaml.safe_dump(bad, sort_keys=False), Path("b.yaml"))
    assert [p.field for p in problems] == ["steps[4].when.step"]
    assert "earlier choose step" in problems[0].message
    assert problems[0].line is not None and problems[0].line > 1

    bad["steps"][4]["when"] = {"step": "part", "is": [7]}
    _, problems = parse_skill_text(yaml.safe_dump(bad, sort_keys=False), Path("b.yaml"))
    assert [p.field for p in problems] == ["steps[4].when.is"]

    bad["steps"][4]["when"] = {"step": "part", "is": ["Swim"]}
    _, problems = parse_skill_text(yaml.safe_dump(bad, sort_keys=False), Path("b.yaml"))
    assert "'Swim' is not one of the options" in problems[0].message


def test_tipp_runs_only_the_chosen_part() -> None:
    text = (builtin_skills_dir() / "tipp.yaml").read_text()
    skill, problems = parse_skill_text(text, Path("tipp.yaml"))
    assert skill is not None, problems
    walk = Walk(skill, now=now)
    kinds = []
    while (view := walk.current) is not None:
        kinds.append(view.kind)
        if view.kind == "choose":
            walk.answer(2)  # paced breathing
        else:
            walk.next()
    assert kinds.count("breathe") == 1
    assert "timer" not in kinds  # no cold water, no exercise timer


# -- parts: consecutive steps with the same `part`; s skips the rest of the part ----------

PARTS: dict[str, Any] = {
    "id": "parted",
    "title": "Parted",
    "summary": "s",
    "situations": ["anxiety"],
    "distress": {"min": 0, "max": 10},
    "minutes": 2,
    "source": "test 2026",
    "steps": [
        {"kind": "say", "text": "Start."},
        {"kind": "say", "part": "cold", "text": "Cold 1."},
        {"kind": "ask", "part": "cold", "id": "cold_q", "text": "Cold 2?"},
        {"kind": "timer", "part": "cold", "text": "Cold 3.", "seconds": 30},
        {"kind": "say", "text": "Rest."},
        {"kind": "say", "part": "move", "text": "Move 1."},
        {"kind": "say", "part": "move", "text": "Move 2."},
        {"kind": "say", "text": "End."},
    ],
}


def test_skip_part_skips_the_rest_of_the_part_and_back_returns() -> None:
    walk = Walk(Skill.model_validate(PARTS), now=now)
    walk.next()
    assert walk.current is not None and walk.current.part == "cold"
    walk.next()  # into the part, then s on its second step
    walk.skip_part()
    assert walk.current is not None and walk.current.step.text == "Rest."
    assert walk.current.part is None
    assert walk.back() and walk.current is not None and walk.current.step.text == "Cold 2?"
    walk.skip_part()
    walk.skip_part()  # outside a part: only this step
    assert walk.current is not None and walk.current.step.text == "Move 1."
    walk.skip_part()  # the last part: on to the end
    assert walk.current is not None and walk.current.step.text == "End."
    walk.next()
    record = walk.record()
    assert record.status == "completed"
    assert record.skipped == ["cold_q", "step-4", "step-5", "step-6", "step-7"]


def test_a_part_must_be_one_run_of_steps() -> None:
    bad = dict(PARTS, steps=[dict(s) for s in PARTS["steps"]])
    bad["steps"][6]["part"] = "cold"  # "cold" again after "move"
    _, problems = parse_skill_text(yaml.safe_dump(bad, sort_keys=False), Path("p.yaml"))
    assert [p.field for p in problems] == ["steps[6].part"]
    assert "must come one after another" in problems[0].message


def test_tipp_groups_each_part_and_skipping_one_skips_it_whole() -> None:
    text = (builtin_skills_dir() / "tipp.yaml").read_text()
    skill, problems = parse_skill_text(text, Path("tipp.yaml"))
    assert skill is not None, problems
    parts = [s.part for s in skill.steps if s.part]
    assert list(dict.fromkeys(parts)) == ["temperature", "exercise", "breathing", "muscles"]
    walk = Walk(skill, now=now)
    seen: list[str] = []
    while (view := walk.current) is not None:
        seen.append(view.part or "-")
        if view.kind == "choose":
            walk.answer(4)  # all four
        elif view.part == "exercise":
            walk.skip_part()  # one key on the first exercise step skips the whole part
        else:
            walk.next()
    assert seen.count("exercise") == 1
    assert seen.count("temperature") == 5 and seen.count("muscles") == 2
    texts = " ".join(getattr(s, "text", "") or "" for s in skill.steps)
    assert "10 °C (50 °F)" in texts and "No stairs" in texts and "Rest before" in texts
    assert "selfback sos" not in texts  # a command nobody can type at a step
