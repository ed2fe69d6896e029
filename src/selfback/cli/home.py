"""`selfback` with no arguments: a short home screen.

Today's check-in, how to cope, how to get crisis help, the last skill that helped, and a
gentle measure reminder when one is due. Reads the log read-only (never creates or
upgrades it) and never fails: anything it cannot read is simply left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from selfback.env import Env

if TYPE_CHECKING:
    from selfback.store.db import Store

_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


UNREADABLE = "Your log could not be read just now. selfback doctor shows what to do."


def _open_log(env: Env) -> Store | None:
    if not env.paths.database.exists():
        return None
    from selfback.store import db

    opener: Any = getattr(db, "open_readonly", None)
    if opener is not None:
        store: Store | None = opener(env.paths)
        return store
    return db.open_store(env.paths)


def checkin_line(store: Store | None, today: str) -> str:
    count = 0
    if store is not None:
        try:
            rows = store.query("SELECT count(*) FROM checkins WHERE local_date = ?", (today,))
            count = int(rows[0][0])
        except Exception:
            return UNREADABLE
    if count == 0:
        return "Today: no check-in yet. When you're ready, it takes a minute: selfback checkin"
    if count == 1:
        return "Today: you checked in. Thank you for looking after yourself."
    return f"Today: you checked in {count} times. Thank you for looking after yourself."


def helped_line(store: Store | None) -> str | None:
    if store is None:
        return None
    try:
        from selfback.store.sessions import last_helpful_skill

        last = last_helpful_skill(store)
    except Exception:
        return None
    if last is None:
        return None
    from selfback.text import clean_line

    name = clean_line(last.skill_title or last.skill_id)
    return f"Last time, {name} helped. To do it again: selfback cope --again"


def reminder_line(env: Env, store: Store | None, now: Any) -> str | None:
    if store is None:
        return None
    try:
        if not env.settings.measure_reminders:
            return None
    except Exception:
        pass
    try:
        from selfback.measures import reminders
    except Exception:
        return None
    try:
        line = getattr(reminders, "reminder_line", None)
        if line is not None:
            text = line(store, now)
            return str(text) if text else None
        due = reminders.overdue(store, now)
    except Exception:
        return None
    if not due:
        return None
    names = ", ".join(due)
    return (
        f"It has been a couple of weeks since your last {names}. "
        "When you feel like it: selfback measure"
    )


def home_lines(env: Env) -> list[str]:
    now = env.clock.now()
    store: Store | None = None
    unreadable = False
    try:
        store = _open_log(env)
    except Exception:
        store = None
        unreadable = True
    try:
        today = now.date().isoformat()
        check = checkin_line(store, today)
        if unreadable:
            check = UNREADABLE
        helped = helped_line(store)
        reminder = reminder_line(env, store, now)
    finally:
        if store is not None:
            store.close()
    bold = (lambda t: f"{_BOLD}{t}{_RESET}") if env.color else (lambda t: t)
    dim = (lambda t: f"{_DIM}{t}{_RESET}") if env.color else (lambda t: t)
    lines = [bold("selfback"), "", f"  {check}", ""]
    lines.append("  Hard right now?   selfback cope")
    lines.append("  In crisis?        selfback sos   (crisis lines and your safety plan)")
    if helped:
        lines.append("")
        lines.append(f"  {helped}")
    if reminder:
        lines.append("")
        lines.append(f"  {reminder}")
    lines.append("")
    lines.append(dim("More: selfback --help"))
    return lines


def show_home(env: Env) -> None:
    env.stdout.write("\n".join(home_lines(env)) + "\n")
    env.stdout.flush()
