"""The controller of `selfback cope`: what happens in what order, and what is recorded.

1. A skill named on the command line is found at once; a situation (``--for``) is read,
   and one that may mean risk brings crisis help and the person's people before any
   question.
2. The first question ("How intense is it right now?") goes out before anything heavy is
   loaded; the skill library loads in the background while the person answers.
3. Crisis help comes first where it is due (a very high rating, a crisis situation);
   ``--again`` takes the skill that last lowered distress; else the person says what is
   going on and picks a skill.
4. Each skill is a session (``sessions``), saved after every step. A high rating or an
   answer that may mean risk inside it brings the short crisis text, a flag, and a
   choice: carry on, switch to something calming (a new session), see the plan, or stop.
   A cognitive skill never argues with such a thought: it stops asking.
5. After: the 0-10 again, what changed, and, while it is still very hard, another skill
   or crisis help.

Words typed anywhere may be heard as risk (:meth:`Cope.hear`): the short crisis text,
a flag (never the words), and the situation is remembered. Ctrl-C and end of input save
the session under way as stopped (:meth:`Cope.stopped`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from selfback.actions.cope.sessions import SessionLog
from selfback.actions.cope.situations import situation_for_risk, validate_situation
from selfback.actions.cope.skills import Shelf, fallback_skill
from selfback.messages import cope as msg

if TYPE_CHECKING:
    from selfback.actions.hope import HopeInCope
    from selfback.clock import Clock
    from selfback.paths import Paths
    from selfback.safety.plan import SafetyPlan
    from selfback.skills.schema import Skill
    from selfback.suggest import Suggestion
    from selfback.walk.engine import Walk
    from selfback.walk.rules import Reading

AlertChoice = Literal["carry-on", "switch", "stop"]


class Quit(Exception):
    """The person chose to stop before a skill began (q)."""


@dataclass(frozen=True)
class Alert:
    """Something inside a skill that brings crisis help.

    ``reason``: "rating" (a high rating, or one above the scale) or "risk" (an answer
    that may mean risk); ``kind``: "high-rating", or the risk kind ("suicide",
    "self-harm"); ``distress``: the 0-10 distress it tells (a distress check), if any.
    """

    reason: Literal["rating", "risk"]
    kind: str
    distress: int | None = None


@dataclass(frozen=True)
class CopeRequest:
    """What was asked for on the command line."""

    skill_id: str | None = None
    situation: str | None = None
    again: bool = False


@dataclass(frozen=True)
class CopeOutcome:
    """How a `cope` ended: the last skill walked (if any) and the 0-10 before and after."""

    skill_id: str | None = None
    before: int | None = None
    after: int | None = None
    quit: bool = False


@dataclass(frozen=True)
class Closing:
    """What the goodbye says: saved or not, the skill ``--again`` would start, and how
    many skill files could not be loaded."""

    saved: bool
    again_title: str | None
    problems: int
    # The number of the last session when something was written in it (for `selfback
    # sessions show` and `mark`), else None.
    written_id: int | None = None


class Hearing(Protocol):
    """What the screens ask of the controller while the person types."""

    @property
    def heard_situation(self) -> str | None: ...

    def hear(self, raw: str) -> bool:
        """Words typed at a menu or the 0-10 question: True when heard as risk."""

    def hear_at_prompt(self, raw: str) -> bool:
        """Words typed at a "Press Enter" prompt: True when heard as risk."""

    def safety_plan(self) -> SafetyPlan | None: ...

    def risk_in(self, texts: list[str]) -> str | None:
        """The kind of risk any of ``texts`` (answers inside a skill) may mean, or None."""


class CopeScreens(Protocol):
    """Every screen and prompt of `cope` (``selfback.ui.walkthrough``)."""

    @property
    def crisis_shown(self) -> bool: ...

    def listen(self, hearing: Hearing) -> None: ...
    def first_question(self) -> None: ...
    def ask_distress(self, question: str, *, hint: bool, shown: bool) -> Reading | None: ...
    def heard(self) -> None: ...
    def show_crisis(self, source: str) -> None: ...
    def wait_enter(self, text: str) -> None: ...
    def say(self, text: str) -> None: ...
    def note(self, text: str) -> None: ...
    def quit_line(self, *, at_first_question: bool) -> None: ...
    def ask_situation(self) -> str | None: ...
    def skills_missing(self) -> None: ...
    def choose_skill(self, top: list[Suggestion]) -> int | Literal["more"]: ...
    def choose_from_all(self, everything: list[Suggestion]) -> int: ...
    def intro(self, skill: Skill, *, can_go_back: bool) -> Literal["begin", "back"]: ...
    def walk(
        self, walk: Walk, save: Callable[[], None], alert: Callable[[Walk, Alert], str]
    ) -> Literal["done", "back"]:
        """Walk the steps; "back": ``b`` on the first step, back to the skill choice."""

    def alert_lead(self, *, risky: bool) -> None: ...
    def crisis_choice(
        self, skill: Skill, *, cognitive: bool, calming: Callable[[], list[Skill]]
    ) -> tuple[AlertChoice, Skill | None]: ...
    def after_screen(self, walk: Walk) -> str: ...
    def change(self, text: str) -> None: ...
    def offer_more(self) -> Literal["another", "stop"]: ...
    def closing(self, closing: Closing) -> None: ...
    def follow_ups(self, exclude: set[str]) -> None:
        """Ask, once, how plans made for later in earlier sessions went."""


class Cope:
    """One `selfback cope`: see the module docstring."""

    def __init__(
        self,
        paths: Paths,
        clock: Clock,
        request: CopeRequest,
        ui: CopeScreens,
        hope: HopeInCope | None = None,
    ) -> None:
        self.paths = paths
        self.hope = hope  # the hope box and notes for next time (selfback.actions.hope)
        self.clock = clock
        self.request = request
        self.ui = ui
        self.log = SessionLog(paths, clock, ui.note)
        self.shelf = Shelf(paths)
        self.done_ids: list[str] = []
        # The latest 0-10 distress the person gave (before, a check-in, after).
        self.latest: int | None = None
        # A situation heard in the person's words (risk language at a prompt).
        self._heard_situation: str | None = None
        # The calming skill chosen after a crisis moment inside a skill.
        self.switch_to: Skill | None = None
        self.alert_distress = 9
        # Flags noticed before the first question was answered (written after it, so the
        # question appears before the database is touched).
        self.pending_flags: list[tuple[str, str]] = []
        ui.listen(self)

    # -- hearing the person --------------------------------------------------------------

    @property
    def heard_situation(self) -> str | None:
        return self._heard_situation

    def flag(self, source: str, kind: str) -> None:
        """Record that risk was noticed (never the words). Never raises."""
        from selfback.safety.risk import record_flag

        record_flag(
            self.paths, source=source, kind=kind, ref_uid=self.log.ref_uid, when=self.clock.now()
        )

    def flush_flags(self) -> None:
        pending, self.pending_flags = self.pending_flags, []
        for source, kind in pending:
            self.flag(source, kind)

    def hear(self, raw: str, *, source: str = "situation") -> bool:
        """Free text typed outside a skill's questions: if it may mean risk, show the
        short crisis text, record a flag, and remember the situation. True if heard."""
        from selfback.safety.risk import detect

        hit = detect(raw)
        if hit is None:
            return False
        self._heard_situation = self._heard_situation or situation_for_risk(hit.kind)
        self.ui.heard()
        self.flag(source, hit.kind)
        return True

    def hear_at_prompt(self, raw: str) -> bool:
        if not raw.strip():
            return False
        walk = self.log.walk
        if walk is not None and not walk.finished:
            return self.hear(raw, source="skill-answer")
        return self.hear(raw)

    def safety_plan(self) -> SafetyPlan | None:
        from selfback.safety.plan import read_plan_file

        return read_plan_file(self.paths)

    def risk_in(self, texts: list[str]) -> str | None:
        from selfback.safety.risk import detect_any

        hit = detect_any(texts)
        return hit.kind if hit is not None else None

    def distress(
        self, question: str, *, hint: bool = True, shown: bool = False, before: bool = False
    ) -> int | None:
        """A 0-10 answer (None: skipped). Above the scale counts as 10, with a flag."""
        reading = self.ui.ask_distress(question, hint=hint, shown=shown)
        if reading is None:
            return None
        self.latest = reading.value
        if reading.above:
            if before:
                self.pending_flags.append(("rating", "high-rating"))
            else:
                self.flag("rating", "high-rating")
        return reading.value

    # -- the whole flow -----------------------------------------------------------------------

    def run(self) -> CopeOutcome:
        from selfback.walk.rules import crisis_first

        request = self.request
        skill = self.shelf.find(request.skill_id) if request.skill_id else None
        situation, source = request.situation, "cope"
        if situation is not None:
            situation, risk_kind = validate_situation(situation)
            if risk_kind is not None:
                source = "risk"
                self.pending_flags.append(("situation", risk_kind))
        if situation is not None and crisis_first(None, situation):
            # Asked for by name (--for suicide): crisis help and their people come first,
            # before any question.
            self.flush_flags()
            self.ui.show_crisis(source)
        # The first question goes out before anything heavy is imported; the skill library
        # then loads in the background while the person answers.
        self.ui.first_question()
        self.shelf.start_loading()
        try:
            before = self.distress(msg.FIRST_QUESTION, shown=True, before=True)
        except Quit:
            self.flush_flags()
            self.ui.quit_line(at_first_question=True)
            return CopeOutcome(quit=True)
        self.flush_flags()
        try:
            skill, situation = self._before_choosing(skill, situation, before, source)
            if self.hope is not None:
                self.hope.before_skills(before, situation)
            return self._skills(skill, situation, before)
        except Quit:
            self.ui.quit_line(at_first_question=False)
            return CopeOutcome(before=before, quit=True)

    def _crisis_first(self, source: str) -> None:
        self.ui.show_crisis(source)
        self.ui.wait_enter(msg.GO_ON)

    def _before_choosing(
        self, skill: Skill | None, situation: str | None, before: int | None, source: str
    ) -> tuple[Skill | None, str | None]:
        from selfback.walk.rules import crisis_first

        if situation is None and self._heard_situation is not None:
            situation = self._heard_situation
        if crisis_first(before, situation) and not self.ui.crisis_shown:
            self._crisis_first("risk" if source == "risk" else "cope")
        if self.request.again and skill is None:
            skill = self.again_skill()
        if skill is None and situation is None:
            situation = self.ui.ask_situation()
            if crisis_first(None, situation) and not self.ui.crisis_shown:
                self._crisis_first("cope")
        return skill, situation

    def _skills(
        self, skill: Skill | None, situation: str | None, before: int | None
    ) -> CopeOutcome:
        from selfback.walk.rules import still_high

        walk: Walk | None = None
        after: int | None = None
        chosen_here = skill is None
        while True:
            if skill is None:
                skill = self.choose_skill(before, situation)
                chosen_here = True
            if self.ui.intro(skill, can_go_back=chosen_here) == "back":
                skill = None
                continue
            walk, how = self.walk_skill(skill, before, situation)
            if how == "back":
                # b on the first step: back to the skill choice (an empty session is
                # removed; one with answers is kept as stopped).
                self.log.discard_if_empty()
                self.log.end()
                skill, walk = None, None
                continue
            self.done_ids.append(skill.id)
            if self.switch_to is not None:
                # A real switch: this session is saved as stopped, the calming skill
                # starts from the latest rating.
                self.log.save(force=True)
                skill, self.switch_to = self.switch_to, None
                before = self.latest if self.latest is not None else before
                chosen_here = False
                self.log.end()
                continue
            after = self.after(walk, before)
            if self.hope is not None:
                self.hope.after_skill(
                    situation=situation,
                    before=before,
                    after=after,
                    skill_id=skill.id,
                    skill_title=skill.title,
                    session_uid=self.log.ref_uid,
                )
            if still_high(after) and self.ui.offer_more() == "another":
                before, skill = after, None
                self.log.end()
                continue
            break
        self._closing(walk, before, after)
        return CopeOutcome(skill.id, before, after)

    def stopped(self) -> None:
        """Ctrl-C or end of input: the session under way is saved as stopped."""
        self.log.save_partial()

    def close(self) -> None:
        self.log.close()

    # -- choosing ---------------------------------------------------------------------------

    def again_skill(self) -> Skill | None:
        from selfback.text import clean_line

        last = self.log.last_helpful()
        if last is None:
            self.ui.say(msg.AGAIN_NONE)
            return None
        skill = self.shelf.get(last.skill_id)
        if skill is not None:
            return skill
        self.ui.say(msg.AGAIN_GONE.format(name=clean_line(last.skill_title or last.skill_id)))
        return None

    def choose_skill(self, distress: int | None, situation: str | None) -> Skill:
        if not self.shelf.skills():
            self.ui.skills_missing()
            return fallback_skill()
        stats = self.log.skill_stats()
        top = self.shelf.suggestions(distress, situation, stats=stats, done=self.done_ids)
        picked = self.ui.choose_skill(top)
        if picked != "more":
            return top[picked].skill
        stats = self.log.skill_stats()
        everything = self.shelf.everything(distress, situation, stats=stats, done=self.done_ids)
        return everything[self.ui.choose_from_all(everything)].skill

    # -- one skill ------------------------------------------------------------------------

    def walk_skill(
        self, skill: Skill, before: int | None, situation: str | None
    ) -> tuple[Walk, Literal["done", "back"]]:
        walk = self.log.start(skill, before, situation)
        return walk, self.ui.walk(walk, self.log.save, self.skill_alert)

    def calming_skills(self, current: str) -> list[Skill]:
        situation = self.log.session.situation if self.log.session is not None else None
        return self.shelf.calming(
            self.alert_distress, situation, current=current, stats=self.log.skill_stats()
        )

    def skill_alert(self, walk: Walk, alert: Alert) -> str:
        """A high rating, or an answer that may mean risk, inside a skill: the short
        crisis text, a flag, then the person's choice. Returns "carry-on", "switch"
        (``switch_to`` is set) or "stop"."""
        if alert.distress is not None:
            self.latest = alert.distress
        # A crisis moment: calming skills are chosen for high intensity.
        self.alert_distress = max(alert.distress or 0, self.latest or 0, 9)
        risky = alert.reason == "risk"
        if risky:
            self._heard_situation = self._heard_situation or situation_for_risk(alert.kind)
        self.ui.alert_lead(risky=risky)
        self.flag("skill-answer" if risky else "rating", alert.kind)
        cognitive = risky and walk.skill.has_tag("cognitive")
        choice, calm = self.ui.crisis_choice(
            walk.skill, cognitive=cognitive, calming=lambda: self.calming_skills(walk.skill.id)
        )
        if choice == "switch":
            self.switch_to = calm
        return choice

    # -- after a skill ------------------------------------------------------------------------

    def after(self, walk: Walk, before: int | None) -> int | None:
        from selfback.walk.rules import change_message, crisis_first

        question = self.ui.after_screen(walk)
        after = self.distress(question, hint=False)
        self.log.rated(after)
        self.ui.change(change_message(before, after))
        if crisis_first(after):
            self.ui.show_crisis("cope")
        return after

    def _closing(self, walk: Walk | None, before: int | None, after: int | None) -> None:
        from selfback.walk.rules import helped

        again = None
        if walk is not None and helped(before, after) and not self.request.again:
            again = walk.skill.title
        saved = walk is not None and not self.log.store_failed and not self.log.unsaved
        if not self.log.store_failed:
            self.ui.follow_ups(self.log.run_uids)
        written = self.log.written_id() if saved else None
        self.ui.closing(Closing(saved, again, self.shelf.problem_count(), written))


def run_cope(
    paths: Paths,
    clock: Clock,
    request: CopeRequest,
    ui: CopeScreens,
    hope: HopeInCope | None = None,
) -> CopeOutcome:
    """Run `selfback cope` through ``ui`` (``hope``: the hope box's moments). Ctrl-C and
    end of input save the session under way as stopped and go on up (the caller says the
    kind line)."""
    cope = Cope(paths, clock, request, ui, hope)
    try:
        return cope.run()
    except (KeyboardInterrupt, EOFError):
        cope.stopped()
        raise
    finally:
        cope.close()
