"""A rich Console that respects plain mode, NO_COLOR and non-TTY output."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.box import Box
    from rich.console import Console

    from selfback.env import Env


def make_console(env: Env, *, stderr: bool = False) -> Console:
    from rich.console import Console

    stream = env.stderr if stderr else env.stdout
    return Console(
        file=stream,
        color_system="auto" if env.color else None,
        no_color=not env.color,
        force_terminal=env.color or None,
        highlight=False,
        emoji=False,
        markup=True,
        soft_wrap=False,
    )


def table_box(env: Env) -> Box:
    """Box style for tables: simple lines, or plain ASCII for plain mode/screen readers."""
    from rich import box

    return box.ASCII if (env.plain or not env.color) else box.SIMPLE_HEAD
