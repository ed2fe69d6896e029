"""`selfback sessions`: what I wrote in past coping sessions.

    selfback sessions [--marked] [--limit N] [--json]
    selfback sessions show ID [--json]
    selfback sessions delete ID [--yes]
    selfback sessions mark ID / unmark ID     ("bring to my therapist")

Only typer and the standard library at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of

if TYPE_CHECKING:
    from selfback.actions.cope.past import SessionView
    from selfback.env import Env
    from selfback.store.sessions import CopingSession


def _width(env: Env) -> int:
    from selfback.text import terminal_width

    return max(20, min(terminal_width(env.stdout) - 1, 88))


def _lines(env: Env, text: str, indent: str = "", rest: str | None = None) -> list[str]:
    from selfback.text import wrap

    return wrap(
        text, _width(env), indent=indent, subsequent_indent=indent if rest is None else rest
    )


def _when(s: CopingSession) -> str:
    return s.started_at.strftime("%a %d %b %Y %H:%M")


def _rating(value: int | None) -> str:
    from selfback.messages import sessions as msg

    return str(value) if value is not None else msg.NOT_RATED


def _summary_line(s: CopingSession) -> str:
    from selfback.messages import sessions as msg
    from selfback.text import clean_line

    bits = [msg.DONE if s.status == "completed" else msg.STOPPED]
    before, after = s.distress_before, s.distress_after
    if before is not None and after is not None:
        bits.append(msg.DISTRESS.format(before=before, after=after))
    elif before is not None:
        bits.append(msg.DISTRESS_BEFORE_ONLY.format(before=before))
    elif after is not None:
        bits.append(msg.DISTRESS_AFTER_ONLY.format(after=after))
    if s.marked:
        bits.append(msg.MARKED)
    title = clean_line(s.skill_title or s.skill_id)
    return f"{s.id}. {_when(s)}, {title} ({', '.join(bits)})"


def render_list(env: Env, rows: list[CopingSession], *, marked: bool) -> str:
    from selfback.messages import sessions as msg

    if not rows:
        return "\n".join(_lines(env, msg.NONE_MARKED if marked else msg.NONE_YET))
    out: list[str] = []
    for s in rows:
        out += _lines(env, _summary_line(s), rest=" " * (len(str(s.id)) + 2))
    out += [""] + _lines(env, msg.LIST_HINT)
    return "\n".join(out)


def _answer_lines(env: Env, label: str, text: str) -> list[str]:
    from selfback.messages import sessions as msg
    from selfback.text import clean, clean_line

    out = _lines(env, clean_line(label))
    words = clean(text).split("\n") if text else [msg.SKIPPED]
    for line in words:
        out += _lines(env, line, indent="  ") if line.strip() else [""]
    return out


def render_view(env: Env, shown: SessionView) -> str:
    from selfback.messages import sessions as msg
    from selfback.text import clean_line

    s = shown.session
    status = msg.DONE if s.status == "completed" else msg.STOPPED
    out = _lines(env, msg.TITLE.format(id=s.id, title=clean_line(s.skill_title or s.skill_id)))
    out += _lines(env, msg.WHEN_LINE.format(when=_when(s), status=status))
    before, after = _rating(s.distress_before), _rating(s.distress_after)
    out += _lines(env, msg.DISTRESS_LINE.format(before=before, after=after))
    if s.situation:
        from selfback.skills.situation_names import situation_name

        shown_as = clean_line(situation_name(s.situation))
        out += _lines(env, msg.SITUATION_LINE.format(situation=shown_as))
    if s.marked:
        out += _lines(env, msg.MARKED_LINE.format(id=s.id))
    out.append("")
    if not shown.answers:
        out += _lines(env, msg.NOTHING_WRITTEN)
    for a in shown.answers:
        out += _answer_lines(env, a.label, a.text)
    if s.follow_up == "due":
        out += [""] + _lines(env, msg.FOLLOW_UP_DUE)
    elif s.follow_up is not None:
        asked = s.follow_up_at.strftime("%a %d %b") if s.follow_up_at else ""
        out += [""] + _lines(env, msg.FOLLOW_UP[s.follow_up].format(when=asked))
        for a in shown.follow_up:
            out += _answer_lines(env, a.label, a.text)
    return "\n".join(out)


def _json(env: Env, data: object) -> None:
    import json

    env.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def register(app: typer.Typer) -> None:
    sessions_app = typer.Typer(
        help=(
            "What you wrote in past coping sessions: list them, show one with its answers, "
            "delete one, or mark one to bring to your therapist."
        ),
        invoke_without_command=True,
        no_args_is_help=False,
    )
    app.add_typer(sessions_app, name="sessions")

    @sessions_app.callback()
    def sessions_root(
        ctx: typer.Context,
        marked: bool = typer.Option(False, "--marked", help="Only the sessions you marked."),
        limit: int = typer.Option(50, "--limit", min=1, help="At most this many, newest first."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON (for scripts)."),
    ) -> None:
        """List your coping sessions, newest first."""
        if ctx.invoked_subcommand is not None:
            return
        from selfback.actions.cope.past import listing

        env = env_of(ctx)
        rows = listing(env.paths, marked=marked, limit=limit)
        if json_out:
            _json(env, {"sessions": [dict(s.to_json(), id=s.id) for s in rows]})
            return
        env.stdout.write(render_list(env, rows, marked=marked) + "\n")

    @sessions_app.command("show")
    def show(
        ctx: typer.Context,
        session_id: int = typer.Argument(..., metavar="ID", help="The ID from the list."),
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Show one session in full, with everything you wrote."""
        from selfback.actions.cope.past import view

        env = env_of(ctx)
        shown = view(env.paths, session_id)
        if json_out:
            _json(env, dict(shown.session.to_json(), id=shown.session.id))
            return
        env.stdout.write(render_view(env, shown) + "\n")

    @sessions_app.command("delete")
    def delete(
        ctx: typer.Context,
        session_id: int = typer.Argument(..., metavar="ID", help="The ID from the list."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    ) -> None:
        """Delete one session and what was written in it (asks first)."""
        from selfback.actions.cope import past
        from selfback.messages import sessions as msg
        from selfback.text import clean_line
        from selfback.ui.prompt import confirm, write

        env = env_of(ctx)
        s = past.find(env.paths, session_id)
        title = clean_line(s.skill_title or s.skill_id)
        ask = msg.DELETE_ASK.format(id=s.id, title=title, when=_when(s))
        if not yes and not confirm(env, ask):
            write(env, msg.KEPT)
            return
        past.delete(env.paths, session_id)
        write(env, msg.DELETED.format(id=session_id))

    @sessions_app.command("mark")
    def mark(
        ctx: typer.Context,
        session_id: int = typer.Argument(..., metavar="ID", help="The ID from the list."),
    ) -> None:
        """Mark a session to bring to your therapist."""
        from selfback.actions.cope import past
        from selfback.messages import sessions as msg
        from selfback.ui.prompt import write

        env = env_of(ctx)
        past.mark(env.paths, session_id, True)
        write(env, "\n".join(_lines(env, msg.MARKED_DONE.format(id=session_id))))

    @sessions_app.command("unmark")
    def unmark(
        ctx: typer.Context,
        session_id: int = typer.Argument(..., metavar="ID", help="The ID from the list."),
    ) -> None:
        """Take the mark off a session."""
        from selfback.actions.cope import past
        from selfback.messages import sessions as msg
        from selfback.ui.prompt import write

        env = env_of(ctx)
        past.mark(env.paths, session_id, False)
        write(env, msg.UNMARKED_DONE.format(id=session_id))
