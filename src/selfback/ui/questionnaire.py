"""The screens of a questionnaire: one question per screen, the crisis help, the result.

Implements ``selfback.actions.measure.QuestionnaireScreens``. Answers are typed as the
option's number and Enter; ``b`` goes back, ``q`` stops, and ``!``, ``sos``, ``help`` or
``crisis`` show the short crisis text at any question (recorded as an opening by the
person, "key"). A colour terminal gets a fresh screen per question; plain mode does not
clear, and crisis help just shown stays on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from selfback.actions.measure import BACK, Quit
from selfback.messages import measure as msg

if TYPE_CHECKING:
    from rich.console import Console

    from selfback.actions.measure import Saved
    from selfback.env import Env
    from selfback.measures.scoring import Score
    from selfback.measures.session import Session

CLEAR = "\x1b[H\x1b[2J"
QUIT_WORDS = frozenset({"q", "quit", "stop", "exit"})
# Like !, these open the crisis screen at any question (what a person in trouble may type).
CRISIS_WORDS = frozenset({"!", "sos", "help", "selfback sos", "crisis"})


def esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def clear(env: Env) -> None:
    if env.interactive and not env.plain:
        env.stdout.write(CLEAR)
        env.stdout.flush()


def show_crisis(
    env: Env,
    console: Console,
    *,
    source: str | None = None,
    offer_plan: bool = True,
    lead: str | None = None,
) -> None:
    """The short crisis text; ``source`` records an opening (the ! key: "key")."""
    from selfback.safety.crisis import record_opening
    from selfback.ui.crisis import crisis_block

    console.print()
    if lead:
        console.print(f"[bold]{esc(lead)}[/bold]")
        console.print()
    # The crisis text may carry its own colour codes: write it as it is.
    text = crisis_block(env)
    env.stdout.write(text + "\n")
    env.stdout.flush()
    if source is not None:
        record_opening(env.paths, source)
    if offer_plan and "selfback plan" not in text:
        console.print()
        console.print(msg.PLAN_THERE if env.paths.plan_file.exists() else msg.PLAN_MAKE)
    console.print()


def _say(console: Console, markup: str) -> None:
    """Print ``markup``; a line that starts indented keeps its indent when it wraps."""
    from rich.padding import Padding
    from rich.text import Text

    text = markup.lstrip(" ")
    indent = len(markup) - len(text)
    if not indent:
        console.print(markup)
        return
    console.print(Padding(Text.from_markup(text), (0, 0, 0, indent), expand=False))


class QuestionScreens:
    """One sitting's screens, on ``console``."""

    def __init__(self, env: Env, console: Console) -> None:
        self.env = env
        self.console = console
        self.first_screen = True
        self.keep_screen = False  # crisis help was just shown: leave it on screen

    def ask(self, session: Session) -> int | Literal["back"]:
        if not self.first_screen and not self.keep_screen:
            clear(self.env)
        self.first_screen = self.keep_screen = False
        self._draw(session)
        return self._read(session)

    def _draw(self, session: Session) -> None:
        console = self.console
        inst, item, options = session.instrument, session.item, session.options
        lo, hi = options[0].value, options[-1].value
        progress = session.progress
        where = f"question {progress[0]} of {progress[1]}" if progress else "one last question"
        console.print(f"[bold]{esc(inst.name)}[/bold] · {where}")
        if progress is not None and progress[0] == 1 and session.current_answer is None:
            for line in (inst.instructions, inst.intro):
                if line:
                    console.print(esc(line))
            if inst.instructions or inst.intro:
                console.print()
        if item.scored:
            console.print(esc(inst.stem))
        console.print()
        _say(console, f"  [bold]{esc(item.text)}[/bold]")
        if item.note:
            _say(console, f"  {esc(item.note)}")
        console.print()
        for option in options:
            _say(console, f"  {option.value}  {esc(option.label)}")
        console.print()
        before = session.current_answer
        if before is not None:
            label = next(o.label for o in options if o.value == before)
            _say(console, msg.BEFORE.format(value=before, label=esc(label)))
        back = "" if session.at_start else ", b to go back"
        _say(console, f"  [dim]{msg.KEYS.format(lo=lo, hi=hi, back=back)}[/dim]")

    def _read(self, session: Session) -> int | Literal["back"]:
        from selfback.ui.prompt import read_line

        options = session.options
        lo, hi = options[0].value, options[-1].value
        while True:
            raw = " ".join(read_line(self.env, "Your answer: ").split()).lower()
            if raw == "":
                self.console.print(msg.NO_RUSH.format(lo=lo, hi=hi))
            elif raw in QUIT_WORDS:
                raise Quit
            elif raw in ("b", "back"):
                if not session.at_start:
                    return BACK
                self.console.print(msg.FIRST_QUESTION)
            elif raw in CRISIS_WORDS:
                show_crisis(self.env, self.console, source="key", offer_plan=False)
            elif raw.isdigit() and lo <= int(raw) <= hi:
                return int(raw)
            else:
                back = "" if session.at_start else msg.OR_BACK
                self.console.print(msg.RETRY.format(lo=lo, hi=hi, back=back))

    def crisis_answer(self) -> None:
        show_crisis(self.env, self.console, lead=msg.ITEM9_LEAD)

    def answers_kept(self) -> None:
        self.console.print(msg.ANSWERS_KEPT)
        self.console.print()
        self.keep_screen = True

    def finished(self) -> None:
        clear(self.env)

    def result(self, score: Score, saved: Saved) -> None:
        from selfback.measures.library import get_instrument
        from selfback.measures.reminders import retake_words
        from selfback.measures.scoring import change_sentence

        console = self.console
        inst = score.instrument
        taken = saved.result.taken_at.date().isoformat()
        console.print(f"[bold]{esc(inst.name)}[/bold] ({esc(inst.title)}), {taken}")
        console.print()
        _say(console, f"  Your score: [bold]{esc(score.text)}[/bold]")
        _say(console, f"  {esc(score.band.text)}")
        if saved.change is not None and saved.previous is not None:
            before = saved.previous.taken_at.date().isoformat()
            _say(console, f"  {esc(change_sentence(inst, saved.change, before))}")
        else:
            when = retake_words(inst.retake_after_days)
            _say(console, msg.FIRST_TIME.format(name=esc(inst.name), when=when))
        if score.suggest is not None:
            full = get_instrument(score.suggest)
            console.print()
            console.print(
                msg.SUGGEST_FULL.format(
                    threshold=inst.screen_threshold,
                    name=esc(full.name),
                    count=len(full.scored_items),
                )
            )
            _say(console, f"    [bold]selfback measure {full.id}[/bold]")
        console.print()
        console.print(msg.WORRIED)
        console.print(msg.SAVED)
        console.print()
        console.print(f"[dim]{esc(inst.attribution)}[/dim]")
