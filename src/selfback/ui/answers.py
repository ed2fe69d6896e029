"""Asking trackers' questions, one line each: for a check-in, and again when editing one.

``ask_tracker`` asks one question (Enter skips, or keeps when editing; ``-`` clears when
editing; ``?`` shows a scale's anchors); ``ask_questions`` asks a check-in's questions in
order, respecting ``ask: daily`` and ``only_if``. Notes come from stdin or ``$EDITOR``,
never from the command line. Standard library at module level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from selfback.errors import UsageError
from selfback.messages import checkin as msg
from selfback.text import clean_line

if TYPE_CHECKING:
    from selfback.actions.checkin import Questions
    from selfback.env import Env
    from selfback.trackers.schema import AnyTracker


class _Mark:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


CLEAR = _Mark("CLEAR")  # "-" typed while editing: clear this answer
KEEP = _Mark("KEEP")  # Enter while editing: keep the current answer
SHOWN_MAX = 40


def _current_text(tracker: AnyTracker, current: Any) -> str:
    from selfback.trackers.schema import NumberTracker
    from selfback.trackers.values import show_value

    unit = tracker.unit if isinstance(tracker, NumberTracker) else None
    text = clean_line(show_value(current, unit))
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def _hint(tracker: AnyTracker, suggestions: Sequence[str] | None) -> str:
    from selfback.trackers.schema import NumberTracker, ScaleTracker, TagsTracker

    if isinstance(tracker, ScaleTracker):
        return f"{tracker.min}-{tracker.max}"
    if tracker.kind == "yesno":
        return "y/n"
    if tracker.kind == "number" and tracker.id == "sleep":
        return "e.g. 7.5"
    if isinstance(tracker, NumberTracker) and tracker.unit:
        return clean_line(tracker.unit)
    if isinstance(tracker, TagsTracker):
        return "numbers or words, commas between" if suggestions else "commas between"
    return ""


def prompt_for(
    tracker: AnyTracker, suggestions: Sequence[str] | None, current: Any, *, editing: bool
) -> str:
    """The question as one prompt line: "Mood right now, 0-10 [6]: "."""
    q = clean_line(tracker.question)
    has_current = editing and current is not None and current != []
    hint = _hint(tracker, suggestions)
    if editing and tracker.kind == "text" and has_current:
        q = clean_line(tracker.title)
    if q.endswith(("?", ":")):
        prompt = f"{q} {hint}" if hint else q  # "Did you act on that urge? y/n [no]: "
    elif tracker.kind == "number":
        prompt = f"{q} ({hint})" if hint else q
    else:
        prompt = f"{q}, {hint}" if hint else q
    if has_current:
        prompt += f" [{_current_text(tracker, current)}]"
    return prompt.rstrip(":") + ": " if not prompt.endswith("?") else prompt + " "


def _listing(tracker: AnyTracker, suggestions: Sequence[str] | None, width: int = 80) -> str:
    """The numbered options, two spaces apart, wrapped to ``width`` between options (a
    number never leaves its word)."""
    from selfback.trackers.schema import ChoiceTracker, TagsTracker

    items: Sequence[str] = ()
    if isinstance(tracker, ChoiceTracker):
        items = tracker.options
    elif isinstance(tracker, TagsTracker) and suggestions:
        items = suggestions
    lines: list[str] = []
    line = ""
    for i, option in enumerate(items, 1):
        item = f"{i} {clean_line(option)}"
        if line and len(line) + 2 + len(item) > width:
            lines.append(line)
            line = ""
        line = f"{line}  {item}" if line else f"  {item}"
    return "\n".join([*lines, line] if line else lines)


def anchors_line(tracker: AnyTracker) -> str:
    """A scale's two ends, shown above its question: "  0 = very low, 10 = very good"."""
    from selfback.trackers.schema import ScaleTracker

    if not isinstance(tracker, ScaleTracker):
        return ""
    ends = [(k, tracker.anchors[k]) for k in (tracker.min, tracker.max) if k in tracker.anchors]
    if len(ends) < 2:
        return ""
    return "  " + ", ".join(f"{k} = {clean_line(v)}" for k, v in ends)


def intro_line(trackers: Sequence[AnyTracker]) -> str:
    """What the check-in's first line says: which questions are needed, that Enter skips
    the others, and how to stop."""
    needed = [clean_line(t.title) for t in trackers if not t.optional]
    if not needed:
        return msg.INTRO_ALL_OPTIONAL
    if len(needed) == len(trackers):
        return msg.INTRO_ALL_NEEDED
    names = needed[0] if len(needed) == 1 else ", ".join(needed[:-1]) + " and " + needed[-1]
    verb = "is" if len(needed) == 1 else "are"
    return msg.INTRO.format(names=names, verb=verb)


def _retry_line(exc: ValueError, skip: str) -> str:
    text = clean_line(exc)
    if text.startswith("must be "):
        return msg.PLEASE_TYPE.format(expected=text.removeprefix("must be "), skip=skip)
    return msg.ANSWER_PROBLEM.format(problem=text, skip=skip)


def ask_tracker(
    env: Env,
    tracker: AnyTracker,
    *,
    suggestions: Sequence[str] | None = None,
    current: Any = None,
    editing: bool = False,
) -> Any:
    """Ask one tracker's question on one line.

    Returns the value, ``None`` when skipped, or (when ``editing``) ``KEEP`` for Enter and
    ``CLEAR`` for ``-``.
    """
    from selfback.text import terminal_width
    from selfback.trackers.schema import ScaleTracker
    from selfback.trackers.values import expected, parse_answer
    from selfback.ui.prompt import read_wrapped, write, write_wrapped

    prompt = prompt_for(tracker, suggestions, current, editing=editing)
    ends = anchors_line(tracker)
    if ends:
        write_wrapped(env, ends)
    listing = _listing(tracker, suggestions, terminal_width(env.stdout))
    if listing:
        write(env, listing)
    while True:
        raw = read_wrapped(env, prompt).strip()
        if raw == "":
            if editing:
                return KEEP
            if tracker.optional:
                return None
            write_wrapped(env, msg.NEEDED.format(expected=expected(tracker)))
        elif editing and raw == "-":
            if tracker.optional:
                return CLEAR
            write_wrapped(env, msg.NEEDED_NO_CLEAR)
        elif raw == "?" and isinstance(tracker, ScaleTracker) and tracker.anchors:
            anchors = sorted(tracker.anchors.items())
            write_wrapped(env, "  " + " · ".join(f"{k} {clean_line(v)}" for k, v in anchors))
        else:
            try:
                return parse_answer(tracker, raw, suggestions=suggestions)
            except ValueError as exc:
                skip = msg.OR_SKIP if tracker.optional and not editing else ""
                write_wrapped(env, _retry_line(exc, skip))


def ask_questions(env: Env, questions: Questions, *, skip_ids: set[str]) -> dict[str, Any]:
    """Ask a check-in's questions in order (``ask: daily`` once a day, ``only_if``)."""
    from selfback.trackers.values import condition_met

    answers: dict[str, Any] = {}
    for tracker in questions.trackers:
        if tracker.id in skip_ids:
            continue
        if tracker.ask == "daily" and tracker.id in questions.answered_today:
            continue
        if not condition_met(tracker, answers):
            continue
        sugg = questions.suggestions.get(tracker.id) if tracker.kind == "tags" else None
        value = ask_tracker(env, tracker, suggestions=sugg)
        if value is not None and value != []:
            answers[tracker.id] = value
    return answers


def _suggestions(tracker: AnyTracker) -> list[str] | None:
    from selfback.trackers.schema import TagsTracker

    return (list(tracker.suggestions) or None) if isinstance(tracker, TagsTracker) else None


def ask_again(
    env: Env,
    trackers: Sequence[AnyTracker],
    answers: Mapping[str, Any],
    suggestions: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Ask ``trackers`` again with ``answers`` as the current values (Enter keeps, ``-``
    clears); a tracker not asked for now (its ``only_if`` not met) is asked only when it
    has an answer. ``suggestions``: the numbered words a check-in shows (the same
    numbers). Returns the answers to keep."""
    from selfback.trackers.values import condition_met

    kept: dict[str, Any] = {}
    for tracker in trackers:
        if not condition_met(tracker, {**answers, **kept}) and tracker.id not in answers:
            continue
        current = answers.get(tracker.id)
        result = ask_tracker(
            env,
            tracker,
            suggestions=(suggestions or {}).get(tracker.id) or _suggestions(tracker),
            current=current,
            editing=True,
        )
        if result is KEEP:
            if current is not None:
                kept[tracker.id] = current
        elif result is not CLEAR and result is not None:
            kept[tracker.id] = result
    return kept


# -- notes ------------------------------------------------------------------------------------


def read_note_stdin(env: Env) -> str | None:
    from selfback.trackers.core import MAX_NOTE

    text = env.stdin.read().strip()
    if len(text) > MAX_NOTE:
        raise UsageError(msg.NOTE_TOO_LONG.format(length=len(text), most=MAX_NOTE))
    return text or None


def read_note_editor(env: Env, initial: str | None = None) -> str | None:
    """Open $VISUAL/$EDITOR on a private temporary file and return what was written."""
    import contextlib
    import os
    import shlex
    import subprocess

    from selfback.scratch import scratch_file
    from selfback.trackers.core import MAX_NOTE

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError(msg.NO_EDITOR)
    # In the private scratch folder, removed however this run ends (selfback.scratch).
    name = str(scratch_file(env.paths, "draft", ".txt"))
    try:
        with open(name, "w", encoding="utf-8") as fh:
            fh.write(msg.EDITOR_HEADER + (initial or ""))
        try:
            result = subprocess.run([*shlex.split(editor), name], check=False)
        except (OSError, ValueError) as exc:
            raise UsageError(msg.EDITOR_WONT_START.format(editor=editor, problem=exc)) from exc
        if result.returncode != 0:
            raise UsageError(msg.EDITOR_FAILED)
        with open(name, encoding="utf-8") as fh:
            lines = [ln for ln in fh.read().splitlines() if not ln.startswith("#")]
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
    text = "\n".join(lines).strip()
    if len(text) > MAX_NOTE:
        raise UsageError(msg.NOTE_TOO_LONG_EDITOR.format(most=MAX_NOTE))
    return text or None
