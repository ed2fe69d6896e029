"""Hearing the person: the short crisis text after something that may mean risk.

Used after a check-in is saved (words in a note, a text tracker or a tag; a diary-card
"acted on the urge: yes"; a self-harm or suicide urge at the top of its scale), after
``history edit`` and inside questionnaires. It never blocks and never lectures: one kind
lead line, the short crisis text for the person's country with their own people from the
safety plan, then selfback goes on. It records that it happened (``risk_flags``, and one
``crisis_openings`` row when the person allows it), never the words.

Standard library only at module level. The safety modules are imported by name, so a
missing or broken one still leaves a way to help on screen.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.trackers.risk import Concern

FALLBACK_CRISIS = (
    "If you are in danger right now, call your local emergency number.\n"
    "Crisis lines for your country: run selfback sos (or see https://findahelpline.com)"
)

LEAD_WORDS = "What you wrote sounds really painful. Thank you for putting it into words."
LEAD_RATING = "That urge sounds really strong today. Thank you for saying so."
LEAD_INJURY = (
    "Thank you for being honest about today. If you were hurt, please have any injury "
    "looked at by a nurse, a doctor or an urgent care service. You deserve that care."
)


def crisis_block(env: Env, *, cope_line: bool = True) -> str:
    """The short crisis text (no trailing newline); a built-in text if that fails."""
    try:
        crisis = importlib.import_module("selfback.safety.crisis")
        text = crisis.crisis_text(env.paths, color=env.color, compact=True, cope_line=cope_line)
        if isinstance(text, str) and text.strip():
            return text.rstrip("\n")
    except Exception:
        pass
    return FALLBACK_CRISIS


def record_opening(env: Env, source: str) -> None:
    """Log that the crisis text was shown (the setting decides; never raises)."""
    with contextlib.suppress(Exception):
        importlib.import_module("selfback.safety.crisis").record_opening(env.paths, source)


def record_flag(env: Env, *, source: str, kind: str, ref_uid: str | None) -> None:
    with contextlib.suppress(Exception):
        importlib.import_module("selfback.safety.risk").record_flag(
            env.paths, source=source, kind=kind, ref_uid=ref_uid
        )


def wrapped(env: Env, text: str) -> str:
    from selfback.text import terminal_width, wrap

    width = min(terminal_width(env.stdout), 88)
    return "\n".join(wrap(text, width))


def lead_for(concerns: Sequence[Concern]) -> str:
    if any(c.injury for c in concerns):
        return LEAD_INJURY
    if any(c.opening == "risk" for c in concerns):
        return LEAD_WORDS
    return LEAD_RATING


def show_crisis(env: Env, lead: str, *, cope_line: bool = True) -> None:
    """One blank line, the kind lead line, the short crisis text; flushed at once."""
    env.stdout.write("\n" + wrapped(env, lead) + "\n" + crisis_block(env, cope_line=cope_line))
    env.stdout.write("\n")
    env.stdout.flush()


def after_saving(env: Env, concerns: Sequence[Concern], *, ref_uid: str | None) -> bool:
    """Show the crisis text once for ``concerns`` (if any) and record them.

    Returns whether anything was shown. Never raises for the logging part."""
    if not concerns:
        return False
    show_crisis(env, lead_for(concerns))
    for c in concerns:
        record_flag(env, source=c.source, kind=c.kind, ref_uid=ref_uid)
    record_opening(env, "risk" if any(c.opening == "risk" for c in concerns) else "rating")
    return True
