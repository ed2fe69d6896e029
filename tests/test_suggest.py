"""Ranking suggestions: safety plan first, then fit, with what helped before on top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from selfback.skills.schema import Skill
from selfback.store.sessions import SkillStats
from selfback.suggest import calming, fit_tier, rank, suggest

ROOT = Path(__file__).resolve().parent.parent


def sk(
    sid: str,
    lo: int,
    hi: int,
    situations: list[str],
    minutes: float = 3,
    tags: list[str] | None = None,
) -> Skill:
    data: dict[str, Any] = {
        "tags": tags or [],
        "id": sid,
        "title": sid.title(),
        "summary": "x",
        "situations": situations,
        "distress": {"min": lo, "max": hi},
        "minutes": minutes,
        "source": "Tests.",
        "steps": [{"kind": "say", "text": "Hi."}],
    }
    return Skill.model_validate(data)


def stats(sid: str, drop: float | None, rated: int = 2, uses: int = 2) -> SkillStats:
    return SkillStats(sid, uses, uses, rated, drop, 1, "2026-11-01T10:00:00+00:00")


SKILLS = [
    sk("calm-a", 0, 5, ["anxiety"]),
    sk("panic-hi", 7, 10, ["panic", "anxiety"]),
    sk("panic-mid", 4, 9, ["panic"]),
    sk("panic-long", 4, 9, ["panic"], minutes=20),
    sk("sleep", 0, 6, ["sleep"]),
    sk("grief", 0, 7, ["grief"]),
]


def ids(items: list[Any]) -> list[str]:
    return [s.skill.id for s in items]


def test_fit_tiers() -> None:
    panic_hi = SKILLS[1]
    assert fit_tier(panic_hi, 8, "panic") == 0
    assert fit_tier(panic_hi, 3, "panic") == 1
    assert fit_tier(panic_hi, 8, "sleep") == 2
    assert fit_tier(panic_hi, 3, "sleep") is None
    assert fit_tier(panic_hi, None, None) == 0


def test_fit_first_then_relaxed() -> None:
    got = suggest(SKILLS, distress=8, situation="panic")
    assert len(got) == 3
    assert set(ids(got)) == {"panic-hi", "panic-mid", "panic-long"}
    # at high distress shorter skills come first among equal fits
    assert ids(got).index("panic-mid") < ids(got).index("panic-long")
    # nothing fits grief at 9 by intensity: the skills that fit the intensity come first,
    # the grief skill (0-7) only after them
    got = rank(SKILLS, distress=9, situation="grief")
    assert ids(got) == ["panic-hi", "panic-mid", "panic-long", "grief"]


def test_what_helped_before_comes_first_within_fit() -> None:
    history = {"panic-long": stats("panic-long", 3.5), "panic-mid": stats("panic-mid", 1.0)}
    got = suggest(SKILLS, distress=8, situation="panic", stats=history)
    assert ids(got)[:2] == ["panic-long", "panic-mid"]
    assert got[0].source == "history" and "3.5" in got[0].reason
    # a skill that helped but does not fit the moment does not jump the fit
    history = {"sleep": stats("sleep", 5)}
    assert "sleep" not in ids(suggest(SKILLS, distress=8, situation="panic", stats=history))


def test_tried_and_did_not_help_goes_last() -> None:
    history = {"panic-hi": stats("panic-hi", -1.0, rated=3)}
    got = suggest(SKILLS, distress=8, situation="panic", stats=history)
    assert ids(got)[-1] == "panic-hi"
    # one unhelpful try is not enough to demote a skill
    history = {"panic-hi": stats("panic-hi", 0.0, rated=1)}
    got = suggest(SKILLS, distress=8, situation="panic", stats=history)
    assert ids(got)[0] == "panic-hi"


def test_safety_plan_skills_come_first_only_when_they_fit() -> None:
    got = suggest(SKILLS, distress=8, situation="anxiety", plan_ids=["panic-long", "nope"])
    assert ids(got)[0] == "panic-long"
    assert got[0].source == "plan" and "safety plan" in got[0].reason
    # plan skills whose range excludes the distress never come before a fitting skill ...
    got = rank(SKILLS, distress=8, situation="panic", plan_ids=["sleep", "grief", "panic-mid"])
    assert ids(got)[:3] == ["panic-mid", "panic-hi", "panic-long"]
    # ... but they are still offered, after the fitting ones, as the person's own
    assert set(ids(got)[3:]) == {"sleep", "grief"}
    assert all(s.reason == "from your safety plan" for s in got[3:])


def test_exclude_and_unfit() -> None:
    got = rank(SKILLS, distress=8, situation="panic", exclude=["panic-hi"])
    assert "panic-hi" not in ids(got)
    assert "calm-a" not in ids(rank(SKILLS, distress=8, situation="panic"))
    everything = rank(SKILLS, distress=8, situation="panic", include_unfit=True)
    assert set(ids(everything)) == {s.id for s in SKILLS}


def test_no_distress_no_situation_offers_something() -> None:
    got = suggest(SKILLS)
    assert len(got) == 3 and all(s.reason == "" for s in got)


def test_reasons() -> None:
    assert suggest(SKILLS, distress=8, situation="panic")[0].reason == "fits what's going on"
    assert suggest(SKILLS, distress=8)[0].reason == "fits how intense it is"


def test_builtin_skills_give_three_suggestions_for_every_situation() -> None:
    skills = [
        Skill.model_validate(yaml.safe_load(p.read_text("utf-8")))
        for p in sorted((ROOT / "skills").glob("*.yaml"))
    ]
    from selfback.skills.schema import SITUATIONS

    for situation in SITUATIONS:
        for distress in (0, 5, 9, 10, None):
            got = suggest(skills, distress=distress, situation=situation)
            assert len(got) == 3, (situation, distress)
    for got_one in suggest(skills, distress=9, situation="self-harm-urge"):
        assert "self-harm-urge" in got_one.skill.situations


def builtin_skills() -> list[Skill]:
    return [
        Skill.model_validate(yaml.safe_load(p.read_text("utf-8")))
        for p in sorted((ROOT / "skills").glob("*.yaml"))
    ]


def fits(skill: Skill, distress: int) -> bool:
    return skill.distress.min <= distress <= skill.distress.max


def test_at_7_or_more_the_first_suggestion_is_body_based() -> None:
    from selfback.skills.schema import SITUATIONS

    skills = builtin_skills()
    for situation in [*SITUATIONS, None]:
        for distress in (7, 8, 9, 10):
            got = suggest(skills, distress=distress, situation=situation)
            assert "body" in got[0].skill.tags, (situation, distress, ids(got))
    # also when a plan skill that fits is not body-based, and when history says otherwise
    history = {"improve": stats("improve", 4.0)}
    got = suggest(skills, distress=8, situation="overwhelm", stats=history, plan_ids=["improve"])
    assert "body" in got[0].skill.tags and "improve" in ids(got)
    # synthetic: the body skill is moved up, the rest keep their order
    mixed = [sk("talk", 0, 10, ["grief"]), sk("cold", 7, 10, ["panic"], tags=["body"])]
    assert ids(rank(mixed, distress=9, situation="grief")) == ["cold", "talk"]
    assert ids(rank(mixed, distress=6, situation="grief")) == ["talk"]


def test_a_skill_outside_its_range_never_ranks_above_one_that_fits() -> None:
    from selfback.skills.schema import SITUATIONS

    skills = builtin_skills()
    for situation in [*SITUATIONS, None]:
        for distress in range(11):
            got = rank(skills, distress=distress, situation=situation, include_unfit=True)
            flags = [fits(s.skill, distress) for s in got]
            first_unfit = flags.index(False) if False in flags else len(flags)
            assert all(not f for f in flags[first_unfit:]), (situation, distress, ids(got))


def test_the_cases_from_the_issue() -> None:
    skills = builtin_skills()
    # distress 10 and rumination: no thought record (0-6) in the suggestions
    got = suggest(skills, distress=10, situation="rumination")
    assert "thought-record" not in ids(got)
    assert all(fits(s.skill, 10) for s in got) and "body" in got[0].skill.tags
    # distress 10 and can't sleep: no 4-7-8 breathing (3-7) with its long hold
    got = suggest(skills, distress=10, situation="sleep")
    assert "breathing-478" not in ids(got) and all(fits(s.skill, 10) for s in got)
    # dissociation or a flashback: never eyes-closed imagery, even in the full list
    for situation in ("dissociation", "flashback"):
        for distress in (None, 2, 5, 8):
            got = rank(skills, distress=distress, situation=situation, include_unfit=True)
            assert "leaves-on-a-stream" not in ids(got)
            assert not any("eyes-closed" in s.skill.tags for s in got)
    assert "leaves-on-a-stream" in ids(rank(skills, distress=3, situation="rumination"))


def test_thoughts_of_ending_my_life_get_only_fitting_skills_never_a_cognitive_one() -> None:
    skills = builtin_skills()
    cognitive = {s.id for s in skills if "cognitive" in s.tags}
    assert {"thought-record", "check-the-facts", "opposite-action"} <= cognitive
    for distress in (None, *range(11)):
        got = rank(skills, distress=distress, situation="suicidal-thoughts")
        assert len(got) >= 3, distress
        assert all("suicidal-thoughts" in s.skill.situations for s in got), distress
        everything = rank(
            skills, distress=distress, situation="suicidal-thoughts", include_unfit=True
        )
        assert not cognitive & set(ids(everything))
    top = ids(suggest(skills, distress=5, situation="suicidal-thoughts"))
    assert "reach-out" in top
    assert set(ids(suggest(skills, distress=9, situation="suicidal-thoughts"))) <= {
        "tipp",
        "stop",
        "grounding-54321",
        "cyclic-sighing",
        "someone-to-talk-to",
    }
    # a cognitive skill in the person's own plan is still not offered here
    got = rank(skills, distress=4, situation="suicidal-thoughts", plan_ids=["thought-record"])
    assert "thought-record" not in ids(got)


def test_what_helped_before_is_still_the_tie_breaker_under_the_new_rules() -> None:
    skills = builtin_skills()
    ranked = suggest(skills, distress=9, situation="panic")
    plain = ids(ranked)
    # the third body-based suggestion: at 9 the first one is always body-based
    third = [
        s.skill.id for s in rank(skills, distress=9, situation="panic") if "body" in s.skill.tags
    ][2]
    assert third not in plain[:1]
    history = {third: stats(third, 3.0)}
    got = suggest(skills, distress=9, situation="panic", stats=history)
    assert ids(got)[0] == third and got[0].source == "history"
    # it never lifts a skill whose range excludes the distress
    history = {"breathing-478": stats("breathing-478", 5.0)}
    got = rank(skills, distress=10, situation="sleep", stats=history)
    first_478 = ids(got).index("breathing-478")
    assert all(fits(s.skill, 10) for s in got[:first_478])


def test_calming_skills_for_a_switch() -> None:
    skills = builtin_skills()
    got = [s.id for s in calming(skills, distress=9, exclude=["urge-surfing"])]
    assert got[:3] and all("body" in s.tags for s in skills if s.id in got)  # body-based only
    assert "accepts" not in got  # distraction is not calming
    assert "tipp" in got[:3] and "grounding-54321" in got[:4]
    assert "tipp" not in [s.id for s in calming(skills, distress=9, exclude=["tipp"])]
    # skills made for trauma only when the situation is theirs, and then first
    assert "flashback-plan" not in got
    for_flashback = [s.id for s in calming(skills, distress=9, situation="flashback")]
    assert "flashback-plan" in for_flashback[:2]
