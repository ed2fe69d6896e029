"""Output helpers for `selfback cope` screens: text, calm screen changes, prompts, help and
the crisis text. Stdlib only at import time (the first question must appear fast).

Colour terminals get a cleared screen per step and a little styling; plain mode
(``--plain``, NO_COLOR, not a terminal) gets a blank line and a short text header instead.
"""

from __future__ import annotations

from collections.abc import Callable

from selfback.env import Env
from selfback.messages import steps as msg
from selfback.text import clean_line, terminal_width, visible_len, wrap
from selfback.ui.prompt import read_line

BOLD = "\x1b[1m"
DIM = "\x1b[2m"
CYAN = "\x1b[36m"
RESET = "\x1b[0m"
CLEAR = "\x1b[2J\x1b[H"

# Typed at any prompt of a walk-through, these open the crisis screen like ``!`` (any case,
# spaces around, a "!" or "." after them).
CRISIS_WORDS = frozenset({"sos", "help", "selfback sos"})


def wants_crisis(raw: str) -> str | None:
    """The crisis request in ``raw`` ("!", "sos", "help", "selfback sos"), or None."""
    key = " ".join(raw.strip().lower().split())
    if key == "!":
        return key
    key = key.rstrip("!.").strip()
    return key if key in CRISIS_WORDS else None


def _hang(line: str) -> tuple[str, str, str]:
    """(indent, continuation indent, text) of one line: list items ("1. x", "- x") hang
    their continuation lines under the text."""
    import re

    body = line.lstrip(" ")
    lead = line[: len(line) - len(body)]
    m = re.match(r"(?:[-*\u00b7]|\d{1,2}\.)\s+", body)
    return lead, lead + " " * (len(m.group(0)) if m else 0), body


class Screen:
    """Where cope writes and reads. ``crisis_shown`` records whether the crisis text has
    been shown in this run."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.color = env.color
        self.crisis_shown = False
        # Set by cope: called with free text typed where no answer was expected; returns
        # True when it was heard as risk (the crisis text was shown).
        self.hear: Callable[[str], bool] | None = None

    def out(self, text: str = "") -> None:
        """Write lines, each wrapped by words to the terminal width (a line that fits is
        left as it is). Text from a skill or a person must be cleaned first (``para``
        does it)."""
        width = self.width()
        lines: list[str] = []
        for line in text.split("\n"):
            if visible_len(line) <= width:
                lines.append(line)
                continue
            lead, rest, body = _hang(line)
            lines.extend(wrap(body, width, indent=lead, subsequent_indent=rest))
        self.raw("\n".join(lines) + "\n")

    def raw(self, text: str) -> None:
        """Write text exactly as given (the crisis text arrives ready to print)."""
        self.env.stdout.write(text)
        self.env.stdout.flush()

    def style(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.color else text

    def width(self) -> int:
        """Columns to wrap to: the terminal's width less a margin, at most 80."""
        return max(20, min(terminal_width(self.env.stdout) - 2, 80))

    def para(self, text: str, indent: str = "  ", rest: str | None = None) -> None:
        """A paragraph from a skill, a person or selfback: controls removed, wrapped by
        words (never breaking one)."""
        lines = wrap(
            clean_line(text),
            self.width(),
            indent=indent,
            subsequent_indent=indent if rest is None else rest,
        )
        self.raw("\n".join(lines) + "\n")

    def pack(self, parts: list[str], sep: str, *, indent: str = "  ", end: str = "") -> list[str]:
        """Short parts (key hints) on as few lines as fit, breaking only between parts;
        ``end`` goes after the last part."""
        width = self.width()
        items = [p for p in parts if p]
        if items:
            items[-1] += end
        lines: list[str] = []
        current = ""
        last = len(items) - 1
        for i, piece in enumerate(items):
            # A line that breaks after this piece ends with the separator: leave room for it.
            tail = "" if i == last else sep.rstrip()
            if current and visible_len(indent + current + sep + piece + tail) > width:
                lines.append(indent + current + sep.rstrip())
                current = piece
            else:
                current = piece if not current else current + sep + piece
        lines.append(indent + current)
        # A part longer than the line (a short hint is one part) wraps by words, at the
        # indent, so that no line needs the terminal's own wrapping.
        fitted: list[str] = []
        for line in lines:
            if visible_len(line) <= width:
                fitted.append(line)
            else:
                fitted.extend(wrap(line.strip(), width, indent=indent))
        return fitted

    def screen(self, header: str) -> None:
        """Start a new screen: cleared in a colour terminal, a blank line otherwise.
        ``header`` must already be clean (titles go through ``clean_line``)."""
        if self.color:
            self.env.stdout.write(CLEAR)
            for line in self.header_lines(header):
                self.out(self.style(line, DIM))
        else:
            self.out()
            self.out(header)
        self.out()

    def header_lines(self, header: str) -> list[str]:
        """A screen's header, broken between its " · " parts where it is too long (never
        leaving a line that starts with the separator), and by words within a part."""
        width = self.width()
        lines: list[str] = []
        for part in header.split(" · "):
            if lines and visible_len(lines[-1] + " · " + part) <= width:
                lines[-1] += " · " + part
            else:
                lines.extend(wrap(part, width))
        return lines

    def controls(self, parts: list[str]) -> None:
        """A key hint: short parts ("b back"), packed on as few lines as fit."""
        if self.color:
            for line in self.pack(parts, " · "):
                self.out(self.style(line, DIM))
        else:
            for line in self.pack(parts, ", ", end="."):
                self.out(line)

    def ask(self, prompt: str = "> ") -> str:
        return read_line(self.env, prompt)

    def prompt_line(self, text: str) -> str:
        """Ask with ``text`` as the prompt, or on its own line(s) and then "> " when it
        would not fit beside the answer."""
        if visible_len(text) + 8 <= self.width():
            return self.ask(f"{text} ")
        self.out(text)
        return self.ask("> ")

    def wait_enter(self, text: str) -> None:
        """Wait for Enter. ``sos``, ``help`` or ``!`` show the crisis text first; words
        that may mean risk are heard (see ``hear``)."""
        while True:
            raw = self.prompt_line(text)
            if self.crisis_request(raw, back_to=None):
                continue
            if self.hear is not None and self.hear(raw):
                continue
            return

    # -- crisis and help ----------------------------------------------------------------

    def crisis_text(self, *, compact: bool) -> str:
        """The crisis text without the offer of a skill (this is cope); never raises."""
        from selfback.safety.crisis import crisis_text

        return crisis_text(self.env.paths, color=self.color, compact=compact, cope_line=False)

    def show_crisis(self, source: str, *, compact: bool = True) -> None:
        """The crisis text, then the opening recorded (``source``), which never raises."""
        from selfback.safety.crisis import record_opening

        self.out()
        self.raw(self.crisis_text(compact=compact).rstrip("\n") + "\n")
        self.out()
        self.crisis_shown = True
        record_opening(self.env.paths, source)

    def crisis_key(self, *, back_to: str | None = "your step", word: str = "!") -> None:
        """The person asked for crisis lines (``!``, ``sos``, ``help``): show them, then
        wait before going back (``back_to`` None: go straight back)."""
        self.show_crisis("key")
        if word == "help":
            self.out(msg.HELP_FOR_KEYS)
        if back_to is not None:
            self.wait_enter(msg.BACK_TO.format(where=back_to))

    def crisis_request(self, raw: str, *, back_to: str | None = "your step") -> bool:
        """If ``raw`` asks for crisis lines, show them and return True."""
        word = wants_crisis(raw)
        if word is None:
            return False
        self.crisis_key(back_to=back_to, word=word)
        return True

    def show_help(self) -> None:
        self.out()
        self.out(msg.HELP_INTRO)
        for key, what in msg.HELP_KEYS:
            for line in wrap(what, self.width(), indent=f"  {key:<6} ", subsequent_indent=" " * 9):
                self.out(line)
        self.para(msg.HELP_OUTRO, indent="")
        self.out()
        self.wait_enter(msg.GO_BACK)
