"""Asking, once, how a plan made for later went (``selfback.actions.cope.later``): at the
end of a check-in and of `selfback cope`. Enter skips (and it is not asked again); only
Enter and digits are needed."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from selfback.messages import sessions as msg

if TYPE_CHECKING:
    from selfback.actions.cope.later import DueFollowUp, Outcome
    from selfback.env import Env
    from selfback.skills.schema import RateStep


def _say(env: Env, text: str, indent: str = "") -> None:
    from selfback.text import terminal_width, wrap

    width = max(20, min(terminal_width(env.stdout) - 2, 80))
    env.stdout.write("\n".join(wrap(text, width, indent=indent, subsequent_indent=indent)))
    env.stdout.write("\n")
    env.stdout.flush()


def _heard(env: Env, item: DueFollowUp, raw: str) -> bool:
    from selfback.actions.cope.later import hear
    from selfback.messages.cope import HEARD
    from selfback.ui.crisis import show_crisis

    if not raw.strip() or not hear(env.paths, raw, item.uid, env.clock.now()):
        return False
    show_crisis(env, HEARD)
    return True


def _did_it(env: Env, item: DueFollowUp) -> Outcome:
    from selfback.ui.prompt import read_line

    while True:
        raw = read_line(env, "> ").strip()
        if raw == "":
            return "skipped"
        if raw in ("1", "2"):
            return "done" if raw == "1" else "not-done"
        if not _heard(env, item, raw):
            env.stdout.write(msg.LATER_RETRY + "\n")


def _rating(env: Env, item: DueFollowUp, step: RateStep) -> int | None:
    from selfback.text import clean_line
    from selfback.ui.prompt import read_line
    from selfback.walk.rules import parse_rating

    _say(env, msg.LATER_RATING.format(text=clean_line(step.text), lo=step.min, hi=step.max))
    while True:
        raw = read_line(env, "> ").strip()
        if raw == "":
            return None
        reading = parse_rating(raw, step.min, step.max)
        if reading is not None and not reading.above:
            return reading.value
        if not _heard(env, item, raw):
            env.stdout.write(msg.LATER_NUMBER.format(lo=step.min, hi=step.max) + "\n")


def ask_one(env: Env, item: DueFollowUp) -> None:
    from selfback.actions.cope.later import answer
    from selfback.text import clean_line

    when = item.planned_at.strftime("%a %d %b")
    skill = clean_line(item.skill_title)
    env.stdout.write("\n")
    if item.plan:
        _say(env, msg.LATER_INTRO.format(skill=skill, when=when))
        for words in item.plan:
            _say(env, clean_line(words), indent="  ")
    else:
        _say(env, msg.LATER_NO_PLAN.format(skill=skill, when=when))
    _say(env, msg.LATER_ASK)
    outcome = _did_it(env, item)
    ratings: dict[str, int] = {}
    if outcome == "done":
        for step in item.ratings:
            value = _rating(env, item, step)
            if value is not None and step.id is not None:
                ratings[step.id] = value
    answer(env.paths, item.uid, outcome, ratings, env.clock.now())
    said = {"done": msg.LATER_THANKS, "not-done": msg.LATER_NOT_DONE}
    _say(env, said.get(outcome, msg.LATER_SKIPPED))


def ask_follow_ups(env: Env, *, exclude: Collection[str] = ()) -> None:
    """Ask about every plan for later that is due (not those in ``exclude``: made just
    now). Only in a terminal: a script's check-in is never held up."""
    from selfback.actions.cope.later import due

    if not env.interactive:
        return
    for item in due(env.paths):
        if item.uid not in exclude:
            ask_one(env, item)
