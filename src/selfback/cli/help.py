"""`selfback help [COMMAND]...`: the same help as ``--help``, for people who type help.

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

import typer

from selfback.cli.context import env_of
from selfback.errors import UsageError


def help_text(names: list[str]) -> str:
    """The help of ``selfback NAMES...`` (the whole app's with no names)."""
    from selfback.cli.app import get_click_command

    command = get_click_command(None)
    ctx = command.make_context("selfback", [], resilient_parsing=True)
    path = ["selfback"]
    for name in names:
        sub = getattr(command, "commands", {}).get(name)
        if sub is None or sub.hidden:
            shown = " ".join([*path[1:], name])
            raise UsageError(
                f"There is no command called '{shown}'. Run selfback help to see them all."
            )
        path.append(name)
        ctx = sub.make_context(name, [], parent=ctx, resilient_parsing=True)
        command = sub
    return str(command.get_help(ctx))


def register(app: typer.Typer) -> None:
    @app.command("help")
    def help_(
        ctx: typer.Context,
        command: list[str] = typer.Argument(
            None, metavar="[COMMAND]...", help="A command, e.g. checkin or trackers pin."
        ),
    ) -> None:
        """Show what a command does and how to use it (the same as --help)."""
        env = env_of(ctx)
        env.stdout.write(help_text(list(command or [])) + "\n")
