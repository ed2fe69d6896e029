"""One step per screen: shows a step of a walk and turns the person's keys into engine
calls (answer, next, skip, back, stop). Used by `selfback cope`.

Keys on every step: Enter go on, ``b`` back, ``s`` skip, ``q`` stop, ``?`` help, ``!``
crisis lines (then back to the same step). A required question left empty gets one gentle
nudge; a second Enter moves on (a person in distress is never stuck on a step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from selfback.ui.screen import DIM, Screen

if TYPE_CHECKING:
    from selfback.walk.engine import StepView, Walk


class StepRunner:
    def __init__(self, ui: Screen, save: Callable[[], None]) -> None:
        self.ui = ui
        self.env = ui.env
        self.color = ui.color
        self.save = save
        self._drafts: dict[int, list[str]] = {}
        self._nudged: set[int] = set()

    def run(self, walk: Walk) -> None:
        """Drive ``walk`` to its end (completed or stopped), saving after every step."""
        while (view := walk.current) is not None:
            self.step(walk, view)
            self.save()

    def header(self, walk: Walk, view: StepView) -> str:
        if self.color:
            return f"{walk.skill.title} · step {view.number} of {view.total}"
        return f"Step {view.number} of {view.total} ({walk.skill.title})"

    def step(self, walk: Walk, view: StepView) -> None:
        self.ui.screen(self.header(walk, view))
        text = getattr(view.step, "text", None)
        if text:
            self.ui.para(text)
        kind = view.kind
        if kind == "say":
            self.ui.out()
            self.ui.controls()
            self.say_loop(walk)
        elif kind == "ask":
            self.ask_step(walk, view)
        elif kind == "choose":
            self.choose_step(walk, view)
        elif kind == "rate":
            self.rate_step(walk, view)
        elif kind in ("timer", "breathe"):
            self.timed_step(walk, view)

    def common(self, walk: Walk, raw: str) -> str | None:
        """Handle a control key. Returns "moved", "redraw", "stay", or None (not a key)."""
        key = raw.strip().lower()
        if key == "b":
            if walk.back():
                return "moved"
            self.ui.out("  This is the first step.")
            return "stay"
        if key == "s":
            walk.skip()
            return "moved"
        if key == "q":
            walk.stop()
            return "moved"
        if key == "?":
            self.ui.show_help()
            return "redraw"
        if key == "!":
            self.ui.crisis_key()
            return "redraw"
        return None

    def say_loop(self, walk: Walk) -> None:
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res in ("moved", "redraw"):
                return
            if res == "stay":
                continue
            walk.next()  # Enter (or any text) goes on
            return

    def nudge_or_skip(self, walk: Walk, view: StepView, message: str) -> bool:
        """For a required step left empty: a gentle hint once, then let them go on.
        Returns True when the walk moved on."""
        if view.index in self._nudged:
            walk.skip()
            return True
        self._nudged.add(view.index)
        self.ui.out(f"  {message}")
        return False

    def ask_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import AskStep

        step = view.step
        assert isinstance(step, AskStep)
        draft = self._drafts.setdefault(view.index, [])
        previous = view.previous
        if step.placeholder:
            self.ui.out(self.ui.style(f"  For example: {step.placeholder}", DIM))
        if previous and not draft:
            shown = "; ".join(previous) if isinstance(previous, list) else str(previous)
            self.ui.out(f"  Before, you wrote: {shown}")
            self.ui.out("  Press Enter to keep it, or type something new.")
        if step.count > 1:
            self.ui.out(f"  One at a time, Enter after each ({step.count} in all).")
        if draft:
            self.ui.out("  So far: " + "; ".join(draft))
        self.ui.out()
        self.ui.controls("Type, then Enter")
        while len(draft) < step.count:
            prompt = f"{len(draft) + 1} of {step.count}> " if step.count > 1 else "> "
            raw = self.ui.ask(prompt)
            res = self.common(walk, raw)
            if res == "stay":
                continue
            if res is not None:
                if res == "moved":
                    self._drafts.pop(view.index, None)
                return
            text = raw.strip()
            if text:
                draft.append(text)
                continue
            if draft:
                break
            if previous is not None:
                walk.next()
                return
            if step.optional:
                walk.skip()
                return
            if self.nudge_or_skip(
                walk, view, "Take your time. Type a few words, or press Enter again to go on."
            ):
                return
        self._drafts.pop(view.index, None)
        walk.answer(list(draft) if step.count > 1 else draft[0])

    def choose_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import ChooseStep

        step = view.step
        assert isinstance(step, ChooseStep)
        for i, option in enumerate(step.options, start=1):
            self.ui.out(f"    {i}. {option}")
        keep = None
        if isinstance(view.previous, str) and view.previous in step.options:
            keep = step.options.index(view.previous) + 1
            self.ui.out(f"  Enter keeps {keep}.")
        self.ui.out()
        number = self.ask_number(walk, view, 1, len(step.options), keep=keep is not None)
        if number is not None:
            walk.answer(number - 1)

    def rate_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import RateStep

        step = view.step
        assert isinstance(step, RateStep)
        labels = []
        if step.min_label:
            labels.append(f"{step.min} = {step.min_label}")
        if step.max_label:
            labels.append(f"{step.max} = {step.max_label}")
        self.ui.out(
            f"  ({step.min} to {step.max}" + (": " + ", ".join(labels) if labels else "") + ")"
        )
        if isinstance(view.previous, int):
            self.ui.out(f"  Enter keeps {view.previous}.")
        self.ui.out()
        value = self.ask_number(walk, view, step.min, step.max, keep=view.previous is not None)
        if value is None:
            return
        walk.answer(value)
        if view.is_distress_check:
            from selfback.walk.rules import crisis_first

            if crisis_first(value):
                self.save()
                self.ui.show_crisis("cope")
                self.ui.wait_enter("Press Enter to carry on with the skill.")

    def ask_number(self, walk: Walk, view: StepView, lo: int, hi: int, *, keep: bool) -> int | None:
        """Read a number in [lo, hi] for a choose or rate step. Returns it, or None when
        the step was already handled (a control key, Enter keeping an earlier answer,
        skipping an optional step, or a second Enter on a required one)."""
        self.ui.controls("Type a number, then Enter")
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res == "stay":
                continue
            if res is not None:
                return None
            key = raw.strip()
            if key.isdigit() and lo <= int(key) <= hi:
                return int(key)
            if key == "":
                if keep:
                    walk.next()
                    return None
                if view.step.optional:
                    walk.skip()
                    return None
                if self.nudge_or_skip(
                    walk, view, f"Type a number from {lo} to {hi}, or press Enter again to go on."
                ):
                    return None
                continue
            self.ui.out(f"  Please type a number from {lo} to {hi}.")

    def timed_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import BreatheStep, TimerStep
        from selfback.ui.keys import ENTER, KeyPoller
        from selfback.ui.pacer import run_breathe, run_timer, say_duration

        step = view.step
        if isinstance(step, TimerStep):
            what = f"a timer, {say_duration(step.seconds)}"
        else:
            assert isinstance(step, BreatheStep)
            total = step.cycle_seconds * step.cycles
            breaths = "1 breath" if step.cycles == 1 else f"{step.cycles} breaths"
            what = f"{breaths}, about {say_duration(total)}"
            if total >= 60:
                what = f"{breaths}, about {round(total / 60)} min"
        self.ui.out()
        self.ui.out(f"  Press Enter to start ({what}).")
        self.ui.controls("Enter to start")
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res == "stay":
                continue
            if res is not None:
                return
            break
        self.ui.out()
        self.ui.out("  (Enter finishes early, q stops, ! crisis lines.)")
        with KeyPoller(self.env.stdin) as keys:
            if isinstance(step, TimerStep):
                action = run_timer(self.env, step.seconds, keys)
                finished = "Time's up."
                if action is None and self.env.stdout_isatty:
                    # A soft bell: eyes may be closed or in cold water when time is up.
                    self.env.stdout.write("\a")
            else:
                assert isinstance(step, BreatheStep)
                result = run_breathe(self.env, step, keys)
                action = result.action
                n = result.breaths
                finished = f"Done: {'1 breath' if n == 1 else f'{n} breaths'}."
        if action == "!":
            self.ui.crisis_key()
            return
        if action == "?":
            self.ui.show_help()
            return
        if action in ("b", "s", "q"):
            res = self.common(walk, action)
            if res == "stay":
                self.ui.wait_enter("Press Enter to go on.")
            return
        if action == ENTER:
            finished = "Finished early. That's fine."
        self.ui.out(f"  {finished} Press Enter to go on.")
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res == "stay":
                continue
            if res is not None:
                return
            walk.next()
            return
