"""`selfback history`: the check-in log as a table (or JSON), and fixing mistakes.

    selfback history [--since 14d] [--until DATE] [--json]
    selfback history show ID
    selfback history edit ID [flags]
    selfback history delete ID [--yes]

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import typer

from selfback.cli.context import env_of, parse_id
from selfback.messages import history as msg
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.actions.history import Editing
    from selfback.cli.checkin import AnswerFlags
    from selfback.env import Env
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


def _words_text(c: Checkin) -> str:
    words = ", ".join(c.emotions)
    if c.tags:
        words = (words + "; " if words else "") + ", ".join(c.tags)
    return clean_line(words)


def _details(c: Checkin, order: dict[str, int] | None, indent: str, width: int) -> list[str]:
    """The lines under a check-in's row: other trackers (at most 3 lines) and the note's
    start, wrapped or cut by whole words."""
    from selfback.text import shorten, wrap

    room = max(width - len(indent), 20)
    lines: list[str] = []
    extra = _extras(c, order)
    if extra:
        wrapped = wrap(extra, room)
        if len(wrapped) > 3:
            wrapped = [*wrapped[:2], shorten(" ".join(wrapped[2:]), room)]
        lines += [indent + w for w in wrapped]
    if c.note:
        lines.append(indent + '"' + shorten(clean_line(c.note), room - 2) + '"')
    return lines


def _narrow_rows(
    rows: list[Checkin], order: dict[str, int] | None, width: int, with_year: bool
) -> list[str]:
    """One short block per check-in, for a terminal too narrow for the table."""
    from selfback.text import wrap

    lines: list[str] = []
    for c in rows:
        lines.append(f"{c.id}  {_when_text(c, with_year)}  mood {c.mood}")
        parts = [
            f"energy {_num(c.energy)}",
            f"anxiety {_num(c.anxiety)}",
            f"sleep {_num(c.sleep_hours, 'h')}",
        ]
        lines += wrap(", ".join(parts), width, indent="  ")
        words = _words_text(c)
        if words:
            lines += wrap(words, width, indent="  ", subsequent_indent="  ")
        lines += _details(c, order, "  ", width)
    return lines


def render_table(env: Env, rows: list[Checkin], since: date | None, until: date) -> str:
    from selfback.text import fit_block, terminal_width, wrap

    order = None
    if any(c.values for c in rows):
        from selfback.trackers.order import question_order

        order = question_order(env.paths)

    width = terminal_width(env.stdout, default=100)
    with_year = any(r.local_date[:4] != until.isoformat()[:4] for r in rows)
    head = ("ID", "When", "Mood", "Energy", "Anxiety", "Sleep", "Emotions and tags")
    table = [
        (
            str(c.id),
            _when_text(c, with_year),
            str(c.mood),
            _num(c.energy),
            _num(c.anxiety),
            _num(c.sleep_hours, "h"),
            _words_text(c),
        )
        for c in rows
    ]
    widths = [max(len(head[i]), *(len(r[i]) for r in table)) for i in range(len(head) - 1)]
    right = {0, 2, 3, 4, 5}
    used = sum(widths) + 2 * len(widths)
    if width - used < 16:
        lines = _narrow_rows(rows, order, width, with_year)
    else:

        def line(cells: tuple[str, ...]) -> list[str]:
            out = []
            for i, cell in enumerate(cells[:-1]):
                out.append(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]))
            words = wrap(cells[-1], width, indent=" " * used, subsequent_indent=" " * used)
            first = "  ".join([*out, words[0][used:]]).rstrip()
            return [first, *(w for w in words[1:] if w.strip())]

        indent = " " * (widths[0] + 2)
        lines = line(head)
        for c, cells in zip(rows, table, strict=True):
            lines += line(cells)
            lines += _details(c, order, indent, width)
    days = len({c.local_date for c in rows})
    avg = sum(c.mood for c in rows) / len(rows)
    noun = "check-in" if len(rows) == 1 else "check-ins"
    dnoun = "day" if days == 1 else "days"
    lines.append("")
    lines.append(msg.TOTALS.format(count=len(rows), noun=noun, days=days, dnoun=dnoun, average=avg))
    lines.append(msg.FIX_HINT)
    return fit_block("\n".join(lines), width)


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
        show_history(env_of(ctx), since, until, json_out)

    @history_app.command("show")
    def show(
        ctx: typer.Context,
        raw_id: str = typer.Argument(..., metavar="ID", help="The ID from the list."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Show one check-in in full, with its whole note."""
        from selfback.actions.history import find

        env = env_of(ctx)
        c = find(env.paths, _checkin_id(raw_id))
        if json_out:
            import json

            env.stdout.write(json.dumps(c.to_json(), indent=2, ensure_ascii=False) + "\n")
        else:
            from selfback.text import fit_block, terminal_width
            from selfback.trackers.order import question_order

            text = render_one(c, question_order(env.paths))
            env.stdout.write(fit_block(text, terminal_width(env.stdout, default=100)) + "\n")

    @history_app.command("delete")
    def delete(
        ctx: typer.Context,
        raw_id: str = typer.Argument(..., metavar="ID", help="The ID from the list."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    ) -> None:
        """Delete one check-in (asks first)."""
        from selfback.actions import history
        from selfback.ui.prompt import confirm, write

        env = env_of(ctx)
        checkin_id = _checkin_id(raw_id)
        c = history.find(env.paths, checkin_id)
        if not yes and not confirm(env, msg.DELETE_ASK.format(summary=_summary(c))):
            write(env, msg.KEPT)
            return
        history.delete(env.paths, checkin_id)
        write(env, msg.DELETED.format(id=checkin_id))

    @history_app.command("edit")
    def edit(
        ctx: typer.Context,
        raw_id: str = typer.Argument(..., metavar="ID", help="The ID from the list."),
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
        from selfback.cli.checkin import AnswerFlags, check_note_flags

        env = env_of(ctx)
        check_note_flags(note, edit_note)
        flags = AnswerFlags(mood, energy, anxiety, sleep, emotion, tag, set_)
        request = EditFlags(flags, tuple(clear), at, note, edit_note)
        edit_checkin(env, _checkin_id(raw_id), request)


def show_history(env: Env, since_text: str, until_text: str | None, json_out: bool) -> None:
    import json

    from selfback.actions.history import entries
    from selfback.periods import parse_period

    today = env.clock.now().date()
    period = parse_period(since_text, until_text, today, default_until_today=True)
    since = period.since
    until = period.until or today
    rows = entries(env.paths, since, until)
    if json_out:
        data = {
            "since": since.isoformat() if since else None,
            "until": until.isoformat(),
            "checkins": [c.to_json() for c in rows],
        }
        env.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if not rows:
        env.stdout.write(msg.NONE_IN_SPAN.format(span=_span_text(since, until, today)) + "\n")
        return
    env.stdout.write(render_table(env, rows, since, until) + "\n")


# ---------------------------------------------------------------------------- editing
@dataclass(frozen=True)
class EditFlags:
    """How ``history edit`` was asked: new answers and answers to clear as flags, a new
    time, where a new note comes from. Nothing given: ask every question again."""

    answers: AnswerFlags
    clear: tuple[str, ...] = ()
    at: str | None = None
    note: str | None = None  # "-": read it from stdin
    edit_note: bool = False  # write it in $EDITOR

    def given(self) -> bool:
        return self.answers.given() or bool(self.clear or self.at or self.note)


def _by_flags(env: Env, editing: Editing, request: EditFlags) -> tuple[datetime, dict[str, Any]]:
    from selfback.actions.history import with_changes
    from selfback.cli.checkin import parse_flag_answers
    from selfback.periods import parse_when
    from selfback.ui.answers import read_note_editor, read_note_stdin

    c = editing.checkin
    new, _ = parse_flag_answers(env, request.answers, need_mood=False)
    answers = with_changes(editing, new, request.clear)
    when = c.when
    if request.at:
        when = parse_when(request.at, env.clock.now(), when.tzinfo)
    if request.note == "-":
        answers["note"] = read_note_stdin(env)
    elif request.edit_note:
        answers["note"] = read_note_editor(env, c.note)
    return when, answers


def _by_questions(
    env: Env, editing: Editing, *, edit_note: bool
) -> tuple[datetime, dict[str, Any]]:
    from selfback.periods import parse_when
    from selfback.ui.answers import CLEAR, KEEP, ask_again, ask_tracker, read_note_editor
    from selfback.ui.prompt import read_line, write

    c = editing.checkin
    write(env, msg.EDITING.format(summary=_summary(c)))
    when = c.when
    raw = read_line(env, msg.WHEN_ASK.format(when=when.strftime("%Y-%m-%d %H:%M"))).strip()
    if raw:
        when = parse_when(raw, env.clock.now(), when.tzinfo)
    from selfback.actions.checkin import questions

    asked, note_tracker = editing.questions()
    numbered = questions(env.paths, when, include_on_demand=True).suggestions
    answers = ask_again(env, asked, editing.answers, numbered)
    answers.update(editing.undefined())
    if edit_note:
        answers["note"] = read_note_editor(env, c.note)
    elif note_tracker is not None:
        result = ask_tracker(env, note_tracker, current=c.note, editing=True)
        if result is KEEP:
            answers["note"] = c.note
        elif result is not CLEAR and result is not None:
            answers["note"] = result
    return when, answers


def _checkin_id(raw: str) -> int:
    return parse_id(raw, what="check-in", where="selfback history")


def edit_checkin(env: Env, checkin_id: int, request: EditFlags) -> None:
    """Fix check-in ``checkin_id`` by flags, or by asking each question again."""
    from selfback.actions import history
    from selfback.ui.crisis import show_crisis
    from selfback.ui.prompt import write

    editing = history.start(env.paths, checkin_id)
    if request.given():
        when, answers = _by_flags(env, editing, request)
    else:
        when, answers = _by_questions(env, editing, edit_note=request.edit_note)
    edited = history.save(env.paths, env.clock.now(), editing, history.Edit(when, answers))
    write(env, msg.EDIT_SAVED.format(id=checkin_id))
    if edited.heard is not None:
        show_crisis(env, edited.heard.lead)
        history.record_heard(env.paths, editing, edited.heard)
