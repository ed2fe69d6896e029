"""An injectable clock, so tests can make a 60-second timer take milliseconds.

Environment knobs (meant for tests and benchmarks, harmless otherwise):

- ``SELFBACK_NOW``: an ISO 8601 timestamp (with offset) to use as "now" at start-up.
- ``SELFBACK_TIME_SCALE``: a factor applied to every real sleep (``0.001`` makes a
  minute pass in 60 ms). Virtual time still advances by the full amount, so timers
  count down their real number of seconds.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta


class Clock:
    def __init__(self, start: datetime | None = None, scale: float = 1.0) -> None:
        self._start_real = time.monotonic()
        self._start = start
        self._virtual = 0.0  # seconds slept beyond real time (scaled sleeps)
        self.scale = scale

    @classmethod
    def from_env(cls) -> Clock:
        start = None
        raw = os.environ.get("SELFBACK_NOW")
        if raw:
            try:
                start = datetime.fromisoformat(raw)
                if start.tzinfo is None:
                    start = start.astimezone()
            except ValueError:
                start = None
        try:
            scale = float(os.environ.get("SELFBACK_TIME_SCALE", "1"))
        except ValueError:
            scale = 1.0
        if not (0 <= scale <= 1000):
            scale = 1.0
        return cls(start=start, scale=scale)

    def monotonic(self) -> float:
        """Seconds since the clock started, counting scaled sleeps at full length."""
        return (time.monotonic() - self._start_real) + self._virtual

    def now(self) -> datetime:
        """The current local time, timezone-aware."""
        if self._start is not None:
            return self._start + timedelta(seconds=self.monotonic())
        real = datetime.now().astimezone()
        return real + timedelta(seconds=self._virtual)

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        real = seconds * self.scale
        time.sleep(real)
        self._virtual += seconds - real
