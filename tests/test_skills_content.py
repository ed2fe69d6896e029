"""The content of the built-in skills: sources, cautions, distress ranges, the skills the
clinical review asked for, and the cautions it asked to add (../shared/content-guide.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from selfback.paths import builtin_skills_dir, get_paths
from selfback.skills.library import load_library
from selfback.skills.schema import AskStep, ChooseStep, RateStep, Skill


def library() -> dict[str, Skill]:
    lib = load_library(get_paths())
    assert lib.problems == []
    return dict(lib.skills)


def texts(skill: Skill) -> Iterator[str]:
    """Everything a person reads in a skill, in order."""
    yield skill.title
    yield skill.summary
    yield from skill.cautions
    for step in skill.steps:
        text = getattr(step, "text", None)
        if text:
            yield text
        if isinstance(step, ChooseStep):
            yield from step.options
        if isinstance(step, AskStep) and step.placeholder:
            yield step.placeholder
        if isinstance(step, RateStep):
            yield from (label for label in (step.min_label, step.max_label) if label)


# Parametrised by file name, so collecting the tests reads nothing outside the package.
BUILTIN_IDS = sorted(p.stem for p in builtin_skills_dir().glob("*.yaml"))


def all_text(skill: Skill) -> str:
    return " ".join(texts(skill))


NEW_SKILLS = {
    "flashback-plan",
    "safe-place-eyes-open",
    "after-a-nightmare",
    "sleep-wind-down",
    "awake-in-bed",
    "what-is-panic",
    "ride-the-panic-wave",
    "pros-and-cons",
    "play-it-forward",
    "delay-and-distract",
    "connection-ladder",
    "someone-to-talk-to",
    "kind-act",
    "problem-solving",
    "one-small-step",
    "dear-man",
    "mindfulness",
}


# --- every built-in skill -------------------------------------------------------------------


def test_at_least_35_skills_and_every_new_one_is_there() -> None:
    skills = library()
    assert len(skills) >= 35
    assert set(skills) >= NEW_SKILLS
    assert set(BUILTIN_IDS) == set(skills)


def test_skills_list_shows_at_least_35(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("skills", "list")
    assert result.exit_code == 0
    count = int(re.search(r"(\d+) skill\(s\)", result.stdout).group(1))  # type: ignore[union-attr]
    assert count >= 35


@pytest.mark.parametrize("skill_id", BUILTIN_IDS)
def test_every_builtin_skill_has_a_source_cautions_and_a_distress_range(skill_id: str) -> None:
    skill = library()[skill_id]
    assert re.search(r"\b(19|20)\d\d\b", skill.source), f"{skill_id}: source needs a year"
    assert len(skill.source) >= 40, f"{skill_id}: source needs author, year and title"
    assert skill.cautions, f"{skill_id}: needs at least one caution"
    assert 0 <= skill.distress.min <= skill.distress.max <= 10
    assert skill.situations


@pytest.mark.parametrize("skill_id", BUILTIN_IDS)
def test_safe_wording_in_every_skill(skill_id: str) -> None:
    text = all_text(library()[skill_id])
    low = text.lower()
    assert "committed suicide" not in low
    assert "you should have" not in low
    # Crisis numbers live only in the dated, sourced data file, never in a skill.
    assert not re.search(r"\b(988|911|999|112|000|111|741741|116 ?123|13 ?11 ?14)\b", text)
    # No markdown in terminal text.
    assert "`" not in text and "**" not in text


def test_every_skill_a_builtin_tracker_names_exists() -> None:
    from selfback.trackers.library import builtin_trackers
    from selfback.trackers.schema import TagsTracker

    skills = set(library())
    named = {
        word
        for tracker in builtin_trackers().values()
        if isinstance(tracker, TagsTracker) and "skill" in tracker.id
        for word in tracker.suggestions
    }
    assert {"pros-and-cons", "dear-man", "mindfulness"} <= named
    assert named <= skills, sorted(named - skills)


# --- the tag conventions ---------------------------------------------------------------------


def test_cognitive_skills_are_tagged_and_never_offered_for_suicidal_thoughts() -> None:
    skills = library()
    for skill_id in ("pros-and-cons", "play-it-forward", "problem-solving"):
        assert "cognitive" in skills[skill_id].tags, skill_id
    for skill in skills.values():
        if "cognitive" in skill.tags:
            assert "suicidal-thoughts" not in skill.situations, skill.id


def test_trauma_skills_keep_the_eyes_open() -> None:
    skills = library()
    for skill_id in ("flashback-plan", "safe-place-eyes-open", "after-a-nightmare"):
        skill = skills[skill_id]
        assert "eyes-closed" not in skill.tags
        assert "close your eyes" not in all_text(skill).lower()
    assert "eyes open" in all_text(skills["safe-place-eyes-open"]).lower()
    assert "body" in skills["flashback-plan"].tags  # grounding is body-based


# --- the new skills ------------------------------------------------------------------------


def test_flashback_plan_orients_to_then_and_now_without_asking_what_happened() -> None:
    skill = library()["flashback-plan"]
    text = all_text(skill)
    assert "That was then. This is now." in text
    assert "flashback" in skill.situations and "dissociation" in skill.situations
    assert skill.distress.max == 10
    assert any("never need to describe" in c for c in skill.cautions)
    asks = [s.text.lower() for s in skill.steps if isinstance(s, AskStep)]
    assert any("where are you" in a for a in asks)
    assert not any("what happened" in a or "describe" in a for a in asks)


def test_safe_place_has_a_way_out() -> None:
    skill = library()["safe-place-eyes-open"]
    check = next(s for s in skill.steps if isinstance(s, ChooseStep) and s.id == "check")
    assert "Something unpleasant came in" in check.options
    way_out = [s for s in skill.steps if s.when is not None and s.when.step == "check"]
    assert any("way out" in getattr(s, "text", "") for s in way_out)
    assert any("let it go" in c.lower() for c in skill.cautions)


def test_awake_in_bed_gets_up_after_about_20_minutes() -> None:
    skill = library()["awake-in-bed"]
    text = all_text(skill)
    assert "About 20 minutes or more" in text
    assert "Get up and go to another room" in text
    assert "Bootzin" in skill.source
    assert any("clock" in c for c in skill.cautions)


def test_nightmare_panic_and_sleep_skills_fit_their_situations() -> None:
    skills = library()
    assert "nightmare" in skills["after-a-nightmare"].situations
    assert {"panic"} <= set(skills["what-is-panic"].situations)
    assert {"panic"} <= set(skills["ride-the-panic-wave"].situations)
    assert "sleep" in skills["sleep-wind-down"].situations
    assert "Clark" in skills["what-is-panic"].source
    for skill_id in ("what-is-panic", "ride-the-panic-wave"):
        assert any("medical help" in c for c in skills[skill_id].cautions)


def test_urge_skills() -> None:
    skills = library()
    pros = skills["pros-and-cons"]
    asks = [s.id for s in pros.steps if isinstance(s, AskStep)]
    assert {"pros_acting", "cons_acting", "pros_resisting", "cons_resisting"} <= set(asks)
    assert "Linehan" in pros.source
    assert "substance-urge" in skills["play-it-forward"].situations
    delay = skills["delay-and-distract"]
    assert "self-harm-urge" in delay.situations
    assert any("press !" in c.lower() for c in delay.cautions)


def test_someone_to_talk_to_frames_helplines_as_not_only_for_emergencies() -> None:
    skill = library()["someone-to-talk-to"]
    text = all_text(skill)
    assert "You don't need to be in crisis" in text
    assert "Press ! on this step to see the lines for your country." in text
    assert "loneliness" in skill.situations
    assert "Samaritans" in skill.source


def test_connection_and_kindness_skills_cite_the_research() -> None:
    skills = library()
    assert "Masi" in skills["connection-ladder"].source
    ladder = next(s for s in skills["connection-ladder"].steps if isinstance(s, ChooseStep))
    assert ladder.options[0].startswith("Be near people")
    assert "Curry" in skills["kind-act"].source
    assert "D'Zurilla" in skills["problem-solving"].source
    assert "Harris" in skills["one-small-step"].source


# --- cautions and fixes in the existing skills ---------------------------------------------


def test_unsent_letter_to_someone_who_hurt_me() -> None:
    skill = library()["unsent-letter"]
    assert any("don't need to" in c and "5-4-3-2-1" in c for c in skill.cautions)
    gated = [s for s in skill.steps if s.when is not None]
    assert gated and all(s.when.is_ == ["Someone who hurt me"] for s in gated)  # type: ignore[union-attr]
    assert any("5-4-3-2-1" in getattr(s, "text", "") for s in gated)


@pytest.mark.parametrize("skill_id", ["self-compassion-break", "have-your-own-back"])
def test_kindness_practices_warn_about_backdraft(skill_id: str) -> None:
    skill = library()[skill_id]
    assert any("backdraft" in c for c in skill.cautions)
    assert "Germer" in skill.source


def test_leaves_on_a_stream_is_not_for_flashbacks_or_dissociation() -> None:
    skill = library()["leaves-on-a-stream"]
    caution = " ".join(skill.cautions).lower()
    assert "flashbacks" in caution and "unreal" in caution and "grounding" in caution
    assert skill.steps[0].text.startswith("Sit comfortably. Rest your gaze")  # type: ignore[union-attr]


def test_radical_acceptance_causes_never_mean_deserved() -> None:
    text = all_text(library()["radical-acceptance"])
    assert "Having causes doesn't make it deserved, or okay." in text
    assert "It happened for reasons" not in text


@pytest.mark.parametrize("skill_id", ["cyclic-sighing", "box-breathing"])
def test_breathing_study_was_in_healthy_adults(skill_id: str) -> None:
    skill = library()[skill_id]
    assert any("healthy adults" in c and "crisis" in c for c in skill.cautions)
    assert "10.1016/j.xcrm.2022.100895" in skill.source


def test_478_tongue_position_is_optional() -> None:
    skill = library()["breathing-478"]
    tongue = next(s for s in skill.steps if "tongue" in getattr(s, "text", ""))
    assert tongue.optional and "upper front teeth" in tongue.text  # type: ignore[operator]
    assert "drweil.com" in skill.source and "Spontaneous Happiness" not in skill.source


def test_thinking_skills_never_argue_with_suicidal_thoughts() -> None:
    skills = library()
    for skill_id in ("thought-record", "check-the-facts", "pros-and-cons"):
        caution = " ".join(skills[skill_id].cautions)
        assert "ending your life" in caution and "press !" in caution, skill_id
