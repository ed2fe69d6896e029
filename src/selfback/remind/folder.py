"""A scheduler that only writes the job into a folder: for tests, never for people.

Chosen by ``SELFBACK_SCHEDULER_DIR=/some/folder``. The job is ``selfback-reminder.json``
in that folder (``at``, ``argv``, ``env``), so a test can read exactly what a real
scheduler would have been asked to run, and run it.
"""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

from selfback.remind.base import NAME, Installed, Job, SchedulerError, private_text
from selfback.remind.timeparse import hhmm

LABEL = "a test folder named by SELFBACK_SCHEDULER_DIR"


class FolderScheduler:
    name = "folder"
    label = LABEL

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def path(self) -> Path:
        return self.folder / f"{NAME}.json"

    def install(self, job: Job) -> Installed:
        data = {"at": hhmm(job.at), "argv": list(job.argv), "env": dict(job.env)}
        try:
            private_text(self.path, json.dumps(data, indent=2) + "\n")
        except OSError as exc:
            raise SchedulerError(
                f"selfback could not write {self.path} ({exc.strerror or exc})."
            ) from exc
        return self.current() or Installed(self.name, self.label, job.at, "", (str(self.path),))

    def current(self) -> Installed | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError):
            text = ""
        try:
            data = json.loads(text)
            hour, _, minute = str(data["at"]).partition(":")
            at: time | None = time(int(hour), int(minute))
            env = {str(k): str(v) for k, v in (data.get("env") or {}).items()}
            command = Job(time(0), tuple(str(a) for a in data["argv"]), env).command_line()
        except (ValueError, KeyError, TypeError):
            at, command = None, ""
        return Installed(self.name, self.label, at, command, (str(self.path),), text)

    def remove(self) -> Installed | None:
        found = self.current()
        if found is not None:
            self.path.unlink(missing_ok=True)
        return found
