"""The environment of one run, carried on Typer's context object.

``selfback.main`` makes one ``Env`` per run and passes it as the root context's ``obj``;
a command takes ``ctx: typer.Context`` and calls ``env_of(ctx)``. Nothing reads a global,
so a test (or a second run in the same process) gets exactly the environment it made.
Standard library and typer only (this is imported by every command module).
"""

from __future__ import annotations

import typer

from selfback.env import Env
from selfback.errors import UsageError
from selfback.messages import common

LARGEST_ID = 2**63 - 1  # SQLite's largest row id


def env_of(ctx: typer.Context) -> Env:
    """The run's environment (a fresh default one if the command was invoked without one,
    e.g. by a test building the Typer app directly)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Env):
        root.obj = Env()
    return root.obj


def parse_id(raw: str, *, what: str, where: str) -> int:
    """A record's number as typed (``history show 12``): a whole number from 1 up, or a
    UsageError in one plain sentence naming ``what`` it is and ``where`` to find it."""
    from selfback.text import clean_line

    text = raw.strip()
    shown = clean_line(text)[:30]
    if not text.isascii() or not text.isdigit():
        raise UsageError(common.NOT_AN_ID.format(raw=shown, what=what, where=where))
    number = int(text)
    if not 1 <= number <= LARGEST_ID:
        raise UsageError(common.NO_SUCH_ID.format(raw=shown, what=what, where=where))
    return number
