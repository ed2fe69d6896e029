"""The one short welcome shown on first interactive run, then never again."""

from __future__ import annotations

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

SKIP = {"sos", "nudge", None}


def welcome_text(env: Env) -> str:
    """The welcome, wrapped by words to the terminal; the country line only when no
    country is set yet."""
    from selfback.safety.crisis import country_from_config
    from selfback.text import terminal_width, wrap_block

    lines = list(WELCOME_LINES)
    country, _ok = country_from_config(env.paths)  # never raises
    if not country:
        lines.append(COUNTRY_LINE)
    lines += ["", LAST_LINE]
    width = min(terminal_width(env.stdout), 88)
    return "\n".join(wrap_block("\n".join(lines), width)) + "\n"


def maybe_welcome(env: Env, subcommand: str | None) -> None:
    marker = env.paths.first_run_marker
    if subcommand in {"sos", "nudge"} or not env.interactive:
        return
    try:
        if marker.exists():
            return
        from selfback.fsutil import atomic_write

        env.paths.ensure()
        env.stdout.write(welcome_text(env) + "\n")
        env.stdout.flush()
        atomic_write(marker, "welcomed\n")
    except OSError:
        return
