"""`selfback checkin`: a short check-in, by questions (one per line) or by flags.

Questions follow the active trackers (the everyday ones, switched-on packs, your own).
Flags are for scripts and shell aliases: ``--mood 6 --sleep 7.5 --tag work --set x=3``.
A note comes from the question, ``$EDITOR`` (``--edit``) or stdin (``--note -``), never
from the command line, where it would stay in the shell history.

This module parses and renders; ``selfback.actions.checkin`` builds and saves the
check-in, ``selfback.ui.answers`` asks the questions. Module level imports only typer and
the standard library (fast ``--help``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

from selfback.cli.context import env_of
from selfback.errors import UsageError
from selfback.messages import checkin as msg
from selfback.messages import common

if TYPE_CHECKING:
    from selfback.actions.checkin import CheckinDraft
    from selfback.actions.hear import Heard
    from selfback.env import Env
    from selfback.trackers.library import TrackerLibrary


def _split_set(item: str) -> tuple[str, str]:
    if "=" not in item:
        raise UsageError(msg.SET_NEEDS_PAIR.format(item=item))
    key, _, value = item.partition("=")
    key = key.strip().lower().replace("-", "_")
    if not key:
        raise UsageError(msg.SET_NEEDS_ID.format(item=item))
    return key, value.strip()


# ---------------------------------------------------------------------------- flags
@dataclass(frozen=True)
class AnswerFlags:
    """The answers given as flags (``checkin`` and ``history edit`` take the same ones),
    as typed on the command line."""

    mood: str | None = None
    energy: str | None = None
    anxiety: str | None = None
    sleep: str | None = None
    emotions: Sequence[str] = ()
    tags: Sequence[str] = ()
    sets: Sequence[str] = ()

    def given(self) -> bool:
        return any(
            [self.mood, self.energy, self.anxiety, self.sleep, self.emotions, self.tags, self.sets]
        )


def _core_answers(flags: AnswerFlags) -> dict[str, Any]:
    from selfback.trackers.core import CORE_LABELS, parse_core

    answers: dict[str, Any] = {}
    pairs = (
        ("mood", flags.mood),
        ("energy", flags.energy),
        ("anxiety", flags.anxiety),
        ("sleep", flags.sleep),
    )
    for key, raw in pairs:
        if raw is None:
            continue
        try:
            answers[key] = parse_core(key, raw)
        except ValueError as exc:
            label = CORE_LABELS[key]
            raise UsageError(msg.BAD_CORE.format(label=label, problem=exc, raw=raw)) from None
    return answers


def _word_answers(flags: AnswerFlags) -> dict[str, Any]:
    from selfback.trackers.core import parse_words

    answers: dict[str, Any] = {}
    for key, items in (("emotions", flags.emotions), ("tags", flags.tags)):
        words: list[str] = []
        for item in items:
            try:
                words += [w for w in parse_words(item) if w not in words]
            except ValueError as exc:
                flag = "--emotion" if key == "emotions" else "--tag"
                raise UsageError(msg.BAD_WORDS.format(flag=flag, problem=exc, item=item)) from None
        if words:
            answers[key] = words
    return answers


def _set_answers(lib: TrackerLibrary, sets: Sequence[str], answers: dict[str, Any]) -> None:
    from selfback.trackers.values import parse_answer

    for item in sets:
        key, raw = _split_set(item)
        tracker = lib.get(key)
        if tracker is None:
            raise UsageError(msg.NO_TRACKER.format(key=key))
        if tracker.kind == "text":
            raise UsageError(msg.TEXT_ON_ARGV.format(key=key))
        if key in answers:
            raise UsageError(msg.GIVEN_TWICE.format(key=key))
        try:
            answers[key] = parse_answer(tracker, raw)
        except ValueError as exc:
            raise UsageError(msg.BAD_SET.format(key=key, problem=exc, raw=raw)) from None


def parse_flag_answers(
    env: Env, flags: AnswerFlags, *, need_mood: bool = True
) -> tuple[dict[str, Any], TrackerLibrary | None]:
    """Validate every flag before anything is written; UsageError (exit 2) on the first bad
    one. Only loads tracker files when ``--set`` is used (keeps the common case fast)."""
    answers = _core_answers(flags) | _word_answers(flags)
    lib = None
    if flags.sets:
        from selfback.trackers.library import load_trackers

        lib = load_trackers(env.paths)
        _set_answers(lib, flags.sets, answers)
    if need_mood and "mood" not in answers:
        raise UsageError(msg.NEEDS_MOOD)
    return answers, lib


def check_note_flags(note: str | None, edit: bool) -> None:
    """``--note`` takes only ``-`` (free text never comes from the command line)."""
    if note is not None and note != "-":
        raise UsageError(common.NOTE_ON_ARGV)
    if note == "-" and edit:
        raise UsageError(common.NOTE_TWICE)


# ---------------------------------------------------------------------------- command
def register(app: typer.Typer) -> None:
    @app.command("checkin")
    def checkin(
        ctx: typer.Context,
        mood_now: str | None = typer.Argument(
            None,
            metavar="MOOD",
            help="Your mood, 0-10 (0 = very low, 10 = very good): saves it, asks nothing else.",
        ),
        mood: str | None = typer.Option(
            None, "--mood", "-m", metavar="0-10", help="Mood right now, 0-10."
        ),
        energy: str | None = typer.Option(None, "--energy", metavar="0-10", help="Energy, 0-10."),
        anxiety: str | None = typer.Option(
            None, "--anxiety", metavar="0-10", help="Anxiety, 0-10."
        ),
        sleep: str | None = typer.Option(
            None, "--sleep", metavar="HOURS", help="Hours of sleep last night, e.g. 7.5."
        ),
        emotion: list[str] = typer.Option(
            [],
            "--emotion",
            "-e",
            metavar="WORD",
            help="An emotion; repeat it or use commas for more.",
        ),
        tag: list[str] = typer.Option(
            [],
            "--tag",
            "-t",
            metavar="WORD",
            help="An activity or trigger; repeat it or use commas.",
        ),
        set_: list[str] = typer.Option(
            [],
            "--set",
            "-s",
            metavar="ID=VALUE",
            help="Answer any tracker, e.g. --set urge_selfharm=2 --set acted_selfharm=no.",
        ),
        note: str | None = typer.Option(
            None,
            "--note",
            metavar="-",
            help="--note - reads a note from stdin. (Never the note itself: it would stay "
            "in your shell history.)",
        ),
        edit: bool = typer.Option(False, "--edit", help="Write the note in $EDITOR."),
        all_: bool = typer.Option(
            False, "--all", help="Also ask the trackers that are asked only on demand."
        ),
        at: str | None = typer.Option(
            None,
            "--at",
            metavar="WHEN",
            help="Record it for an earlier time: 21:30, yesterday 21:30, 2026-11-20 21:30.",
        ),
    ) -> None:
        """Check in: how you are right now. Asks a few short questions, or use flags.

        selfback checkin 6 saves a mood of 6 at once; add --tag and the other flags to
        say more.
        """
        env = env_of(ctx)
        check_note_flags(note, edit)
        if mood_now is not None:
            if mood is not None:
                raise UsageError(msg.MOOD_TWICE)
            mood = mood_now
        when = env.clock.now()
        if at is not None:
            from selfback.periods import parse_when

            when = parse_when(at, when)
        flags = AnswerFlags(mood, energy, anxiety, sleep, emotion, tag, set_)
        if flags.given() or note is not None:
            _by_flags(env, when, flags, note=note, edit=edit)
        else:
            _by_questions(env, when, edit=edit, include_on_demand=all_)


class _Screen:
    """Saying that the check-in is saved, and what was heard."""

    def __init__(self, env: Env) -> None:
        self.env = env

    def saved(self, sealed: bool = False) -> None:
        from selfback.ui.prompt import write, write_wrapped

        if sealed:
            from selfback.messages import privacy

            write_wrapped(self.env, privacy.SEALED_CHECKIN)
            return
        write(self.env, msg.SAVED)

    def heard(self, heard: Heard) -> None:
        from selfback.ui.crisis import show_crisis

        show_crisis(self.env, heard.lead)


def _save(env: Env, draft: CheckinDraft) -> None:
    from selfback.actions.checkin import check_in
    from selfback.ui.crisis import wrapped
    from selfback.ui.prompt import write

    saved = check_in(env.paths, env.clock.now(), draft, _Screen(env))
    if saved.gentle is not None:
        write(env, wrapped(env, saved.gentle))


def _by_flags(
    env: Env, when: datetime, flags: AnswerFlags, *, note: str | None, edit: bool
) -> None:
    from selfback.actions.checkin import CheckinDraft, definitions
    from selfback.ui.answers import read_note_editor, read_note_stdin

    answers, lib = parse_flag_answers(env, flags)
    if note == "-":
        answers["note"] = read_note_stdin(env)
    elif edit:
        answers["note"] = read_note_editor(env)
    if answers.get("note") is None:
        answers.pop("note", None)
    _save(env, CheckinDraft(when, answers, definitions(lib)))


def _by_questions(env: Env, when: datetime, *, edit: bool, include_on_demand: bool) -> None:
    from selfback.actions.checkin import CheckinDraft, questions
    from selfback.ui.answers import ask_questions, intro_line, read_note_editor
    from selfback.ui.prompt import write_wrapped

    asked = questions(env.paths, when, include_on_demand=include_on_demand)
    if asked.problems:
        env.stderr.write(asked.problems + "\n")
        env.stderr.flush()
    write_wrapped(env, intro_line(asked.trackers))
    answers = ask_questions(env, asked, skip_ids={"note"} if edit else set())
    if edit:
        note = read_note_editor(env)
        if note:
            answers["note"] = note
    _save(env, CheckinDraft(when, answers, asked.definitions))
    from selfback.ui.later import ask_follow_ups  # a plan made for later in cope, asked once

    ask_follow_ups(env)
