"""A systemd user timer (Linux): ``selfback-reminder.service`` and ``.timer`` in the
user's unit folder (``$XDG_CONFIG_HOME/systemd/user``, else ``~/.config/systemd/user``),
then ``systemctl --user daemon-reload`` and ``enable --now`` the timer.

No ``Persistent=``: a reminder due while the computer was off is skipped (one due while
it slept comes when it wakes, and ``selfback remind run --at`` drops it when the waking
is on a later day, before the reminder's time).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from datetime import time
from pathlib import Path

from selfback.remind.base import (
    NAME,
    Completed,
    Installed,
    Job,
    Runner,
    SchedulerError,
    private_text,
    run_program,
)
from selfback.remind.timeparse import hhmm

SERVICE = f"{NAME}.service"
TIMER = f"{NAME}.timer"
MARK = "# Written by selfback remind set; remove with selfback remind off."
LABEL = "a systemd user timer"


def unit_dir(environ: Mapping[str, str], home: Path) -> Path:
    base = environ.get("XDG_CONFIG_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else home / ".config"
    return root / "systemd" / "user"


def quote(word: str, *, dollar: bool = True) -> str:
    """One word for a unit file line, in double quotes (systemd.syntax(7), "Quoting"):
    backslash and quote escaped, % doubled (specifiers), and $ doubled in ExecStart's
    arguments (systemd expands variables there, but not in the program's path)."""
    text = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    if dollar:
        text = text.replace("$", "$$")
    return f'"{text}"'


def _unquote(word: str, *, dollar: bool = True) -> str:
    if len(word) >= 2 and word[0] == word[-1] == '"':
        word = word[1:-1]
        word = re.sub(r"\\(.)", r"\1", word)
    word = word.replace("%%", "%")
    return word.replace("$$", "$") if dollar else word


def service_text(job: Job) -> str:
    lines = [
        MARK,
        "[Unit]",
        "Description=selfback daily check-in reminder",
        "",
        "[Service]",
        "Type=oneshot",
    ]
    for key, value in sorted(job.env.items()):
        lines.append("Environment=" + quote(f"{key}={value}", dollar=False))
    program, *args = job.argv
    words = [quote(program, dollar=False), *(quote(a) for a in args)]
    lines.append("ExecStart=" + " ".join(words))
    return "\n".join(lines) + "\n"


def timer_text(job: Job) -> str:
    return (
        f"{MARK}\n"
        "[Unit]\n"
        f"Description=selfback daily check-in reminder at {hhmm(job.at)}\n"
        "\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {hhmm(job.at)}:00\n"
        "AccuracySec=1min\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )


def _read_at(timer: str) -> time | None:
    m = re.search(r"^OnCalendar=\*-\*-\* (\d{2}):(\d{2})(?::00)?\s*$", timer, re.M)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return time(int(m.group(1)), int(m.group(2)))


def _read_command(service: str) -> str:
    import shlex

    env: list[str] = []
    argv: list[str] = []
    for line in service.splitlines():
        key, _, value = line.partition("=")
        if key == "Environment":
            env.append(_unquote(value.strip(), dollar=False))
        elif key == "ExecStart":
            words = re.findall(r'"(?:\\.|[^"\\])*"|\S+', value)
            argv = [_unquote(w, dollar=i > 0) for i, w in enumerate(words)]
    assignments = []
    for pair in env:
        k, _, v = pair.partition("=")
        assignments.append(f"{k}={shlex.quote(v)}")
    return " ".join([*assignments, *(shlex.quote(a) for a in argv)])


class SystemdScheduler:
    name = "systemd"
    label = LABEL

    def __init__(self, folder: Path, runner: Runner = run_program) -> None:
        self.folder = folder
        self.runner = runner

    @property
    def service_path(self) -> Path:
        return self.folder / SERVICE

    @property
    def timer_path(self) -> Path:
        return self.folder / TIMER

    def _systemctl(self, *args: str) -> Completed:
        return self.runner(["systemctl", "--user", *args])

    def usable(self) -> bool:
        """Whether this session has a systemd user manager to talk to."""
        return self._systemctl("show-environment").ok

    def install(self, job: Job) -> Installed:
        old_service = _read(self.service_path)
        old_timer = _read(self.timer_path)
        try:
            private_text(self.service_path, service_text(job))
            private_text(self.timer_path, timer_text(job))
        except OSError as exc:
            raise SchedulerError(
                f"selfback could not write the reminder's timer in {self.folder} "
                f"({exc.strerror or exc}). Check that this folder is yours and writable."
            ) from exc
        for args in (("daemon-reload",), ("enable", "--now", TIMER), ("restart", TIMER)):
            done = self._systemctl(*args)
            if not done.ok:
                self._restore(old_service, old_timer)
                raise SchedulerError(
                    f"systemd did not accept the reminder (systemctl --user {' '.join(args)} "
                    f"said: {done.said()}). Nothing was changed."
                )
        return self.current() or self._described(job)

    def _described(self, job: Job) -> Installed:
        return Installed(
            scheduler=self.name,
            label=self.label,
            at=job.at,
            command=job.command_line(),
            where=(str(self.timer_path), str(self.service_path)),
        )

    def _restore(self, service: str | None, timer: str | None) -> None:
        """Put back what was there before a failed install (or nothing)."""
        for path, text in ((self.service_path, service), (self.timer_path, timer)):
            with contextlib.suppress(OSError):
                if text is None:
                    path.unlink(missing_ok=True)
                else:
                    private_text(path, text)
        self._systemctl("daemon-reload")
        if timer is not None:
            self._systemctl("enable", "--now", TIMER)

    def current(self) -> Installed | None:
        timer = _read(self.timer_path)
        service = _read(self.service_path)
        if timer is None and service is None:
            return None
        return Installed(
            scheduler=self.name,
            label=self.label,
            at=_read_at(timer or ""),
            command=_read_command(service or ""),
            where=(str(self.timer_path), str(self.service_path)),
            content=f"{self.timer_path}:\n{timer or ''}\n{self.service_path}:\n{service or ''}",
        )

    def remove(self) -> Installed | None:
        found = self.current()
        if found is None:
            return None
        done = self._systemctl("disable", "--now", TIMER)
        if not done.ok and self.usable():
            raise SchedulerError(
                f"systemd did not stop the reminder (systemctl --user disable said: "
                f"{done.said()}). Its files are still in {self.folder}."
            )
        try:
            for path in (self.timer_path, self.service_path):
                path.unlink(missing_ok=True)
        except OSError as exc:
            raise SchedulerError(
                f"selfback could not remove {path} ({exc.strerror or exc}). "
                "Delete it by hand, then run systemctl --user daemon-reload."
            ) from exc
        self._systemctl("daemon-reload")
        self._systemctl("reset-failed", TIMER)
        return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""
