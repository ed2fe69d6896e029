"""The newer step screens of `selfback cope`, mixed into ``selfback.ui.steps.StepRunner``:

- a ``recall`` step shows earlier answers again (a letter read back, a whole record);
- a ``later`` step asks "now or later?"; Later says the plan is kept and asked about once;
- an ``ask`` with ``lines: true`` takes several lines, finished by an empty line or
  Ctrl-D, or ``e`` writes it in the person's editor (``selfback.ui.long_answer``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from selfback.actions.cope.flow import Alert
from selfback.messages import steps as msg
from selfback.text import clean_line
from selfback.ui.screen import BOLD

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.ui.screen import Screen
    from selfback.walk.engine import StepView, Walk


class StepKinds:
    """Screens for recall, later and long answers (needs the StepRunner it is part of)."""

    if TYPE_CHECKING:
        ui: Screen
        env: Env
        risk: Callable[[list[str]], str | None]

        def common(self, walk: Walk, raw: str) -> str | None: ...
        def controls(
            self, view: StepView, first: str = ..., extra: tuple[str, ...] = ()
        ) -> None: ...
        def say_loop(self, walk: Walk, view: StepView) -> None: ...
        def raise_alert(self, walk: Walk, alert: Alert) -> None: ...
        def ask_number(
            self, walk: Walk, view: StepView, lo: int, hi: int, *, first: str = ...
        ) -> int | None: ...
        def _empty_answer(self, walk: Walk, view: StepView) -> bool: ...

    # -- recall ---------------------------------------------------------------------------

    def show_lines(self, text: str, indent: str = "  ") -> None:
        """A person's words, line by line as they wrote them (each wrapped by words)."""
        for line in text.split("\n"):
            if line.strip():
                self.ui.para(line, indent=indent)
            else:
                self.ui.out()

    def recall_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import RecallStep

        step = view.step
        assert isinstance(step, RecallStep)
        shown = walk.recall(step)
        self.ui.out()
        if not shown:
            self.ui.para(walk.fill(step.empty) if step.empty else msg.NOTHING_WRITTEN)
        for item in shown:
            if item.label:
                self.ui.out(self.ui.style(f"  {clean_line(item.label)}:", BOLD))
                self.show_lines(item.text, indent="    ")
            else:
                self.show_lines(item.text)
        self.ui.out()
        self.controls(view)
        self.say_loop(walk, view)

    # -- now or later ---------------------------------------------------------------------

    def later_step(self, walk: Walk, view: StepView) -> None:
        from selfback.skills.schema import LATER, LaterStep

        step = view.step
        assert isinstance(step, LaterStep)
        for i, option in enumerate(step.options, start=1):
            self.ui.para(f"{i}. {option}", indent="    ", rest="       ")
        if view.previous in (0, 1) or isinstance(view.previous, str):
            keep = 2 if view.previous == LATER else 1
            self.ui.out(msg.ENTER_KEEPS.format(value=keep))
        self.ui.out()
        number = self.ask_number(walk, view, 1, 2)
        if number is None:
            return
        walk.answer(number - 1)
        if number == 2:
            self.ui.out()
            self.ui.para(msg.LATER_SAVED)
            self.ui.wait_enter(msg.GO_ON)

    # -- long answers ---------------------------------------------------------------------

    @staticmethod
    def is_long(view: StepView) -> bool:
        from selfback.skills.schema import AskStep

        return isinstance(view.step, AskStep) and view.step.lines

    def _long_intro(self, view: StepView, editor: bool) -> None:
        from selfback.skills.schema import AskStep

        step = view.step
        assert isinstance(step, AskStep)
        if step.placeholder:
            self.ui.para(msg.FOR_EXAMPLE.format(text=step.placeholder), indent="  ")
        if isinstance(view.previous, str) and view.previous:
            self.ui.para(msg.BEFORE_YOU_WROTE.format(text=""))
            self.show_lines(view.previous, indent="    ")
            self.ui.out(msg.KEEP_OR_NEW)
        self.ui.para(msg.LONG_HOW)
        if editor:
            self.ui.para(msg.LONG_EDITOR)
        self.ui.out()
        self.controls(view, msg.TYPE_THEN_ENTER, (msg.KEY_EDITOR,) if editor else ())

    def _from_editor(self, view: StepView) -> str | None:
        from selfback.ui.long_answer import write_in_editor

        initial = view.previous if isinstance(view.previous, str) else ""
        edited = write_in_editor(self.env, initial)
        if edited.problem is not None:
            self.ui.out(edited.problem)
        if edited.text is not None:
            n = edited.text.count("\n") + 1
            self.ui.out(msg.EDITOR_TOOK.format(lines="1 line" if n == 1 else f"{n} lines"))
        return edited.text

    def _read_lines(self, walk: Walk, view: StepView, editor: bool) -> list[str] | None:
        """The lines typed (finished by an empty line or Ctrl-D), or None when the step was
        handled otherwise (a key on the first line, Enter keeping an earlier answer)."""
        lines: list[str] = []
        while True:
            try:
                raw = self.ui.ask("> " if not lines else "... ")
            except EOFError:
                if lines or self.env.stdin_isatty:
                    return lines
                raise
            if not lines:
                key = raw.strip().lower()
                if editor and key == "e":
                    text = self._from_editor(view)
                    if text is not None:
                        return text.split("\n")
                    continue
                res = self.common(walk, raw)
                if res is not None:
                    return None
            elif self.ui.crisis_request(raw, back_to=None):
                self.ui.out(msg.LONG_KEPT)
                continue
            if raw.strip():
                lines.append(raw.rstrip())
                continue
            if lines:
                return lines
            if self._empty_answer(walk, view):
                return None

    def long_ask_step(self, walk: Walk, view: StepView) -> None:
        from selfback.ui.long_answer import can_edit
        from selfback.walk.answers import MAX_LONG_ANSWER_CHARS

        editor = can_edit(self.env)
        self._long_intro(view, editor)
        lines = self._read_lines(walk, view, editor)
        if lines is None:
            return
        if not any(line.strip() for line in lines):
            if not self._empty_answer(walk, view):
                walk.skip()
            return
        text = "\n".join(lines)
        if len(text) > MAX_LONG_ANSWER_CHARS:
            self.ui.out(msg.LONG_TOO_LONG.format(most=MAX_LONG_ANSWER_CHARS))
        risky = self.risk(lines)
        walk.answer(text)
        if risky is not None:
            self.raise_alert(walk, Alert("risk", risky))
