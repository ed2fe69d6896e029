"""The walk-through engine, without a terminal: every step kind and navigation edge."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from selfback.skills.schema import Skill
from selfback.walk.engine import (
    DISTRESS_CHECK_ID,
    InvalidAnswer,
    Walk,
    WalkFinished,
    plan_steps,
)
from selfback.walk.rules import change_message, crisis_first, helped, still_high

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 21, 10, 0, tzinfo=timezone(timedelta(hours=1)))


class FakeClock:
    def __init__(self) -> None:
        self.t = T0

    def now(self) -> datetime:
        value = self.t
        self.t += timedelta(seconds=30)
        return value


def make_skill(steps: list[dict[str, Any]], **extra: Any) -> Skill:
    data: dict[str, Any] = {
        "id": "test-skill",
        "title": "Test skill",
        "summary": "For tests.",
        "version": 3,
        "situations": ["panic"],
        "distress": {"min": 0, "max": 10},
        "minutes": 2,
        "source": "Tests (2026).",
        "steps": steps,
    }
    data.update(extra)
    return Skill.model_validate(data)


ALL_KINDS: list[dict[str, Any]] = [
    {"kind": "say", "text": "Hello."},
    {"kind": "ask", "id": "one", "text": "Name one thing."},
    {"kind": "ask", "id": "three", "text": "Name three things.", "count": 3},
    {"kind": "choose", "id": "pick", "text": "Pick one.", "options": ["Tea", "Water"]},
    {"kind": "rate", "id": "urge", "text": "How strong?", "min": 0, "max": 10},
    {"kind": "timer", "text": "Wait.", "seconds": 30},
    {"kind": "breathe", "inhale": 4, "exhale": 6, "cycles": 3},
]


def walk_of(steps: list[dict[str, Any]], **extra: Any) -> Walk:
    return Walk(make_skill(steps, **extra), now=FakeClock().now)


def test_every_step_kind_in_order_and_the_record() -> None:
    walk = walk_of(ALL_KINDS)
    seen = []
    assert walk.current is not None and walk.current.is_first
    walk.next()  # say
    seen.append("say")
    assert walk.answer("  a  blue   mug ") == "a blue mug"
    assert walk.answer(["sky", "", "tree", "cup"][:2] + ["cup"]) == ["sky", "cup"]
    assert walk.answer(1) == "Water"
    assert walk.answer(7) == 7
    view = walk.current
    assert view is not None and view.kind == "timer" and not view.needs_answer
    walk.next()
    view = walk.current
    assert view is not None and view.kind == "breathe" and view.is_last
    walk.answer(None)
    assert walk.finished and walk.status == "completed" and walk.current is None
    rec = walk.record()
    assert rec.skill_id == "test-skill" and rec.skill_version == 3
    assert rec.skill_title == "Test skill"
    assert rec.status == "completed"
    assert rec.started_at == T0 and rec.ended_at is not None and rec.ended_at > T0
    assert rec.answers_json() == [
        {"step": "one", "kind": "ask", "answer": "a blue mug"},
        {"step": "three", "kind": "ask", "answer": ["sky", "cup"]},
        {"step": "pick", "kind": "choose", "answer": "Water"},
        {"step": "urge", "kind": "rate", "answer": 7},
    ]
    assert rec.steps_total == 7 and rec.steps_seen == 7 and rec.skipped == []


def test_back_at_the_first_step_stays_put() -> None:
    walk = walk_of(ALL_KINDS)
    assert walk.back() is False
    assert walk.current is not None and walk.current.index == 0
    walk.next()
    assert walk.back() is True
    assert walk.current is not None and walk.current.index == 0


def test_skip_on_the_last_step_completes() -> None:
    walk = walk_of([{"kind": "say", "text": "One."}, {"kind": "rate", "text": "Rate."}])
    walk.next()
    walk.skip()
    assert walk.status == "completed"
    rec = walk.record()
    assert rec.skipped == ["step-2"] and rec.answers == []


def test_back_keeps_the_earlier_answer_and_next_reuses_it() -> None:
    walk = walk_of(ALL_KINDS)
    walk.next()
    walk.answer("first")
    assert walk.back()
    view = walk.current
    assert view is not None and view.label == "one" and view.previous == "first"
    walk.next()  # keep it
    assert walk.answer_at(1) == "first"
    assert walk.back()
    walk.answer("changed")
    assert walk.answer_at(1) == "changed"


def test_skip_drops_an_earlier_answer() -> None:
    walk = walk_of(ALL_KINDS)
    walk.next()
    walk.answer("first")
    walk.back()
    walk.skip()
    rec = walk.record()
    assert rec.answers == [] and rec.skipped == ["one"]


def test_required_question_needs_an_answer_or_a_skip() -> None:
    walk = walk_of(ALL_KINDS)
    walk.next()
    with pytest.raises(InvalidAnswer) as info:
        walk.next()
    assert "s to skip" in info.value.message
    with pytest.raises(InvalidAnswer):
        walk.answer("   ")
    assert walk.current is not None and walk.current.index == 1  # nothing changed
    walk.skip()
    assert walk.current is not None and walk.current.index == 2


def test_optional_question_is_skipped_by_an_empty_answer() -> None:
    walk = walk_of(
        [{"kind": "ask", "text": "Anything?", "optional": True}, {"kind": "say", "text": "x"}]
    )
    assert walk.answer("") is None
    assert walk.record().skipped == ["step-1"]
    walk2 = walk_of(
        [{"kind": "ask", "text": "Anything?", "optional": True}, {"kind": "say", "text": "x"}]
    )
    walk2.next()
    assert walk2.record().skipped == ["step-1"]


@pytest.mark.parametrize(
    ("step", "bad"),
    [
        ({"kind": "choose", "text": "Pick", "options": ["a", "b"]}, 2),
        ({"kind": "choose", "text": "Pick", "options": ["a", "b"]}, -1),
        ({"kind": "choose", "text": "Pick", "options": ["a", "b"]}, "a"),
        ({"kind": "choose", "text": "Pick", "options": ["a", "b"]}, True),
        ({"kind": "rate", "text": "Rate", "min": 1, "max": 5}, 0),
        ({"kind": "rate", "text": "Rate", "min": 1, "max": 5}, 6),
        ({"kind": "rate", "text": "Rate"}, "5"),
        ({"kind": "ask", "text": "Two", "count": 2}, ["a", "b", "c"]),
        ({"kind": "ask", "text": "One"}, 5),
        ({"kind": "say", "text": "Hi"}, "an answer"),
        ({"kind": "timer", "text": "Wait", "seconds": 5}, 3),
    ],
)
def test_invalid_answers_are_refused_without_moving(step: dict[str, Any], bad: Any) -> None:
    walk = walk_of([step, {"kind": "say", "text": "after"}])
    with pytest.raises(InvalidAnswer):
        walk.answer(bad)
    assert walk.current is not None and walk.current.index == 0 and not walk.finished


def test_rate_bounds_are_inclusive() -> None:
    walk = walk_of([{"kind": "rate", "text": "Rate", "min": 1, "max": 5}] * 2)
    assert walk.answer(1) == 1
    assert walk.answer(5) == 5
    assert walk.finished


def test_stop_keeps_answers_and_ends() -> None:
    walk = walk_of(ALL_KINDS)
    walk.next()
    walk.answer("x")
    walk.stop()
    assert walk.finished and walk.status == "stopped" and walk.current is None
    rec = walk.record()
    assert rec.status == "stopped" and rec.ended_at is not None
    assert [a.step for a in rec.answers] == ["one"]
    with pytest.raises(WalkFinished):
        walk.next()
    with pytest.raises(WalkFinished):
        walk.back()
    walk.stop()  # stopping twice is harmless


def test_partial_record_of_an_active_walk_is_stopped() -> None:
    walk = walk_of(ALL_KINDS)
    walk.next()
    rec = walk.record()
    assert rec.status == "stopped" and rec.ended_at is None and rec.steps_seen == 2


def test_operations_after_completion_raise() -> None:
    walk = walk_of([{"kind": "say", "text": "Only."}])
    walk.next()
    assert walk.status == "completed"
    for op in (walk.next, walk.skip, lambda: walk.answer(None)):
        with pytest.raises(WalkFinished):
            op()


def test_long_skills_get_a_distress_check_halfway() -> None:
    steps = [{"kind": "say", "text": f"Step {i}."} for i in range(6)]
    long_skill = make_skill(steps, minutes=10)
    planned = plan_steps(long_skill)
    assert len(planned) == 7 and planned[3].id == DISTRESS_CHECK_ID
    walk = Walk(long_skill, now=FakeClock().now)
    for _ in range(3):
        walk.next()
    view = walk.current
    assert view is not None and view.is_distress_check and view.kind == "rate"
    walk.answer(9)
    assert walk.record().distress_checks == [9]
    # short skills, skills with their own ratings, and opting out: no check
    assert len(plan_steps(make_skill(steps, minutes=3))) == 6
    rated = steps + [{"kind": "rate", "text": "Urge?"}]
    assert len(plan_steps(make_skill(rated, minutes=10))) == 7
    assert len(plan_steps(long_skill, distress_check=False)) == 6


def test_the_distress_check_is_optional() -> None:
    steps = [{"kind": "say", "text": f"Step {i}."} for i in range(4)]
    walk = Walk(make_skill(steps, minutes=9), now=FakeClock().now)
    walk.next()
    walk.next()
    assert walk.current is not None and walk.current.is_distress_check
    walk.next()  # Enter without a number
    assert walk.record().distress_checks == []


def test_every_builtin_skill_can_be_walked_to_the_end() -> None:
    files = sorted((ROOT / "skills").glob("*.yaml"))
    assert files
    for path in files:
        skill = Skill.model_validate(yaml.safe_load(path.read_text("utf-8")))
        walk = Walk(skill, now=FakeClock().now)
        guard = 0
        while (view := walk.current) is not None:
            guard += 1
            assert guard < 500
            if view.kind == "ask":
                walk.answer("something")
            elif view.kind in ("choose", "later"):
                walk.answer(0)
            elif view.kind == "rate":
                walk.answer(getattr(view.step, "min", 0))
            else:
                walk.next()
        assert walk.status == "completed", path.name


def test_crisis_rules() -> None:
    assert crisis_first(9) and crisis_first(10)
    assert not crisis_first(8)
    assert not crisis_first(None)
    assert crisis_first(None, "self-harm-urge")
    assert crisis_first(2, "self-harm-urge")
    assert not crisis_first(3, "urge")
    assert still_high(7) and still_high(10) and not still_high(6) and not still_high(None)
    assert helped(8, 5) and not helped(5, 5) and not helped(None, 3) and not helped(4, None)


@pytest.mark.parametrize(
    ("before", "after", "expect"),
    [
        (8, 5, "came down 3 points"),
        (4, 3, "came down 1 point."),
        (6, 6, "Still a 6"),
        (5, 7, "doesn't mean you did anything wrong"),
        (None, 4, "Right now it's a 4"),
        (6, None, "don't have to put a number"),
    ],
)
def test_change_message_is_kind(before: int | None, after: int | None, expect: str) -> None:
    text = change_message(before, after)
    assert expect in text
    for word in ("fail", "bad", "score", "grade", "should"):
        assert word not in text.lower()
