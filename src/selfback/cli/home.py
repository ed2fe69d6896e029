"""`selfback` with no arguments: a short home screen. (Filled in by the cope work.)"""

from __future__ import annotations

from selfback.env import Env


def show_home(env: Env) -> None:
    env.stdout.write(
        "selfback\n\n"
        "  Hard right now?   selfback cope\n"
        "  In crisis?        selfback sos\n"
        "  Daily check-in:   selfback checkin\n\n"
        "More: selfback --help\n"
    )
