"""The breathing pacer and the timer countdown.

Two renderings:

- animated (colour terminal, motion allowed): one line redrawn in place, a bar that fills
  on the in-breath, stays full on a hold and empties on the out-breath, with the seconds
  left in the phase;
- plain (``--plain``, NO_COLOR, not a terminal, or reduced motion): one line per phase,
  e.g. ``Breathe in... 4``, and a few spoken-style lines for a timer. No cursor tricks,
  so screen readers read each line once.

Time comes from ``env.clock`` (tests scale it down). While running, a key press ends it
early: Enter or space finishes, ``s`` skips, ``b`` goes back, ``q`` stops and ``!`` shows
crisis lines; the caller decides what each means. Ctrl-C raises KeyboardInterrupt.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.skills.schema import BreatheStep
    from selfback.ui.keys import KeyPoller

POLL_REAL_SECONDS = 0.1  # how often keys are checked and frames drawn, in real time
BAR_WIDTH = 24

_RESET = "\x1b[0m"
_DIM = "\x1b[2m"
_CYAN = "\x1b[36m"
_BOLD = "\x1b[1m"
_HIDE_CURSOR = "\x1b[?25l"
_SHOW_CURSOR = "\x1b[?25h"
_CLEAR_LINE = "\r\x1b[2K"


@dataclass(frozen=True)
class Phase:
    name: str  # in, top_up, hold, out, rest
    label: str
    seconds: float
    fill_from: float
    fill_to: float


@dataclass(frozen=True)
class PacerResult:
    action: str | None  # None: ran to the end; else the key action that ended it
    breaths: int  # full breaths completed


def phases(step: BreatheStep) -> list[Phase]:
    """The phases of one breath, leaving out those of zero length."""
    top = 0.8 if step.top_up > 0 else 1.0
    out = [
        Phase("in", "Breathe in", step.inhale, 0.0, top),
        Phase("top_up", "A little more in", step.top_up, top, 1.0),
        Phase("hold", "Hold", step.hold, 1.0, 1.0),
        Phase("out", "Breathe out", step.exhale, 1.0, 0.0),
        Phase("rest", "Rest", step.hold_after, 0.0, 0.0),
    ]
    return [p for p in out if p.seconds > 0]


def fmt_seconds(seconds: float) -> str:
    return f"{seconds:g}"


def fmt_clock(seconds: float) -> str:
    s = max(0, math.ceil(seconds - 1e-9))
    return f"{s // 60}:{s % 60:02d}"


def say_duration(seconds: float) -> str:
    s = max(0, round(seconds))
    minutes, secs = divmod(s, 60)
    parts = []
    if minutes:
        parts.append("1 minute" if minutes == 1 else f"{minutes} minutes")
    if secs or not parts:
        parts.append("1 second" if secs == 1 else f"{secs} seconds")
    return " ".join(parts)


def _bar(fill: float, unicode_ok: bool, width: int = BAR_WIDTH) -> str:
    n = max(0, min(width, round(fill * width)))
    full, empty = ("█", "░") if unicode_ok else ("#", ".")
    return full * n + empty * (width - n)


def bar_width(columns: int, used: int) -> int:
    """The bar's width so that one line never wraps (a wrapped line cannot be redrawn)."""
    return max(4, min(BAR_WIDTH, columns - used - 1))


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _unicode_ok(env: Env) -> bool:
    enc = (getattr(env.stdout, "encoding", None) or "").lower()
    return "utf" in enc


class _BreathFrame:
    """Draws one phase of the animated pacer, writing only when the picture changes."""

    def __init__(
        self, env: Env, phase: Phase, cycle: int, cycles: int, uni: bool, columns: int
    ) -> None:
        self.env, self.phase, self.uni = env, phase, uni
        count = f"Breath {cycle} of {cycles}  "
        wide = columns >= 2 + len(count) + 17 + BAR_WIDTH + 4
        self.count = f"{_DIM}{count}{_RESET}" if wide else ""
        self.width = bar_width(columns, 2 + (len(count) if wide else 0) + 17 + 4)
        self.last = ""

    def __call__(self, t: float) -> None:
        phase = self.phase
        frac = t / phase.seconds if phase.seconds else 1.0
        fill = phase.fill_from + (phase.fill_to - phase.fill_from) * frac
        left = max(1, math.ceil(phase.seconds - t - 1e-9))
        text = (
            f"{_CLEAR_LINE}  {self.count}{_BOLD}{phase.label:<17}{_RESET}"
            f"{_CYAN}{_bar(fill, self.uni, self.width)}{_RESET}  {left:>2}"
        )
        if text != self.last:
            self.last = text
            _write(self.env, text)


class _Runner:
    """Runs for a duration on env.clock, polling keys and calling a frame function."""

    def __init__(self, env: Env, keys: KeyPoller | None) -> None:
        self.env = env
        self.keys = keys
        scale = env.clock.scale or 0.0
        self.tick = POLL_REAL_SECONDS / scale if scale > 0 else math.inf

    def run(self, seconds: float, frame: Callable[[float], None]) -> str | None:
        clock = self.env.clock
        start = clock.monotonic()
        while True:
            elapsed = clock.monotonic() - start
            frame(min(elapsed, seconds))
            if elapsed >= seconds:
                return None
            if self.keys is not None:
                action = self.keys.poll()
                if action is not None:
                    return action
            clock.sleep(min(seconds - elapsed, self.tick))


def _write(env: Env, text: str) -> None:
    env.stdout.write(text)
    env.stdout.flush()


def animated(env: Env) -> bool:
    return not env.reduced_motion


def run_breathe(env: Env, step: BreatheStep, keys: KeyPoller | None = None) -> PacerResult:
    """Pace ``step.cycles`` breaths. Returns how it ended and the breaths completed."""
    runner = _Runner(env, keys)
    parts = phases(step)
    moving = animated(env)
    uni = _unicode_ok(env)
    columns = _columns()
    done = 0
    if moving:
        _write(env, _HIDE_CURSOR)
    try:
        for cycle in range(1, step.cycles + 1):
            for i, phase in enumerate(parts):
                if moving:
                    frame = _BreathFrame(env, phase, cycle, step.cycles, uni, columns)
                    action = runner.run(phase.seconds, frame)
                else:
                    if i == 0:
                        line = f"Breath {cycle} of {step.cycles}: {phase.label.lower()}"
                    else:
                        line = phase.label
                    _write(env, f"  {line}... {fmt_seconds(phase.seconds)}\n")
                    action = runner.run(phase.seconds, lambda t: None)
                if action is not None:
                    return PacerResult(action, done)
            done = cycle
        return PacerResult(None, done)
    finally:
        if moving:
            _write(env, _CLEAR_LINE + _SHOW_CURSOR)


def _announce_every(seconds: float) -> int:
    if seconds <= 60:
        return 10
    if seconds <= 300:
        return 30
    return 60


def run_timer(env: Env, seconds: float, keys: KeyPoller | None = None) -> str | None:
    """Count down ``seconds``. Returns None when time ran out, else the key action."""
    runner = _Runner(env, keys)
    moving = animated(env)
    uni = _unicode_ok(env)
    if moving:
        _write(env, _HIDE_CURSOR)
        last = [""]
        width = bar_width(_columns(), 2 + len(fmt_clock(seconds)) + 2)

        def frame(t: float) -> None:
            left = seconds - t
            text = (
                f"{_CLEAR_LINE}  {_BOLD}{fmt_clock(left)}{_RESET}  "
                f"{_CYAN}{_bar(left / seconds, uni, width)}{_RESET}"
            )
            if text != last[0]:
                last[0] = text
                _write(env, text)

        try:
            return runner.run(seconds, frame)
        finally:
            _write(env, _CLEAR_LINE + _SHOW_CURSOR)

    _write(env, f"  Timer: {say_duration(seconds)}.\n")
    every = _announce_every(seconds)
    marks = [m for m in range(math.ceil(seconds) - 1, 0, -1) if m % every == 0]
    left = float(seconds)
    for mark in marks:
        action = runner.run(left - mark, lambda t: None)
        if action is not None:
            return action
        left = float(mark)
        _write(env, f"  {say_duration(mark)} left.\n")
    return runner.run(left, lambda t: None)
