"""One step per screen: shows a step of a walk and turns the person's keys into engine
calls (answer, next, skip, back, stop). Used by `selfback cope`.

Keys on every step: Enter go on, ``b`` back, ``s`` skip (in a part of a skill: the rest of
that part), ``q`` stop, ``?`` help, ``!`` crisis lines (then back to the same step); ``sos``,
``help`` and ``selfback sos`` work like ``!``. A required question left empty gets one
gentle nudge; a second Enter moves on (a person in distress is never stuck on a step).

Every high rating counts: a number in the top tenth of a rating where high means hard (9
or 10 of 10, urges too), a rating above the scale ("11", "10/10" is the top), and any answer
that may mean risk (``risk``, asked of the controller) raise an
:class:`~selfback.actions.cope.flow.Alert`. The controller shows the crisis text and
offers to carry on, switch to something calming, see the safety plan or stop; it answers
"carry-on", "switch" or "stop".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from selfback.actions.cope.flow import Alert
from selfback.messages import steps as msg
from selfback.text import clean_line
from selfback.ui.screen import Screen
from selfback.ui.step_kinds import StepKinds

if TYPE_CHECKING:
    from selfback.skills.schema import BreatheStep, RateStep, TimerStep
    from selfback.walk.engine import StepView, Walk


class StepRunner(StepKinds):
    def __init__(
        self,
        ui: Screen,
        save: Callable[[], None],
        *,
        alert: Callable[[Walk, Alert], str],
        risk: Callable[[list[str]], str | None],
    ) -> None:
        self.ui = ui
        self.env = ui.env
        self.color = ui.color
        self.save = save
        self.alert = alert
        self.risk = risk
        self._drafts: dict[int, list[str]] = {}
        self._nudged: set[int] = set()
        self._hints: set[tuple[str, ...]] = set()  # full hints shown in this session
        self.backed_out = False

    def run(self, walk: Walk) -> Literal["done", "back"]:
        """Drive ``walk`` to its end (completed or stopped), saving after every step.
        "back": ``b`` on the first step (the walk is stopped; back to the skill choice)."""
        while (view := walk.current) is not None:
            self.step(walk, view)
            self.save()
        return "back" if self.backed_out else "done"

    def header(self, walk: Walk, view: StepView) -> str:
        title = clean_line(walk.skill.title)
        if self.color:
            head = msg.HEADER_COLOR.format(title=title, number=view.number, total=view.total)
        else:
            head = msg.HEADER_PLAIN.format(title=title, number=view.number, total=view.total)
        if view.part_title:
            head += msg.HEADER_PART.format(part=clean_line(view.part_title))
        if view.round > 1:
            head += msg.HEADER_ROUND.format(round=view.round)
        return head

    def step(self, walk: Walk, view: StepView) -> None:
        self.ui.screen(self.header(walk, view))
        text = view.step.text
        if text:
            self.ui.para(walk.fill(text))
        kind = view.kind
        if kind == "recall":
            self.recall_step(walk, view)
        elif kind == "later":
            self.later_step(walk, view)
        elif kind == "ask" and self.is_long(view):
            self.long_ask_step(walk, view)
        elif kind == "say":
            self.ui.out()
            self.controls(view)
            self.say_loop(walk, view)
        elif kind == "ask":
            self.ask_step(walk, view)
        elif kind == "choose":
            self.choose_step(walk, view)
        elif kind == "rate":
            self.rate_step(walk, view)
        elif kind in ("timer", "breathe"):
            self.timed_step(walk, view)

    def controls(
        self, view: StepView, first: str = msg.GO_ON_KEY, extra: tuple[str, ...] = ()
    ) -> None:
        """The keys that work on this step: in full the first time this set is shown in
        the session, then short (a screen reader reads it on every screen)."""
        back = msg.KEY_OTHER_SKILL if view.is_first else msg.KEY_BACK
        skip = msg.KEY_SKIP_PART if view.part is not None else msg.KEY_SKIP
        parts = [first, *extra, back, skip, *msg.KEY_REST]
        if tuple(parts) in self._hints:
            keys = ", ".join(p.split()[0] for p in parts[1:])
            self.ui.controls([msg.SHORT_HINT.format(first=first, keys=keys)])
            return
        self._hints.add(tuple(parts))
        self.ui.controls(parts)

    # -- keys and words -----------------------------------------------------------------

    def common(self, walk: Walk, raw: str) -> str | None:
        """Handle a control key. Returns "moved", "redraw", "stay", or None (not a key)."""
        key = raw.strip().lower()
        if key == "b":
            if not walk.back():
                # The first step: back to the skill choice.
                self.backed_out = True
                walk.stop()
            return "moved"
        if key == "s":
            walk.skip_part()  # a step outside a part is skipped alone
            return "moved"
        if key == "q":
            walk.stop()
            return "moved"
        if key == "?":
            self.ui.show_help()
            return "redraw"
        if self.ui.crisis_request(raw):
            return "redraw"
        return None

    def raise_alert(self, walk: Walk, alert: Alert) -> None:
        """Crisis help, then the person's choice (carry on, switch, stop)."""
        self.save()
        action = self.alert(walk, alert)
        if action in ("switch", "stop") and not walk.finished:
            walk.stop()

    def heard(self, walk: Walk, texts: list[str]) -> bool:
        """Whether any of ``texts`` may mean risk; if so, raise the alert. True when it
        did (the caller redraws or goes on)."""
        kind = self.risk(texts)
        if kind is None:
            return False
        self.raise_alert(walk, Alert("risk", kind))
        return True

    # -- kinds of step ------------------------------------------------------------------

    def say_loop(self, walk: Walk, view: StepView) -> None:
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res in ("moved", "redraw"):
                return
            if res == "stay":
                continue
            if raw.strip() and self.heard(walk, [raw]):
                return  # back to this step, or on, as the person chose
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

    def _ask_intro(self, view: StepView, draft: list[str]) -> None:
        from selfback.skills.schema import AskStep

        step = view.step
        assert isinstance(step, AskStep)
        previous = view.previous
        if step.placeholder:
            self.ui.para(msg.FOR_EXAMPLE.format(text=step.placeholder), indent="  ")
        if previous and not draft:
            items = previous if isinstance(previous, list) else [str(previous)]
            shown = "; ".join(clean_line(p) for p in items)
            self.ui.para(msg.BEFORE_YOU_WROTE.format(text=shown))
            self.ui.out(msg.KEEP_OR_NEW)
        if step.count > 1:
            self.ui.out(msg.ONE_AT_A_TIME.format(count=step.count))
        if draft:
            self.ui.para(msg.SO_FAR.format(text="; ".join(clean_line(d) for d in draft)))
        self.ui.out()
        self.controls(view, msg.TYPE_THEN_ENTER)

    def _empty_answer(self, walk: Walk, view: StepView) -> bool:
        """Enter with nothing typed yet: keep an earlier answer, skip an optional step, or
        nudge once. True when the walk moved on."""
        if view.previous is not None:
            walk.next()
            return True
        if view.step.optional:
            walk.skip()
            return True
        return self.nudge_or_skip(walk, view, msg.TAKE_YOUR_TIME)

    def ask_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import AskStep

        step = view.step
        assert isinstance(step, AskStep)
        draft = self._drafts.setdefault(view.index, [])
        self._ask_intro(view, draft)
        risky = None
        while len(draft) < step.count:
            prompt = f"{len(draft) + 1} of {step.count} > " if step.count > 1 else "> "
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
                risky = self.risk([text])
                if risky is not None:
                    break  # keep what was typed, then offer help at once
                continue
            if draft:
                break
            if self._empty_answer(walk, view):
                return
        self._drafts.pop(view.index, None)
        walk.answer(list(draft) if step.count > 1 else draft[0])
        if risky is not None:
            self.raise_alert(walk, Alert("risk", risky))

    def choose_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import ChooseStep

        step = view.step
        assert isinstance(step, ChooseStep)
        for i, option in enumerate(step.options, start=1):
            self.ui.para(f"{i}. {option}", indent="    ", rest="       ")
        keep = None
        if isinstance(view.previous, str) and view.previous in step.options:
            keep = step.options.index(view.previous) + 1
            self.ui.out(msg.ENTER_KEEPS.format(value=keep))
        if view.is_offer:
            self.ui.out(msg.OFFER_ENTER)
        self.ui.out()
        first = msg.ENTER_GOES_ON if view.is_offer else msg.NUMBER_THEN_ENTER
        number = self.ask_number(walk, view, 1, len(step.options), first=first)
        if number is not None:
            walk.answer(number - 1)

    def rate_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import RateStep
        from selfback.walk.rules import above_scale_message, high_rating

        step = view.step
        assert isinstance(step, RateStep)
        labels = []
        if step.min_label:
            labels.append(f"{step.min} = {clean_line(step.min_label)}")
        if step.max_label:
            labels.append(f"{step.max} = {clean_line(step.max_label)}")
        self.ui.para(
            f"({step.min} to {step.max}" + (": " + ", ".join(labels) if labels else "") + ")"
        )
        if isinstance(view.previous, int):
            self.ui.out(msg.ENTER_KEEPS.format(value=view.previous))
        self.ui.out()
        hard = step.high_is_hard or view.is_distress_check
        reading = self.ask_rating(walk, view, step, above_ok=hard)
        if reading is None:
            return
        value, above = reading
        walk.answer(value)
        if not hard:
            return
        if above:
            self.ui.out()
            self.ui.para(above_scale_message(step.max))
        if above or high_rating(value, step.min, step.max):
            distress = value if view.is_distress_check else None
            self.raise_alert(walk, Alert("rating", "high-rating", distress=distress))

    def ask_rating(
        self, walk: Walk, view: StepView, step: RateStep, *, above_ok: bool
    ) -> tuple[int, bool] | None:
        """Read a rating typed the person's way ("7", "seven", "7/10"; above the scale
        counts as the top where ``above_ok``). None when the step was handled otherwise."""
        from selfback.walk.rules import parse_rating

        lo, hi = step.min, step.max
        self.controls(view, msg.NUMBER_THEN_ENTER)
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res == "stay":
                continue
            if res is not None:
                return None
            if raw.strip() == "":
                if self.empty_number(walk, view, lo, hi):
                    return None
                continue
            reading = parse_rating(raw, lo, hi)
            if reading is not None and (above_ok or not reading.above):
                return reading.value, reading.above
            if self.heard(walk, [raw]):
                return None
            self.ui.out(msg.NUMBER_RETRY.format(lo=lo, hi=hi))

    def empty_number(self, walk: Walk, view: StepView, lo: int, hi: int) -> bool:
        """Enter at a number prompt: keep an earlier answer, skip an optional step, or
        nudge once. True when the walk moved on."""
        if view.previous is not None:
            walk.next()
            return True
        if view.step.optional:
            walk.skip()
            return True
        return self.nudge_or_skip(
            walk,
            view,
            (msg.NUMBER_NUDGE_TWO if hi == lo + 1 else msg.NUMBER_NUDGE).format(lo=lo, hi=hi),
        )

    def ask_number(
        self, walk: Walk, view: StepView, lo: int, hi: int, *, first: str = msg.NUMBER_THEN_ENTER
    ) -> int | None:
        """Read a number in [lo, hi] for a choose step. Returns it, or None when the step
        was already handled (a control key, Enter keeping an earlier answer, skipping an
        optional step, a second Enter on a required one, or words heard as risk)."""
        self.controls(view, first)
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
                if self.empty_number(walk, view, lo, hi):
                    return None
                continue
            if self.heard(walk, [raw]):
                return None
            self.ui.out(msg.NUMBER_RETRY.format(lo=lo, hi=hi))

    @staticmethod
    def _timed_what(step: TimerStep | BreatheStep) -> str:
        from selfback.skills.schema import TimerStep
        from selfback.ui.pacer import say_duration

        if isinstance(step, TimerStep):
            return f"a timer, {say_duration(step.seconds)}"
        total = step.cycle_seconds * step.cycles
        breaths = "1 breath" if step.cycles == 1 else f"{step.cycles} breaths"
        if total >= 60:
            return f"{breaths}, about {round(total / 60)} min"
        return f"{breaths}, about {say_duration(total)}"

    def _wait_to_start(self, walk: Walk, view: StepView) -> bool:
        """Enter starts; True when the step was handled otherwise (a key, words heard)."""
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res == "stay":
                continue
            if res is not None:
                return True
            return bool(raw.strip()) and self.heard(walk, [raw])

    def _run_timed(self, step: TimerStep | BreatheStep) -> tuple[str | None, str]:
        """Run the timer or the pacer: the key that ended it (None: it ran out) and what
        to say after."""
        from selfback.skills.schema import TimerStep
        from selfback.ui.keys import KeyPoller
        from selfback.ui.pacer import run_breathe, run_timer

        with KeyPoller(self.env.stdin) as keys:
            if isinstance(step, TimerStep):
                action = run_timer(self.env, step.seconds, keys)
                if action is None and self.env.stdout_isatty:
                    # A soft bell: eyes may be closed or in cold water when time is up.
                    self.env.stdout.write("\a")
                return action, msg.TIMES_UP
            result = run_breathe(self.env, step, keys)
            n = result.breaths
            return result.action, msg.BREATHS_DONE.format(
                breaths="1 breath" if n == 1 else f"{n} breaths"
            )

    def _after_timed(self, walk: Walk, finished: str) -> None:
        self.ui.out(msg.THEN_GO_ON.format(finished=finished))
        while True:
            raw = self.ui.ask("> ")
            res = self.common(walk, raw)
            if res == "stay":
                continue
            if res == "redraw":  # after help or crisis lines: back to this prompt
                self.ui.out(msg.THEN_GO_ON.format(finished=finished))
                continue
            if res is not None:
                return
            if raw.strip() and self.heard(walk, [raw]):
                return
            walk.next()
            return

    def timed_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import BreatheStep, TimerStep
        from selfback.ui.keys import ENTER

        step = view.step
        assert isinstance(step, TimerStep | BreatheStep)
        self.ui.out()
        self.ui.out(msg.PRESS_TO_START.format(what=self._timed_what(step)))
        self.controls(view, msg.ENTER_TO_START)
        if self._wait_to_start(walk, view):
            return
        self.ui.out()
        skip = msg.SKIPS_PART if view.part is not None else msg.SKIPS
        back = msg.OTHER_SKILL_RUNNING if view.is_first else msg.GOES_BACK
        self.ui.out(msg.WHILE_RUNNING.format(skip=skip, back=back))
        action, finished = self._run_timed(step)
        if action == "!":
            self.ui.crisis_key()
            return
        if action == "?":
            self.ui.show_help()
            return
        if action in ("b", "s", "q"):
            if self.common(walk, action) == "stay":
                self.ui.wait_enter(msg.GO_ON)
            return
        if action == ENTER:
            finished = msg.FINISHED_EARLY
        self._after_timed(walk, finished)
