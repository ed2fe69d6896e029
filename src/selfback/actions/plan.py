"""The safety plan: finding the version to show, and making or changing it.

Editing goes one step at a time with the earlier answers as defaults, through a
:class:`PlanEditor` (the terminal). Every answer is kept in a private draft as it is
typed, so Ctrl-C or a closed terminal loses at most the line being typed; saving adds a
new version (and the mirror ``sos`` reads) and never overwrites an old one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.safety.plan import PlanVersion, SafetyPlan, Step


class PlanEditor(Protocol):
    def continue_draft(self, saved_at: str) -> bool:
        """There is an unfinished draft from ``saved_at``: go on from it?"""

    def begin(self) -> None:
        """Say how editing works."""

    def edit_step(
        self,
        step: Step,
        old: list[Any],
        skills: Mapping[str, str],
        keep: Callable[[list[Any]], None],
    ) -> list[Any]:
        """Ask one step again with ``old`` as the defaults; ``keep`` the answers so far."""

    def confirm(self, plan: SafetyPlan, skills: Mapping[str, str]) -> bool:
        """Show the new plan and ask whether to save it."""


@dataclass(frozen=True)
class PlanEdited:
    outcome: Literal["unchanged", "not-saved", "saved"]
    had_plan: bool
    version: int | None = None
    skill_ids: tuple[str, ...] = ()


def edit_plan(paths: Paths, now: Callable[[], datetime], editor: PlanEditor) -> PlanEdited:
    from selfback.safety import plan as P

    current = P.load_plan(paths)
    defaults = P.SafetyPlan.from_dict(current.to_dict()) if current else P.SafetyPlan()
    draft = P.load_draft(paths)
    if draft is not None:
        if editor.continue_draft(draft[1]):
            defaults = draft[0]
        else:
            P.clear_draft(paths)
    editor.begin()
    working = P.SafetyPlan.from_dict(defaults.to_dict())
    skills = P.known_skills(paths)

    def keep(key: str) -> Callable[[list[Any]], None]:
        def save(items: list[Any]) -> None:
            setattr(working, key, list(items))
            try:
                P.save_draft(paths, working, now=now())
            except OSError:  # a draft is a convenience; go on without
                return

        return save

    for step in P.STEPS:
        items = editor.edit_step(step, defaults.items(step.key), skills, keep(step.key))
        keep(step.key)(items)
    new = P.link_skills(P.SafetyPlan.from_dict(working.to_dict()), skills)
    if current is not None and new.content() == current.content():
        P.clear_draft(paths)
        return PlanEdited("unchanged", had_plan=True)
    if not editor.confirm(new, skills):
        P.clear_draft(paths)
        return PlanEdited("not-saved", had_plan=current is not None)
    version = P.save_plan(paths, new, now=now())
    P.clear_draft(paths)
    return PlanEdited("saved", current is not None, version.number, tuple(new.skill_ids()))


@dataclass(frozen=True)
class ShownPlan:
    """The plan to show: ``number`` its version (None for the mirror alone), ``latest``
    whether it is the current one, ``problem`` why the database could not be read (the
    mirror ``sos`` reads is shown instead)."""

    plan: SafetyPlan | None
    number: int | None = None
    latest: bool = True
    problem: str | None = None


def versions(paths: Paths) -> list[PlanVersion]:
    """Every saved version, oldest first (a DataError for database problems)."""
    from selfback.safety.plan import plan_history

    return plan_history(paths)


def find_plan(paths: Paths, version: int | None = None) -> ShownPlan:
    """Version ``version`` (a UsageError when there is none), or the current plan: from
    the database, or the mirror when the database cannot be read (or has none)."""
    from selfback.errors import DataError, UsageError
    from selfback.messages import plan as msg
    from selfback.safety import plan as P

    if version is not None:
        history = P.plan_history(paths)
        match = next((v for v in history if v.number == version), None)
        if match is None:
            if not history:
                raise UsageError(msg.NO_VERSIONS_YET)
            raise UsageError(msg.NO_SUCH_VERSION.format(version=version, last=history[-1].number))
        return ShownPlan(match.plan, match.number, match.number == history[-1].number)
    try:
        current = P.current_version(paths)
    except DataError as exc:
        mirror = P.read_plan_file(paths)
        if mirror is None:
            raise
        return ShownPlan(mirror, problem=exc.message)
    if current is not None:
        return ShownPlan(current.plan, current.number)
    return ShownPlan(P.read_plan_file(paths))


def skill_titles(paths: Paths) -> dict[str, str]:
    """Skill id -> title, for showing the skills a plan names."""
    from selfback.safety.plan import known_skills

    return known_skills(paths)
