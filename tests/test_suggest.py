"""Ranking suggestions: safety plan first, then fit, with what helped before on top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from selfback.skills.schema import Skill
from selfback.store.sessions import SkillStats
from selfback.suggest import fit_tier, rank, suggest

ROOT = Path(__file__).resolve().parent.parent


def sk(sid: str, lo: int, hi: int, situations: list[str], minutes: float = 3) -> Skill:
    data: dict[str, Any] = {
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
    # nothing fits grief at 9 by intensity: situation-only fit first, then intensity fits
    got = suggest(SKILLS, distress=9, situation="grief")
    assert ids(got)[0] == "grief"


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


def test_safety_plan_skills_come_first() -> None:
    got = suggest(SKILLS, distress=8, situation="panic", plan_ids=["sleep", "grief", "nope"])
    assert ids(got) == ["sleep", "grief", "panic-hi"]
    assert got[0].source == "plan" and "safety plan" in got[0].reason
    # plan skills that fit the moment go before plan skills that do not
    got = suggest(SKILLS, distress=8, situation="panic", plan_ids=["sleep", "panic-mid"])
    assert ids(got)[:2] == ["panic-mid", "sleep"]


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
