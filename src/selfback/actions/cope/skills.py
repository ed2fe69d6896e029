"""The skills `cope` offers: the library (loaded off the main thread while the first
question is answered), finding one by name, ranking, and the calming choices."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from selfback.crashlog import log
from selfback.errors import UsageError
from selfback.messages import cope as msg
from selfback.text import clean_line

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.skills.library import Library
    from selfback.skills.schema import Skill
    from selfback.suggest import Suggestion

SHOWN = 3  # suggestions on the first menu, and calming choices after a crisis moment


def load_skills(paths: Paths) -> Library:
    from selfback.skills.library import load_library

    return load_library(paths)


def raise_if_broken(lib: Library, skill_id: str) -> None:
    """A DataError saying where, when the skill's file exists but could not be loaded."""
    broken = lib.broken(skill_id)
    if broken:
        from selfback.errors import DataError

        n = len(broken) - 1
        noun = "problem" if n == 1 else "problems"
        more = msg.BROKEN_MORE.format(count=n, noun=noun) if n else ""
        problem = broken[0].message.rstrip(".")
        raise DataError(
            msg.BROKEN_SKILL.format(name=clean_line(skill_id), problem=problem, more=more)
        )


class Preload:
    """Imports the heavy modules and loads the skill library off the main thread."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.library: Library | None = None
        self._thread = threading.Thread(target=self._run, name="selfback-preload", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            self.library = load_skills(self.paths)
            import selfback.store.db
            import selfback.store.sessions
            import selfback.suggest
            import selfback.walk.engine  # noqa: F401
        except BaseException:  # the main thread loads again and meets the real error
            log.exception("loading the skills in the background")

    def get_library(self) -> Library:
        if self._thread.ident is not None:
            self._thread.join()
        if self.library is None:
            self.library = load_skills(self.paths)  # raise the real error here, if any
        return self.library


def fallback_skill() -> Skill:
    """A minimal skill for when no skill file could be loaded at all."""
    from selfback.skills.schema import Skill

    return Skill.model_validate(
        {
            "id": "slow-breathing",
            "title": "Slow breathing",
            "summary": "A few minutes of slow breaths with a long out-breath.",
            "situations": ["panic", "anxiety", "overwhelm", "stress"],
            "distress": {"min": 0, "max": 10},
            "minutes": 2,
            "source": (
                "Paced breathing with a longer exhale; Balban MY et al. (2023) Cell Reports "
                "Medicine 4:100895."
            ),
            "steps": [
                {
                    "kind": "say",
                    "text": "Sit so your back is comfortable. Let your shoulders drop.",
                },
                {
                    "kind": "breathe",
                    "text": "Breathe in for 4. Breathe out slowly for 6.",
                    "inhale": 4,
                    "exhale": 6,
                    "cycles": 10,
                },
                {"kind": "say", "text": "Let your breath find its own pace again."},
            ],
        }
    )


def last_done_last(items: list[Suggestion], done: Sequence[str]) -> list[Suggestion]:
    """Skills done in this run go to the end (the latest last), so "try another skill"
    never offers first the one that just ended."""
    order = {sid: i for i, sid in enumerate(done)}
    fresh = [s for s in items if s.skill.id not in order]
    used = sorted((s for s in items if s.skill.id in order), key=lambda s: order[s.skill.id])
    return fresh + used


def plan_skill_ids(paths: Paths) -> list[str]:
    """Skill ids the person put in step 2 of their safety plan (if any)."""
    from selfback.safety.plan import load_plan

    plan = load_plan(paths)
    return plan.skill_ids() if plan is not None else []


class Shelf:
    """The skill library of one `cope`: loaded once (in the background when asked)."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.preload: Preload | None = None
        self.library: Library | None = None

    def start_loading(self) -> None:
        if self.library is None and self.preload is None:
            self.preload = Preload(self.paths)
            self.preload.start()

    def get_library(self) -> Library:
        if self.library is None:
            lib = self.preload.get_library() if self.preload else load_skills(self.paths)
            self.library = lib
        return self.library

    def skills(self) -> list[Skill]:
        return list(self.get_library().skills.values())

    def get(self, skill_id: str) -> Skill | None:
        return self.get_library().get(skill_id)

    def problem_count(self) -> int:
        """How many skill files could not be loaded (0 when the library was not needed)."""
        return len(self.library.problems) if self.library is not None else 0

    def find(self, skill_id: str) -> Skill:
        """The skill called ``skill_id``; a UsageError naming the nearest when there is none."""
        lib = self.get_library()
        skill = lib.get(skill_id.strip().lower())
        if skill is not None:
            return skill
        raise_if_broken(lib, skill_id)
        import difflib

        close = difflib.get_close_matches(skill_id.lower(), list(lib.skills), n=1)
        hint = msg.DID_YOU_MEAN_SKILL.format(skill=close[0]) if close else ""
        raise UsageError(msg.NO_SKILL.format(name=clean_line(skill_id), hint=hint))

    def suggestions(
        self,
        distress: int | None,
        situation: str | None,
        *,
        stats: Mapping[str, Any],
        done: Sequence[str],
    ) -> list[Suggestion]:
        """The first few skills to offer: fitting ones not done in this run; else any not
        done; else every one, those done first going first."""
        from selfback.suggest import rank

        skills = self.skills()
        plan_ids = plan_skill_ids(self.paths)
        ranked = rank(
            skills,
            distress=distress,
            situation=situation,
            stats=stats,
            plan_ids=plan_ids,
            exclude=done,
        )
        if not ranked:  # everything fitting was done or nothing fits: offer the rest
            ranked = rank(
                skills,
                distress=distress,
                situation=situation,
                stats=stats,
                exclude=done,
                include_unfit=True,
            )
        if not ranked:  # every skill was done in this run: the ones done first go first
            ranked = rank(skills, distress=distress, situation=situation, include_unfit=True)
            ranked = last_done_last(ranked, done)
        return ranked[:SHOWN]

    def everything(
        self,
        distress: int | None,
        situation: str | None,
        *,
        stats: Mapping[str, Any],
        done: Sequence[str],
    ) -> list[Suggestion]:
        """Every skill, best first, those done in this run last."""
        from selfback.suggest import rank

        ranked = rank(
            self.skills(), distress=distress, situation=situation, stats=stats, include_unfit=True
        )
        return last_done_last(ranked, done)

    def calming(
        self,
        distress: int,
        situation: str | None,
        *,
        current: str,
        stats: Mapping[str, Any],
    ) -> list[Skill]:
        """Something calming for the body to switch to (never ``current``)."""
        from selfback.suggest import calming

        found = calming(
            self.skills(), distress=distress, exclude=[current], stats=stats, situation=situation
        )
        return found[:SHOWN] or [fallback_skill()]
