"""Which scheduler and notifier this computer has, and the job that runs selfback.

Environment knobs:

- ``SELFBACK_SCHEDULER_DIR=/folder``: use the folder scheduler (for tests: nothing is
  installed anywhere, the job is written into that folder).
- ``SELFBACK_SCHEDULER=systemd|launchd|schtasks|cron``: use that scheduler only (for
  example cron on a Linux with systemd).
- ``SELFBACK_NOTIFIER`` (see ``selfback.remind.notify``).

Otherwise: launchd on macOS, Task Scheduler on Windows, and elsewhere a systemd user timer
where ``systemctl --user`` works, else cron where ``crontab`` works.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from selfback.errors import UsageError
from selfback.remind import cron, launchd, systemd, windows
from selfback.remind.base import Job, Runner, Scheduler, run_program
from selfback.remind.folder import FolderScheduler
from selfback.remind.notify import Notifier, find_notifier
from selfback.remind.timeparse import hhmm

NAMES = ("systemd", "launchd", "schtasks", "cron")


@dataclass(frozen=True)
class System:
    """What this computer offers: the schedulers that work (the first is the one to use;
    the rest are checked so a reminder is never set twice), ``also`` those that cannot
    install now but may hold an older reminder, a notifier, and how to start selfback."""

    schedulers: tuple[Scheduler, ...]
    also: tuple[Scheduler, ...]
    notifier: Notifier | None
    argv: tuple[str, ...]
    env: Mapping[str, str]
    platform: str

    @property
    def everywhere(self) -> tuple[Scheduler, ...]:
        return self.schedulers + self.also

    def job(self, at: time) -> Job:
        return Job(at, (*self.argv, "remind", "run", "--at", hhmm(at)), dict(self.env))


def selfback_argv(executable: str, platform: str) -> tuple[str, ...]:
    """This Python, by absolute path, running selfback's own module (pythonw.exe on
    Windows when there is one, so no console window opens)."""
    exe = Path(os.path.abspath(executable))
    if platform == "win32" and exe.name.lower() == "python.exe":
        quiet = exe.with_name("pythonw.exe")
        if quiet.exists():
            exe = quiet
    return (str(exe), "-m", "selfback")


def _by_name(name: str, environ: Mapping[str, str], runner: Runner, home: Path) -> Scheduler | None:
    if name == "systemd":
        return systemd.SystemdScheduler(systemd.unit_dir(environ, home), runner)
    if name == "launchd":
        uid = os.getuid() if hasattr(os, "getuid") else 0
        return launchd.LaunchdScheduler(home, uid, runner)
    if name == "schtasks":
        return windows.WindowsScheduler(runner)
    if name == "cron":
        return cron.CronScheduler(runner)
    return None


def find_schedulers(
    environ: Mapping[str, str],
    platform: str,
    *,
    runner: Runner = run_program,
    which: Callable[[str], str | None] = shutil.which,
    home: Path | None = None,
) -> tuple[tuple[Scheduler, ...], tuple[Scheduler, ...]]:
    """The schedulers that work, best first (empty when there is none), and others that
    may hold an older reminder of selfback's (so one is never left behind)."""
    folder = environ.get("SELFBACK_SCHEDULER_DIR", "").strip()
    if folder:
        return (FolderScheduler(Path(folder)),), ()
    home = Path.home() if home is None else home
    found, also = _natural(environ, platform, runner, which, home)
    forced = environ.get("SELFBACK_SCHEDULER", "").strip().lower()
    if not forced:
        return found, also
    chosen = _by_name(forced, environ, runner, home)
    if chosen is None:
        raise UsageError(
            f"SELFBACK_SCHEDULER is '{forced}', which selfback does not know. "
            f"Use one of {', '.join(NAMES)}, or unset it."
        )
    return (chosen,), tuple(s for s in found + also if s.name != chosen.name)


def _natural(
    environ: Mapping[str, str],
    platform: str,
    runner: Runner,
    which: Callable[[str], str | None],
    home: Path,
) -> tuple[tuple[Scheduler, ...], tuple[Scheduler, ...]]:
    """What this platform offers: launchd on macOS, Task Scheduler on Windows, else a
    systemd user timer where ``systemctl --user`` works, then cron."""
    if platform in ("darwin", "win32"):
        name, program = ("launchd", "launchctl") if platform == "darwin" else ("schtasks",) * 2
        chosen = _by_name(name, environ, runner, home)
        return ((chosen,) if chosen and which(program) else ()), ()
    found: list[Scheduler] = []
    also: list[Scheduler] = []
    unit = systemd.SystemdScheduler(systemd.unit_dir(environ, home), runner)
    if which("systemctl") and unit.usable():
        found.append(unit)
    elif unit.current() is not None:
        also.append(unit)
    if which("crontab"):
        tab = cron.CronScheduler(runner)
        if tab.usable():
            found.append(tab)
    return tuple(found), tuple(also)


def detect(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    executable: str | None = None,
) -> System:
    """This computer, as it is now."""
    env = os.environ if environ is None else environ
    plat = sys.platform if platform is None else platform
    home = env.get("SELFBACK_HOME", "").strip()
    carried = {"SELFBACK_HOME": os.path.abspath(os.path.expanduser(home))} if home else {}
    schedulers, also = find_schedulers(env, plat)
    return System(
        schedulers=schedulers,
        also=also,
        notifier=find_notifier(env, plat),
        argv=selfback_argv(executable or sys.executable, plat),
        env=carried,
        platform=plat,
    )
