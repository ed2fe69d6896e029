"""Editing the safety plan on the terminal, one line per answer.

Implements ``selfback.actions.plan.PlanEditor``: each step shows its hint, then asks its
answers again with the earlier ones in [brackets] (Enter keeps, ``-`` removes, new text
replaces) and new ones on ``+`` lines. Every change is handed to ``keep`` at once, which
saves the draft. Standard library at module level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from selfback.messages import plan as msg
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.safety.plan import Contact, SafetyPlan, Step

WIDTH = 88


def write(env: Env, text: str = "") -> None:
    """Write ``text`` wrapped by whole words to the terminal (at most 88 columns)."""
    from selfback.text import terminal_width, wrap_block

    width = min(terminal_width(env.stdout), WIDTH)
    env.stdout.write("\n".join(wrap_block(text, width)) + "\n")
    env.stdout.flush()


def bold(env: Env, text: str) -> str:
    return f"\033[1m{text}\033[0m" if env.color else text


def when(stamp: str) -> str:
    """'2026-11-21T10:00:00+00:00' -> '2026-11-21 10:00'."""
    return stamp[:16].replace("T", " ") if stamp else "?"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _wrap(words: list[str], width: int = WIDTH, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    line = indent
    for word in words:
        if len(line) + len(word) + 2 > width and line.strip():
            lines.append(line.rstrip(", "))
            line = indent
        line += word + ", "
    if line.strip():
        lines.append(line.rstrip(", "))
    return lines


class PlanLines:
    """The plan editor on ``env``'s terminal."""

    def __init__(self, env: Env) -> None:
        self.env = env

    def continue_draft(self, saved_at: str) -> bool:
        from selfback.ui.prompt import confirm

        ask = msg.DRAFT_ASK.format(when=clean_line(when(saved_at)))
        return confirm(self.env, ask, default=True)

    def begin(self) -> None:
        from selfback.safety.plan import LABEL

        write(self.env, bold(self.env, msg.TITLE))
        write(self.env, msg.STEPS_INTRO.format(label=LABEL))
        write(self.env, msg.HOW_TO)
        write(self.env, msg.DRAFT_NOTE)

    def edit_step(
        self,
        step: Step,
        old: list[Any],
        skills: Mapping[str, str],
        keep: Callable[[list[Any]], None],
    ) -> list[Any]:
        from selfback.safety.plan import STEPS

        env = self.env
        total = sum(1 for s in STEPS if s.number)
        write(env)
        head = f"Step {step.number} of {total}. {step.title}" if step.number else step.title
        write(env, bold(env, head))
        write(env, step.hint)
        if step.key == "coping" and skills:
            write(env, msg.SKILLS_YOU_CAN_NAME)
            for line in _wrap(sorted(clean_line(k) for k in skills)):
                write(env, line)
        if step.contacts:
            return list(self._contacts(old, keep))
        return self._items(old, keep)

    def confirm(self, plan: SafetyPlan, skills: Mapping[str, str]) -> bool:
        from selfback.ui.prompt import confirm

        write(self.env)
        write(self.env, bold(self.env, msg.HERE_IS))
        write(self.env, clean(plan.to_text(skill_titles=dict(skills)).rstrip("\n")))
        write(self.env)
        return confirm(self.env, msg.SAVE_ASK, default=True)

    # -- one step ---------------------------------------------------------------------------

    def _items(self, old: list[str], keep: Callable[[list[Any]], None]) -> list[Any]:
        from selfback.ui.prompt import read_line

        env = self.env
        result: list[str] = []
        for i, item in enumerate(old):
            answer = _squash(read_line(env, f"  [{clean_line(item)}] > "))
            if answer == "-":
                write(env, msg.REMOVED)
            else:
                result.append(answer or item)
            keep(result + old[i + 1 :])
        while True:
            answer = _squash(read_line(env, "  + "))
            if not answer:
                return list(result)
            if answer == "-":
                write(env, msg.NOTHING_TO_REMOVE)
                continue
            result.append(answer)
            keep(result)

    def _reach(self, prompt: str) -> str:
        from selfback.ui.prompt import read_line

        while True:
            reach = _squash(read_line(self.env, prompt))
            if reach == "-":
                return ""
            if reach:
                return reach
            write(self.env, msg.ADD_A_WAY)

    def _contacts(self, old: list[Contact], keep: Callable[[list[Any]], None]) -> list[Contact]:
        from selfback.safety.plan import Contact
        from selfback.ui.prompt import read_line

        env = self.env
        result: list[Contact] = []
        for i, contact in enumerate(old):
            answer = _squash(read_line(env, f"  [{clean_line(contact.name)}] name > "))
            if answer == "-":
                write(env, msg.REMOVED)
                keep(result + old[i + 1 :])
                continue
            name = answer or contact.name
            if contact.reach:
                prompt = f"    [{clean_line(contact.reach)}] number or way to reach > "
                reach = _squash(read_line(env, prompt))
                reach = "" if reach == "-" else (reach or contact.reach)
            else:
                reach = self._reach(msg.REACH)
            result.append(Contact(name, reach))
            keep(result + old[i + 1 :])
        while True:
            name = _squash(read_line(env, "  + name > "))
            if not name:
                return result
            if name == "-":
                write(env, msg.NOTHING_TO_REMOVE_NAME)
                continue
            result.append(Contact(name, self._reach(msg.REACH)))
            keep(result)
