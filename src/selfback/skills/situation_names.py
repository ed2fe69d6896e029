"""The situations people can name in `cope`, with the words selfback shows for each.

Standard library only, so that trends and the reports can show a situation's own name
("Urge to hurt myself", not "self-harm-urge") without building the skill models.
``selfback.skills.schema`` re-exports ``SITUATIONS``; skill files may use only these ids.
"""

from __future__ import annotations

SITUATIONS: dict[str, str] = {
    "panic": "Panic, racing heart",
    "anxiety": "Anxious or worried",
    "anger": "Angry or irritated",
    "urge": "An urge I don't want to act on",
    "self-harm-urge": "Urge to hurt myself",
    "suicidal-thoughts": "Thoughts of ending my life",
    "substance-urge": "An urge to drink or use drugs",
    "low-mood": "Low, sad or flat",
    "overwhelm": "Overwhelmed, too much at once",
    "dissociation": "Numb, unreal or far away",
    "flashback": "A flashback or memory",
    "nightmare": "After a nightmare",
    "sleep": "Can't sleep",
    "rumination": "Stuck in my head, going round in circles",
    "loneliness": "Lonely",
    "shame": "Ashamed or self-critical",
    "grief": "Grief or loss",
    "conflict": "After a fight or conflict",
    "stress": "Stressed",
}


def situation_name(value: str) -> str:
    """The name shown for a stored situation: its label for a known id ("self-harm-urge"
    -> "Urge to hurt myself"), else the value itself (an imported or older free text)."""
    key = value.strip().lower().replace("_", "-")
    return SITUATIONS.get(key, value)
