"""Text that is safe to print: control characters removed, lines wrapped by whole words.

Standard library only: ``selfback sos`` uses this before anything else is imported.

- ``clean(text)``: removes terminal control sequences and characters (ESC and CSI/OSC
  sequences, C0 controls other than newline and tab, DEL, C1 controls, and the Unicode
  bidirectional overrides that can make text read backwards). Every piece of text that
  comes from a person, a skill or tracker file, or an import goes through it before it
  is printed, so nothing can clear the screen or hide the crisis lines.
- ``clean_line(text)``: the same, with newlines and tabs turned into spaces (for text
  shown inside one line, such as a title).
- ``wrap(text, width, ...)``: wraps by words to ``width`` visible columns, counting
  selfback's own ANSI styling as zero width and never breaking a word (a word longer
  than the line, such as a web address, stands alone on its line).
- ``terminal_width(stream)``: the width to wrap to: ``COLUMNS`` if set, else the terminal
  size, else 80.
"""

from __future__ import annotations

import os
import re
from typing import Any

# ESC [ ... final byte (CSI), ESC ] ... BEL or ESC \ (OSC), ESC P/X/^/_ ... ESC \ (DCS,
# SOS, PM, APC), and any other two-byte ESC sequence. Then single control characters.
_SEQUENCES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?           # CSI (may be cut off at the end)
  | \x9b[0-?]*[ -/]*[@-~]?             # 8-bit CSI
  | \x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC
  | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?     # 8-bit OSC
  | \x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?        # DCS, SOS, PM, APC
  | [\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?  # 8-bit DCS, SOS, PM, APC
  | \x1b[ -/]*[0-~]?                   # other escape sequences
    """,
    re.VERBOSE,
)
# C0 controls except tab (09) and newline (0a); DEL; C1 controls; bidi overrides and
# isolates (they can reorder what is shown); zero-width no-break space is left alone.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_OWN_STYLE = re.compile(r"\x1b\[[0-9;]*m")


def clean(text: Any) -> str:
    """``text`` (any value; None gives "") with every terminal control removed.

    Newlines and tabs are kept; a carriage return is dropped (``\\r\\n`` becomes ``\\n``).
    """
    if text is None:
        return ""
    s = text if isinstance(text, str) else str(text)
    if s.isprintable():
        return s
    return _CONTROLS.sub("", _SEQUENCES.sub("", s))


def clean_line(text: Any) -> str:
    """Like ``clean``, for text shown within one line: newlines and tabs become spaces."""
    s = clean(text)
    if "\n" in s or "\t" in s:
        s = " ".join(s.split())
    return s


def visible_len(text: str) -> int:
    """The width of ``text`` on screen, not counting selfback's own SGR styling codes."""
    return len(_OWN_STYLE.sub("", text))


def wrap(
    text: str,
    width: int,
    *,
    indent: str = "",
    subsequent_indent: str | None = None,
) -> list[str]:
    """Wrap ``text`` (one paragraph; runs of spaces collapse) to ``width`` columns.

    Words are never broken: a word longer than the line gets a line of its own. Styling
    codes (``\\x1b[...m``) count as zero width, so styled words wrap like plain ones.
    Returns at least one line (the indent alone for empty text).
    """
    rest = indent if subsequent_indent is None else subsequent_indent
    words = text.split()
    lines: list[str] = []
    current = indent
    current_len = visible_len(indent)
    has_word = False
    for word in words:
        wlen = visible_len(word)
        if has_word and current_len + 1 + wlen > width:
            lines.append(current)
            current, current_len, has_word = rest, visible_len(rest), False
        if has_word:
            current += " " + word
            current_len += 1 + wlen
        else:
            current += word
            current_len += wlen
            has_word = True
    lines.append(current)
    return lines


def wrap_block(text: str, width: int, *, indent: str = "", keep_indent: bool = True) -> list[str]:
    """Wrap several lines: each input line is wrapped on its own, keeping its leading
    spaces as the indent of its continuation lines (``keep_indent``), and empty lines
    are kept."""
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            out.append("")
            continue
        lead = line[: len(line) - len(line.lstrip(" "))]
        body = line[len(lead) :]
        # Continuation lines of a "- item" or "1. item" line line up with its text.
        hang = lead
        if keep_indent:
            m = re.match(r"(?:[-*]|\d{1,2}\.)\s+", body)
            if m:
                hang = lead + " " * len(m.group(0))
        out.extend(wrap(body, width, indent=indent + lead, subsequent_indent=indent + hang))
    return out


def terminal_width(stream: Any = None, *, default: int = 80) -> int:
    """Columns to wrap to: ``COLUMNS`` if it is a number, else the terminal's size (of
    ``stream``, else stdout), else ``default``. Never less than 20."""
    raw = os.environ.get("COLUMNS", "")
    if raw.isdigit() and int(raw) > 0:
        return max(20, int(raw))
    try:
        fd = stream.fileno() if stream is not None else 1
        cols = os.get_terminal_size(fd).columns
        if cols > 0:
            return max(20, cols)
    except (AttributeError, ValueError, OSError):
        pass
    return default


def fit_block(text: str, width: int) -> str:
    """``text`` with every line longer than ``width`` wrapped by words (keeping its
    indent, and lining a "- item" up under its text); lines that fit stay exactly as
    they are, spacing and all."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend([line] if visible_len(line) <= width else wrap_block(line, width))
    return "\n".join(out)


def shorten(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` columns, cut after a whole word with "…"
    when it is longer (a first word longer than the line is kept whole)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 1)]
    if " " in cut and text[len(cut)] != " ":
        cut = cut[: cut.rindex(" ")]
    elif " " not in cut:
        return text.split(" ")[0] + "…"
    return cut.rstrip(" ,;") + "…"
