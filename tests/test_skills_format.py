"""The skill format's newer fields: what `skills validate` says about them (file:line
field: message), files of the first format loading unchanged, the worked example in the
docs validating and running, and the engine over parts, repeats, later and recall."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from selfback.skills.library import load_skill_file
from selfback.skills.schema import Skill
from selfback.walk.engine import Walk
from test_cope_format_pty import at, begin
from test_cope_pty import cope, finish, sessions, skills_dir

__all__ = ["cope", "skills_dir"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "settle-and-plan.yaml"
FORMAT1 = Path(__file__).parent / "data" / "skills-format1"

HEAD = """\
id: x1
title: X
summary: A test.
situations: [stress]
distress: {min: 0, max: 10}
minutes: 2
source: Tests (2026).
"""


def problems_of(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "x1.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    skill, problems = load_skill_file(path, tmp_path)
    assert skill is None
    return [p.message for p in problems]


RATE = """\
  - kind: rate
    id: r
    part: p
    text: How strong?
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "steps:\n  - kind: say\n    text: Hello {who}.\n",
            "x1.yaml:10 steps[0].text: {who} must name an earlier ask, choose, rate or later "
            "step (write {{ for a brace)",
        ),
        (
            "parts:\n  p:\n    repeat: {while: {step: nope, at_least: 5}, max: 3}\nsteps:\n" + RATE,
            "x1.yaml:10 parts.p.repeat.while.step: 'nope' must be the id of a rate step in "
            "part 'p'",
        ),
        (
            "parts:\n  p:\n    repeat: {while: {step: r, at_least: 50}, max: 3}\nsteps:\n" + RATE,
            "x1.yaml:10 parts.p.repeat.while.at_least: 50 is outside the rating's range (0 to 10)",
        ),
        (
            "parts:\n  p:\n    repeat: {while: {step: r}, max: 3}\nsteps:\n" + RATE,
            "x1.yaml:10 parts.p.repeat.while: give at_least or at_most (or both)",
        ),
        (
            "parts:\n  shake:\n    title: Shake\nsteps:\n  - kind: say\n    text: Hi.\n",
            "x1.yaml:9 parts.shake: no step is in this part (give steps part: shake)",
        ),
        (
            "steps:\n  - kind: later\n    text: Now or later?\n    follow_up: after\n",
            "x1.yaml:11 steps[0].follow_up: no step is in part 'after'",
        ),
        (
            "steps:\n  - kind: recall\n    show: [letter]\n",
            "x1.yaml:10 steps[0].show[0]: 'letter' must be the id of an earlier ask, choose, "
            "rate or later step",
        ),
        (
            "steps:\n  - kind: ask\n    text: Write.\n    count: 3\n    lines: true\n",
            "x1.yaml:9 steps[0]: lines: a long answer (lines: true) takes count 1",
        ),
        (
            "parts:\n  p:\n    when: {step: nope, is: [1]}\nsteps:\n" + RATE,
            "x1.yaml:10 parts.p.when.step: 'nope' must be the id of an earlier choose step",
        ),
    ],
)
def test_validate_explains_problems_with_the_new_fields(
    tmp_path: Path, body: str, expected: str
) -> None:
    messages = problems_of(tmp_path, body)
    assert any(m.endswith(expected) for m in messages), messages


def test_validate_command_names_the_file_line_and_field(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "x1.yaml"
    path.write_text(HEAD + "steps:\n  - kind: recall\n    show: [letter]\n", encoding="utf-8")
    result = cli("skills", "validate", str(path))
    assert result.exit_code == 1
    assert "x1.yaml:10 steps[0].show[0]: 'letter' must be the id" in result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(p.name for p in FORMAT1.glob("*.yaml")))
def test_files_of_the_first_format_still_load_unchanged(name: str) -> None:
    skill, problems = load_skill_file(FORMAT1 / name)
    assert problems == [] and skill is not None
    walk = Walk(skill, now=lambda: datetime(2026, 11, 20, tzinfo=UTC))
    assert len(walk.steps) >= len(skill.steps)  # nothing repeats that did not before
    assert not any(slot.offer for slot in walk.slots)


def test_the_worked_example_validates(cli: Any) -> None:
    result = cli("skills", "validate", str(EXAMPLE))
    assert result.exit_code == 0, result
    skill, _ = load_skill_file(EXAMPLE)
    assert skill is not None
    kinds = {s.kind for s in skill.steps}
    assert {"recall", "later", "ask", "rate", "choose", "breathe", "timer", "say"} <= kinds
    part = skill.parts["breathing"]
    assert part.title and part.when and part.repeat
    assert any(getattr(s, "lines", False) for s in skill.steps)
    assert any("{" in (s.text or "") for s in skill.steps)


def test_the_worked_example_runs(cope: Any, home: Path) -> None:
    child = cope("settle-and-plan", "--plain", env={"SELFBACK_SKILLS_PATH": str(EXAMPLE.parent)})
    begin(child, "5")
    at(child, "Let's take ten minutes for you.", "")
    at(child, "How tense does your body feel right now?", "7")
    at(child, "How would you like to settle your body?", "1")
    child.expect_exact("· Slow breathing")
    at(child, "Press Enter to start", "")
    at(child, "Press Enter to go on.", "")
    at(child, "And now, how tense does your body feel?", "6")
    at(child, "Another round of slow breathing?", "1")
    child.expect_exact(", round 2")
    at(child, "Press Enter to start", "")
    at(child, "Press Enter to go on.", "")
    at(child, "And now, how tense does your body feel?", "3")
    at(child, "What is on your mind?", "the meeting tomorrow")
    child.expect_exact("... ")
    child.sendline("and the bills")
    child.expect_exact("... ")
    child.sendline("")
    child.expect_exact("On your mind:")
    child.expect_exact("and the bills")
    at(child, "Enter to go on", "")
    at(child, "one small, kind thing", "a cup of tea")
    child.expect_exact("Can you do it now (a cup of tea), or is it for later?")
    at(child, "2. Later", "1")
    at(child, "How did it feel to do it?", "6")
    at(child, "You started at 7.", "")
    at(child, "And now, 0 to 10?", "3")
    finish(child)
    got = {a["step"]: a["answer"] for a in sessions(home)[0]["answers"]}
    assert got["tension_now"] == 6 and got["tension_now-2"] == 3 and got["felt"] == 6
    assert got["on_my_mind"] == "the meeting tomorrow\nand the bills"


# -- the engine, without a terminal -------------------------------------------------------


def example() -> Skill:
    skill, _ = load_skill_file(EXAMPLE)
    assert skill is not None
    return skill


def walk_of(skill: Skill) -> Walk:
    return Walk(skill, now=lambda: datetime(2026, 11, 20, tzinfo=UTC))


def labels(walk: Walk) -> list[str]:
    return [
        walk.steps[i].id or walk.steps[i].kind for i in range(len(walk.steps)) if walk.visible(i)
    ]


def test_repeat_is_offered_only_while_the_rating_holds_and_only_when_chosen() -> None:
    walk = walk_of(example())
    walk.next()
    walk.answer(7)  # tension
    walk.answer(0)  # slow breathing
    walk.next()  # the pacer
    assert walk.current is not None and walk.current.label == "tension_now"
    walk.answer(6)
    view = walk.current
    assert view is not None and view.is_offer and view.label == "breathing-again-1"
    walk.skip()  # Enter: go on, no second round
    assert walk.current is not None and walk.current.label == "on_my_mind"
    assert "tension_now-2" not in labels(walk)
    walk.back()
    walk.answer(0)  # another round
    assert walk.current is not None and walk.current.round == 2
    walk.next()
    walk.answer(2)  # fell below 5: no third offer
    assert walk.current is not None and walk.current.label == "on_my_mind"
    assert "breathing-again-2" not in labels(walk)


def test_a_part_when_hides_the_whole_part() -> None:
    walk = walk_of(example())
    walk.next()
    walk.answer(4)
    walk.answer(1)  # shake it out
    assert walk.current is not None and walk.current.part_title == "Shake it out"
    assert "tension_now" not in labels(walk)


def test_later_hides_the_follow_up_and_fill_and_recall_show_answers() -> None:
    walk = walk_of(example())
    walk.next()
    walk.answer(7)
    walk.answer(1)
    walk.next()
    walk.next()
    walk.answer("line one\nline two")
    recalled = walk.current
    assert recalled is not None and recalled.kind == "recall"
    from selfback.skills.schema import RecallStep

    assert isinstance(recalled.step, RecallStep)
    [shown] = walk.recall(recalled.step)
    assert (shown.label, shown.text) == ("On your mind", "line one\nline two")
    walk.next()
    walk.answer("tea")
    assert walk.fill("Now ({small_thing}) or {nope|never}? {{ok}}") == "Now (tea) or never? {ok}"
    walk.answer(1)  # later
    assert walk.deferred() == {"afterwards"}
    assert walk.current is not None and walk.current.kind == "say"
    assert "felt" not in labels(walk)
    assert walk.fill("{tension|x} {felt|skipped}") == "7 skipped"


def test_the_starter_shows_every_new_field_and_validates(cli: Any, home: Path) -> None:
    assert cli("skills", "new", "calm-walk").exit_code == 0
    path = home / "skills" / "calm-walk.yaml"
    text = path.read_text()
    for field in ("lines: true", "kind: recall", "kind: later", "repeat:", "title:", "{feeling"):
        assert field in text, field
    skill, problems = load_skill_file(path)
    assert skill is not None, problems
    shown = cli("skills", "show", "calm-walk")
    assert "[Slow breathing] Follow the count." in shown.stdout
    assert "(shows earlier answers)" in shown.stdout
