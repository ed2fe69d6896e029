"""The job a scheduler installs, what it reports back, and the interfaces tests replace.

A ``Scheduler`` installs, reports and removes selfback's one daily job. It runs programs
(``systemctl``, ``launchctl``, ``schtasks``, ``crontab``) only through a ``Runner``, so a
test can record the calls or put a fake program on ``PATH``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Protocol

from selfback.errors import SelfbackError

NAME = "selfback-reminder"  # the job's name wherever a scheduler wants one
RUN_TIMEOUT = 30.0


class SchedulerError(SelfbackError):
    """The scheduler refused or failed; the message is one plain sentence."""


@dataclass(frozen=True)
class Job:
    """One daily run of ``argv`` at ``at`` (local time), with ``env`` added."""

    at: time
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)

    def command_line(self) -> str:
        """The command as a person would type it in a POSIX shell (for show and docs)."""
        import shlex

        words = [f"{k}={shlex.quote(v)}" for k, v in sorted(self.env.items())]
        return " ".join([*words, *(shlex.quote(a) for a in self.argv)])


@dataclass(frozen=True)
class Installed:
    """What a scheduler has installed: when, what runs, and where it lives."""

    scheduler: str  # the backend's name: systemd, launchd, schtasks, cron, folder
    label: str  # in words: "a systemd user timer"
    at: time | None  # None when the installed entry cannot be read back
    command: str  # the command the job runs, as installed
    where: tuple[str, ...]  # files, or a task or crontab name, as a person would find it
    content: str = ""  # the exact text installed (unit files, plist, crontab line)


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def said(self) -> str:
        """The program's own last line, for an error message."""
        text = (self.stderr.strip() or self.stdout.strip()).splitlines()
        return text[-1].strip()[:200] if text else f"exit status {self.returncode}"


class Runner(Protocol):
    def __call__(
        self,
        argv: Sequence[str],
        *,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Completed: ...


def run_program(
    argv: Sequence[str],
    *,
    input: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Completed:
    """Run a program without a shell; a missing program is exit 127, a hang exit 124."""
    extra: dict[str, object] = {}
    if sys.platform == "win32":  # no console window flashing up
        extra["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    full_env = None if env is None else {**os.environ, **env}
    try:
        done = subprocess.run(
            list(argv),
            input=input,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            stdin=None if input is not None else subprocess.DEVNULL,
            check=False,
            **extra,  # type: ignore[call-overload]
        )
    except FileNotFoundError:
        return Completed(127, "", f"{argv[0]} was not found")
    except subprocess.TimeoutExpired:
        return Completed(124, "", f"{argv[0]} did not answer within {RUN_TIMEOUT:.0f} seconds")
    except OSError as exc:
        return Completed(126, "", f"{argv[0]} could not be started ({exc.strerror or exc})")
    return Completed(done.returncode, done.stdout or "", done.stderr or "")


class Scheduler(Protocol):
    name: str
    label: str

    def install(self, job: Job) -> Installed:
        """Install ``job``, replacing selfback's earlier one; raise SchedulerError."""
        ...

    def current(self) -> Installed | None:
        """selfback's installed job, or None."""
        ...

    def remove(self) -> Installed | None:
        """Remove selfback's job (and nothing else); what was removed, or None."""
        ...


def private_text(path: Path, text: str) -> None:
    """Write a scheduler file atomically, readable only by its owner, in a folder that may
    be shared with other programs (never changing that folder's mode)."""
    from selfback.fsutil import atomic_write

    atomic_write(path, text, mode=0o600)
