"""One marked line in the user's crontab, for systems without systemd user timers.

The crontab is read with ``crontab -l`` and written back whole with ``crontab -``. Every
line but selfback's own (the one ending in ``# selfback-reminder``) is kept exactly as it
was. When ``crontab -l`` fails for any reason other than "no crontab yet", nothing is
written, so a person's other jobs are never lost.
"""

from __future__ import annotations

import re
from datetime import time

from selfback.remind.base import NAME, Installed, Job, Runner, SchedulerError, run_program

MARKER = f"# {NAME}"
LABEL = "a line in your crontab"
_NO_CRONTAB = re.compile(r"no crontab|can't open|cannot open|no such file", re.I)
_LINE = re.compile(r"^\s*(\d{1,2})\s+(\d{1,2})\s+\*\s+\*\s+\*\s+(.*?)\s*" + re.escape(MARKER))


def cron_line(job: Job) -> str:
    """``0 21 * * * SELFBACK_HOME='/x' '/usr/bin/python3' -m selfback remind run # ...``
    (cron gives % a meaning of its own, so it is escaped)."""
    command = job.command_line().replace("%", "\\%")
    return f"{job.at.minute} {job.at.hour} * * * {command} {MARKER}"


def is_ours(line: str) -> bool:
    return line.rstrip().endswith(MARKER)


class CronScheduler:
    name = "cron"
    label = LABEL

    def __init__(self, runner: Runner = run_program) -> None:
        self.runner = runner

    def usable(self) -> bool:
        done = self.runner(["crontab", "-l"])
        return done.ok or (done.returncode != 127 and bool(_NO_CRONTAB.search(done.stderr)))

    def _read(self) -> list[str]:
        done = self.runner(["crontab", "-l"])
        if done.ok:
            lines = done.stdout.split("\n")
            return lines[:-1] if lines and lines[-1] == "" else lines
        if done.returncode != 127 and _NO_CRONTAB.search(done.stderr + done.stdout):
            return []
        raise SchedulerError(
            f"selfback could not read your crontab (crontab -l said: {done.said()}), so it "
            "changed nothing."
        )

    def _write(self, lines: list[str]) -> None:
        text = "".join(line + "\n" for line in lines)
        done = self.runner(["crontab", "-"], input=text)
        if not done.ok:
            raise SchedulerError(
                f"cron did not accept the new crontab (crontab said: {done.said()}). "
                "Your crontab was left as it was."
            )

    def install(self, job: Job) -> Installed:
        lines = [line for line in self._read() if not is_ours(line)]
        line = cron_line(job)
        self._write([*lines, line])
        return self.current() or _described(line)

    def current(self) -> Installed | None:
        ours = [line for line in self._read() if is_ours(line)]
        return _described(ours[0]) if ours else None

    def remove(self) -> Installed | None:
        lines = self._read()
        ours = [line for line in lines if is_ours(line)]
        if not ours:
            return None
        self._write([line for line in lines if not is_ours(line)])
        return _described(ours[0])


def _described(line: str) -> Installed:
    m = _LINE.match(line)
    at = None
    if m and int(m.group(2)) <= 23 and int(m.group(1)) <= 59:
        at = time(int(m.group(2)), int(m.group(1)))
    return Installed(
        scheduler=CronScheduler.name,
        label=LABEL,
        at=at,
        command=m.group(3).replace("\\%", "%") if m else line,
        where=("your crontab (crontab -l shows it)",),
        content=line,
    )
