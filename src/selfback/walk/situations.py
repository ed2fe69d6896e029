"""Situations named in the person's own words: `cope --for` values and words typed at
"What's going on?".

- ``match_situation(text)``: the situation id for an id, a label, a plain synonym ("want
  to die", "panicking", "can't sleep"), or a sentence holding one; None if none fits.
- ``closest_situation(text)``: the nearest situation for a typo ("panik" -> "panic").

Risk language comes first, in the caller: words that may mean risk (``selfback.safety
.risk.detect``) mean thoughts of ending my life or an urge to hurt myself, whatever else
they say. Standard library only; the ids are those of ``selfback.skills.schema
.SITUATIONS`` (a test checks that every id here exists there).
"""

from __future__ import annotations

import difflib
import re

# Plain words people use, by situation. Matched as whole words after normalising (lower
# case, no apostrophes, dashes and underscores as spaces).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "suicidal-thoughts": (
        "suicide",
        "suicidal",
        "suicidal thoughts",
        "thoughts of suicide",
        "want to die",
        "wanna die",
        "wish i was dead",
        "wish i were dead",
        "ending my life",
        "end my life",
        "thoughts of ending my life",
        "kill myself",
        "dont want to live",
        "dont want to be alive",
        "dont want to be here",
    ),
    "self-harm-urge": (
        "self harm",
        "selfharm",
        "self injury",
        "hurt myself",
        "harm myself",
        "urge to hurt myself",
        "urge to self harm",
    ),
    "panic": ("panicking", "panicky", "panic attack", "racing heart", "heart racing"),
    "anxiety": ("anxious", "worried", "worry", "worrying", "nervous", "scared", "afraid"),
    "anger": ("angry", "irritated", "furious", "rage", "mad", "annoyed", "irritable"),
    "urge": ("urges", "an urge", "impulse"),
    "substance-urge": (
        "drink",
        "drinking",
        "alcohol",
        "drugs",
        "craving",
        "cravings",
        "relapse",
        "substance",
    ),
    "low-mood": ("sad", "sadness", "down", "low", "flat", "depressed", "depression", "empty"),
    "overwhelm": ("overwhelmed", "too much", "overloaded"),
    "dissociation": (
        "numb",
        "unreal",
        "dissociating",
        "dissociated",
        "dissociative",
        "far away",
        "spaced out",
        "detached",
    ),
    "flashback": ("flashbacks", "memory", "memories", "triggered"),
    "nightmare": ("nightmares", "bad dream", "bad dreams"),
    "sleep": (
        "cant sleep",
        "cannot sleep",
        "insomnia",
        "sleepless",
        "sleeping",
        "awake",
        "no sleep",
    ),
    "rumination": (
        "ruminating",
        "overthinking",
        "going round in circles",
        "stuck in my head",
        "looping",
        "racing thoughts",
    ),
    "loneliness": ("lonely", "alone", "isolated", "on my own"),
    "shame": ("ashamed", "self critical", "embarrassed", "humiliated"),
    "grief": ("grieving", "loss", "bereaved", "bereavement", "mourning"),
    "conflict": ("fight", "argument", "a row", "a fight", "arguing"),
    "stress": ("stressed", "pressure", "stressful", "under pressure"),
}


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, dashes, underscores and punctuation as spaces."""
    low = text.lower().replace("\u2019", "").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", low).split())


def _phrases() -> list[tuple[str, str]]:
    """(normalised phrase, situation id): ids, labels and synonyms, longest first."""
    from selfback.skills.schema import SITUATIONS

    out: list[tuple[str, str]] = []
    for sid, label in SITUATIONS.items():
        out.append((normalise(sid), sid))
        out.append((normalise(label), sid))
    for sid, words in SYNONYMS.items():
        if sid in SITUATIONS:
            out.extend((normalise(w), sid) for w in words)
    out.sort(key=lambda item: -len(item[0]))
    return out


def match_situation(text: str) -> str | None:
    """The situation ``text`` names (an id, label or synonym), or the one a sentence holds
    ("I feel really anxious" -> anxiety); the earliest in the sentence wins. None if
    nothing fits."""
    norm = normalise(text)
    if not norm:
        return None
    phrases = _phrases()
    for phrase, sid in phrases:
        if norm == phrase:
            return sid
    padded = f" {norm} "
    best: tuple[int, int, str] | None = None
    for phrase, sid in phrases:
        at = padded.find(f" {phrase} ")
        if at >= 0:
            key = (at, -len(phrase), sid)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def closest_situation(text: str) -> str | None:
    """The situation nearest to a typo ("panik" -> "panic", "anxeity" -> "anxiety")."""
    norm = normalise(text)
    if not norm:
        return None
    phrases = _phrases()
    lookup = {phrase: sid for phrase, sid in reversed(phrases)}
    close = difflib.get_close_matches(norm, list(lookup), n=1, cutoff=0.75)
    if close:
        return lookup[close[0]]
    # one misspelt word inside a few words ("feeling panik")
    for word in norm.split():
        if len(word) < 4:
            continue
        close = difflib.get_close_matches(word, list(lookup), n=1, cutoff=0.8)
        if close:
            return lookup[close[0]]
    return None
