"""A long answer written in the person's own editor ($VISUAL, then $EDITOR).

The text goes through one temporary file in the private drafts folder (0700, the file
0600), which is removed straight after, whatever happens: the editor fails, does not
start, Ctrl-C. A file left by a crash (power cut, kill -9) is removed the next time.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from selfback.messages import steps as msg

if TYPE_CHECKING:
    from selfback.env import Env

DRAFT_PREFIX = "answer-"


def editor_command() -> str | None:
    """The editor to open, or None when there is none."""
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or None


def can_edit(env: Env) -> bool:
    """Whether ``e`` may be offered: an editor is set and this is a terminal."""
    return editor_command() is not None and env.stdin_isatty and env.stdout_isatty


@dataclass(frozen=True)
class Edited:
    """What came back: the text (None: nothing usable) and, if so, a line saying why."""

    text: str | None
    problem: str | None = None


def drafts_dir(env: Env) -> Path:
    return env.paths.data_dir / "drafts"


def sweep(folder: Path) -> None:
    """Remove answer drafts a crash left behind."""
    with contextlib.suppress(OSError):
        for old in folder.glob(f"{DRAFT_PREFIX}*"):
            with contextlib.suppress(OSError):
                old.unlink()


def write_in_editor(env: Env, initial: str = "") -> Edited:
    """Open the editor on a private temporary file; return what was written."""
    import shlex
    import subprocess
    import tempfile

    from selfback.fsutil import ensure_dir

    editor = editor_command()
    if editor is None:
        return Edited(None, msg.EDITOR_NOT_STARTED.format(problem="no $EDITOR"))
    folder = ensure_dir(drafts_dir(env))
    sweep(folder)
    fd, name = tempfile.mkstemp(prefix=DRAFT_PREFIX, suffix=".txt", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(msg.EDITOR_HEADER + initial)
        try:
            env.stdout.flush()
            result = subprocess.run([*shlex.split(editor), name], check=False)
        except (OSError, ValueError) as exc:
            return Edited(None, msg.EDITOR_NOT_STARTED.format(problem=exc))
        if result.returncode != 0:
            return Edited(None, msg.EDITOR_FAILED)
        with open(name, encoding="utf-8", errors="replace") as fh:
            lines = [ln.rstrip() for ln in fh.read().splitlines() if not ln.startswith("#")]
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
    text = "\n".join(lines).strip()
    return Edited(text or None, None if text else msg.EDITOR_EMPTY)
