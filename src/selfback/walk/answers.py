"""Checking an answer against its step, for the walk engine: one plain sentence for the
person when it does not fit (:class:`InvalidAnswer`)."""

from __future__ import annotations

from selfback.skills.schema import LATER, NOW, AskStep, ChooseStep, LaterStep, RateStep, Step

AnswerValue = str | int | list[str]
MAX_ANSWER_CHARS = 2000
# A long answer (``lines: true``: a letter, a message) may be longer, and keeps its lines.
MAX_LONG_ANSWER_CHARS = 20000


class InvalidAnswer(ValueError):
    """The answer does not fit the step. ``message`` is one plain sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def validate(step: Step, value: AnswerValue | None) -> AnswerValue | None:
    """The value to store for ``value`` (None: no answer). Raises InvalidAnswer."""
    if isinstance(step, AskStep):
        return _validate_ask(step, value)
    if isinstance(step, ChooseStep):
        return _validate_choose(step, value)
    if isinstance(step, RateStep):
        return _validate_rate(step, value)
    if isinstance(step, LaterStep):
        return _validate_later(step, value)
    if value is not None:
        raise InvalidAnswer("This step does not take an answer. Press Enter to go on.")
    return None


def needs_answer_message(step: Step) -> str:
    if isinstance(step, ChooseStep | LaterStep):
        return f"Type a number from 1 to {len(step.options)}, or s to skip."
    if isinstance(step, RateStep):
        return f"Type a number from {step.min} to {step.max}, or s to skip."
    return "Type a few words and press Enter, or s to skip."


def _clean_text(text: str, *, lines: bool = False) -> str:
    if not lines:
        return " ".join(text.split())[:MAX_ANSWER_CHARS]
    kept = [" ".join(line.split()) for line in text.strip().splitlines()]
    return "\n".join(kept).strip()[:MAX_LONG_ANSWER_CHARS]


def _validate_ask(step: AskStep, value: AnswerValue | None) -> AnswerValue | None:
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = [value]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = list(value)
    else:
        raise InvalidAnswer("Please type your answer as words.")
    cleaned = [c for c in (_clean_text(v, lines=step.lines) for v in items) if c]
    if not cleaned:
        if step.optional:
            return None
        raise InvalidAnswer(needs_answer_message(step))
    if len(cleaned) > step.count:
        raise InvalidAnswer(f"This step takes up to {step.count} answers.")
    if step.count == 1:
        return cleaned[0]
    return cleaned


def _validate_choose(step: ChooseStep, value: AnswerValue | None) -> AnswerValue | None:
    if value is None:
        if step.optional:
            return None
        raise InvalidAnswer(needs_answer_message(step))
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnswer(needs_answer_message(step))
    if not 0 <= value < len(step.options):
        raise InvalidAnswer(needs_answer_message(step))
    return step.options[value]


def _validate_rate(step: RateStep, value: AnswerValue | None) -> AnswerValue | None:
    if value is None:
        if step.optional:
            return None
        raise InvalidAnswer(needs_answer_message(step))
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnswer(needs_answer_message(step))
    if not step.min <= value <= step.max:
        raise InvalidAnswer(f"Type a number from {step.min} to {step.max}.")
    return value


def _validate_later(step: LaterStep, value: AnswerValue | None) -> AnswerValue | None:
    if value is None:
        if step.optional:
            return None
        raise InvalidAnswer(needs_answer_message(step))
    if value in (0, NOW):
        return NOW
    if value in (1, LATER):
        return LATER
    raise InvalidAnswer(needs_answer_message(step))
