"""Which skills to offer in `cope`, and in what order.

Rules that always hold (they come before any ordering):

- Eyes-closed imagery (tag ``eyes-closed``) is never offered for dissociation or a
  flashback; a cognitive skill (tag ``cognitive``) never for thoughts of ending my life or
  an urge to hurt myself. For those two crisis situations only skills made for them are
  suggested (plus the person's own safety-plan skills).
- A skill whose distress range excludes the current distress never ranks above one that
  fits it.
- At distress 7 or more, the first suggestion is body-based (tag ``body``: TIPP, STOP,
  grounding, paced breathing, ACCEPTS).

Then the order:

1. Skills named in the person's safety plan (step 2) that fit the intensity, in the
   plan's order.
2. Skills that fit both the intensity and the situation, then the intensity only, then the
   situation only (their range excludes the distress), then neither (only with
   ``include_unfit``; safety-plan skills that do not fit go here too, not first).
3. Within each group: first what has lowered this person's distress before (largest
   average drop), then untried or mixed skills by fit, and last skills tried at least
   twice that did not lower distress.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from selfback.skills.schema import Skill

HELPED_DROP = 1.0  # an average drop of at least one point counts as "has helped"
DID_NOT_HELP_MIN_TRIES = 2
HIGH_DISTRESS = 7  # from here, the first suggestion is body-based and shorter skills first

BODY = "body"
EYES_CLOSED = "eyes-closed"
COGNITIVE = "cognitive"
# Situations where eyes-closed imagery is never offered.
NO_EYES_CLOSED = frozenset({"dissociation", "flashback"})
# Crisis situations: no cognitive skill, and only skills made for the situation.
CRISIS_ONLY_FITTING = frozenset({"suicidal-thoughts", "self-harm-urge"})

Source = Literal["plan", "history", "fit"]


class StatsLike(Protocol):
    @property
    def rated(self) -> int: ...
    @property
    def average_drop(self) -> float | None: ...
    @property
    def uses(self) -> int: ...


@dataclass(frozen=True)
class Suggestion:
    skill: Skill
    source: Source
    reason: str  # a short, kind phrase shown next to the title


def fit_tier(skill: Skill, distress: int | None, situation: str | None) -> int | None:
    """0: fits both; 1: fits the situation; 2: fits the intensity; None: fits neither."""
    d_ok = distress is None or skill.distress.min <= distress <= skill.distress.max
    s_ok = situation is None or situation in skill.situations
    if d_ok and s_ok:
        return 0
    if s_ok:
        return 1
    if d_ok:
        return 2
    return None


def _fit_closeness(skill: Skill, distress: int | None, situation: str | None) -> float:
    """Lower is better: how central the intensity is in the range, and how prominent the
    situation is in the skill's list."""
    score = 0.0
    if distress is not None:
        lo, hi = skill.distress.min, skill.distress.max
        mid = (lo + hi) / 2
        half = max((hi - lo) / 2, 1.0)
        outside = max(lo - distress, distress - hi, 0)
        score += abs(distress - mid) / half + 2 * outside
        if distress >= HIGH_DISTRESS:
            score += skill.minutes / 20  # when it is very hard, shorter skills first
    if situation is not None and situation in skill.situations:
        score += skill.situations.index(situation) * 0.25
    return score


def _history_group(stats: StatsLike | None) -> tuple[int, float]:
    if stats is None or stats.rated == 0 or stats.average_drop is None:
        return (1, 0.0)
    if stats.average_drop >= HELPED_DROP:
        return (0, -stats.average_drop)
    if stats.rated >= DID_NOT_HELP_MIN_TRIES and stats.average_drop <= 0:
        return (2, 0.0)
    return (1, 0.0)


def _reason(
    source: Source,
    stats: StatsLike | None,
    *,
    distress: int | None,
    situation: str | None,
    tier: int | None,
) -> str:
    """A short phrase saying why a skill is offered ("" when there is nothing to say)."""
    if source == "plan":
        return "from your safety plan"
    if source == "history" and stats is not None and stats.average_drop is not None:
        drop = round(stats.average_drop, 1)
        shown = int(drop) if drop == int(drop) else drop
        return f"has helped you before (down {shown} on average)"
    if tier in (0, 1) and situation is not None:
        return "fits what's going on"
    if tier in (0, 2) and distress is not None:
        return "fits how intense it is"
    return ""


def minutes_text(minutes: float) -> str:
    m = max(1, round(minutes))
    return "1 minute" if m == 1 else f"{m} minutes"


def offerable(skill: Skill, situation: str | None) -> bool:
    """False for a skill that must never be offered in this situation (eyes-closed
    imagery for dissociation or a flashback; a cognitive skill in a crisis situation)."""
    tags = set(skill.tags)
    if situation in NO_EYES_CLOSED and EYES_CLOSED in tags:
        return False
    return not (situation in CRISIS_ONLY_FITTING and COGNITIVE in tags)


def _distress_fits(skill: Skill, distress: int | None) -> bool:
    return distress is None or skill.distress.min <= distress <= skill.distress.max


def _situation_fits(skill: Skill, situation: str | None) -> bool:
    return situation is None or situation in skill.situations


def rank(
    skills: Iterable[Skill],
    *,
    distress: int | None = None,
    situation: str | None = None,
    stats: Mapping[str, StatsLike] | None = None,
    plan_ids: Sequence[str] = (),
    exclude: Iterable[str] = (),
    include_unfit: bool = False,
) -> list[Suggestion]:
    """Every offerable skill, best first (see the module docstring)."""
    stats = stats or {}
    excluded = set(exclude)
    pool = [s for s in skills if s.id not in excluded and offerable(s, situation)]
    by_id = {s.id: s for s in pool}
    plan_order = [sid for sid in dict.fromkeys(plan_ids) if sid in by_id]
    in_plan = set(plan_order)

    out: list[Suggestion] = []
    for sid in plan_order:
        if _distress_fits(by_id[sid], distress):
            out.append(Suggestion(by_id[sid], "plan", "from your safety plan"))
    taken = {s.skill.id for s in out}

    def key(skill: Skill) -> tuple[int, int, int, float, float, str]:
        group, hist = _history_group(stats.get(skill.id))
        return (
            0 if _distress_fits(skill, distress) else 1,
            0 if _situation_fits(skill, situation) else 1,
            group,
            hist,
            _fit_closeness(skill, distress, situation),
            skill.id,
        )

    def wanted(skill: Skill) -> bool:
        if include_unfit or skill.id in in_plan:
            return True
        if situation in CRISIS_ONLY_FITTING:
            return _situation_fits(skill, situation)
        return fit_tier(skill, distress, situation) is not None

    rest = [s for s in pool if s.id not in taken and wanted(s)]
    for skill in sorted(rest, key=key):
        st = stats.get(skill.id)
        if skill.id in in_plan:
            out.append(Suggestion(skill, "plan", "from your safety plan"))
            continue
        source: Source = "history" if _history_group(st)[0] == 0 else "fit"
        tier = fit_tier(skill, distress, situation)
        reason = _reason(source, st, distress=distress, situation=situation, tier=tier)
        out.append(Suggestion(skill, source, reason))
    return _body_first(out, distress)


def _body_first(items: list[Suggestion], distress: int | None) -> list[Suggestion]:
    """At distress 7 or more, put the best body-based skill first (one that fits the
    intensity if there is one), keeping the order of the rest."""
    if distress is None or distress < HIGH_DISTRESS or not items:
        return items
    if BODY in items[0].skill.tags:
        return items
    body = [i for i, s in enumerate(items) if BODY in s.skill.tags]
    if not body:
        return items
    fitting = [i for i in body if _distress_fits(items[i].skill, distress)]
    pick = (fitting or body)[0]
    return [items[pick]] + items[:pick] + items[pick + 1 :]


def calming(
    skills: Iterable[Skill],
    *,
    distress: int | None = None,
    exclude: Iterable[str] = (),
    stats: Mapping[str, StatsLike] | None = None,
    situation: str | None = None,
) -> list[Skill]:
    """Body-based skills that calm (TIPP, grounding, paced breathing; not distraction,
    eyes-closed imagery or anything cognitive), best for this intensity first: what to
    switch to after a crisis moment inside a skill. Skills made for trauma (tag
    ``trauma``, such as a flashback plan) are offered only when the situation is one they
    list; skills that fit the situation come first."""
    stats = stats or {}
    excluded = set(exclude)
    pool = [
        s
        for s in skills
        if s.id not in excluded
        and BODY in s.tags
        and not {"distraction", EYES_CLOSED, COGNITIVE} & set(s.tags)
        and ("trauma" not in s.tags or (situation is not None and situation in s.situations))
    ]

    def key(skill: Skill) -> tuple[int, int, int, float, float, str]:
        group, hist = _history_group(stats.get(skill.id))
        return (
            0 if _distress_fits(skill, distress) else 1,
            0 if situation is not None and situation in skill.situations else 1,
            group,
            hist,
            _fit_closeness(skill, distress, None),
            skill.id,
        )

    return sorted(pool, key=key)


def suggest(
    skills: Iterable[Skill],
    *,
    distress: int | None = None,
    situation: str | None = None,
    stats: Mapping[str, StatsLike] | None = None,
    plan_ids: Sequence[str] = (),
    exclude: Iterable[str] = (),
    limit: int = 3,
) -> list[Suggestion]:
    """Up to ``limit`` suggestions for this moment."""
    ranked = rank(
        skills,
        distress=distress,
        situation=situation,
        stats=stats,
        plan_ids=plan_ids,
        exclude=exclude,
    )
    return ranked[:limit]
