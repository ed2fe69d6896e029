"""Writing what was heard: a kind lead line, then the short crisis text, flushed at once.

The deciding is done by the actions (``selfback.actions.hear`` after a check-in or an
edit, ``selfback.actions.measure`` after a crisis item); this module only writes. The
crisis text comes from ``selfback.safety.crisis.crisis_text``, which never raises (it
falls back to its own last-resort lines), for the person's country with their own people
from the safety plan. Standard library only at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfback.env import Env


def crisis_block(env: Env, *, cope_line: bool = True) -> str:
    """The short crisis text (no trailing newline)."""
    from selfback.safety.crisis import crisis_text

    return crisis_text(env.paths, color=env.color, compact=True, cope_line=cope_line).rstrip("\n")


def wrapped(env: Env, text: str) -> str:
    """``text`` wrapped by whole words to the terminal (at most 88 columns)."""
    from selfback.text import terminal_width, wrap

    width = min(terminal_width(env.stdout), 88)
    return "\n".join(wrap(text, width))


def show_crisis(env: Env, lead: str, *, cope_line: bool = True) -> None:
    """One blank line, the kind lead line, the short crisis text; flushed at once."""
    env.stdout.write("\n" + wrapped(env, lead) + "\n" + crisis_block(env, cope_line=cope_line))
    env.stdout.write("\n")
    env.stdout.flush()
