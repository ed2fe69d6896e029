"""`selfback passphrase set|change|remove|status|plan`, `selfback unlock` and
`selfback lock`: encryption at rest (docs/privacy.md).

A passphrase is read from the terminal without echo, or from standard input when that
is not a terminal; never from the command line. Module level: typer and stdlib only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of

if TYPE_CHECKING:
    from selfback.actions.privacy import Status, Unlocked
    from selfback.env import Env


def _say(env: Env, *paragraphs: str) -> None:
    """Paragraphs wrapped by whole words, with a blank line between them."""
    from selfback.text import clean, terminal_width, wrap_block

    width = min(terminal_width(env.stdout), 88)
    blocks = ["\n".join(wrap_block(clean(p).replace("`", ""), width)) for p in paragraphs if p]
    env.stdout.write("\n\n".join(blocks) + "\n")
    env.stdout.flush()


def _time(expires: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(expires, UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _status_lines(st: Status) -> list[str]:
    from selfback.messages import privacy as msg

    if not st.encrypted:
        return [msg.STATUS_PLAIN]
    lines = [msg.STATUS_ENCRYPTED]
    if st.unlocked_until is not None:
        lines.append(msg.STATUS_UNLOCKED.format(time=_time(st.unlocked_until.timestamp())))
    elif st.by_env:
        lines.append(msg.STATUS_ENV)
    elif st.by_keyring:
        lines.append(msg.STATUS_KEYRING)
    else:
        lines.append(msg.STATUS_LOCKED)
    lines.append(msg.STATUS_PLAN_LOCKED if st.plan_locked else msg.STATUS_PLAN_OPEN)
    if st.sealed:
        lines.append(msg.STATUS_INBOX.format(count=st.sealed))
    if st.plain_backups:
        lines.append(msg.STATUS_PLAIN_BACKUPS.format(count=st.plain_backups))
    return lines


def _render_unlock(env: Env, done: Unlocked) -> None:
    from selfback.messages import privacy as msg

    lines = [msg.UNLOCKED_UNTIL.format(time=_time(done.expires))]
    where = msg.UNLOCKED_RUNTIME if done.in_memory else msg.UNLOCKED_DISK
    lines.append(where.format(path=done.session))
    if done.merged:
        lines.append(msg.MERGED.format(count=msg.entries_phrase(done.merged)))
    if done.not_opened:
        from selfback.inbox import folder

        lines.append(msg.MERGE_PROBLEM.format(count=done.not_opened, path=folder(env.paths)))
    if done.remembered is True:
        lines.append(msg.REMEMBERED)
    elif done.remembered is False:
        lines.append(msg.NO_KEYRING)
    _say(env, *lines)


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Encrypt your log with a passphrase, change it or take it off.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="passphrase")

    @group.command("set")
    def set_(
        ctx: typer.Context,
        lock_plan: bool = typer.Option(
            False,
            "--lock-plan",
            help="Lock the safety plan copy too (sos then shows only the crisis lines).",
        ),
    ) -> None:
        """Encrypt your log and its backups with a passphrase you choose.

        A forgotten passphrase cannot be recovered. The passphrase is asked twice
        without showing it (or read as two lines of standard input).
        """
        from selfback.actions.privacy import DEFAULT_SESSION, set_passphrase
        from selfback.messages import privacy as msg
        from selfback.ui.secret import ask_new_passphrase

        env = env_of(ctx)
        if env.stdin_isatty:
            _say(env, msg.SET_INTRO)
        passphrase = ask_new_passphrase(env, msg.ASK_NEW)
        done = set_passphrase(env.paths, passphrase, lock_plan=lock_plan, seconds=DEFAULT_SESSION)
        plan = msg.PLAN_LOCKED if lock_plan else msg.PLAN_OPEN
        until = msg.UNLOCKED_UNTIL.format(time=_time(done.expires or 0))
        _say(
            env,
            msg.SET_DONE.format(backups=msg.backups_phrase(done.backups)),
            msg.SET_FORGET,
            plan,
            until,
        )

    @group.command("change")
    def change(ctx: typer.Context) -> None:
        """Choose a new passphrase: your log and its backups are re-keyed.

        A backup is made first. The current passphrase is asked, then the new one twice.
        """
        from selfback.actions.privacy import change_passphrase
        from selfback.messages import privacy as msg
        from selfback.ui.secret import ask_new_passphrase, ask_passphrase

        env = env_of(ctx)
        old = ask_passphrase(env, msg.ASK_CURRENT)
        new = ask_new_passphrase(env, msg.ASK_NEW)
        done = change_passphrase(env.paths, old, new)
        lines = [msg.CHANGED.format(backups=msg.backups_phrase(done.backups)), msg.SET_FORGET]
        _say(env, *lines)

    @group.command("remove")
    def remove(ctx: typer.Context) -> None:
        """Take the passphrase off: your log and its backups are stored plain again."""
        from selfback.actions.privacy import remove_passphrase
        from selfback.messages import privacy as msg
        from selfback.ui.secret import ask_passphrase

        env = env_of(ctx)
        passphrase = ask_passphrase(env, msg.ASK_CURRENT)
        done = remove_passphrase(env.paths, passphrase)
        lines = [msg.REMOVED.format(backups=msg.backups_phrase(done.backups))]
        if done.merged:
            lines.append(msg.MERGED.format(count=msg.entries_phrase(done.merged)))
        _say(env, *lines)

    @group.command("status")
    def status(ctx: typer.Context) -> None:
        """Say whether your log is encrypted, and whether it is unlocked now."""
        from selfback.actions.privacy import status as get_status

        env = env_of(ctx)
        _say(env, "\n".join(_status_lines(get_status(env.paths))))

    @group.command("plan")
    def plan(
        ctx: typer.Context,
        choice: str = typer.Argument(..., help="readable (sos shows it) or locked."),
    ) -> None:
        """Choose whether sos shows your safety plan without the passphrase.

        readable: sos shows your people and reasons even when you cannot unlock, and so
        can anyone using this computer as you. locked: sos shows only the crisis lines.
        """
        from selfback.actions.privacy import set_plan_locked
        from selfback.errors import UsageError
        from selfback.messages import privacy as msg

        env = env_of(ctx)
        word = choice.strip().lower()
        if word not in ("readable", "locked"):
            raise UsageError(
                "Say readable or locked, for example: selfback passphrase plan locked."
            )
        set_plan_locked(env.paths, word == "locked")
        _say(env, msg.PLAN_NOW_LOCKED if word == "locked" else msg.PLAN_NOW_OPEN)

    @app.command("unlock")
    def unlock(
        ctx: typer.Context,
        for_: str = typer.Option("8h", "--for", help="How long: 30m, 8h (at most 24h)."),
        remember: bool = typer.Option(
            False,
            "--remember",
            help="Keep the passphrase in the system keyring: selfback then opens with no prompt.",
        ),
    ) -> None:
        """Open your encrypted log for this login session (8 hours unless --for).

        What checkin and cope sealed while it was locked is added now.
        """
        from selfback.actions.privacy import parse_duration
        from selfback.actions.privacy import unlock as do_unlock
        from selfback.messages import privacy as msg
        from selfback.ui.secret import ask_passphrase

        env = env_of(ctx)
        seconds = parse_duration(for_)
        passphrase = ask_passphrase(env, msg.ASK)
        done = do_unlock(env.paths, passphrase, seconds=seconds, remember=remember)
        _render_unlock(env, done)

    @app.command("lock")
    def lock(
        ctx: typer.Context,
        forget: bool = typer.Option(
            False, "--forget", help="Take the passphrase out of the system keyring too."
        ),
    ) -> None:
        """Lock your encrypted log now (sos, checkin and cope still work)."""
        from selfback.actions.privacy import lock as do_lock
        from selfback.messages import privacy as msg

        env = env_of(ctx)
        done = do_lock(env.paths, forget=forget)
        lines = [msg.LOCKED_NOW if done.was_unlocked or done.forgot else msg.ALREADY_LOCKED]
        if done.forgot:
            lines.append(msg.FORGOT)
        if done.keyring_left:
            lines.append(msg.STILL_KEYRING)
        if done.env_set:
            lines.append(msg.ENV_STILL)
        _say(env, *lines)
