"""The terminal side of `selfback cope`: asks, shows one step per screen, drives the
walk engine, and logs the session.

Start-up is kept light on purpose: the first question ("How intense is it right now?") is
written with plain stdout writes before rich, YAML, pydantic or sqlite3 are imported. The
skill library loads in a background thread while the person answers.

Every prompt is line based (works with Enter and digits, over SSH and with a screen
reader). Keys on every screen: Enter go on, ``b`` back, ``s`` skip, ``q`` stop, ``?``
help, ``!`` crisis lines. Ctrl-C and end of input stop cleanly; the partial session is
saved as "stopped".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from selfback.env import Env
from selfback.ui.screen import BOLD, CYAN, DIM, Screen

if TYPE_CHECKING:
    from selfback.skills.schema import Skill
    from selfback.store.db import Store
    from selfback.store.sessions import CopingSession
    from selfback.suggest import Suggestion
    from selfback.walk.engine import Walk

FIRST_QUESTION = "How intense is it right now, 0 to 10?"
AFTER_QUESTION = "And now, 0 to 10?"
SCALE_HINT = "0 = calm, 10 = the worst you can imagine. Enter to skip, ! for crisis lines."
STOPPED_LINE = "Stopped. What you did so far is saved. `selfback sos` is here if you need it."
EOF_LINE = (
    "No more input, so selfback stopped. What you did so far is saved. "
    "`selfback sos` is here if you need it."
)

# The situations shown first (the rest come under "Something else").
COMMON_SITUATIONS = [
    "anxiety",
    "panic",
    "overwhelm",
    "low-mood",
    "anger",
    "urge",
    "self-harm-urge",
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

    # -- the 0-10 question --------------------------------------------------------------------

    def ask_distress(self, question: str, *, hint: bool = True, shown: bool = False) -> int | None:
        """Ask a 0-10 question (``shown``: it is already on screen). Enter skips."""
        if not shown:
            self.ui.out(self.ui.style(question, BOLD))
            if hint:
                self.ui.out(f"  {SCALE_HINT}")
        while True:
            raw = self.ui.ask("> ").strip().lower()
            if raw == "":
                return None
            if raw == "!":
                self.ui.show_crisis("key")
                self.ui.out(self.ui.style(question, BOLD))
                continue
            if raw == "q":
                raise _Quit
            if raw in {"?", "h"}:
                self.ui.out(
                    "  Pick the number that fits best; there is no wrong answer. 0 is calm, "
                    "10 is the worst you can imagine."
                )
                continue
            if raw.isdigit() and 0 <= int(raw) <= 10:
                return int(raw)
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
        hint = f" Did you mean `selfback cope {close[0]}`?" if close else ""
        raise UsageError(
            f"There is no skill called '{skill_id}'.{hint} `selfback skills list` shows them all."
        )

    def menu(
        self,
        show: Callable[[], None],
        count: int,
        *,
        retry: str,
        help_text: str,
        keys: tuple[str, ...] = (),
    ) -> int | str | None:
        """Show a numbered menu and read a choice: the 0-based index of a number from 1 to
        ``count``, None for Enter, or one of ``keys``. ``q`` stops, ``!`` shows the crisis
        text and then the menu again, ``?`` gives ``help_text``."""
        show()
        while True:
            raw = self.ui.ask("> ").strip().lower()
            if raw == "":
                return None
            if raw.isdigit() and 1 <= int(raw) <= count:
                return int(raw) - 1
            if raw in keys:
                return raw
            if raw == "q":
                raise _Quit
            if raw == "!":
                self.ui.show_crisis("key")
                show()
            elif raw in ("?", "h"):
                self.ui.out(f"  {help_text}")
            else:
                self.ui.out(f"  {retry}")

    def ask_situation(self) -> str | None:
        from selfback.skills.schema import SITUATIONS

        first = [s for s in COMMON_SITUATIONS if s in SITUATIONS]
        rest = [s for s in SITUATIONS if s not in first]

        def show_first() -> None:
            self.ui.out()
            self.ui.out(self.ui.style("What's going on?", BOLD) + " (Enter to skip)")
            for i, sid in enumerate(first, start=1):
                self.ui.out(f"  {i}. {SITUATIONS[sid]}")
            self.ui.out(f"  {len(first) + 1}. Something else")

        def show_rest() -> None:
            self.ui.out()
            for i, sid in enumerate(rest, start=1):
                self.ui.out(f"  {i}. {SITUATIONS[sid]}")
            self.ui.out("  Enter: none of these")

        picked = self.menu(
            show_first,
            len(first) + 1,
            retry=f"Please type a number from 1 to {len(first) + 1}, or press Enter to skip.",
            help_text="Type the number that fits best, or press Enter to skip this.",
        )
        if not isinstance(picked, int):
            return None
        if picked < len(first):
            return first[picked]
        picked = self.menu(
            show_rest,
            len(rest),
            retry=f"Please type a number from 1 to {len(rest)}, or press Enter.",
            help_text="Type the number that fits best, or press Enter if none fit.",
        )
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
            self.ui.out(
                "  selfback couldn't load its skills just now, so here is a simple one. "
                "(`selfback skills validate` shows what is wrong.)"
            )
            return fallback_skill()
        ranked = rank(
            skills,
            distress=distress,
            situation=situation,
            stats=self.skill_stats(),
            plan_ids=self.plan_skill_ids(),
            exclude=self.done_ids,
        )
        if not ranked:  # everything excluded or nothing fits: offer everything
            ranked = rank(skills, distress=distress, situation=situation, include_unfit=True)
        top = ranked[:3]

        def show() -> None:
            self.ui.out()
            self.ui.out(self.ui.style("Some skills that could help right now:", BOLD))
            self.show_suggestions(top)
            self.ui.out()
            self.ui.out("  Enter for 1, or type a number. m for more skills, q to stop.")

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
            title = self.ui.style(sug.skill.title, BOLD)
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

        def show() -> None:
            self.ui.out()
            for i, sug in enumerate(everything, start=1):
                self.ui.out(f"  {i:>2}. {sug.skill.title} ({minutes_text(sug.skill.minutes)})")
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
            if self.color:
                self.ui.screen("selfback cope")
                title = self.ui.style(skill.title, BOLD + CYAN)
                self.ui.out(f"  {title} {self.ui.style('· ' + about, DIM)}")
                self.ui.out()
            else:
                self.ui.screen(f"{skill.title} ({about})")
            self.ui.para(skill.summary)
            if skill.cautions:
                self.ui.out()
                self.ui.out("  Before you start:")
                for caution in skill.cautions:
                    self.ui.para(caution, indent="    - ", rest="      ")
            self.ui.out()
            back = "b to choose another, " if can_go_back else ""
            self.ui.out(f"  Enter to begin, {back}q to stop, ! crisis lines.")
            while True:
                raw = self.ui.ask("> ").strip().lower()
                if raw == "":
                    return "begin"
                if raw == "b" and can_go_back:
                    return "back"
                if raw == "q":
                    raise _Quit
                if raw == "!":
                    self.ui.crisis_key(back_to="the skill")
                    break
                if raw == "?":
                    self.ui.show_help()
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
        StepRunner(self.ui, self.save).run(walk)
        return walk

    # -- after a skill ------------------------------------------------------------------------

    def after(self, walk: Walk, before: int | None) -> int | None:
        from selfback.walk.rules import change_message, crisis_first

        state = "done" if walk.status == "completed" else "stopped"
        sep = " · " if self.color else ": "
        self.ui.screen(f"{walk.skill.title}{sep}{state}")
        if walk.status == "completed":
            self.ui.out(f"  You finished {walk.skill.title}.")
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
                raw = self.ui.ask("> ").strip().lower()
                if raw in ("", "1"):
                    return "another"
                if raw in ("3", "q"):
                    return "stop"
                if raw in ("2", "!"):
                    self.ui.show_crisis("cope", compact=False)
                    break
                self.ui.out("  Please type 1, 2 or 3.")

    def closing(self, walk: Walk | None, before: int | None, after: int | None) -> None:
        from selfback.walk.rules import helped

        self.ui.out()
        if walk is not None and not self.store_failed:
            self.ui.out("  Saved in your log.")
        if walk is not None and helped(before, after) and not self.opts.again:
            self.ui.out(f"  Next time, `selfback cope --again` starts {walk.skill.title} at once.")
        self.ui.out("  Be gentle with yourself for a while. `selfback sos` is here any time.")
        lib = self.library
        problems = getattr(lib, "problems", None) if lib is not None else None
        if problems:
            n = len(problems)
            self.ui.out(
                self.ui.style(
                    f"  (Note: {n} skill file{'s' if n != 1 else ''} could not be loaded; "
                    "`selfback skills validate` shows why.)",
                    DIM,
                )
            )

    # -- the whole flow -----------------------------------------------------------------------

    def run(self) -> int:
        opts = self.opts
        skill: Skill | None = None
        situation = opts.situation
        if opts.skill_id:
            skill = self.find_skill(opts.skill_id)
        if situation is not None:
            situation = validate_situation(situation)

        # The first question goes out before anything heavy is imported; the skill library
        # then loads in the background while the person answers.
        self.ui.out(self.ui.style(FIRST_QUESTION, BOLD))
        self.ui.out(f"  {SCALE_HINT}")
        if self.library is None:
            self.preload = _Preload(self.env)
            self.preload.start()
        try:
            before = self.ask_distress(FIRST_QUESTION, shown=True)
        except _Quit:
            self.ui.out("  Okay. `selfback sos` is here if you need it.")
            return 0

        from selfback.walk.rules import crisis_first, still_high

        try:
            if crisis_first(before, situation):
                self.ui.show_crisis("cope")
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
            self.ui.out("  Okay. `selfback sos` is here if you need it.")
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
            self.ui.out(
                f"  The skill that helped last time ({last.skill_title or last.skill_id}) "
                "isn't in your library any more, so let's pick one together."
            )
            return None
        self.ui.out(
            "  Nothing in your log is marked as having helped yet, so let's pick a skill together."
        )
        return None


def validate_situation(value: str) -> str:
    from selfback.errors import UsageError
    from selfback.skills.schema import SITUATIONS

    key = value.strip().lower().replace("_", "-").replace(" ", "-")
    if key in SITUATIONS:
        return key
    for sid, label in SITUATIONS.items():
        if label.lower() == value.strip().lower():
            return sid
    raise UsageError(
        f"'{value}' is not a situation selfback knows. Use one of: {', '.join(SITUATIONS)}."
    )


def run_cope(env: Env, options: CopeOptions) -> int:
    """Run `selfback cope`. Ctrl-C or end of input saves the partial session and raises a
    SelfbackError with one kind line (exit 130 for Ctrl-C)."""
    from selfback.errors import ExitCode, SelfbackError

    run = CopeRun(env, options)
    try:
        return run.run()
    except KeyboardInterrupt:
        run.save_partial()
        # One kind line (main prints it) and exit 130.
        raise SelfbackError("\n" + STOPPED_LINE, ExitCode.INTERRUPTED) from None
    except EOFError:
        run.save_partial()
        raise SelfbackError("\n" + EOF_LINE, ExitCode.PROBLEM) from None
    finally:
        run.close()
