"""`selfback checkin`: a short check-in, by questions (one per line) or by flags.

Questions follow the active trackers (the everyday ones, switched-on packs, your own).
Flags are for scripts and shell aliases: ``--mood 6 --sleep 7.5 --tag work --set x=3``.
A note comes from the question, ``$EDITOR`` (``--edit``) or stdin (``--note -``), never
from the command line, where it would stay in the shell history.

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import typer

from selfback.env import Env, current_env
from selfback.errors import UsageError
from selfback.text import clean_line

if TYPE_CHECKING:
    from selfback.store.checkins import ValueType
    from selfback.store.db import Store
    from selfback.trackers.library import TrackerLibrary
    from selfback.trackers.schema import AnyTracker

SAVED = "Saved. Thank you for checking in."
NOTE_ON_ARGV = (
    "Notes are never taken on the command line (they would stay in your shell history). "
    "Use --note - to read it from stdin, --edit to write it in your editor, or leave it out "
    "to be asked."
)
EDITOR_HEADER = (
    "# Write your note below. Lines starting with # are left out.\n"
    "# Save and close the editor to finish; leave it empty to save no note.\n"
)
CLEAR = object()  # "-" typed while editing: clear this answer
KEEP = object()  # Enter while editing: keep the current answer


# ---------------------------------------------------------------------------- helpers
def _split_set(item: str) -> tuple[str, str]:
    if "=" not in item:
        raise UsageError(f"--set needs ID=VALUE (for example --set urge_selfharm=2); got '{item}'.")
    key, _, value = item.partition("=")
    key = key.strip().lower().replace("-", "_")
    if not key:
        raise UsageError(f"--set needs a tracker id before '=' (got '{item}').")
    return key, value.strip()


def read_note_stdin(env: Env) -> str | None:
    from selfback.trackers.core import MAX_NOTE

    text = env.stdin.read()
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise UsageError(
            f"The note is too long ({len(text)} characters; at most {MAX_NOTE}). Nothing was saved."
        )
    return text or None


def read_note_editor(env: Env, initial: str | None = None) -> str | None:
    """Open $VISUAL/$EDITOR on a private temporary file and return what was written."""
    import contextlib
    import os
    import shlex
    import subprocess
    import tempfile

    from selfback.fsutil import ensure_dir
    from selfback.trackers.core import MAX_NOTE

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise UsageError(
            "No editor is set. Set $EDITOR (for example: export EDITOR=nano), or use "
            "--note - to read the note from stdin. Nothing was saved."
        )
    folder = ensure_dir(env.paths.data_dir / "drafts")
    fd, name = tempfile.mkstemp(prefix="note-", suffix=".txt", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(EDITOR_HEADER + (initial or ""))
        try:
            result = subprocess.run([*shlex.split(editor), name], check=False)
        except (OSError, ValueError) as exc:
            raise UsageError(
                f"Could not start the editor '{editor}' ({exc}). Check $EDITOR, or use "
                "--note -. Nothing was saved."
            ) from exc
        if result.returncode != 0:
            raise UsageError(
                "The editor closed with an error, so nothing was saved. Try again, or use --note -."
            )
        with open(name, encoding="utf-8") as fh:
            lines = [ln for ln in fh.read().splitlines() if not ln.startswith("#")]
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
    text = "\n".join(lines).strip()
    if len(text) > MAX_NOTE:
        raise UsageError(
            f"The note is too long (at most {MAX_NOTE} characters). Nothing was saved."
        )
    return text or None


def _gentle_after(env: Env, answers: Mapping[str, Any]) -> None:
    from selfback.cli.hear import wrapped
    from selfback.ui import prompt

    def write(env: Env, text: str) -> None:
        prompt.write(env, wrapped(env, text))

    urge = answers.get("urge_selfharm")
    acted = answers.get("acted_selfharm")
    if (isinstance(urge, int) and not isinstance(urge, bool) and urge >= 3) or acted is True:
        write(
            env,
            "If the urge is strong right now, selfback cope --for self-harm-urge can help "
            "you ride it out, and selfback sos shows crisis lines.",
        )
        return
    mood = answers.get("mood")
    if isinstance(mood, int) and mood <= 3:
        write(
            env,
            "That sounds hard. selfback cope can walk you through a skill, and "
            "selfback sos is here any time.",
        )


def after_saving(
    env: Env,
    answers: Mapping[str, Any],
    trackers: Mapping[str, Any] | None,
    uid: str,
    *,
    before: Mapping[str, Any] | None = None,
) -> bool:
    """After a check-in is saved: if anything in it may mean risk, the short crisis text
    once (with a kind lead line) and the flags; returns whether it was shown."""
    from selfback.cli.hear import after_saving as hear
    from selfback.trackers.risk import concerns

    try:
        found = concerns(answers, trackers, before=before)
    except Exception:  # noticing must never break a saved check-in
        found = []
    return hear(env, found, ref_uid=uid)


def _open_store(env: Env) -> Store:
    from selfback.store.db import open_store

    return open_store(env.paths)


def _suggestions(store: Store, tracker: AnyTracker, today: datetime) -> list[str]:
    """For emotions and tags: the ones you use most lately, then the usual ones (max 8)."""
    from selfback.store.checkins import frequent_words

    base = list(getattr(tracker, "suggestions", []))
    if tracker.id not in ("emotions", "tags"):
        return base
    kind = "emotion" if tracker.id == "emotions" else "tag"
    mine = frequent_words(store, kind, (today - timedelta(days=90)).date(), limit=8)
    out = list(dict.fromkeys(mine + base))
    return out[:8]


# ---------------------------------------------------------------------------- questions
def _current_text(tracker: AnyTracker, current: Any) -> str:
    from selfback.trackers.values import show_value

    unit = getattr(tracker, "unit", None)
    text = show_value(current, unit if tracker.kind == "number" else None)
    text = clean_line(text)
    return text if len(text) <= 40 else text[:39] + "…"


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
    from selfback.trackers.schema import ChoiceTracker, ScaleTracker, TagsTracker
    from selfback.trackers.values import expected, parse_answer
    from selfback.ui.prompt import read_line, write

    q = clean_line(tracker.question)
    has_current = editing and current is not None and current != []
    hint = ""
    if isinstance(tracker, ScaleTracker):
        hint = f"{tracker.min}-{tracker.max}"
    elif tracker.kind == "yesno":
        hint = "y/n"
    elif tracker.kind == "number" and tracker.id == "sleep":
        hint = "e.g. 7.5"
    elif tracker.kind == "number" and getattr(tracker, "unit", None):
        hint = clean_line(getattr(tracker, "unit", ""))
    elif isinstance(tracker, TagsTracker):
        hint = "numbers or words, commas between" if suggestions else "commas between"
    if editing and tracker.kind == "text" and has_current:
        q = clean_line(tracker.title)
    if q.endswith(("?", ":")):
        # "Did you act on that urge? y/n [no]: "
        prompt = f"{q} {hint}" if hint else q
    elif tracker.kind == "number":
        prompt = f"{q} ({hint})" if hint else q
    else:
        prompt = f"{q}, {hint}" if hint else q
    if has_current:
        prompt += f" [{_current_text(tracker, current)}]"
    prompt = prompt.rstrip(":") + ": " if not prompt.endswith("?") else prompt + " "
    listing = ""
    if isinstance(tracker, ChoiceTracker):
        listing = "  " + "  ".join(f"{i} {clean_line(o)}" for i, o in enumerate(tracker.options, 1))
    elif isinstance(tracker, TagsTracker) and suggestions:
        listing = "  " + "  ".join(f"{i} {clean_line(o)}" for i, o in enumerate(suggestions, 1))
    if listing:
        write(env, listing)
    while True:
        raw = read_line(env, prompt).strip()
        if raw == "":
            if editing:
                return KEEP
            if tracker.optional:
                return None
            write(env, f"  This one is needed: please type {expected(tracker)}.")
            continue
        if editing and raw == "-":
            if tracker.optional:
                return CLEAR
            write(env, "  This one is needed, so it cannot be cleared.")
            continue
        if raw == "?" and isinstance(tracker, ScaleTracker) and tracker.anchors:
            anchors = sorted(tracker.anchors.items())
            write(env, "  " + " · ".join(f"{k} {clean_line(v)}" for k, v in anchors))
            continue
        try:
            return parse_answer(tracker, raw, suggestions=suggestions)
        except ValueError as exc:
            skip = ", or press Enter to skip" if tracker.optional and not editing else ""
            text = clean_line(exc)
            if text.startswith("must be "):
                write(env, f"  Please type {text.removeprefix('must be ')}{skip}.")
            else:
                write(env, f"  That answer {text}{skip}.")


def ask_flow(
    env: Env,
    store: Store,
    trackers: Sequence[AnyTracker],
    *,
    when: datetime,
    answered_today: set[str],
    skip_ids: set[str] | None = None,
) -> dict[str, ValueType]:
    """Ask the trackers in order (respecting ``ask: daily`` and ``only_if``)."""
    from selfback.trackers.values import condition_met

    answers: dict[str, ValueType] = {}
    for tracker in trackers:
        if skip_ids and tracker.id in skip_ids:
            continue
        if tracker.ask == "daily" and tracker.id in answered_today:
            continue
        if not condition_met(tracker, answers):
            continue
        sugg = _suggestions(store, tracker, when) if tracker.kind == "tags" else None
        value = ask_tracker(env, tracker, suggestions=sugg)
        if value is not None and value != []:
            answers[tracker.id] = value
    return answers


def problems_line(lib: TrackerLibrary) -> str | None:
    n = len(lib.problems)
    if not n:
        return None
    what = "1 tracker file has a problem" if n == 1 else f"{n} problems in tracker files"
    return f"{what}, so it was left out. selfback trackers validate shows where."


# ---------------------------------------------------------------------------- flags
def parse_flag_answers(
    env: Env,
    *,
    mood: str | None,
    energy: str | None,
    anxiety: str | None,
    sleep: str | None,
    emotions: Sequence[str],
    tags: Sequence[str],
    sets: Sequence[str],
    need_mood: bool = True,
) -> tuple[dict[str, Any], TrackerLibrary | None]:
    """Validate every flag before anything is written; UsageError (exit 2) on the first bad
    one. Only loads tracker files when ``--set`` is used (keeps the common case fast)."""
    from selfback.trackers.core import CORE_LABELS, parse_core, parse_words

    answers: dict[str, Any] = {}
    for key, raw in (("mood", mood), ("energy", energy), ("anxiety", anxiety), ("sleep", sleep)):
        if raw is None:
            continue
        try:
            answers[key] = parse_core(key, raw)
        except ValueError as exc:
            raise UsageError(
                f"{CORE_LABELS[key]} {exc} (got '{raw}'). Nothing was saved."
            ) from None
    for key, items in (("emotions", emotions), ("tags", tags)):
        words: list[str] = []
        for item in items:
            try:
                words += [w for w in parse_words(item) if w not in words]
            except ValueError as exc:
                flag = "--emotion" if key == "emotions" else "--tag"
                raise UsageError(f"{flag} {exc} (got '{item}'). Nothing was saved.") from None
        if words:
            answers[key] = words
    lib = None
    if sets:
        from selfback.trackers.library import load_trackers
        from selfback.trackers.values import parse_answer

        lib = load_trackers(env.paths)
        for item in sets:
            key, raw = _split_set(item)
            tracker = lib.get(key)
            if tracker is None:
                raise UsageError(
                    f"There is no tracker called '{key}'. selfback trackers list shows "
                    "them. Nothing was saved."
                )
            if tracker.kind == "text":
                raise UsageError(
                    f"'{key}' is free text, which selfback never takes on the command line "
                    "(it would stay in your shell history). Answer it in selfback checkin "
                    "without flags. Nothing was saved."
                )
            if key in answers:
                raise UsageError(f"'{key}' is given twice. Nothing was saved.")
            try:
                answers[key] = parse_answer(tracker, raw)
            except ValueError as exc:
                raise UsageError(f"{key} {exc} (got '{raw}'). Nothing was saved.") from None
    if need_mood and "mood" not in answers:
        raise UsageError(
            "A check-in needs a mood: add --mood with a number from 0 to 10 (or run "
            "selfback checkin without flags to be asked)."
        )
    return answers, lib


# ---------------------------------------------------------------------------- command
def register(app: typer.Typer) -> None:
    @app.command("checkin")
    def checkin(
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
        """Check in: how you are right now. Asks a few short questions, or use flags."""
        env = current_env()
        if note is not None and note != "-":
            raise UsageError(NOTE_ON_ARGV)
        if note == "-" and edit:
            raise UsageError("Use either --note - or --edit for the note, not both.")
        when = env.clock.now()
        if at is not None:
            from selfback.periods import parse_when

            when = parse_when(at, when)
        flag_mode = any([mood, energy, anxiety, sleep, emotion, tag, set_, note is not None])
        if flag_mode:
            _checkin_flags(env, when, mood, energy, anxiety, sleep, emotion, tag, set_, note, edit)
        else:
            _checkin_questions(env, when, edit=edit, include_on_demand=all_)


def _trackers(lib: TrackerLibrary | None) -> dict[str, AnyTracker] | None:
    return None if lib is None else {e.tracker.id: e.tracker for e in lib.entries.values()}


def _save(env: Env, answers: dict[str, Any], lib: TrackerLibrary | None, when: datetime) -> str:
    """Save the check-in in one transaction; returns its uid."""
    from selfback.store.checkins import NewCheckin, add_checkin
    from selfback.store.db import new_uid

    store = _open_store(env)
    try:
        trackers = _trackers(lib)
        if trackers is None:
            entry = NewCheckin(
                at=when,
                mood=answers["mood"],
                energy=answers.get("energy"),
                anxiety=answers.get("anxiety"),
                sleep_hours=answers.get("sleep"),
                note=answers.get("note"),
                emotions=answers.get("emotions", []),
                tags=answers.get("tags", []),
            )
        else:
            from selfback.trackers.values import build_checkin

            entry = build_checkin(when, answers, trackers)
        entry.uid = entry.uid or new_uid()
        add_checkin(store, entry, now=env.clock.now())
    finally:
        store.close()
    return entry.uid


def _save_and_finish(
    env: Env, answers: dict[str, Any], lib: TrackerLibrary | None, when: datetime
) -> None:
    """Save, then hear the person. If saving fails, words that may mean risk still get the
    crisis text before the error (nothing is flagged: the log could not be written)."""
    try:
        uid = _save(env, answers, lib, when)
    except BaseException:
        from selfback.cli.hear import lead_for, show_crisis
        from selfback.trackers.risk import concerns

        try:
            found = concerns(answers, _trackers(lib))
        except Exception:
            found = []
        if found:
            show_crisis(env, lead_for(found))
        raise
    _finish(env, answers, lib, uid)


def _finish(env: Env, answers: dict[str, Any], lib: TrackerLibrary | None, uid: str) -> None:
    from selfback.ui.prompt import write

    write(env, SAVED)
    if not after_saving(env, answers, _trackers(lib), uid):
        _gentle_after(env, answers)


def _checkin_flags(
    env: Env,
    when: datetime,
    mood: str | None,
    energy: str | None,
    anxiety: str | None,
    sleep: str | None,
    emotion: list[str],
    tag: list[str],
    sets: list[str],
    note: str | None,
    edit: bool,
) -> None:

    answers, lib = parse_flag_answers(
        env,
        mood=mood,
        energy=energy,
        anxiety=anxiety,
        sleep=sleep,
        emotions=emotion,
        tags=tag,
        sets=sets,
    )
    if note == "-":
        answers["note"] = read_note_stdin(env)
    elif edit:
        answers["note"] = read_note_editor(env)
    if answers.get("note") is None:
        answers.pop("note", None)
    _save_and_finish(env, answers, lib, when)


def _checkin_questions(env: Env, when: datetime, *, edit: bool, include_on_demand: bool) -> None:
    from selfback.store.checkins import answered_on
    from selfback.trackers.library import load_trackers
    from selfback.ui.prompt import write

    lib = load_trackers(env.paths)
    line = problems_line(lib)
    if line:
        env.stderr.write(line + "\n")
        env.stderr.flush()
    store = _open_store(env)
    try:
        today = answered_on(store, when.date())
        write(env, "Check-in. Enter skips a question; Ctrl-C stops without saving.")
        answers = ask_flow(
            env,
            store,
            lib.active(include_on_demand=include_on_demand),
            when=when,
            answered_today=today,
            skip_ids={"note"} if edit else set(),
        )
    finally:
        store.close()
    if edit:
        note = read_note_editor(env)
        if note:
            answers["note"] = note
    _save_and_finish(env, answers, lib, when)
