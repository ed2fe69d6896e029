"""`selfback history`: the check-in log as a table (or JSON), and fixing mistakes.

    selfback history [--since 14d] [--until DATE] [--json]
    selfback history show ID
    selfback history edit ID [flags]
    selfback history delete ID [--yes]

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from selfback.env import Env, current_env
from selfback.errors import UsageError
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.store.checkins import Checkin

DEFAULT_SINCE = "14d"


# ---------------------------------------------------------------------------- rendering
def _when_text(c: Checkin, with_year: bool) -> str:
    dt = c.when
    if with_year:
        return dt.strftime("%Y-%m-%d %H:%M")
    return dt.strftime("%a %d %b %H:%M")


def _num(value: float | None, suffix: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:g}{suffix}"


def _extras(c: Checkin, order: dict[str, int] | None = None) -> str:
    values = list(c.values)
    if order is not None:
        values.sort(key=lambda v: (order.get(v.tracker_id, len(order)), v.label or ""))
    return clean_line("; ".join(f"{v.label or v.tracker_id}: {v.display()}" for v in values))


def render_table(env: Env, rows: list[Checkin], since: date | None, until: date) -> str:
    import os
    import shutil
    import textwrap

    order = None
    if any(c.values for c in rows):
        from selfback.trackers.order import question_order

        order = question_order(env.paths)

    width = shutil.get_terminal_size((100, 24)).columns if env.stdout_isatty else 0
    if not width:
        try:
            width = int(os.environ.get("COLUMNS", "100"))
        except ValueError:
            width = 100
    width = max(width, 60)
    with_year = any(r.local_date[:4] != until.isoformat()[:4] for r in rows)
    head = ("ID", "When", "Mood", "Energy", "Anxiety", "Sleep", "Emotions and tags")
    table: list[tuple[str, ...]] = []
    for c in rows:
        words = ", ".join(c.emotions)
        if c.tags:
            words = (words + "; " if words else "") + ", ".join(c.tags)
        words = clean_line(words)
        table.append(
            (
                str(c.id),
                _when_text(c, with_year),
                str(c.mood),
                _num(c.energy),
                _num(c.anxiety),
                _num(c.sleep_hours, "h"),
                words,
            )
        )
    widths = [max(len(head[i]), *(len(r[i]) for r in table)) for i in range(len(head) - 1)]
    right = {0, 2, 3, 4, 5}

    def line(cells: tuple[str, ...]) -> str:
        out = []
        for i, cell in enumerate(cells[:-1]):
            out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
        used = sum(widths) + 2 * (len(widths))
        last = cells[-1]
        room = max(width - used, 10)
        if len(last) > room:
            last = last[: room - 1] + "…"
        return "  ".join(out + [last]).rstrip()

    indent = " " * (widths[0] + 2)
    room = max(width - len(indent), 20)
    lines = [line(head)]
    for c, cells in zip(rows, table, strict=True):
        lines.append(line(cells))
        extra = _extras(c, order)
        if extra:
            wrapped = textwrap.wrap(extra, room, break_on_hyphens=False)
            if len(wrapped) > 3:
                wrapped = wrapped[:3]
                wrapped[-1] = wrapped[-1][: room - 1] + "…"
            lines += [indent + w for w in wrapped]
        if c.note:
            first = clean_line(c.note)
            text = f'"{first}"'
            if len(text) > room:
                text = text[: room - 2] + '…"'
            lines.append(indent + text)
    days = len({c.local_date for c in rows})
    avg = sum(c.mood for c in rows) / len(rows)
    noun = "check-in" if len(rows) == 1 else "check-ins"
    dnoun = "day" if days == 1 else "days"
    lines.append("")
    lines.append(f"{len(rows)} {noun} on {days} {dnoun}; average mood {avg:.1f}.")
    lines.append("Fix a mistake: selfback history edit ID, or selfback history delete ID.")
    return "\n".join(lines)


def _span_text(since: date | None, until: date, today: date) -> str:
    def d(x: date) -> str:
        return x.strftime("%d %b %Y") if x.year != today.year else x.strftime("%d %b")

    if since is None:
        return f"up to {d(until)}"
    return f"from {d(since)} to {d(until)}"


def render_one(c: Checkin, order: dict[str, int]) -> str:
    lines = [
        f"Check-in {c.id}  {c.when.strftime('%A %d %B %Y, %H:%M')} (UTC{clean_line(c.ts[-6:])})",
        f"  Mood      {c.mood}",
        f"  Energy    {_num(c.energy)}",
        f"  Anxiety   {_num(c.anxiety)}",
        f"  Sleep     {_num(c.sleep_hours, ' hours')}",
        f"  Emotions  {clean_line(', '.join(c.emotions)) or '-'}",
        f"  Tags      {clean_line(', '.join(c.tags)) or '-'}",
    ]
    for v in sorted(c.values, key=lambda v: (order.get(v.tracker_id, len(order)), v.label or "")):
        lines.append(clean_line(f"  {v.label or v.tracker_id}: {v.display()}"))
    if c.note:
        lines.append("  Note:")
        lines += ["    " + ln for ln in clean(c.note).splitlines()]
    if c.updated_at != c.created_at:
        lines.append(clean_line(f"  (edited {c.updated_at[:16].replace('T', ' ')})"))
    return "\n".join(lines)


def _summary(c: Checkin) -> str:
    return f"check-in {c.id} from {c.when.strftime('%a %d %b %Y %H:%M')} (mood {c.mood})"


# ---------------------------------------------------------------------------- commands
def register(app: typer.Typer) -> None:
    history_app = typer.Typer(
        help="Your check-in log. IDs shown let you fix mistakes with edit or delete.",
        invoke_without_command=True,
        no_args_is_help=False,
    )
    app.add_typer(history_app, name="history")

    @history_app.callback()
    def history_root(
        ctx: typer.Context,
        since: str = typer.Option(
            DEFAULT_SINCE,
            "--since",
            "--from",
            metavar="SPAN",
            help="Start: a span (14d, 2w, 3m, 1y), a date, today, yesterday, or all. Also --from.",
        ),
        until: str | None = typer.Option(
            None,
            "--until",
            "--to",
            metavar="DATE",
            help="Last day to show (YYYY-MM-DD, today, yesterday). Also --to.",
        ),
        json_out: bool = typer.Option(False, "--json", help="Print JSON (for scripts)."),
    ) -> None:
        """Show your check-ins (the last 14 days unless --since says otherwise)."""
        if ctx.invoked_subcommand is not None:
            return
        show_history(since, until, json_out)

    @history_app.command("show")
    def show(
        checkin_id: int = typer.Argument(..., metavar="ID", help="The ID from the list."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Show one check-in in full, with its whole note."""
        env = current_env()
        c = _get_or_fail(env, checkin_id)
        if json_out:
            import json

            env.stdout.write(json.dumps(c.to_json(), indent=2, ensure_ascii=False) + "\n")
        else:
            from selfback.trackers.order import question_order

            env.stdout.write(render_one(c, question_order(env.paths)) + "\n")

    @history_app.command("delete")
    def delete(
        checkin_id: int = typer.Argument(..., metavar="ID", help="The ID from the list."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    ) -> None:
        """Delete one check-in (asks first)."""
        from selfback.store.checkins import delete_checkin
        from selfback.store.db import open_store
        from selfback.ui.prompt import confirm, write

        env = current_env()
        c = _get_or_fail(env, checkin_id)
        if not yes and not confirm(env, f"Delete {_summary(c)}? This cannot be undone."):
            write(env, "Kept. Nothing was deleted.")
            return
        store = open_store(env.paths)
        try:
            delete_checkin(store, checkin_id)
        finally:
            store.close()
        write(env, f"Deleted check-in {checkin_id}.")

    @history_app.command("edit")
    def edit(
        checkin_id: int = typer.Argument(..., metavar="ID", help="The ID from the list."),
        mood: str | None = typer.Option(
            None, "--mood", "-m", metavar="0-10", help="New mood, 0-10."
        ),
        energy: str | None = typer.Option(
            None, "--energy", metavar="0-10", help="New energy, 0-10."
        ),
        anxiety: str | None = typer.Option(
            None, "--anxiety", metavar="0-10", help="New anxiety, 0-10."
        ),
        sleep: str | None = typer.Option(
            None, "--sleep", metavar="HOURS", help="New hours of sleep."
        ),
        emotion: list[str] = typer.Option(
            [], "--emotion", "-e", metavar="WORD", help="Emotions (replace the old ones)."
        ),
        tag: list[str] = typer.Option(
            [], "--tag", "-t", metavar="WORD", help="Tags (replace the old ones)."
        ),
        set_: list[str] = typer.Option(
            [], "--set", "-s", metavar="ID=VALUE", help="A tracker's new value."
        ),
        clear: list[str] = typer.Option(
            [], "--clear", metavar="ID", help="Remove an answer, e.g. --clear sleep."
        ),
        at: str | None = typer.Option(
            None,
            "--at",
            metavar="WHEN",
            help="Move it to another time: 21:30, yesterday 21:30, a date.",
        ),
        note: str | None = typer.Option(
            None, "--note", metavar="-", help="--note - reads a new note from stdin."
        ),
        edit_note: bool = typer.Option(False, "--edit", help="Edit the note in $EDITOR."),
    ) -> None:
        """Fix a check-in: asks each question again (Enter keeps, - clears), or use flags."""
        from selfback.cli.checkin import NOTE_ON_ARGV

        env = current_env()
        if note is not None and note != "-":
            raise UsageError(NOTE_ON_ARGV)
        if note == "-" and edit_note:
            raise UsageError("Use either --note - or --edit for the note, not both.")
        flags = any([mood, energy, anxiety, sleep, emotion, tag, set_, clear, at, note])
        edit_checkin(
            env,
            checkin_id,
            flags=flags,
            mood=mood,
            energy=energy,
            anxiety=anxiety,
            sleep=sleep,
            emotion=emotion,
            tag=tag,
            sets=set_,
            clear=clear,
            at=at,
            note=note,
            edit_note=edit_note,
        )


def _get_or_fail(env: Env, checkin_id: int) -> Checkin:
    from selfback.store.checkins import get_checkin
    from selfback.store.db import open_store

    store = open_store(env.paths)
    try:
        c = get_checkin(store, checkin_id)
    finally:
        store.close()
    if c is None:
        raise UsageError(
            f"There is no check-in with ID {checkin_id}. selfback history --since all "
            "lists them with their IDs."
        )
    return c


def show_history(since_text: str, until_text: str | None, json_out: bool) -> None:
    import json

    from selfback.periods import parse_period
    from selfback.store.checkins import list_checkins
    from selfback.store.db import open_store

    env = current_env()
    today = env.clock.now().date()
    period = parse_period(since_text, until_text, today, default_until_today=True)
    since = period.since
    until = period.until or today
    store = open_store(env.paths)
    try:
        rows = list_checkins(store, since, until)
    finally:
        store.close()
    if json_out:
        data = {
            "since": since.isoformat() if since else None,
            "until": until.isoformat(),
            "checkins": [c.to_json() for c in rows],
        }
        env.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if not rows:
        env.stdout.write(
            f"No check-ins {_span_text(since, until, today)}. "
            "Run selfback checkin to add one whenever you like.\n"
        )
        return
    env.stdout.write(render_table(env, rows, since, until) + "\n")


def edit_checkin(env: Env, checkin_id: int, *, flags: bool, **opts: Any) -> None:
    from selfback.cli.checkin import (
        CLEAR,
        KEEP,
        after_saving,
        ask_tracker,
        parse_flag_answers,
        read_note_editor,
        read_note_stdin,
    )
    from selfback.periods import parse_when
    from selfback.store.checkins import replace_checkin
    from selfback.store.db import open_store
    from selfback.trackers.library import load_trackers
    from selfback.trackers.values import build_checkin, condition_met
    from selfback.ui.prompt import read_line, write

    c = _get_or_fail(env, checkin_id)
    before = c.answers()
    now = env.clock.now()
    lib = load_trackers(env.paths)
    defs = {e.tracker.id: e.tracker for e in lib.entries.values()}
    answers: dict[str, Any] = c.answers()
    when = c.when
    if flags:
        new, _ = parse_flag_answers(
            env,
            mood=opts["mood"],
            energy=opts["energy"],
            anxiety=opts["anxiety"],
            sleep=opts["sleep"],
            emotions=opts["emotion"],
            tags=opts["tag"],
            sets=opts["sets"],
            need_mood=False,
        )
        for key in opts["clear"]:
            key = key.strip().lower().replace("-", "_")
            if key == "mood":
                raise UsageError("Mood cannot be cleared: give a new one with --mood.")
            if key not in answers:
                raise UsageError(
                    f"Check-in {checkin_id} has no answer for '{key}' to clear. Nothing was "
                    "changed."
                )
            answers.pop(key)
        answers.update(new)
        if opts["at"]:
            from selfback.periods import parse_when

            when = parse_when(opts["at"], now, when.tzinfo)
        if opts["note"] == "-":
            answers["note"] = read_note_stdin(env)
        elif opts["edit_note"]:
            answers["note"] = read_note_editor(env, c.note)
    else:
        write(env, f"Editing {_summary(c)}. Enter keeps an answer; - clears it.")
        raw = read_line(env, f"When [{when.strftime('%Y-%m-%d %H:%M')}]: ").strip()
        if raw:
            when = parse_when(raw, now, when.tzinfo)
        order = [t for t in lib.active(include_on_demand=True)]
        order_ids = {t.id for t in order}
        note_tracker = next((t for t in order if t.id == "note"), None)
        order = [t for t in order if t.id != "note"]
        order += [defs[k] for k in answers if k in defs and k not in order_ids and k != "note"]
        new_answers: dict[str, Any] = {}
        for tracker in order:
            if not condition_met(tracker, {**answers, **new_answers}) and tracker.id not in answers:
                continue
            current = answers.get(tracker.id)
            result = ask_tracker(
                env,
                tracker,
                suggestions=list(getattr(tracker, "suggestions", [])) or None,
                current=current,
                editing=True,
            )
            if result is KEEP:
                if current is not None:
                    new_answers[tracker.id] = current
            elif result is not CLEAR and result is not None:
                new_answers[tracker.id] = result
        # answers to trackers that are no longer defined are kept exactly as they were
        for key, value in answers.items():
            if key not in defs and key != "note":
                new_answers[key] = value
        if opts["edit_note"]:
            new_answers["note"] = read_note_editor(env, c.note)
        elif note_tracker is not None:
            result = ask_tracker(env, note_tracker, current=c.note, editing=True)
            if result is KEEP:
                new_answers["note"] = c.note
            elif result is not CLEAR and result is not None:
                new_answers["note"] = result
        answers = new_answers
    if answers.get("note") is None:
        answers.pop("note", None)
    keep = [v for v in c.values if v.tracker_id not in defs and v.tracker_id in answers]
    for v in keep:
        answers.pop(v.tracker_id, None)
    try:
        entry = build_checkin(when, answers, defs, keep=keep, uid=c.uid)
    except ValueError as exc:
        raise UsageError(f"That edit does not work: {exc}. Nothing was changed.") from None
    # answers recorded under an older version keep their stored version and label
    old = {v.tracker_id: v for v in c.values}
    entry.values = [
        old[v.tracker_id] if v.tracker_id in old and old[v.tracker_id].value == v.value else v
        for v in entry.values
    ]
    store = open_store(env.paths)
    try:
        if not replace_checkin(store, checkin_id, entry, now=now):
            raise UsageError(f"Check-in {checkin_id} was deleted meanwhile. Nothing was changed.")
    finally:
        store.close()
    write(env, f"Saved your changes to check-in {checkin_id}.")
    after_saving(env, answers, defs, c.uid, before=before)
