"""The environment of one run, carried on Typer's context object.

``selfback.main`` makes one ``Env`` per run and passes it as the root context's ``obj``;
a command takes ``ctx: typer.Context`` and calls ``env_of(ctx)``. Nothing reads a global,
so a test (or a second run in the same process) gets exactly the environment it made.
Standard library and typer only (this is imported by every command module).
"""

from __future__ import annotations

import typer

from selfback.env import Env


def env_of(ctx: typer.Context) -> Env:
    """The run's environment (a fresh default one if the command was invoked without one,
    e.g. by a test building the Typer app directly)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Env):
        root.obj = Env()
    return root.obj
