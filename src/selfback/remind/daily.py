"""Whether to remind today, and the small private file that keeps it to once a day.

The decision is pure (``decide``): remind only on a day without a check-in, only once,
and never before the reminder's own time (a job that launchd or systemd runs late, when
the computer wakes the next morning, waits for that evening instead). The state file is
``<data dir>/reminder-state.json``, ``{"last_shown": "2026-11-21"}``, written atomically
and private.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from enum import Enum
from pathlib import Path

STATE_FILE = "reminder-state.json"

TITLE = "A moment for yourself?"
BODY = (
    "If you like, a check-in takes about ten seconds: type selfback checkin and give "
    "your mood from 0 (worst) to 10 (best)."
)


class Decision(Enum):
    REMIND = "remind"
    CHECKED_IN = "checked-in"  # there is a check-in today: nothing to do
    ALREADY = "already-reminded"  # shown once today already
    TOO_EARLY = "too-early"  # run before the reminder's time (a late catch-up)


def decide(
    now: datetime, *, checked_in: bool, last_shown: date | None, at: time | None = None
) -> Decision:
    today = now.date()
    if last_shown == today:
        return Decision.ALREADY
    if at is not None and now.time() < at:
        return Decision.TOO_EARLY
    if checked_in:
        return Decision.CHECKED_IN
    return Decision.REMIND


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def last_shown(data_dir: Path) -> date | None:
    """The last day a reminder was shown (None if never, or the file is unreadable)."""
    try:
        data = json.loads(state_path(data_dir).read_text(encoding="utf-8"))
        return date.fromisoformat(str(data["last_shown"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_shown(data_dir: Path, day: date | None) -> None:
    """Remember ``day`` as the last day shown (None forgets). Raises OSError."""
    from selfback.fsutil import atomic_write, ensure_dir

    path = state_path(data_dir)
    if day is None:
        path.unlink(missing_ok=True)
        return
    ensure_dir(data_dir)
    atomic_write(path, json.dumps({"last_shown": day.isoformat()}) + "\n")
