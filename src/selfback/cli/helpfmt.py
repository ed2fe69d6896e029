"""``--help`` as selfback prints it: wrapped to the terminal (down to 40 columns and
below) by whole words, and a command's short line is its whole first sentence.

Click's formatter never goes below 50 columns and breaks a word that does not fit, and
its short help stops at the first full stop (so "Switch on a pack (e.g." was cut) or
mid-sentence with "...". ``prepare(command)`` walks the command tree once, gives every
command its first sentence as the short help and a context whose formatter is
:class:`Formatter`. Standard library and typer only (``--help`` must stay fast).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typer._click import Context, HelpFormatter

from selfback.text import terminal_width, wrap

MAX_WIDTH = 80  # help reads best at most this wide
# Words that end with a full stop without ending the sentence.
ABBREVIATIONS = {"e.g.", "i.e.", "etc.", "vs.", "cf."}


def first_sentence(text: str) -> str:
    """The first sentence of ``text``'s first paragraph, whole: a full stop inside
    brackets or after an abbreviation does not end it, and a question that opens the
    text ("Hard right now?") takes the sentence after it along."""
    paragraph = text.strip().split("\n\n")[0]
    words = [w for w in paragraph.split() if w != "\b"]
    depth = 0
    for i, word in enumerate(words):
        depth += word.count("(") - word.count(")")
        core = word.rstrip(")\"'")
        if depth > 0 or word.lower() in ABBREVIATIONS or not core.endswith((".", "?", "!")):
            continue
        if core.endswith("?") and i + 1 < len(words) and " ".join(words[: i + 1]).count("?") == 1:
            continue
        return " ".join(words[: i + 1])
    return " ".join(words)


class Formatter(HelpFormatter):
    """Click's help formatter, wrapping by whole words to the real terminal width."""

    def __init__(
        self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None
    ) -> None:
        cols = width if width is not None else terminal_width()
        super().__init__(indent_increment, width=max(20, min(cols, max_width or MAX_WIDTH)))

    def _lines(self, text: str, width: int, indent: str, rest: str | None = None) -> list[str]:
        return wrap(text, width, indent=indent, subsequent_indent=rest)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        lead = f"{prefix if prefix is not None else 'Usage: '}{prog}"
        indent = " " * self.current_indent
        hang = " " * (len(indent) + len(lead) + 1)
        if self.width - len(hang) < 20:
            hang = indent + "    "
        words = f"{lead} {args}" if args else lead
        self.write("\n".join(self._lines(words, self.width, indent, hang)) + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        out: list[str] = []
        for paragraph in text.split("\n\n"):
            if out:
                out.append("")
            if paragraph.lstrip().startswith("\b"):
                out += [indent + line for line in paragraph.lstrip()[1:].strip("\n").split("\n")]
            else:
                out += self._lines(paragraph, self.width, indent)
        self.write("\n".join(out) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if not rows:
            return
        indent = " " * self.current_indent
        col = min(max(len(first) for first, _ in rows), col_max) + col_spacing
        side_by_side = self.width - len(indent) - col >= 24
        for first, second in rows:
            line = indent + first
            if not second:
                self.write(line + "\n")
                continue
            if side_by_side:
                hang = " " * (len(indent) + col)
                if len(first) + col_spacing <= col:
                    text = self._lines(second, self.width, hang, hang)
                    self.write(line.ljust(len(hang)) + text[0][len(hang) :] + "\n")
                    rest = text[1:]
                else:
                    self.write(line + "\n")
                    rest = self._lines(second, self.width, hang, hang)
            else:
                self.write(line + "\n")
                rest = self._lines(second, self.width, indent + "    ")
            if rest:
                self.write("\n".join(rest) + "\n")


class HelpContext(Context):
    formatter_class = Formatter


def prepare(command: Any) -> Any:
    """Give ``command`` and every command under it the whole-word formatter and its first
    sentence as the short help; returns ``command``."""
    command.context_class = HelpContext
    if command.help and not command.short_help:
        command.short_help = first_sentence(command.help)
    for sub in getattr(command, "commands", {}).values():
        prepare(sub)
    return command
