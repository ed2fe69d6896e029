"""What a situation named on the command line or in words means."""

from __future__ import annotations

from selfback.errors import UsageError
from selfback.messages import cope as msg
from selfback.text import clean_line

# The situations shown first (the rest come under "Something else").
COMMON_SITUATIONS = [
    "anxiety",
    "panic",
    "overwhelm",
    "low-mood",
    "anger",
    "urge",
    "self-harm-urge",
    "suicidal-thoughts",
    "rumination",
]
RISK_SITUATIONS = ("self-harm-urge", "suicidal-thoughts")


def situation_for_risk(kind: str) -> str:
    """The situation for a kind of risk heard in the person's words."""
    return "self-harm-urge" if kind == "self-harm" else "suicidal-thoughts"


def validate_situation(value: str) -> tuple[str, str | None]:
    """The situation ``--for`` names, and the risk kind when its words may mean risk
    (then it is thoughts of ending my life, or an urge to hurt myself). Raises a
    UsageError (one sentence, with the nearest situation for a typo) when unknown."""
    from selfback.safety.risk import detect
    from selfback.skills.schema import SITUATIONS
    from selfback.walk.situations import closest_situation, match_situation

    hit = detect(value)
    key = value.strip().lower().replace("_", "-").replace(" ", "-")
    sid = key if key in SITUATIONS else match_situation(value)
    if hit is not None:
        if sid not in RISK_SITUATIONS:
            sid = situation_for_risk(hit.kind)
        return sid, hit.kind
    if sid is not None:
        return sid, None
    shown = clean_line(value)
    near = closest_situation(value)
    if near is not None:
        raise UsageError(msg.NOT_A_SITUATION.format(value=shown, near=near))
    raise UsageError(msg.NOT_A_SITUATION_LIST.format(value=shown, known=", ".join(SITUATIONS)))
