"""The breathing pacer and timer countdown, rendered into a string (no terminal)."""

from __future__ import annotations

import io
import re
from typing import Any, cast

import pytest

from selfback.clock import Clock
from selfback.env import Env
from selfback.skills.schema import BreatheStep
from selfback.ui.keys import KeyPoller
from selfback.ui.pacer import (
    bar_width,
    fmt_clock,
    phases,
    run_breathe,
    run_timer,
    say_duration,
)

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Out(io.StringIO):
    encoding = "utf-8"


def make_env(*, animated: bool) -> tuple[Env, Out]:
    out = Out()
    env = Env(stdin=io.StringIO(""), stdout=out, clock=Clock(scale=0.0))
    env.__dict__["reduced_motion"] = not animated
    env.__dict__["color"] = animated
    return env, out


def breathe(**kw: Any) -> BreatheStep:
    return BreatheStep.model_validate({"kind": "breathe", **kw})


class Keys:
    """Stands in for KeyPoller: returns the given actions, one per poll."""

    def __init__(self, *actions: str | None) -> None:
        self.actions = list(actions)

    def poll(self) -> str | None:
        return self.actions.pop(0) if self.actions else None


def test_phases_leave_out_zero_lengths_and_fill_the_bar() -> None:
    box = phases(breathe(inhale=4, hold=4, exhale=4, hold_after=4, cycles=1))
    assert [p.name for p in box] == ["in", "hold", "out", "rest"]
    sigh = phases(breathe(inhale=2, top_up=1, exhale=6, cycles=1))
    assert [p.name for p in sigh] == ["in", "top_up", "out"]
    assert sigh[0].fill_to == sigh[1].fill_from < sigh[1].fill_to == 1.0
    assert sigh[-1].fill_to == 0.0


def test_plain_pacer_is_one_line_per_phase() -> None:
    env, out = make_env(animated=False)
    result = run_breathe(env, breathe(inhale=4, hold=7, exhale=8, cycles=2))
    assert result.action is None and result.breaths == 2
    assert out.getvalue() == (
        "  Breath 1 of 2: breathe in... 4\n"
        "  Hold... 7\n"
        "  Breathe out... 8\n"
        "  Breath 2 of 2: breathe in... 4\n"
        "  Hold... 7\n"
        "  Breathe out... 8\n"
    )


def test_plain_pacer_takes_the_full_time_on_the_clock() -> None:
    env, _ = make_env(animated=False)
    start = env.clock.monotonic()
    run_breathe(env, breathe(inhale=4, exhale=6, cycles=3))
    assert env.clock.monotonic() - start == pytest.approx(30, abs=0.5)


def test_animated_pacer_redraws_one_line_and_restores_the_cursor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    env, out = make_env(animated=True)
    run_breathe(env, breathe(inhale=4, exhale=6, cycles=2))
    text = out.getvalue()
    assert text.startswith("\x1b[?25l") and text.endswith("\x1b[?25h")
    assert "\n" not in text
    frames = [ANSI.sub("", f) for f in text.split("\r") if f.strip()]
    assert any("Breathe in" in f and "Breath 1 of 2" in f for f in frames)
    assert any("Breathe out" in f for f in frames)
    assert "█" in text


@pytest.mark.parametrize("columns", [40, 50, 60, 80])
def test_animated_lines_never_wrap(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    env, out = make_env(animated=True)
    run_breathe(env, breathe(inhale=2, top_up=1, exhale=6, cycles=12))
    run_timer(env, 3599)
    for frame in out.getvalue().split("\r"):
        assert len(ANSI.sub("", frame)) < columns, repr(frame)
    assert bar_width(10, 30) == 4


def test_a_key_ends_the_pacer_early() -> None:
    env, _ = make_env(animated=False)
    result = run_breathe(
        env, breathe(inhale=4, exhale=6, cycles=5), cast(KeyPoller, Keys(None, None, "s"))
    )
    assert result.action == "s" and result.breaths == 1


def test_plain_timer_announces_a_few_times() -> None:
    env, out = make_env(animated=False)
    assert run_timer(env, 30) is None
    assert out.getvalue() == ("  Timer: 30 seconds.\n  20 seconds left.\n  10 seconds left.\n")
    env, out = make_env(animated=False)
    run_timer(env, 120)
    assert out.getvalue().splitlines() == [
        "  Timer: 2 minutes.",
        "  1 minute 30 seconds left.",
        "  1 minute left.",
        "  30 seconds left.",
    ]


def test_animated_timer_counts_down() -> None:
    env, out = make_env(animated=True)
    run_timer(env, 90)
    frames = [ANSI.sub("", f).strip() for f in out.getvalue().split("\r")]
    frames = [f for f in frames if f]
    assert frames[0].startswith("1:30") and frames[-1].startswith("0:00")


def test_a_key_ends_the_timer_early() -> None:
    env, _ = make_env(animated=False)
    start = env.clock.monotonic()
    assert run_timer(env, 600, cast(KeyPoller, Keys(None, "enter"))) == "enter"
    assert env.clock.monotonic() - start < 600


def test_time_words() -> None:
    assert say_duration(1) == "1 second"
    assert say_duration(60) == "1 minute"
    assert say_duration(3600) == "60 minutes"
    assert say_duration(75) == "1 minute 15 seconds"
    assert fmt_clock(90) == "1:30" and fmt_clock(0.2) == "0:01" and fmt_clock(0) == "0:00"
