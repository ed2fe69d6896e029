"""Hearing the person: words that may mean risk, noticed offline, in their own words.

Standard library only (it runs on the ``cope`` and ``checkin`` paths). It never blocks,
lectures or sends anything: callers show the short crisis text and the person's own people
from the safety plan, then go on. It records *that* something was noticed (a row in
``risk_flags``), never a copy of the words.

The API other parts of selfback use (stable; the matching behind it may grow):

- ``detect(text, lang="en") -> RiskHit | None``: whether ``text`` may mean risk.
- ``detect_any(texts) -> RiskHit | None``: the first hit among several texts.
- ``record_flag(paths, source=..., kind=..., ref_uid=None)``: log that it happened (never
  raises, never prints).

NOTE: this first version is a placeholder with a handful of patterns; the phrase data file,
normalisation and negation handling replace its internals without changing the API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import datetime

    from selfback.paths import Paths

RiskKind = Literal["suicide", "self-harm"]

# Where a flag can come from (the ``source`` column of ``risk_flags``).
FLAG_SOURCES = (
    "checkin-note",  # a check-in note
    "tracker",  # a text tracker's answer
    "tag",  # a tag or emotion typed as words
    "skill-answer",  # any answer typed inside a skill
    "situation",  # words typed at "what's going on", or --for
    "measure",  # questionnaire free text, or PHQ-9 item 9 above 0
    "rating",  # a 9-10 rating, a distress answer above the scale
    "diary-card",  # "acted on the self-harm urge: yes"
    "import",  # text in an imported file (flagged, never interrupted)
)


@dataclass(frozen=True)
class RiskHit:
    """What was noticed. ``rule`` names the phrase or pattern (never the person's text)."""

    kind: RiskKind
    rule: str


_PLACEHOLDER: list[tuple[str, RiskKind, re.Pattern[str]]] = [
    (
        "want-to-die",
        "suicide",
        re.compile(r"\b(want|wanna|going|gonna) (to )?die\b|\bkill(ing)? myself\b|\bkms\b"),
    ),
    ("suicide-word", "suicide", re.compile(r"\bsuicid|\bend(ing)? (my|it all)\b|\bunalive\b")),
    ("hurt-myself", "self-harm", re.compile(r"\b(hurt|harm|cut)(ting)? myself\b|\bself[- ]?harm")),
]


def detect(text: str | None, *, lang: str = "en") -> RiskHit | None:
    """Whether ``text`` may mean risk of suicide or self-harm. Never raises."""
    if not text:
        return None
    try:
        low = str(text).lower().replace("\u2019", "'")
        for rule, kind, pattern in _PLACEHOLDER:
            if pattern.search(low):
                return RiskHit(kind, rule)
    except Exception:  # noqa: BLE001 - noticing must never break what the person is doing
        return None
    return None


def detect_any(texts: Iterable[str | None], *, lang: str = "en") -> RiskHit | None:
    """The first hit among ``texts`` (None if none may mean risk)."""
    for text in texts:
        hit = detect(text, lang=lang)
        if hit is not None:
            return hit
    return None


def record_flag(
    paths: Paths,
    *,
    source: str,
    kind: str,
    ref_uid: str | None = None,
    when: datetime | None = None,
) -> None:
    """Log one flag to ``risk_flags``. Never raises and never prints: a missing, locked or
    damaged database simply means nothing is logged."""
    try:
        from selfback.clock import Clock
        from selfback.store.db import open_store
        from selfback.store.safety import insert_risk_flag

        at = when or Clock.from_env().now()
        store = open_store(paths)
        try:
            store.conn.execute("PRAGMA busy_timeout = 1000")
            with store.tx() as db:
                insert_risk_flag(db, source=source, kind=kind, when=at, ref_uid=ref_uid)
        finally:
            store.close()
    except BaseException as exc:  # noqa: BLE001 - logging must never break the crisis path
        if isinstance(exc, SystemExit):
            raise
        return
