"""Plans made for later inside a skill (a ``later`` step answered "Later"), asked about
once at the next check-in or `cope`.

:func:`due` lists them with the plan's own words and the ratings the skill defines (the
rate steps of its follow-up part); :func:`answer` records how it went ("done" with the
ratings given, "not-done", or "skipped" when the person pressed Enter) and the plan is
never asked about again. Reading never breaks the check-in or `cope` that asks: a log
that cannot be opened gives nothing due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from selfback.crashlog import log
from selfback.text import clean_line

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.skills.schema import RateStep, Skill
    from selfback.store.sessions import CopingSession

Outcome = Literal["done", "not-done", "skipped"]


@dataclass(frozen=True)
class DueFollowUp:
    """One plan for later: the session it was made in, its words and its ratings."""

    uid: str
    skill_title: str
    planned_at: datetime
    plan: list[str]  # the answers that describe the plan, as words
    ratings: list[RateStep]  # what to ask when it was done (may be empty)


def _later_step_answers(session: CopingSession) -> dict[str, Any]:
    return {str(a.get("step")): a.get("answer") for a in session.answers}


def _plan_line(step: object, words: str) -> str:
    """One answer of a plan as it is shown again: words as they were written; a rating
    with its question and scale, since a bare number says nothing days later."""
    from selfback.skills.schema import RateStep

    if isinstance(step, RateStep):
        return f"{clean_line(step.text)} {words} out of {step.max}"
    return words


def _describe(session: CopingSession, skill: Skill | None) -> DueFollowUp:
    from selfback.skills.schema import LATER, LaterStep, RateStep
    from selfback.walk.recall import as_text

    given = _later_step_answers(session)
    plan: list[str] = []
    ratings: list[RateStep] = []
    steps = list(skill.steps) if skill is not None else []
    for step in steps:
        if isinstance(step, LaterStep) and step.id is not None and given.get(step.id) == LATER:
            by_id = {s.id: s for s in steps if s.id is not None}
            plan = [
                _plan_line(by_id.get(ref), as_text(given[ref]))
                for ref in step.plan
                if given.get(ref) not in (None, "")
            ]
            ratings = [s for s in steps if isinstance(s, RateStep) and s.part == step.follow_up]
            break
    return DueFollowUp(
        uid=session.uid,
        skill_title=session.skill_title or session.skill_id,
        planned_at=session.started_at,
        plan=plan,
        ratings=ratings,
    )


def due(paths: Paths) -> list[DueFollowUp]:
    """The plans for later not asked about yet, oldest first ([] when the log or the
    skills cannot be read)."""
    try:
        from selfback.skills.library import load_library
        from selfback.store.db import open_store
        from selfback.store.keys import is_locked
        from selfback.store.sessions import due_follow_ups

        if is_locked(paths):
            return []
        store = open_store(paths)
        try:
            found = due_follow_ups(store)
        finally:
            store.close()
        if not found:
            return []
        library = load_library(paths)
        return [_describe(s, library.get(s.skill_id)) for s in found]
    except Exception:
        log.exception("reading plans made for later")
        return []


def answer(
    paths: Paths, uid: str, outcome: Outcome, ratings: dict[str, int], when: datetime
) -> bool:
    """Record how a plan went (asked once: never asked again). True when it was kept."""
    from selfback.store.db import open_store
    from selfback.store.sessions import record_follow_up

    answers = [{"step": step, "kind": "rate", "answer": value} for step, value in ratings.items()]
    store = open_store(paths)
    try:
        return record_follow_up(store, uid, outcome, answers, when)
    finally:
        store.close()


def hear(paths: Paths, raw: str, uid: str, when: datetime) -> bool:
    """Words typed at these questions: True when they may mean risk (a flag is recorded,
    never the words; the caller shows crisis help)."""
    from selfback.safety.risk import detect, record_flag

    hit = detect(raw)
    if hit is None:
        return False
    record_flag(paths, source="skill-answer", kind=hit.kind, ref_uid=uid, when=when)
    return True
