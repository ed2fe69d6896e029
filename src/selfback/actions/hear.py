"""Hearing the person: what to show after answers that may mean risk, and recording it.

Used after a check-in is saved (words in a note, a text tracker or a tag; a diary-card
"acted on the urge: yes"; a self-harm or suicide urge at the top of its scale) and after
``history edit``. :func:`notice` says what was heard (the kind lead line and the
concerns); the caller shows the lead and the short crisis text, then calls
:func:`record`, which writes the flags (``risk_flags``) and one ``crisis_openings`` row
when the person allows it, never the words. Noticing never breaks a saved check-in.

Standard library and ``selfback.trackers.risk`` (itself light) at module level: the fast
flag path of ``selfback checkin`` passes through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from selfback.messages import hear as msg

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.trackers.risk import Concern


@dataclass(frozen=True)
class Heard:
    """What was heard: the lead line to show and what to record after showing it."""

    lead: str
    concerns: tuple[Concern, ...]

    @property
    def opening(self) -> str:
        """The ``crisis_openings`` source: "risk" for words, "rating" for answers."""
        return "risk" if any(c.opening == "risk" for c in self.concerns) else "rating"


def lead_for(concerns: tuple[Concern, ...]) -> str:
    if any(c.injury for c in concerns):
        return msg.LEAD_INJURY
    if any(c.opening == "risk" for c in concerns):
        return msg.LEAD_WORDS
    return msg.LEAD_RATING


def notice(
    answers: Mapping[str, Any],
    trackers: Mapping[str, Any] | None,
    *,
    before: Mapping[str, Any] | None = None,
) -> Heard | None:
    """What in ``answers`` may mean risk (``before``: the old answers of an edit, so only
    changed ones count); None when nothing was heard. Never raises."""
    from selfback.trackers.risk import concerns

    try:
        found = tuple(concerns(answers, trackers, before=before))
    except Exception:
        from selfback.crashlog import log

        log.exception("noticing risk in a check-in")
        return None
    return Heard(lead_for(found), found) if found else None


def record(paths: Paths, heard: Heard, *, ref_uid: str | None) -> None:
    """Record what was heard once it is on screen: the flags, then the opening. Never
    raises (both writers are quiet when the log cannot be written)."""
    from selfback.safety.crisis import record_opening
    from selfback.safety.risk import record_flag

    for c in heard.concerns:
        record_flag(paths, source=c.source, kind=c.kind, ref_uid=ref_uid)
    record_opening(paths, heard.opening)
