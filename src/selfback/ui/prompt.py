"""Line-based prompts that work with only Enter and digits, over SSH and screen readers.

Every function reads from ``env.stdin`` and writes to ``env.stdout``. End of input raises
``EOFError`` and Ctrl-C raises ``KeyboardInterrupt``; ``selfback.main`` turns both into a
kind line and a clean exit, and commands that hold unsaved state catch them first.
"""

from __future__ import annotations

from selfback.env import Env


def write(env: Env, text: str = "", end: str = "\n") -> None:
    env.stdout.write(text + end)
    env.stdout.flush()


def read_line(env: Env, prompt: str = "") -> str:
    """Show ``prompt`` and return one line without its newline. EOF raises EOFError."""
    if prompt:
        env.stdout.write(prompt)
        env.stdout.flush()
    line = env.stdin.readline()
    if line == "":
        raise EOFError
    return line.rstrip("\r\n")


ANSWER_ROOM = 12  # columns kept free after a wrapped prompt for the answer


def read_wrapped(env: Env, prompt: str) -> str:
    """Like ``read_line``, with a prompt longer than the terminal wrapped by whole words:
    every line but the last is written first, and the last is the prompt itself. Room is
    left on the prompt's line for a short answer (``ANSWER_ROOM``), so what is typed is
    not broken by the terminal either."""
    from selfback.text import terminal_width
    from selfback.text import wrap as wrap_words

    tail = " " if prompt.endswith(" ") else ""
    width = terminal_width(env.stdout)
    room = min(ANSWER_ROOM, width // 4)
    # Full lines above; only the prompt's own (last) line leaves room for the answer.
    lines = wrap_words(prompt, width)
    if len(lines[-1]) + room > width:
        lines[-1:] = wrap_words(lines[-1], width - room)
    for line in lines[:-1]:
        write(env, line)
    return read_line(env, lines[-1] + tail)


def write_wrapped(env: Env, text: str) -> None:
    """Write ``text`` wrapped by whole words to the terminal (each line keeps its indent)."""
    from selfback.text import terminal_width, wrap_block

    write(env, "\n".join(wrap_block(text, terminal_width(env.stdout))))


def ask_int(
    env: Env,
    prompt: str,
    lo: int,
    hi: int,
    *,
    allow_empty: bool = False,
    extra: dict[str, str] | None = None,
) -> int | str | None:
    """Ask for a whole number in [lo, hi].

    Returns the number, ``None`` for Enter when ``allow_empty``, or the key from
    ``extra`` (e.g. ``{"b": "back"}``) when one of those is typed.
    """
    extra = extra or {}
    while True:
        raw = read_line(env, prompt).strip().lower()
        if raw == "" and allow_empty:
            return None
        if raw in extra:
            return raw
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is not None and lo <= value <= hi:
            return value
        write(
            env,
            f"  Please type a number from {lo} to {hi}"
            + (", or press Enter to skip." if allow_empty else "."),
        )


def ask_choice(
    env: Env, prompt: str, options: list[str], *, allow_empty: bool = False
) -> int | None:
    """Show a numbered list and return the 0-based index picked (or None on Enter)."""
    for i, option in enumerate(options, start=1):
        write(env, f"  {i}. {option}")
    result = ask_int(env, prompt, 1, len(options), allow_empty=allow_empty)
    if result is None or isinstance(result, str):
        return None
    return result - 1


def confirm(env: Env, prompt: str, *, default: bool = False) -> bool:
    from selfback.text import terminal_width, wrap_block

    hint = "[Y/n]" if default else "[y/N]"
    # A long question wraps by words; the last line stays the prompt the answer follows.
    *above, last = wrap_block(f"{prompt} {hint}", max(20, terminal_width(env.stdout) - 1))
    while True:
        for line in above:
            write(env, line)
        raw = read_line(env, f"{last} ").strip().lower()
        if raw == "":
            return default
        if raw in {"y", "yes"}:
            return True
        if raw in {"n", "no"}:
            return False
        write(env, "  Please type y or n.")


def wrap(text: str, width: int | None = None) -> str:
    """Wrap each line of ``text`` to the terminal (at most 88 columns, for easy reading),
    keeping each line's indent. Lines holding escape codes are left alone."""
    import shutil
    import textwrap

    if width is None:
        width = min(shutil.get_terminal_size((80, 24)).columns, 88)
    width = max(width, 30)
    out = []
    for line in text.split("\n"):
        if len(line) <= width or "\033" in line:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(
            textwrap.fill(
                line.strip(),
                width=width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)
