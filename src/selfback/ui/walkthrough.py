"""The terminal side of `selfback cope`: asks, shows one step per screen, drives the
walk engine, and logs the session.

Start-up is kept light on purpose: the first question ("How intense is it right now?") is
written with plain stdout writes before rich, YAML, pydantic or sqlite3 are imported. The
skill library loads in a background thread while the person answers.

Every prompt is line based (works with Enter and digits, over SSH and with a screen
reader). Keys on every screen: Enter go on, ``b`` back, ``s`` skip, ``q`` stop, ``?``
help, ``!`` crisis lines (``sos``, ``help`` and ``selfback sos`` too). Ctrl-C and end of
input stop cleanly; the partial session is saved as "stopped".

It hears the person: words typed where a number or a key was expected, words typed at
"What's going on?", ``--for`` values and every answer inside a skill go through
``selfback.safety.risk.detect``. A hit gently shows the short crisis text (never blocks),
records a flag (never the words) and, inside a skill, offers a choice: carry on, switch to
something calming, see the safety plan, or stop. A cognitive skill (tag ``cognitive``)
never argues with such a thought: it stops asking and offers only the calming way or
stopping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from selfback.env import Env
from selfback.text import clean_line
from selfback.ui.screen import BOLD, CYAN, DIM, Screen, wants_crisis

if TYPE_CHECKING:
    from selfback.skills.schema import Skill
    from selfback.store.db import Store
    from selfback.store.sessions import CopingSession
    from selfback.suggest import Suggestion
    from selfback.ui.steps import Alert
    from selfback.walk.engine import Walk

FIRST_QUESTION = "How intense is it right now, 0 to 10?"
AFTER_QUESTION = "And now, 0 to 10?"
SCALE_HINT = "0 = calm, 10 = the worst you can imagine. Enter to skip, ! for crisis lines."
SOS_LINE = "If you need crisis lines, run selfback sos."
STOPPED_LINE = f"Stopped. What you did so far is saved. {SOS_LINE}"
EOF_LINE = f"No more input, so selfback stopped. What you did so far is saved. {SOS_LINE}"
QUIT_LINE = f"Okay. {SOS_LINE}"

# The situations shown first (the rest come under "Something else").
COMMON_SITUATIONS = [
    "anxiety",
    "panic",
    "overwhelm",
    "low-mood",
    "anger",
    "urge",
    "self-harm-urge",
    "suicidal-thoughts",
    "rumination",
]


class _Quit(Exception):
    """The person chose to stop before a skill began."""


class CopeOptions:
    """What was asked for on the command line."""

    def __init__(
        self, skill_id: str | None = None, situation: str | None = None, again: bool = False
    ) -> None:
        self.skill_id = skill_id
        self.situation = situation
        self.again = again


# -- background loading -------------------------------------------------------------------


class _Preload:
    """Imports the heavy modules and loads the skill library off the main thread."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.library: Any = None
        self.error: BaseException | None = None
        import threading

        self._thread = threading.Thread(target=self._run, name="selfback-preload", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            self.library = load_skills(self.env)
            import selfback.store.db  # noqa: F401
            import selfback.store.sessions  # noqa: F401
            import selfback.suggest  # noqa: F401
            import selfback.ui.pacer  # noqa: F401
            import selfback.walk.engine  # noqa: F401
        except BaseException as exc:  # noqa: BLE001 - reported on the main thread
            self.error = exc

    def get_library(self) -> Any:
        if self._thread.is_alive() or self._thread.ident is not None:
            self._thread.join()
        if self.library is None:
            self.library = load_skills(self.env)  # raise the real error here, if any
        return self.library


def load_skills(env: Env) -> Any:
    """The skill library (``.skills``, ``.get()``, ``.problems``)."""
    try:
        from selfback.skills.library import load_library
    except ImportError:  # pragma: no cover - the library module is part of selfback
        return _MiniLibrary.load(env)
    return load_library(env.paths)


class _MiniLibrary:
    """Fallback loader used only if ``selfback.skills.library`` is unavailable."""

    def __init__(self) -> None:
        self.skills: dict[str, Any] = {}
        self.problems: list[Any] = []

    def get(self, skill_id: str) -> Any:
        return self.skills.get(skill_id)

    @classmethod
    def load(cls, env: Env) -> _MiniLibrary:  # pragma: no cover - fallback only
        import yaml

        from selfback.paths import builtin_skills_dir, extra_skill_dirs
        from selfback.skills.schema import Skill

        lib = cls()
        for folder in [builtin_skills_dir(), env.paths.user_skills_dir, *extra_skill_dirs()]:
            try:
                files = sorted(folder.glob("*.y*ml"))
            except OSError:
                continue
            for path in files:
                try:
                    skill = Skill.model_validate(yaml.safe_load(path.read_text("utf-8")))
                except Exception:
                    continue
                lib.skills[skill.id] = skill
        return lib


def fallback_skill() -> Skill:
    """A minimal skill for when no skill file could be loaded at all."""
    from selfback.skills.schema import Skill

    return Skill.model_validate(
        {
            "id": "slow-breathing",
            "title": "Slow breathing",
            "summary": "A few minutes of slow breaths with a long out-breath.",
            "situations": ["panic", "anxiety", "overwhelm", "stress"],
            "distress": {"min": 0, "max": 10},
            "minutes": 2,
            "source": (
                "Paced breathing with a longer exhale; Balban MY et al. (2023) Cell Reports "
                "Medicine 4:100895."
            ),
            "steps": [
                {
                    "kind": "say",
                    "text": "Sit so your back is comfortable. Let your shoulders drop.",
                },
                {
                    "kind": "breathe",
                    "text": "Breathe in for 4. Breathe out slowly for 6.",
                    "inhale": 4,
                    "exhale": 6,
                    "cycles": 10,
                },
                {"kind": "say", "text": "Let your breath find its own pace again."},
            ],
        }
    )


# -- the run --------------------------------------------------------------------------------


class CopeRun:
    def __init__(self, env: Env, options: CopeOptions) -> None:
        self.env = env
        self.opts = options
        self.ui = Screen(env)
        self.ui.hear = self.hear_at_prompt
        self.color = self.ui.color
        self.preload: _Preload | None = None
        self.library: Any = None
        self.store: Store | None = None
        self.store_failed = False
        self.save_warned = False
        self.walk: Walk | None = None
        self.session: CopingSession | None = None
        self._saved_sig: object = None
        self.done_ids: list[str] = []
        # The latest 0-10 distress the person gave (before, a check-in, after).
        self.latest: int | None = None
        # A situation heard in the person's words (risk language at a prompt).
        self.heard_situation: str | None = None
        # Set by the choice after a crisis moment inside a skill: the calming skill to
        # switch to.
        self.switch_to: Skill | None = None
        self.alert_distress = 9
        # Flags noticed before the first question was answered (written after it, so the
        # question appears before the database is touched).
        self.pending_flags: list[tuple[str, str]] = []

    # -- hearing the person --------------------------------------------------------------

    def flag(self, source: str, kind: str) -> None:
        """Record that risk was noticed (never the words). Never raises."""
        from selfback.safety.risk import record_flag

        ref = self.session.uid if self.session is not None and self.walk is not None else None
        record_flag(
            self.env.paths, source=source, kind=kind, ref_uid=ref, when=self.env.clock.now()
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
        self.heard_situation = self.heard_situation or situation_for_risk(hit.kind)
        self.ui.out()
        self.ui.para("Thank you for telling me.")
        self.ui.show_crisis("risk")
        self.flag(source, hit.kind)
        return True

    def hear_at_prompt(self, raw: str) -> bool:
        """Words typed at a "Press Enter" prompt."""
        if not raw.strip():
            return False
        if self.walk is not None and not self.walk.finished:
            return self.hear(raw, source="skill-answer")
        return self.hear(raw)

    # -- the 0-10 question --------------------------------------------------------------------

    def ask_distress(
        self, question: str, *, hint: bool = True, shown: bool = False, before: bool = False
    ) -> int | None:
        """Ask a 0-10 question (``shown``: it is already on screen). Enter skips. Typed
        the person's way ("7/10", "seven"); above the scale ("11", "100") counts as 10,
        said gently, with crisis help and a flag."""
        from selfback.walk.rules import above_scale_message, parse_rating

        if not shown:
            self.ui.out(self.ui.style(question, BOLD))
            if hint:
                self.ui.out(f"  {SCALE_HINT}")
        while True:
            raw = self.ui.ask("> ").strip()
            key = raw.lower()
            if key == "":
                return None
            if self.ui.crisis_request(raw, back_to=None):
                self.ui.out(self.ui.style(question, BOLD))
                continue
            if key == "q":
                raise _Quit
            if key in {"?", "h"}:
                self.ui.para(
                    "Pick the number that fits best; there is no wrong answer. 0 is calm, "
                    "10 is the worst you can imagine."
                )
                continue
            reading = parse_rating(raw, 0, 10)
            if reading is not None:
                self.latest = reading.value
                if reading.above:
                    self.ui.out()
                    self.ui.para(above_scale_message(10))
                    if before:
                        self.pending_flags.append(("rating", "high-rating"))
                    else:
                        self.flag("rating", "high-rating")
                return reading.value
            if self.hear(raw):
                self.ui.out(self.ui.style(question, BOLD))
                self.ui.out("  Type a number from 0 to 10, or press Enter to skip.")
                continue
            self.ui.out("  Please type a number from 0 to 10, or press Enter to skip.")

    # -- store ------------------------------------------------------------------------------

    def open_store(self) -> Store | None:
        if self.store is not None or self.store_failed:
            return self.store
        try:
            from selfback.store.db import open_store

            self.store = open_store(self.env.paths)
        except Exception as exc:
            self.store_failed = True
            msg = getattr(exc, "message", None) or "the log could not be opened"
            self.ui.out(
                f"  (Your log can't be opened right now, so this session won't be saved: {msg})"
            )
        return self.store

    def save(self, *, force: bool = False) -> None:
        """Save the current session (an upsert); quiet, warns once if it fails."""
        if self.session is None or self.walk is None:
            return
        record = self.walk.record()
        session = self.session
        session.answers = record.answers_json()
        session.status = record.status
        session.ended_at = record.ended_at
        sig = (record.status, record.ended_at, repr(session.answers), session.distress_after)
        if not force and sig == self._saved_sig:
            return
        store = self.open_store()
        if store is None:
            return
        try:
            from selfback.store.sessions import save_session

            save_session(store, session)
            self._saved_sig = sig
        except Exception as exc:
            if not self.save_warned:
                self.save_warned = True
                msg = getattr(exc, "message", None) or str(exc)
                self.ui.out(f"  (This session could not be saved: {msg})")

    def save_partial(self) -> None:
        """On Ctrl-C or end of input: save what there is as stopped."""
        if self.walk is None or self.session is None:
            return
        if not self.walk.finished:
            self.walk.stop()
        import contextlib

        with contextlib.suppress(BaseException):  # never turn an exit into a traceback
            self.save(force=True)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    # -- choosing ---------------------------------------------------------------------------

    def get_library(self) -> Any:
        if self.library is None:
            self.library = self.preload.get_library() if self.preload else load_skills(self.env)
        return self.library

    def find_skill(self, skill_id: str) -> Skill:
        from selfback.errors import UsageError

        lib = self.get_library()
        skill = lib.get(skill_id.strip().lower())
        if skill is not None:
            return skill
        import difflib

        close = difflib.get_close_matches(skill_id.lower(), list(lib.skills), n=1)
        hint = f" Did you mean selfback cope {close[0]}?" if close else ""
        raise UsageError(
            f"There is no skill called '{clean_line(skill_id)}'.{hint} "
            "To see them all, run selfback skills list."
        )

    def menu(
        self,
        show: Callable[[], None],
        count: int,
        *,
        retry: str,
        help_text: str,
        keys: tuple[str, ...] = (),
        words: Callable[[str], int | str | None] | None = None,
    ) -> int | str | None:
        """Show a numbered menu and read a choice: the 0-based index of a number from 1 to
        ``count``, None for Enter, or one of ``keys``. ``q`` stops, ``!`` (or ``sos``,
        ``help``) shows the crisis text and then the menu again, ``?`` gives
        ``help_text``. ``words`` turns other typed words into a choice (or None); words
        that may mean risk are heard first."""
        show()
        while True:
            raw = self.ui.ask("> ").strip()
            key = raw.lower()
            if key == "":
                return None
            if key.isdigit() and 1 <= int(key) <= count:
                return int(key) - 1
            if key in keys:
                return key
            if key == "q":
                raise _Quit
            if self.ui.crisis_request(raw, back_to=None):
                show()
                continue
            if key in ("?", "h"):
                self.ui.para(help_text)
                continue
            if self.hear(raw):
                self.ui.wait_enter("Press Enter when you're ready to go on.")
                picked = words(raw) if words is not None else None
                if picked is not None:
                    return picked
                show()
                continue
            if words is not None:
                picked = words(raw)
                if picked is not None:
                    return picked
            self.ui.para(retry)

    def ask_situation(self) -> str | None:
        from selfback.skills.schema import SITUATIONS
        from selfback.walk.situations import closest_situation, match_situation

        first = [s for s in COMMON_SITUATIONS if s in SITUATIONS]
        rest = [s for s in SITUATIONS if s not in first]
        everything = first + rest

        def show_first() -> None:
            self.ui.out()
            self.ui.out(self.ui.style("What's going on?", BOLD) + " (Enter to skip)")
            for i, sid in enumerate(first, start=1):
                self.ui.out(f"  {i}. {SITUATIONS[sid]}")
            self.ui.out(f"  {len(first) + 1}. Something else")
            self.ui.para("Type a number, or a few words.")

        def show_rest() -> None:
            self.ui.out()
            for i, sid in enumerate(rest, start=1):
                self.ui.out(f"  {i}. {SITUATIONS[sid]}")
            self.ui.out("  Enter: none of these")

        def words(raw: str) -> str | None:
            """A situation named in words: ``"sid:<id>"``, or None (after a hint)."""
            if self.heard_situation is not None:
                return "sid:" + self.heard_situation
            sid = match_situation(raw)
            if sid is not None:
                return "sid:" + sid
            near = closest_situation(raw)
            if near is not None and near in everything:
                n = first.index(near) + 1 if near in first else None
                where = f"number {n}" if n else f"under {len(first) + 1}, Something else"
                self.ui.para(f"Did you mean {SITUATIONS[near].lower()}? It is {where}.")
            return None

        retry = (
            f"Please type a number from 1 to {len(first) + 1} or a few words, "
            "or press Enter to skip."
        )
        picked = self.menu(
            show_first,
            len(first) + 1,
            retry=retry,
            help_text="Type the number that fits best, or a few words, or press Enter to skip.",
            words=words,
        )
        if isinstance(picked, str) and picked.startswith("sid:"):
            return picked[4:]
        if not isinstance(picked, int):
            return None
        if picked < len(first):
            return first[picked]
        picked = self.menu(
            show_rest,
            len(rest),
            retry=f"Please type a number from 1 to {len(rest)} or a few words, or press Enter.",
            help_text="Type the number that fits best, or press Enter if none fit.",
            words=words,
        )
        if isinstance(picked, str) and picked.startswith("sid:"):
            return picked[4:]
        return rest[picked] if isinstance(picked, int) else None

    def plan_skill_ids(self) -> list[str]:
        """Skill ids the person put in step 2 of their safety plan (if any)."""
        try:
            from selfback.safety.plan import load_plan

            plan = load_plan(self.env.paths)
        except Exception:
            return []
        if plan is None:
            return []
        try:
            ids = plan.skill_ids() if hasattr(plan, "skill_ids") else plan.coping_skills
        except Exception:
            return []
        return [v for v in ids if isinstance(v, str)]

    def skill_stats(self) -> dict[str, Any]:
        store = self.open_store()
        if store is None:
            return {}
        try:
            from selfback.store.sessions import skill_effectiveness

            return skill_effectiveness(store)
        except Exception:
            return {}

    def choose_skill(self, distress: int | None, situation: str | None) -> Skill:
        from selfback.suggest import rank

        lib = self.get_library()
        skills = list(lib.skills.values())
        if not skills:
            self.ui.out()
            self.ui.para(
                "selfback couldn't load its skills just now, so here is a simple one. "
                "(To see what is wrong, run selfback skills validate.)"
            )
            return fallback_skill()
        stats = self.skill_stats()
        ranked = rank(
            skills,
            distress=distress,
            situation=situation,
            stats=stats,
            plan_ids=self.plan_skill_ids(),
            exclude=self.done_ids,
        )
        if not ranked:  # everything fitting was done or nothing fits: offer the rest
            ranked = rank(
                skills,
                distress=distress,
                situation=situation,
                stats=stats,
                exclude=self.done_ids,
                include_unfit=True,
            )
        if not ranked:  # every skill was done in this run: the ones done first go first
            ranked = rank(skills, distress=distress, situation=situation, include_unfit=True)
            ranked = last_done_last(ranked, self.done_ids)
        top = ranked[:3]

        def show() -> None:
            self.ui.out()
            self.ui.out(self.ui.style("Some skills that could help right now:", BOLD))
            self.show_suggestions(top)
            self.ui.out()
            self.ui.para("Enter for 1, or type a number. m for more skills, q to stop.")

        picked = self.menu(
            show,
            len(top),
            retry=f"Please type a number from 1 to {len(top)}, m for more, or q to stop.",
            help_text="Type the number of a skill and press Enter. Enter alone takes the first.",
            keys=("m",),
        )
        if picked == "m":
            return self.choose_from_all(distress, situation, skills)
        return top[picked if isinstance(picked, int) else 0].skill

    def show_suggestions(self, items: list[Suggestion]) -> None:
        from selfback.suggest import minutes_text

        for i, sug in enumerate(items, start=1):
            title = self.ui.style(clean_line(sug.skill.title), BOLD)
            why = f": {sug.reason}" if sug.reason else ""
            self.ui.out(f"  {i}. {title} ({minutes_text(sug.skill.minutes)}){why}")
            self.ui.para(sug.skill.summary, indent="     ")

    def choose_from_all(
        self, distress: int | None, situation: str | None, skills: list[Any]
    ) -> Skill:
        from selfback.suggest import minutes_text, rank

        everything = rank(
            skills,
            distress=distress,
            situation=situation,
            stats=self.skill_stats(),
            include_unfit=True,
        )
        everything = last_done_last(everything, self.done_ids)

        def show() -> None:
            self.ui.out()
            for i, sug in enumerate(everything, start=1):
                title = clean_line(sug.skill.title)
                self.ui.out(f"  {i:>2}. {title} ({minutes_text(sug.skill.minutes)})")
            self.ui.out()
            self.ui.out("  Type a number (Enter for 1, q to stop).")

        picked = self.menu(
            show,
            len(everything),
            retry=f"Please type a number from 1 to {len(everything)}.",
            help_text="Type the number of a skill and press Enter.",
        )
        return everything[picked if isinstance(picked, int) else 0].skill

    # -- one skill ------------------------------------------------------------------------

    def intro(self, skill: Skill, *, can_go_back: bool) -> str:
        """Show the skill's title, summary and cautions. Returns "begin" or "back"."""
        from selfback.suggest import minutes_text

        while True:
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
                self.ui.out("  Before you start:")
                for caution in skill.cautions:
                    self.ui.para(caution, indent="    - ", rest="      ")
            self.ui.out()
            back = "b to choose another, " if can_go_back else ""
            self.ui.para(f"Enter to begin, {back}q to stop, ! crisis lines.")
            while True:
                raw = self.ui.ask("> ").strip()
                key = raw.lower()
                if key == "":
                    return "begin"
                if key == "b" and can_go_back:
                    return "back"
                if key == "q":
                    raise _Quit
                if self.ui.crisis_request(raw, back_to="the skill"):
                    break
                if key == "?":
                    self.ui.show_help()
                    break
                if self.hear(raw):
                    self.ui.wait_enter("Press Enter when you're ready to go on.")
                    break
                self.ui.out("  Press Enter to begin, or q to stop.")

    def walk_skill(self, skill: Skill, before: int | None, situation: str | None) -> Walk:
        from selfback.store.sessions import CopingSession
        from selfback.ui.steps import StepRunner
        from selfback.walk.engine import Walk

        walk = Walk(skill, now=self.env.clock.now)
        self.walk = walk
        self._saved_sig = None
        self.session = CopingSession(
            skill_id=skill.id,
            skill_version=skill.version,
            skill_title=skill.title,
            started_at=walk.started_at,
            situation=situation,
            distress_before=before,
        )
        self.save()
        StepRunner(self.ui, self.save, alert=self.skill_alert).run(walk)
        return walk

    # -- a crisis moment inside a skill ---------------------------------------------------

    def skill_alert(self, walk: Walk, alert: Alert) -> str:
        """A high rating, or an answer that may mean risk, inside a skill: the short
        crisis text, a flag, then the person's choice. Returns "carry-on", "switch"
        (``self.switch_to`` is set) or "stop"."""
        if alert.distress is not None:
            self.latest = alert.distress
        # A crisis moment: calming skills are chosen for high intensity.
        self.alert_distress = max(alert.distress or 0, self.latest or 0, 9)
        risky = alert.reason == "risk"
        if risky:
            self.heard_situation = self.heard_situation or situation_for_risk(alert.kind)
        self.ui.out()
        if risky:
            self.ui.para("Thank you for writing that down.")
        else:
            self.ui.para("That's a lot to be holding right now.")
        self.ui.show_crisis("risk" if risky else "rating")
        self.flag("skill-answer" if risky else "rating", alert.kind)
        cognitive = risky and walk.skill.has_tag("cognitive")
        if cognitive:
            self.ui.para(
                "This skill weighs thoughts against facts, and a thought like that needs care, "
                "not evidence. So it stops here. Something calming for your body can help "
                "with the next few minutes."
            )
        title = clean_line(walk.skill.title)
        options: list[tuple[str, str]] = []
        if not cognitive:
            options.append(("carry-on", f"Carry on with {title}"))
        options += [
            ("switch", "Switch to something calming"),
            ("plan", "See my safety plan"),
            ("stop", "Stop for now"),
        ]
        words = {
            "carry-on": ("carry on", "continue", "go on", "c"),
            "switch": ("switch", "calm", "calming", "something calming"),
            "plan": ("plan", "safety plan", "my safety plan", "see my safety plan", "p"),
            "stop": ("stop", "stop for now", "q", "quit"),
        }
        while True:
            self.ui.out()
            self.ui.out(self.ui.style("What would help now?", BOLD))
            for i, (_, label) in enumerate(options, start=1):
                self.ui.out(f"  {i}. {label}")
            self.ui.out("  Enter for 1.")
            choice: str | None = None
            while choice is None:
                raw = self.ui.ask("> ").strip()
                key = " ".join(raw.lower().split())
                if key == "":
                    choice = options[0][0]
                elif key.isdigit() and 1 <= int(key) <= len(options):
                    choice = options[int(key) - 1][0]
                elif self.ui.crisis_request(raw, back_to=None):
                    break
                else:
                    for action, _ in options:
                        if key in words[action]:
                            choice = action
                    if choice is None:
                        self.ui.out(f"  Please type a number from 1 to {len(options)}.")
            if choice is None:
                continue
            if choice == "plan":
                self.show_plan()
                continue
            if choice == "switch":
                calm = self.choose_calming(walk)
                if calm is None:
                    continue
                self.switch_to = calm
                return "switch"
            return choice

    def calming_skills(self, current: str) -> list[Skill]:
        from selfback.suggest import calming

        lib = self.get_library()
        skills = list(lib.skills.values())
        distress = self.alert_distress
        situation = self.session.situation if self.session is not None else None
        found = calming(
            skills,
            distress=distress,
            exclude=[current],
            stats=self.skill_stats(),
            situation=situation,
        )
        return found[:3] or [fallback_skill()]

    def choose_calming(self, walk: Walk) -> Skill | None:
        """Pick a calming skill (Enter takes the first). None: back to the choice."""
        from selfback.suggest import minutes_text

        found = self.calming_skills(walk.skill.id)

        def show() -> None:
            self.ui.out()
            self.ui.out(self.ui.style("Something calming for your body:", BOLD))
            for i, skill in enumerate(found, start=1):
                title = clean_line(skill.title)
                self.ui.out(f"  {i}. {title} ({minutes_text(skill.minutes)})")
            self.ui.out("  Enter for 1, b to go back.")

        show()
        while True:
            raw = self.ui.ask("> ").strip()
            key = raw.lower()
            if key == "":
                return found[0]
            if key.isdigit() and 1 <= int(key) <= len(found):
                return found[int(key) - 1]
            if key == "b":
                return None
            if self.ui.crisis_request(raw, back_to=None):
                show()
                continue
            self.ui.out(f"  Please type a number from 1 to {len(found)}, or b to go back.")

    def show_plan(self, *, source: str = "key", wait: bool = True) -> None:
        """The full crisis text, then the person's whole safety plan (if there is one)."""
        self.ui.show_crisis(source, compact=False)
        try:
            from selfback.safety.plan import read_plan_file

            plan = read_plan_file(self.env.paths)
        except Exception:
            plan = None
        if plan is not None and not plan.is_empty():
            self.ui.out(self.ui.style("Your safety plan", BOLD))
            for line in plan.to_text().rstrip("\n").split("\n"):
                self.ui.out(clean_line(line) if line.strip() else "")
            self.ui.out()
        if wait:
            self.ui.wait_enter("Press Enter to go back.")

    # -- after a skill ------------------------------------------------------------------------

    def after(self, walk: Walk, before: int | None) -> int | None:
        from selfback.walk.rules import change_message, crisis_first

        title = clean_line(walk.skill.title)
        state = "done" if walk.status == "completed" else "stopped"
        sep = " · " if self.color else ": "
        self.ui.screen(f"{title}{sep}{state}")
        if walk.status == "completed":
            self.ui.para(f"You finished {title}.")
            question = AFTER_QUESTION
        else:
            self.ui.out("  Stopped here. That's okay.")
            question = "Before you go: how intense is it now, 0 to 10?"
        self.ui.out()
        after = self.ask_distress(question, hint=False)
        if self.session is not None:
            self.session.distress_after = after
            self.save(force=True)
        self.ui.out()
        self.ui.para(change_message(before, after))
        if crisis_first(after):
            self.ui.show_crisis("cope")
        return after

    def offer_more(self) -> str:
        """After a skill, still 7 or more: returns "another" or "stop"."""
        while True:
            self.ui.out()
            self.ui.out(self.ui.style("It still feels very hard. What would help now?", BOLD))
            self.ui.out("  1. Try another skill")
            self.ui.out("  2. See crisis lines and your safety plan")
            self.ui.out("  3. Stop for now")
            self.ui.out("  Enter for 1.")
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
                if self.hear(raw):
                    break
                self.ui.out("  Please type 1, 2 or 3.")

    def closing(self, walk: Walk | None, before: int | None, after: int | None) -> None:
        from selfback.walk.rules import helped

        self.ui.out()
        if walk is not None and not self.store_failed:
            self.ui.out("  Saved in your log.")
        if walk is not None and helped(before, after) and not self.opts.again:
            command = self.ui.style("selfback cope --again", BOLD)
            self.ui.para(f"Next time, {command} starts {clean_line(walk.skill.title)} at once.")
        self.ui.para(f"Be gentle with yourself for a while. {SOS_LINE}")
        lib = self.library
        problems = getattr(lib, "problems", None) if lib is not None else None
        if problems:
            n = len(problems)
            self.ui.para(
                f"(Note: {n} skill file{'s' if n != 1 else ''} could not be loaded; "
                "to see why, run selfback skills validate.)"
            )

    # -- the whole flow -----------------------------------------------------------------------

    def run(self) -> int:
        opts = self.opts
        skill: Skill | None = None
        situation = opts.situation
        situation_source = "cope"
        if opts.skill_id:
            skill = self.find_skill(opts.skill_id)
        if situation is not None:
            situation, risk_kind = validate_situation(situation)
            if risk_kind is not None:
                situation_source = "risk"
                self.pending_flags.append(("situation", risk_kind))

        from selfback.walk.rules import crisis_first, still_high

        if situation is not None and crisis_first(None, situation):
            # Asked for by name (--for suicide): crisis help and their people come first,
            # before any question.
            self.flush_flags()
            self.ui.show_crisis("risk" if situation_source == "risk" else "cope")

        # The first question goes out before anything heavy is imported; the skill library
        # then loads in the background while the person answers.
        self.ui.out(self.ui.style(FIRST_QUESTION, BOLD))
        self.ui.out(f"  {SCALE_HINT}")
        if self.library is None:
            self.preload = _Preload(self.env)
            self.preload.start()
        try:
            before = self.ask_distress(FIRST_QUESTION, shown=True, before=True)
        except _Quit:
            self.flush_flags()
            self.ui.out(f"  {QUIT_LINE}")
            return 0
        self.flush_flags()

        try:
            if situation is None and self.heard_situation is not None:
                situation = self.heard_situation
            if crisis_first(before, situation) and not self.ui.crisis_shown:
                self.ui.show_crisis("risk" if situation_source == "risk" else "cope")
                self.ui.wait_enter("Press Enter when you're ready to go on.")
            if opts.again and skill is None:
                skill = self.again_skill()
            if skill is None and situation is None:
                situation = self.ask_situation()
                if crisis_first(None, situation) and not self.ui.crisis_shown:
                    self.ui.show_crisis("cope")
                    self.ui.wait_enter("Press Enter when you're ready to go on.")
            walk: Walk | None = None
            after: int | None = None
            chosen_here = skill is None
            while True:
                if skill is None:
                    skill = self.choose_skill(before, situation)
                    chosen_here = True
                if self.intro(skill, can_go_back=chosen_here) == "back":
                    skill = None
                    continue
                walk = self.walk_skill(skill, before, situation)
                self.done_ids.append(skill.id)
                if self.switch_to is not None:
                    # A real switch: this session is saved as stopped, the calming skill
                    # starts from the latest rating.
                    self.save(force=True)
                    skill, self.switch_to = self.switch_to, None
                    before = self.latest if self.latest is not None else before
                    chosen_here = False
                    self.walk = None
                    self.session = None
                    continue
                after = self.after(walk, before)
                if still_high(after) and self.offer_more() == "another":
                    before = after
                    skill = None
                    self.walk = None
                    self.session = None
                    continue
                break
        except _Quit:
            self.ui.out()
            self.ui.out(f"  {QUIT_LINE}")
            return 0
        self.closing(walk, before, after)
        return 0

    def again_skill(self) -> Skill | None:
        store = self.open_store()
        last = None
        if store is not None:
            try:
                from selfback.store.sessions import last_helpful_skill

                last = last_helpful_skill(store)
            except Exception:
                last = None
        if last is not None:
            skill = self.get_library().get(last.skill_id)
            if skill is not None:
                return skill
            name = clean_line(last.skill_title or last.skill_id)
            self.ui.para(
                f"The skill that helped last time ({name}) isn't in your library any more, "
                "so let's pick one together."
            )
            return None
        self.ui.para(
            "Nothing in your log is marked as having helped yet, so let's pick a skill together."
        )
        return None


def last_done_last(items: list[Suggestion], done: list[str]) -> list[Suggestion]:
    """Skills done in this run go to the end (the latest last), so "try another skill"
    never offers first the one that just ended."""
    order = {sid: i for i, sid in enumerate(done)}
    fresh = [s for s in items if s.skill.id not in order]
    used = sorted((s for s in items if s.skill.id in order), key=lambda s: order[s.skill.id])
    return fresh + used


def situation_for_risk(kind: str) -> str:
    """The situation for a kind of risk heard in the person's words."""
    return "self-harm-urge" if kind == "self-harm" else "suicidal-thoughts"


def validate_situation(value: str) -> tuple[str, str | None]:
    """The situation ``--for`` names, and the risk kind when its words may mean risk
    (then it is thoughts of ending my life, or an urge to hurt myself). Raises a
    UsageError (one sentence, with the nearest situation for a typo) when unknown."""
    from selfback.errors import UsageError
    from selfback.safety.risk import detect
    from selfback.skills.schema import SITUATIONS
    from selfback.walk.situations import closest_situation, match_situation

    hit = detect(value)
    key = value.strip().lower().replace("_", "-").replace(" ", "-")
    sid = key if key in SITUATIONS else match_situation(value)
    if hit is not None:
        risky = situation_for_risk(hit.kind)
        if sid not in ("self-harm-urge", "suicidal-thoughts"):
            sid = risky
        return sid, hit.kind
    if sid is not None:
        return sid, None
    shown = clean_line(value)
    near = closest_situation(value)
    if near is not None:
        raise UsageError(f"'{shown}' is not a situation selfback knows; did you mean {near}?")
    raise UsageError(
        f"'{shown}' is not a situation selfback knows; use one of: {', '.join(SITUATIONS)}."
    )


def run_cope(env: Env, options: CopeOptions) -> int:
    """Run `selfback cope`. Ctrl-C or end of input saves the partial session and raises a
    SelfbackError with one kind line (exit 130 for Ctrl-C), wrapped to the terminal."""
    from selfback.errors import ExitCode, SelfbackError
    from selfback.text import wrap

    run = CopeRun(env, options)

    def line(text: str) -> str:
        return "\n" + "\n".join(wrap(text, run.ui.width()))

    try:
        return run.run()
    except KeyboardInterrupt:
        run.save_partial()
        # One kind line (main prints it) and exit 130.
        raise SelfbackError(line(STOPPED_LINE), ExitCode.INTERRUPTED) from None
    except EOFError:
        run.save_partial()
        raise SelfbackError(line(EOF_LINE), ExitCode.PROBLEM) from None
    finally:
        run.close()
