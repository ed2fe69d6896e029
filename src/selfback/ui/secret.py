"""Asking for a passphrase: from the terminal without echo, or one line of standard input
when that is not a terminal. Never from the command line (it would land in the shell's
history and in the list of running processes)."""

from __future__ import annotations

from typing import TextIO

from selfback.env import Env
from selfback.errors import UsageError
from selfback.messages import sealed as msg
from selfback.ui.prompt import ANSWER_ROOM, write


def read_secret(env: Env, prompt: str) -> str:
    """One line typed without echo (a terminal), or read from standard input."""
    if not env.stdin_isatty:
        line = env.stdin.readline()
        if not line:
            raise UsageError(msg.NO_PASSPHRASE_INPUT)
        return line.rstrip("\r\n")
    try:
        import termios
    except ImportError:  # Windows: getpass reads the console without echo
        import getpass

        return getpass.getpass(prompt, stream=env.stdout)
    # The question goes where the person sees it, also when the output is redirected.
    shown = env.stdout if env.stdout_isatty else env.stderr
    fd = env.stdin.fileno()
    before = termios.tcgetattr(fd)
    quiet = list(before)
    quiet[3] &= ~termios.ECHO
    shown.write(_wrapped(prompt, shown))
    shown.flush()
    try:
        termios.tcsetattr(fd, termios.TCSAFLUSH, quiet)
        line = env.stdin.readline()
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, before)
        shown.write("\n")  # the Enter that was not echoed
        shown.flush()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def _wrapped(prompt: str, stream: TextIO) -> str:
    """The question wrapped by whole words to the terminal, ending as it began (with the
    space the answer follows)."""
    from selfback.text import terminal_width, wrap

    width = terminal_width(stream)
    tail = " " if prompt.endswith(" ") else ""
    return "\n".join(wrap(prompt, width - min(ANSWER_ROOM, width // 4))) + tail


def new_passphrase(env: Env) -> str:
    """A passphrase to seal with: typed twice in a terminal (a second chance when the two
    differ), one line of standard input otherwise."""
    for attempt in range(2):
        first = read_secret(env, msg.NEW_PASSPHRASE)
        if not first:
            raise UsageError(msg.EMPTY_PASSPHRASE)
        if not env.stdin_isatty or read_secret(env, msg.AGAIN_PASSPHRASE) == first:
            return first
        if attempt == 0:
            write(env, msg.PASSPHRASES_DIFFER)
    raise UsageError(msg.PASSPHRASES_DIFFER_AGAIN)


def passphrase_for(env: Env, name: str) -> str:
    """The passphrase that opens the file ``name``."""
    from selfback.text import clean_line

    return read_secret(env, msg.PASSPHRASE.format(name=clean_line(name)))


# -- the log's passphrase (selfback passphrase, unlock) ------------------------------------


def ask_passphrase(env: Env, prompt: str) -> str:
    """The log's passphrase: without echo in a terminal, else one line of standard input.
    EOF raises EOFError; an empty one is one plain sentence."""
    from selfback.messages import privacy

    if env.stdin_isatty:
        import getpass

        value = getpass.getpass(prompt)
    else:
        line = env.stdin.readline()
        if line == "":
            raise EOFError
        value = line.rstrip("\r\n")
    if not value:
        raise UsageError(privacy.EMPTY)
    return value


def ask_new_passphrase(env: Env, prompt: str | None = None) -> str:
    """A new passphrase for the log, typed twice (in a terminal, or two lines of standard
    input); two that differ are one plain sentence."""
    from selfback.messages import privacy

    first = ask_passphrase(env, prompt or privacy.ASK_NEW)
    again = ask_passphrase(env, privacy.ASK_AGAIN)
    if first != again:
        raise UsageError(privacy.MISMATCH)
    return first
