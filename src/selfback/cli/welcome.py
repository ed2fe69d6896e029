"""The one short welcome shown on first interactive run, then never again.

It comes just before a command's own screen, once Typer has parsed its arguments
(``before_screens`` wraps every command's callback), so it never lands inside a screen
or above ``--help`` or a usage error; and it does not ask for a country that is set, or
while the person is in ``config``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from selfback.env import Env

WELCOME_LINES = (
    "Welcome to selfback.",
    "",
    "- Everything you write stays on this machine. Nobody reads what you type, and "
    "nothing is sent anywhere.",
    "- That also means selfback cannot alert anyone or call for help on its own. If you "
    "are in danger, call your local emergency number.",
    "- If you are in crisis, run selfback sos at any time: it shows crisis lines for your "
    "country and your own safety plan. Press ! on any coping step for the same.",
)
COUNTRY_LINE = (
    "- Tell selfback your country so it shows the right numbers: "
    "selfback config set country GB (use your own two-letter code)."
)
LAST_LINE = "This message will not appear again."

SKIP = {"sos", "nudge", "help"}
NO_COUNTRY_LINE = {"config set"}  # the person is changing a setting right now


def welcome_text(env: Env, path: str | None = None) -> str:
    """The welcome, wrapped by words to the terminal; the country line only when no
    country is set yet."""
    from selfback.safety.crisis import country_from_config
    from selfback.text import terminal_width, wrap_block

    lines = list(WELCOME_LINES)
    country, _ok = country_from_config(env.paths)  # never raises
    if not country and path not in NO_COUNTRY_LINE:
        lines.append(COUNTRY_LINE)
    lines += ["", LAST_LINE]
    width = min(terminal_width(env.stdout), 88)
    return "\n".join(wrap_block("\n".join(lines), width)) + "\n"


def maybe_welcome(env: Env, subcommand: str | None, path: str | None = None) -> None:
    marker = env.paths.first_run_marker
    if subcommand in SKIP or not env.interactive:
        return
    try:
        if marker.exists():
            return
        from selfback.fsutil import atomic_write

        env.paths.ensure()
        env.stdout.write(welcome_text(env, path) + "\n")
        env.stdout.flush()
        atomic_write(marker, "welcomed\n")
    except OSError:
        return


def _command_path(ctx: Any) -> str:
    """The command ``ctx`` runs, without the program's name: ``history edit``."""
    names: list[str] = []
    while ctx.parent is not None:
        names.append(str(ctx.info_name))
        ctx = ctx.parent
    return " ".join(reversed(names))


def _before(callback: Callable[..., Any], is_group: bool) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        from typer._click.globals import get_current_context

        from selfback.cli.context import env_of

        ctx: Any = get_current_context()
        if not is_group or ctx.invoked_subcommand is None:
            path = _command_path(ctx)
            maybe_welcome(env_of(ctx), path.split(" ")[0] or None, path)
        return callback(*args, **kwargs)

    return run


def before_screens(command: Any, *, root: bool = True) -> None:
    """Make every command below ``command`` show the welcome (once, if due) right before
    its own screen: a leaf when it runs, a group only when it is run without a
    subcommand. The root's callback calls ``maybe_welcome`` itself for the home screen."""
    subs = getattr(command, "commands", {})
    if not root and command.callback is not None:
        command.callback = _before(command.callback, bool(subs))
    for sub in subs.values():
        before_screens(sub, root=False)
