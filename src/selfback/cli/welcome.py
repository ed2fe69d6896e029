"""The one short welcome shown on first interactive run, then never again."""

from __future__ import annotations

from selfback.env import Env

WELCOME = """\
Welcome to selfback.

- Everything you write stays on this machine. Nothing is sent anywhere.
- If you are in crisis, run `selfback sos` at any time: it shows crisis lines for
  your country and your own safety plan. Press ! on any coping step for the same.
- Tell selfback your country so it shows the right numbers:
  `selfback config set country GB` (use your own two-letter code).

This message will not appear again.
"""

SKIP = {"sos", "nudge", None}


def maybe_welcome(env: Env, subcommand: str | None) -> None:
    marker = env.paths.first_run_marker
    if subcommand in {"sos", "nudge"} or not env.interactive:
        return
    try:
        if marker.exists():
            return
        from selfback.fsutil import atomic_write

        env.paths.ensure()
        env.stdout.write(WELCOME + "\n")
        env.stdout.flush()
        atomic_write(marker, "welcomed\n")
    except OSError:
        return
