"""A LaunchAgent (macOS): ``~/Library/LaunchAgents/local.selfback.reminder.plist``,
loaded with ``launchctl bootstrap gui/UID`` and unloaded with ``launchctl bootout``.

launchd runs a job whose time passed while the Mac slept when it wakes;
``selfback remind run --at`` drops it when the waking is on a later day, before the
reminder's time.
"""

from __future__ import annotations

import plistlib
from datetime import time
from pathlib import Path

from selfback.remind.base import Installed, Job, Runner, SchedulerError, private_text, run_program

AGENT = "local.selfback.reminder"
LABEL = "a launchd agent"


def plist_text(job: Job) -> str:
    data: dict[str, object] = {
        "Label": AGENT,
        "ProgramArguments": list(job.argv),
        "StartCalendarInterval": {"Hour": job.at.hour, "Minute": job.at.minute},
        "ProcessType": "Background",
        "RunAtLoad": False,
    }
    if job.env:
        data["EnvironmentVariables"] = dict(job.env)
    return plistlib.dumps(data, sort_keys=True).decode("utf-8")


class LaunchdScheduler:
    name = "launchd"
    label = LABEL

    def __init__(self, home: Path, uid: int, runner: Runner = run_program) -> None:
        self.path = home / "Library" / "LaunchAgents" / f"{AGENT}.plist"
        self.domain = f"gui/{uid}"
        self.runner = runner

    def install(self, job: Job) -> Installed:
        self.runner(["launchctl", "bootout", f"{self.domain}/{AGENT}"])  # the old one, if any
        try:
            private_text(self.path, plist_text(job))
        except OSError as exc:
            raise SchedulerError(
                f"selfback could not write {self.path} ({exc.strerror or exc})."
            ) from exc
        done = self.runner(["launchctl", "bootstrap", self.domain, str(self.path)])
        if not done.ok:
            self.path.unlink(missing_ok=True)
            raise SchedulerError(
                f"launchd did not accept the reminder (launchctl bootstrap said: "
                f"{done.said()}). Nothing was installed."
            )
        return self.current() or Installed(self.name, self.label, job.at, "", (str(self.path),))

    def current(self) -> Installed | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError:
            raw = b""
        at: time | None = None
        command = ""
        try:
            data = plistlib.loads(raw)
            when = data["StartCalendarInterval"]
            at = time(int(when["Hour"]), int(when["Minute"]))
            env = {str(k): str(v) for k, v in (data.get("EnvironmentVariables") or {}).items()}
            command = Job(at, tuple(str(a) for a in data["ProgramArguments"]), env).command_line()
        except (plistlib.InvalidFileException, ValueError, KeyError, TypeError, AttributeError):
            pass
        text = raw.decode("utf-8", "replace")
        return Installed(self.name, self.label, at, command, (str(self.path),), text)

    def remove(self) -> Installed | None:
        found = self.current()
        if found is None:
            return None
        self.runner(["launchctl", "bootout", f"{self.domain}/{AGENT}"])
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            raise SchedulerError(
                f"selfback could not remove {self.path} ({exc.strerror or exc}). Delete it by hand."
            ) from exc
        return found
