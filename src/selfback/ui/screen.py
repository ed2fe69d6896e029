"""Output helpers for `selfback cope` screens: text, calm screen changes, prompts, help and
the crisis text. Stdlib only at import time (the first question must appear fast).

Colour terminals get a cleared screen per step and a little styling; plain mode
(``--plain``, NO_COLOR, not a terminal) gets a blank line and a short text header instead.
"""

from __future__ import annotations

from selfback.env import Env
from selfback.ui.prompt import read_line

BOLD = "\x1b[1m"
DIM = "\x1b[2m"
CYAN = "\x1b[36m"
RESET = "\x1b[0m"
CLEAR = "\x1b[2J\x1b[H"

FALLBACK_CRISIS = (
    "If you are in danger, call your local emergency number. `selfback sos` shows crisis lines."
)

HELP_TEXT = """\
How this works. Type one key, then press Enter:
  Enter  go on (or start a timer)
  b      back to the previous step
  s      skip this step
  q      stop here (what you did so far is saved)
  !      crisis lines and your safety plan, then back to this step
  ?      this help
While a timer or the breathing guide runs, one key is enough: Enter finishes early.
Numbers answer ratings and choices. For questions, type a few words; nothing you type
leaves this computer. Ctrl-C also stops at any time."""


class Screen:
    """Where cope writes and reads. ``crisis_shown`` records whether the crisis text has
    been shown in this run."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.color = env.color
        self.crisis_shown = False

    def out(self, text: str = "") -> None:
        self.env.stdout.write(text + "\n")
        self.env.stdout.flush()

    def style(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.color else text

    def width(self) -> int:
        import shutil

        cols = shutil.get_terminal_size((80, 24)).columns
        return max(30, min(cols, 84) - 4)

    def para(self, text: str, indent: str = "  ", rest: str | None = None) -> None:
        import textwrap

        self.out(
            textwrap.fill(
                text,
                width=self.width(),
                initial_indent=indent,
                subsequent_indent=indent if rest is None else rest,
            )
        )

    def screen(self, header: str) -> None:
        """Start a new screen: cleared in a colour terminal, a blank line otherwise."""
        if self.color:
            self.env.stdout.write(CLEAR)
            self.out(self.style(header, DIM))
        else:
            self.out()
            self.out(header)
        self.out()

    def controls(self, first: str = "Enter to go on") -> None:
        parts = [first, "b back", "s skip", "q stop", "? help", "! crisis lines"]
        if self.color:
            self.out(self.style("  " + " · ".join(p for p in parts if p), DIM))
        else:
            self.out("  " + ", ".join(p for p in parts if p) + ".")

    def ask(self, prompt: str = "> ") -> str:
        return read_line(self.env, prompt)

    def wait_enter(self, text: str) -> None:
        self.ask(f"{text} ")

    # -- crisis and help ----------------------------------------------------------------

    def crisis_text(self, *, compact: bool) -> str:
        try:
            from selfback.safety.crisis import crisis_text

            try:
                return crisis_text(
                    self.env.paths, color=self.color, compact=compact, cope_line=False
                )
            except TypeError:
                return crisis_text(self.env.paths, color=self.color, compact=compact)
        except Exception:
            return FALLBACK_CRISIS + "\n"

    def show_crisis(self, source: str, *, compact: bool = True) -> None:
        self.out()
        self.out(self.crisis_text(compact=compact).rstrip("\n"))
        self.out()
        self.crisis_shown = True
        try:
            from selfback.safety.crisis import record_opening

            record_opening(self.env.paths, source)
        except Exception:
            pass

    def crisis_key(self, *, back_to: str = "your step") -> None:
        self.show_crisis("key")
        self.wait_enter(f"Press Enter to go back to {back_to}.")

    def show_help(self) -> None:
        self.out()
        self.out(HELP_TEXT)
        self.out()
        self.wait_enter("Press Enter to go back.")
