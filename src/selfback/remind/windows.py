"""A Windows scheduled task: ``schtasks /Create /SC DAILY /ST 21:00 /TN selfback-reminder``.

A task carries no environment of its own, so ``SELFBACK_HOME`` (when set) goes on the
command line as ``remind run --home``. The task runs ``pythonw.exe`` when there is one
next to Python, so no console window opens. It is read back with ``schtasks /Query /XML``,
whose format does not change with the system's language.
"""

from __future__ import annotations

import re
import subprocess
from datetime import time

from selfback.remind.base import NAME, Installed, Job, Runner, SchedulerError, run_program
from selfback.remind.timeparse import hhmm

LABEL = "a Windows scheduled task"


def task_argv(job: Job) -> list[str]:
    """The command the task runs: SELFBACK_HOME becomes ``--home``."""
    argv = list(job.argv)
    home = job.env.get("SELFBACK_HOME")
    if home:
        argv += ["--home", home]
    return argv


def create_argv(job: Job) -> list[str]:
    return [
        "schtasks",
        "/Create",
        "/F",
        "/SC",
        "DAILY",
        "/ST",
        hhmm(job.at),
        "/TN",
        NAME,
        "/TR",
        subprocess.list2cmdline(task_argv(job)),
    ]


def _tag(xml: str, name: str) -> str | None:
    m = re.search(rf"<{name}>(.*?)</{name}>", xml, re.S)
    if not m:
        return None
    import html

    return html.unescape(m.group(1).strip())


class WindowsScheduler:
    name = "schtasks"
    label = LABEL

    def __init__(self, runner: Runner = run_program) -> None:
        self.runner = runner

    def install(self, job: Job) -> Installed:
        done = self.runner(create_argv(job))
        if not done.ok:
            raise SchedulerError(
                f"Task Scheduler did not accept the reminder (schtasks said: {done.said()})."
            )
        return self.current() or Installed(
            self.name, self.label, job.at, subprocess.list2cmdline(task_argv(job)), (NAME,)
        )

    def current(self) -> Installed | None:
        done = self.runner(["schtasks", "/Query", "/TN", NAME, "/XML"])
        if not done.ok:
            return None
        xml = done.stdout
        at = None
        start = _tag(xml, "StartBoundary") or ""
        m = re.search(r"T(\d{2}):(\d{2})", start)
        if m and int(m.group(1)) <= 23 and int(m.group(2)) <= 59:
            at = time(int(m.group(1)), int(m.group(2)))
        command = " ".join(part for part in (_tag(xml, "Command"), _tag(xml, "Arguments")) if part)
        where = (f"Task Scheduler, task {NAME} (taskschd.msc shows it)",)
        return Installed(self.name, self.label, at, command, where, xml.strip())

    def remove(self) -> Installed | None:
        found = self.current()
        if found is None:
            return None
        done = self.runner(["schtasks", "/Delete", "/F", "/TN", NAME])
        if not done.ok:
            raise SchedulerError(
                f"Task Scheduler did not remove the reminder (schtasks said: {done.said()}). "
                f"Delete the task {NAME} in Task Scheduler by hand."
            )
        return found
