"""Which skills to offer in `cope`, and in what order.

1. Skills named in the person's safety plan (step 2) come first, in the plan's order
   (those that fit the moment before those that do not).
2. Then skills that fit both the intensity and the situation; if there are too few, those
   that fit the situation only, then the intensity only.
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
HIGH_DISTRESS = 7

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
    pool = [s for s in skills if s.id not in excluded]
    by_id = {s.id: s for s in pool}
    out: list[Suggestion] = []
    taken: set[str] = set()

    plan_order = [sid for sid in dict.fromkeys(plan_ids) if sid in by_id]
    plan_sorted = sorted(
        plan_order,
        key=lambda sid: (
            (fit_tier(by_id[sid], distress, situation) is None),
            plan_order.index(sid),
        ),
    )
    for sid in plan_sorted:
        skill = by_id[sid]
        reason = _reason("plan", None, distress=distress, situation=situation, tier=None)
        out.append(Suggestion(skill, "plan", reason))
        taken.add(sid)

    def key(skill: Skill) -> tuple[int, int, float, float, str]:
        tier = fit_tier(skill, distress, situation)
        group, hist = _history_group(stats.get(skill.id))
        return (
            3 if tier is None else tier,
            group,
            hist,
            _fit_closeness(skill, distress, situation),
            skill.id,
        )

    rest = [s for s in pool if s.id not in taken]
    if not include_unfit:
        rest = [s for s in rest if fit_tier(s, distress, situation) is not None]
    for skill in sorted(rest, key=key):
        st = stats.get(skill.id)
        source: Source = "history" if _history_group(st)[0] == 0 else "fit"
        tier = fit_tier(skill, distress, situation)
        reason = _reason(source, st, distress=distress, situation=situation, tier=tier)
        out.append(Suggestion(skill, source, reason))
    return out


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
