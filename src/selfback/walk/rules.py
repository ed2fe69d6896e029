"""When `cope` shows crisis resources, when it offers more help, and how it words a change
in distress. Pure functions; the terminal UI decides how to show them."""

from __future__ import annotations

CRISIS_DISTRESS = 9  # 9 or 10 at any point: crisis resources first (then carry on)
STILL_HIGH = 7  # 7 or more afterwards: offer another skill or the crisis screen
CRISIS_SITUATIONS = frozenset({"self-harm-urge"})


def crisis_first(distress: int | None = None, situation: str | None = None) -> bool:
    """Whether to show crisis resources before going on (never instead of going on)."""
    if distress is not None and distress >= CRISIS_DISTRESS:
        return True
    return situation in CRISIS_SITUATIONS


def still_high(distress_after: int | None) -> bool:
    return distress_after is not None and distress_after >= STILL_HIGH


def change_message(before: int | None, after: int | None) -> str:
    """A kind sentence about the change. Never a grade, never a promise."""
    if after is None:
        return "That's okay. You don't have to put a number on it."
    if before is None:
        return f"Right now it's a {after}. Thank you for checking in with yourself."
    drop = before - after
    if drop > 0:
        points = "point" if drop == 1 else "points"
        return (
            f"From {before} to {after}: it came down {drop} {points}. "
            "Notice that, even if it's small."
        )
    if drop == 0:
        return f"Still a {after}. Staying with something this hard takes strength, and you did it."
    return (
        f"From {before} to {after}. Sometimes it rises before it settles; "
        "that doesn't mean you did anything wrong."
    )


def helped(before: int | None, after: int | None) -> bool:
    return before is not None and after is not None and after < before
