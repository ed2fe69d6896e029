"""Reading a passphrase: from the terminal without echo (``getpass``), or one line of
standard input when it is not a terminal (a script, a password manager's pipe). Never
from the command line, where it would stay in the shell history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfback.errors import UsageError
from selfback.messages import privacy as msg

if TYPE_CHECKING:
    from selfback.env import Env


def read_secret(env: Env, prompt: str) -> str:
    """One passphrase. EOF raises EOFError; an empty one is one plain sentence."""
    if env.stdin_isatty:
        import getpass

        value = getpass.getpass(prompt)
    else:
        line = env.stdin.readline()
        if line == "":
            raise EOFError
        value = line.rstrip("\r\n")
    if not value:
        raise UsageError(msg.EMPTY)
    return value


def read_new_secret(env: Env, prompt: str = msg.ASK_NEW) -> str:
    """A new passphrase, typed twice when asked in a terminal (or twice on standard
    input, one line each); two that differ are one plain sentence."""
    first = read_secret(env, prompt)
    again = read_secret(env, msg.ASK_AGAIN)
    if first != again:
        raise UsageError(msg.MISMATCH)
    return first
