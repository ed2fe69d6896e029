"""`selfback remind set|show|off`: one daily reminder through the system's own scheduler,
and `remind run` (hidden), which that scheduler calls.

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import typer

from selfback.cli.context import env_of

if TYPE_CHECKING:
    from selfback.actions.remind import SetResult, ShowResult
    from selfback.env import Env
    from selfback.remind.base import Installed

NO_NOTIFIER = (
    "No desktop notifier was found on this computer ({wanted}), so the reminder cannot "
    "appear. It is set anyway, in case you install one. Meanwhile, put selfback nudge in "
    "your shell start-up file (e.g. ~/.bashrc): it prints one line on days without a "
    "check-in."
)
WANTED = {"darwin": "osascript", "win32": "PowerShell or msg"}
NOT_SET = "No reminder is set. To have one, run selfback remind set 21:00 (any time you like)."
CHANGE = "Change the time with selfback remind set TIME, or remove it with selfback remind off."


def _say(env: Env, *paragraphs: str) -> None:
    """Paragraphs wrapped to the terminal by whole words, terminal controls removed."""
    from selfback.text import clean, terminal_width, wrap_block

    width = min(terminal_width(env.stdout), 88)
    lines: list[str] = []
    for text in paragraphs:
        lines += wrap_block(clean(text).replace("`", ""), width)
    env.stdout.write("\n".join(lines) + "\n")


def _when(installed: Installed) -> str:
    from selfback.remind.timeparse import hhmm

    if installed.at is None:
        return "at a time selfback cannot read back"
    return f"at {hhmm(installed.at)}"


def _where(installed: Installed) -> list[str]:
    first, *rest = installed.where or ("(unknown)",)
    return [f"Where: {first}", *(f"  and {w}" for w in rest)]


def _render_set(env: Env, result: SetResult) -> None:
    got = result.installed
    lines = [f"Reminder set: every day {_when(got)}, only on a day without a check-in."]
    old = [r for r in result.replaced if r.at != got.at or r.scheduler != got.scheduler]
    if old:
        lines.append(f"It replaces the one {_when(old[0])} ({old[0].label}).")
    lines.append(f"It is {got.label}.")
    lines += _where(got)
    paragraphs = ["\n".join(lines)]
    if result.notifier is None:
        wanted = WANTED.get(sys.platform, "notify-send")
        paragraphs += ["", NO_NOTIFIER.format(wanted=wanted)]
    paragraphs += ["", CHANGE]
    _say(env, *paragraphs)


def _show_json(result: ShowResult) -> dict[str, Any]:
    from selfback.remind.timeparse import hhmm

    got = result.installed
    data: dict[str, Any] = {"set": got is not None, "notifier": result.notifier}
    if got is None:
        data["scheduler"] = result.scheduler
        return data
    data.update(
        {
            "at": hhmm(got.at) if got.at else None,
            "scheduler": got.scheduler,
            "scheduler_label": got.label,
            "command": got.command,
            "where": list(got.where),
            "content": got.content,
        }
    )
    return data


def _render_show(env: Env, result: ShowResult) -> None:
    got = result.installed
    if result.notifier:
        notifier = f"Notifications: {result.notifier} was found."
    else:
        wanted = WANTED.get(sys.platform, "notify-send")
        notifier = f"Notifications: no desktop notifier ({wanted}) was found, so none can appear."
    if got is None:
        how = (
            f"A new one would be {result.scheduler}."
            if result.scheduler
            else "This computer has no scheduler selfback can use."
        )
        _say(env, NOT_SET, how, notifier)
        return
    lines = [
        f"Your reminder: every day {_when(got)}, only on a day without a check-in.",
        f"How: {got.label}.",
        *_where(got),
        f"It runs: {got.command}",
        notifier,
    ]
    _say(env, "\n".join(lines), "", CHANGE)


def _system() -> Any:
    from selfback.remind.system import detect

    return detect()


def _quiet_streams() -> None:
    """pythonw.exe (a Windows task) has no console: give print-happy code somewhere to go."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, os.fdopen(os.open(os.devnull, os.O_WRONLY), "w"))


def register(app: typer.Typer) -> None:
    remind_app = typer.Typer(
        help="A daily reminder to check in. It goes through your computer's own scheduler "
        "and shows a desktop notification only on days without a check-in, at most once "
        "a day.",
        no_args_is_help=False,
        invoke_without_command=True,
    )
    app.add_typer(remind_app, name="remind")

    @remind_app.callback()
    def remind_root(ctx: typer.Context) -> None:
        """A daily reminder to check in."""
        if ctx.invoked_subcommand is None:
            show(ctx, json_out=False)

    @remind_app.command("set")
    def set_(
        ctx: typer.Context,
        when: str = typer.Argument(..., help="The time of day, e.g. 21:00 or 9pm."),
    ) -> None:
        """Set the daily reminder. Setting it again changes the time."""
        from selfback.actions.remind import set_reminder
        from selfback.remind.timeparse import parse_time

        env = env_of(ctx)
        at = parse_time(when)
        _render_set(env, set_reminder(at, _system()))

    @remind_app.command("show")
    def show(
        ctx: typer.Context,
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Show the reminder. Also how it is installed, where, what it runs, and whether
        a desktop notifier was found."""
        import json

        from selfback.actions.remind import show_reminder

        env = env_of(ctx)
        result = show_reminder(_system())
        if json_out:
            env.stdout.write(json.dumps(_show_json(result), indent=2) + "\n")
            return
        _render_show(env, result)

    @remind_app.command("off")
    def off(ctx: typer.Context) -> None:
        """Remove the daily reminder."""
        from selfback.actions.remind import remove_reminder

        env = env_of(ctx)
        result = remove_reminder(_system())
        if not result.removed:
            _say(env, "No reminder is set, so there is nothing to remove.")
            return
        gone = result.removed[0]
        _say(env, f"Reminder removed (it was every day {_when(gone)}, {gone.label}).")

    @remind_app.command("run", hidden=True)
    def run(
        ctx: typer.Context,
        at: str = typer.Option("", "--at", help="The reminder's time (set by remind set)."),
        home: str = typer.Option("", "--home", help="SELFBACK_HOME, where a task has none."),
    ) -> None:
        """What the scheduler runs: a notification on a day without a check-in, at most
        once a day. Always quiet, always exit status 0."""
        from selfback import crashlog

        log = crashlog.log
        _quiet_streams()
        try:
            _run(ctx, at, home)
        except Exception:
            log.exception("reminder: the daily run")


def _run(ctx: typer.Context, at_text: str, home: str) -> None:
    from selfback import crashlog
    from selfback.actions.remind import run_reminder
    from selfback.remind.notify import find_notifier
    from selfback.remind.timeparse import parse_time

    env = env_of(ctx)
    paths = env.paths
    if home:
        from selfback.paths import get_paths

        os.environ["SELFBACK_HOME"] = home
        paths = get_paths()
    crashlog.install(paths)
    at = parse_time(at_text) if at_text else None
    run_reminder(paths, env.clock.now(), find_notifier(os.environ, sys.platform), at=at)
