"""The screens of `selfback cope`: it asks, shows one step per screen, and offers the
choices; ``selfback.actions.cope`` decides what comes when and keeps the log.

Start-up is kept light on purpose: the first question ("How intense is it right now?") is
written with plain stdout writes before rich, YAML, pydantic or sqlite3 are imported.

Every prompt is line based (works with Enter and digits, over SSH and with a screen
reader). Keys on every screen: Enter go on, ``b`` back, ``s`` skip, ``q`` stop, ``?``
help, ``!`` crisis lines (``sos``, ``help`` and ``selfback sos`` too). Words typed where a
number or a key was expected are handed to the controller, which may hear risk in them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from selfback.actions.cope.flow import Quit
from selfback.env import Env
from selfback.messages import cope as msg
from selfback.text import clean_line
from selfback.ui.cope_menus import Menus
from selfback.ui.screen import BOLD, CYAN, DIM, Screen, wants_crisis

if TYPE_CHECKING:
    from selfback.actions.cope.flow import Alert, AlertChoice, Closing, Hearing
    from selfback.skills.schema import Skill
    from selfback.walk.engine import Walk
    from selfback.walk.rules import Reading

# What a person may type for each choice after a crisis moment inside a skill.
CHOICE_WORDS = {
    "carry-on": ("carry on", "continue", "go on", "c"),
    "switch": ("switch", "calm", "calming", "something calming"),
    "plan": ("plan", "safety plan", "my safety plan", "see my safety plan", "p"),
    "stop": ("stop", "stop for now", "q", "quit"),
}


class CopeScreens(Menus):
    """`cope` on ``env``'s terminal (``selfback.actions.cope.flow.CopeScreens``)."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.ui = Screen(env)
        self.color = self.ui.color

    def listen(self, hearing: Hearing) -> None:
        self.hearing = hearing
        self.ui.hear = hearing.hear_at_prompt

    @property
    def crisis_shown(self) -> bool:
        return self.ui.crisis_shown

    def width(self) -> int:
        return self.ui.width()

    # -- saying things ------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.ui.para(text)

    def note(self, text: str) -> None:
        self.ui.out(f"  {text}")

    def quit_line(self, *, at_first_question: bool) -> None:
        if not at_first_question:
            self.ui.out()
        self.ui.out(f"  {msg.QUIT_LINE}")

    def show_crisis(self, source: str) -> None:
        self.ui.show_crisis(source)

    def wait_enter(self, text: str) -> None:
        self.ui.wait_enter(text)

    def heard(self) -> None:
        self.ui.out()
        self.ui.para(msg.HEARD)
        self.ui.show_crisis("risk")

    # -- the 0-10 question --------------------------------------------------------------------

    def first_question(self) -> None:
        self.ui.out(self.ui.style(msg.FIRST_QUESTION, BOLD))
        self.ui.out(f"  {msg.SCALE_HINT}")

    def ask_distress(self, question: str, *, hint: bool, shown: bool) -> Reading | None:
        """Ask a 0-10 question (``shown``: it is already on screen). Enter skips. Typed
        the person's way ("7/10", "seven"); above the scale ("11", "100") counts as 10,
        said gently."""
        from selfback.walk.rules import above_scale_message, parse_rating

        if not shown:
            self.ui.out(self.ui.style(question, BOLD))
            if hint:
                self.ui.out(f"  {msg.SCALE_HINT}")
        while True:
            raw = self.ui.ask("> ").strip()
            key = raw.lower()
            if key == "":
                return None
            if self.ui.crisis_request(raw, back_to=None):
                self.ui.out(self.ui.style(question, BOLD))
                continue
            if key == "q":
                raise Quit
            if key in {"?", "h"}:
                self.ui.para(msg.SCALE_HELP)
                continue
            reading = parse_rating(raw, 0, 10)
            if reading is not None:
                if reading.above:
                    self.ui.out()
                    self.ui.para(above_scale_message(10))
                return reading
            if self.hearing.hear(raw):
                self.ui.out(self.ui.style(question, BOLD))
                self.ui.out(msg.SCALE_AGAIN)
                continue
            self.ui.out(msg.SCALE_RETRY)

    # -- one skill ----------------------------------------------------------------------------

    def _intro_screen(self, skill: Skill, *, can_go_back: bool) -> None:
        from selfback.suggest import minutes_text

        about = f"about {minutes_text(skill.minutes)}"
        title_text = clean_line(skill.title)
        if self.color:
            self.ui.screen("selfback cope")
            title = self.ui.style(title_text, BOLD + CYAN)
            self.ui.out(f"  {title} {self.ui.style('· ' + about, DIM)}")
            self.ui.out()
        else:
            self.ui.screen(f"{title_text} ({about})")
        self.ui.para(skill.summary)
        if skill.cautions:
            self.ui.out()
            self.ui.out(msg.BEFORE_YOU_START)
            for caution in skill.cautions:
                self.ui.para(caution, indent="    - ", rest="      ")
        self.ui.out()
        back = msg.INTRO_BACK if can_go_back else ""
        self.ui.para(msg.INTRO_KEYS.format(back=back))

    def intro(self, skill: Skill, *, can_go_back: bool) -> Literal["begin", "back"]:
        """The skill's title, summary and cautions, then Enter to begin (or ``b``)."""
        while True:
            self._intro_screen(skill, can_go_back=can_go_back)
            while True:
                raw = self.ui.ask("> ").strip()
                key = raw.lower()
                if key == "":
                    return "begin"
                if key == "b" and can_go_back:
                    return "back"
                if key == "q":
                    raise Quit
                if self.ui.crisis_request(raw, back_to="the skill"):
                    break
                if key == "?":
                    self.ui.show_help()
                    break
                if self.hearing.hear(raw):
                    self.ui.wait_enter(msg.GO_ON)
                    break
                self.ui.out(msg.INTRO_RETRY)

    def walk(
        self, walk: Walk, save: Callable[[], None], alert: Callable[[Walk, Alert], str]
    ) -> Literal["done", "back"]:
        from selfback.ui.steps import StepRunner

        return StepRunner(self.ui, save, alert=alert, risk=self.hearing.risk_in).run(walk)

    # -- a crisis moment inside a skill -------------------------------------------------------

    def alert_lead(self, *, risky: bool) -> None:
        self.ui.out()
        self.ui.para(msg.HEARD_IN_SKILL if risky else msg.HIGH_IN_SKILL)
        self.ui.show_crisis("risk" if risky else "rating")

    def _read_choice(self, options: list[tuple[str, str]]) -> str | None:
        """One of ``options`` (Enter: the first); None after crisis lines were shown."""
        while True:
            raw = self.ui.ask("> ").strip()
            key = " ".join(raw.lower().split())
            if key == "":
                return options[0][0]
            if key.isdigit() and 1 <= int(key) <= len(options):
                return options[int(key) - 1][0]
            if self.ui.crisis_request(raw, back_to=None):
                return None
            for action, _ in options:
                if key in CHOICE_WORDS[action]:
                    return action
            self.ui.out(msg.NUMBER_RETRY.format(count=len(options)))

    def crisis_choice(
        self, skill: Skill, *, cognitive: bool, calming: Callable[[], list[Skill]]
    ) -> tuple[AlertChoice, Skill | None]:
        """What would help now: carry on (never after risk words in a cognitive skill),
        switch to something calming, see the safety plan, or stop."""
        if cognitive:
            self.ui.para(msg.COGNITIVE_STOPS)
        options: list[tuple[str, str]] = []
        if not cognitive:
            options.append(("carry-on", msg.CARRY_ON.format(title=clean_line(skill.title))))
        options += [("switch", msg.SWITCH), ("plan", msg.SEE_PLAN), ("stop", msg.STOP_FOR_NOW)]
        while True:
            self.ui.out()
            self.ui.out(self.ui.style(msg.WHAT_NOW, BOLD))
            for i, (_, label) in enumerate(options, start=1):
                self.ui.out(f"  {i}. {label}")
            self.ui.out(msg.ENTER_FOR_1)
            choice = self._read_choice(options)
            if choice == "plan":
                self.show_plan()
            elif choice == "switch":
                calm = self.choose_calming(calming())
                if calm is not None:
                    return "switch", calm
            elif choice == "carry-on":
                return "carry-on", None
            elif choice == "stop":
                return "stop", None

    def show_plan(self, *, source: str = "key", wait: bool = True) -> None:
        """The full crisis text, then the person's whole safety plan (if there is one)."""
        self.ui.show_crisis(source, compact=False)
        plan = self.hearing.safety_plan()
        if plan is not None and not plan.is_empty():
            self.ui.out(self.ui.style(msg.YOUR_PLAN, BOLD))
            for line in plan.to_text().rstrip("\n").split("\n"):
                self.ui.out(clean_line(line) if line.strip() else "")
            self.ui.out()
        if wait:
            self.ui.wait_enter(msg.GO_BACK)

    # -- after a skill ------------------------------------------------------------------------

    def after_screen(self, walk: Walk) -> str:
        """The skill's last screen; returns the 0-10 question to ask."""
        title = clean_line(walk.skill.title)
        state = "done" if walk.status == "completed" else "stopped"
        sep = " · " if self.color else ": "
        self.ui.screen(f"{title}{sep}{state}")
        if walk.status == "completed":
            self.ui.para(msg.FINISHED.format(title=title))
            question = msg.AFTER_QUESTION
        else:
            self.ui.out(msg.STOPPED_HERE)
            question = msg.BEFORE_YOU_GO
        self.ui.out()
        return question

    def change(self, text: str) -> None:
        self.ui.out()
        self.ui.para(text)

    def offer_more(self) -> Literal["another", "stop"]:
        """After a skill, still 7 or more: another skill, crisis help, or stop."""
        while True:
            self.ui.out()
            self.ui.out(self.ui.style(msg.STILL_HARD, BOLD))
            for line in (msg.ANOTHER, msg.LINES_AND_PLAN, msg.STOP_ITEM, msg.ENTER_FOR_1):
                self.ui.out(line)
            while True:
                raw = self.ui.ask("> ").strip()
                key = raw.lower()
                if key in ("", "1"):
                    return "another"
                if key in ("3", "q"):
                    return "stop"
                if key == "2" or wants_crisis(raw):
                    self.show_plan(source="cope" if key == "2" else "key", wait=False)
                    break
                if self.hearing.hear(raw):
                    break
                self.ui.out(msg.ONE_TWO_THREE)

    def follow_ups(self, exclude: set[str]) -> None:
        from selfback.ui.later import ask_follow_ups

        ask_follow_ups(self.env, exclude=exclude)

    def closing(self, closing: Closing) -> None:
        self.ui.out()
        if closing.saved:
            self.ui.out(msg.SAVED_IN_LOG)
        if closing.written_id is not None:
            self.ui.para(msg.WHAT_YOU_WROTE.format(id=closing.written_id))
        if closing.again_title is not None:
            command = self.ui.style("selfback cope --again", BOLD)
            title = clean_line(closing.again_title)
            self.ui.para(msg.NEXT_TIME.format(command=command, title=title))
        self.ui.para(msg.BE_GENTLE)
        if closing.problems:
            n = closing.problems
            self.ui.para(msg.FILES_NOT_LOADED.format(count=n, s="s" if n != 1 else ""))
