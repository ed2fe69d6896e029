"""`selfback` with no arguments: a short home screen.

Today's check-in, how to cope, how to get crisis help, the last skill that helped, and a
gentle measure reminder when one is due (``selfback.actions.home`` reads them). Reads the
log read-only (never creates or upgrades it) and never fails: anything it cannot read is
simply left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfback.env import Env

if TYPE_CHECKING:
    from selfback.actions.home import HomeFacts

_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def checkin_line(count: int | None, *, locked: bool = False) -> str:
    from selfback.messages import data as msg

    if locked:
        from selfback.messages.privacy import HOME_LOCKED

        return HOME_LOCKED
    if count is None:
        return msg.HOME_UNREADABLE
    if count == 0:
        return msg.HOME_NO_CHECKIN
    if count == 1:
        return msg.HOME_ONE_CHECKIN
    return msg.HOME_CHECKINS.format(n=count)


def _reminders_on(env: Env) -> bool:
    from selfback.errors import DataError

    try:
        return env.settings.measure_reminders
    except DataError:  # a damaged settings file: the default (on); doctor says so
        return True


def home_lines(env: Env) -> list[str]:
    from selfback.actions.home import home_facts
    from selfback.messages import data as msg
    from selfback.text import clean_line, terminal_width

    facts: HomeFacts = home_facts(env.paths, env.clock.now(), reminders=_reminders_on(env))
    bold = (lambda t: f"{_BOLD}{t}{_RESET}") if env.color else (lambda t: t)
    dim = (lambda t: f"{_DIM}{t}{_RESET}") if env.color else (lambda t: t)
    today = checkin_line(facts.checkins_today, locked=facts.locked)
    lines = [bold("selfback"), "", f"  {today}", ""]
    lines.append(msg.HOME_COPE)
    # What sos shows goes beside it, or under the command where the line is too narrow.
    beside = f"{msg.HOME_SOS}   {msg.HOME_SOS_WHY}"
    if len(beside) < terminal_width(env.stdout):
        lines.append(beside)
    else:
        lines += [msg.HOME_SOS, " " * (len(msg.HOME_SOS) - len("selfback sos")) + msg.HOME_SOS_WHY]
    if facts.helped is not None:
        name = clean_line(facts.helped.skill_title or facts.helped.skill_id)
        lines += ["", f"  {msg.HOME_HELPED.format(name=name)}"]
    if facts.reminder:
        lines += ["", f"  {facts.reminder}"]
    lines.append("")
    lines.append(dim(msg.HOME_MORE))
    return _fit(env, lines)


def _fit(env: Env, lines: list[str]) -> list[str]:
    """Each line as it is where it fits; else wrapped by whole words to the terminal,
    its indent kept (at 40 columns no word is broken)."""
    from selfback.text import terminal_width, visible_len, wrap_block

    width = terminal_width(env.stdout) - 1
    out: list[str] = []
    for line in lines:
        out.extend([line] if visible_len(line) <= width else wrap_block(line, width))
    return out


def show_home(env: Env) -> None:
    env.stdout.write("\n".join(home_lines(env)) + "\n")
    env.stdout.flush()
