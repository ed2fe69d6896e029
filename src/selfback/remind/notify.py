"""Desktop notifiers: one small interface, one class per way of showing a notification.

- ``notify-send`` (Linux and other freedesktop systems), through the session's message
  bus; under cron, where the bus address is not set, the usual one is found at
  ``/run/user/UID/bus``.
- ``osascript`` (macOS): ``display notification``, with the text passed as arguments,
  never spliced into the script.
- Windows: a toast from Windows PowerShell (the script passed encoded, the text in
  environment variables, so nothing needs quoting); ``msg`` where there is no PowerShell.
- ``SELFBACK_NOTIFIER=command`` with ``SELFBACK_NOTIFIER_COMMAND=/path/to/program``: runs
  that program with the title and the text as its two arguments (for tests).
  ``SELFBACK_NOTIFIER=none`` means there is no notifier.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from selfback.remind.base import Runner, run_program


class NotifyError(Exception):
    """The notifier ran and failed (the message is for the crash log)."""


class Notifier(Protocol):
    name: str  # the program, as a person would look for it

    def can_show(self) -> bool:
        """Whether there is somewhere to show a notification right now (a display)."""
        ...

    def send(self, title: str, body: str) -> None:
        """Show the notification; raise NotifyError when it could not."""
        ...


def _check(done_ok: bool, what: str, said: str) -> None:
    if not done_ok:
        raise NotifyError(f"{what} failed: {said}")


class NotifySend:
    name = "notify-send"

    def __init__(
        self,
        program: str,
        environ: Mapping[str, str],
        runner: Runner = run_program,
        runtime_root: Path = Path("/run/user"),
    ) -> None:
        self.program = program
        self.environ = environ
        self.runner = runner
        self.runtime_root = runtime_root

    def _bus_env(self) -> dict[str, str]:
        """The session bus address to use (empty when the environment already has one)."""
        if self.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            return {}
        uid = os.getuid() if hasattr(os, "getuid") else -1
        runtime = self.environ.get("XDG_RUNTIME_DIR") or str(self.runtime_root / str(uid))
        bus = Path(runtime) / "bus"
        return {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={bus}"} if bus.exists() else {}

    def can_show(self) -> bool:
        e = self.environ
        if e.get("DBUS_SESSION_BUS_ADDRESS") or e.get("DISPLAY") or e.get("WAYLAND_DISPLAY"):
            return True
        return bool(self._bus_env())

    def send(self, title: str, body: str) -> None:
        argv = [self.program, "--app-name=selfback", "--urgency=low", "--", title, body]
        done = self.runner(argv, env=self._bus_env())
        _check(done.ok, "notify-send", done.said())


class Osascript:
    name = "osascript"
    SCRIPT = (
        "on run argv",
        "display notification (item 2 of argv) with title (item 1 of argv)",
        "end run",
    )

    def __init__(self, program: str, runner: Runner = run_program) -> None:
        self.program = program
        self.runner = runner

    def can_show(self) -> bool:
        return True  # a LaunchAgent runs in the person's own graphical session

    def send(self, title: str, body: str) -> None:
        argv = [self.program]
        for line in self.SCRIPT:
            argv += ["-e", line]
        done = self.runner([*argv, title, body])
        _check(done.ok, "osascript", done.said())


TOAST = "\n".join(
    [
        "$ErrorActionPreference = 'Stop'",
        "$m = [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications,"
        " ContentType = WindowsRuntime]",
        "$x = $m::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)",
        "$t = $x.GetElementsByTagName('text')",
        "[void]$t.Item(0).AppendChild($x.CreateTextNode($env:SELFBACK_NOTIFY_TITLE))",
        "[void]$t.Item(1).AppendChild($x.CreateTextNode($env:SELFBACK_NOTIFY_BODY))",
        "$app = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe'",
        "$m::CreateToastNotifier($app).Show([Windows.UI.Notifications.ToastNotification]::new($x))",
    ]
)


class WindowsToast:
    name = "PowerShell (a Windows notification)"

    def __init__(self, program: str, runner: Runner = run_program) -> None:
        self.program = program
        self.runner = runner

    def can_show(self) -> bool:
        return True  # the task runs only while the person is logged on

    def send(self, title: str, body: str) -> None:
        argv = [self.program, "-NoProfile", "-NonInteractive", "-WindowStyle", "Hidden"]
        env = {"SELFBACK_NOTIFY_TITLE": title, "SELFBACK_NOTIFY_BODY": body}
        import base64

        script = base64.b64encode(TOAST.encode("utf-16-le")).decode("ascii")
        done = self.runner([*argv, "-EncodedCommand", script], env=env)
        _check(done.ok, "PowerShell toast", done.said())


class WindowsMsg:
    name = "msg (a Windows message box)"

    def __init__(
        self, program: str, environ: Mapping[str, str], runner: Runner = run_program
    ) -> None:
        self.program = program
        self.user = environ.get("USERNAME") or "*"
        self.runner = runner

    def can_show(self) -> bool:
        return True

    def send(self, title: str, body: str) -> None:
        done = self.runner([self.program, self.user, "/TIME:3600", f"{title}: {body}"])
        _check(done.ok, "msg", done.said())


class CommandNotifier:
    """Runs ``program TITLE BODY`` (``SELFBACK_NOTIFIER=command``, for tests)."""

    name = "a notification command (SELFBACK_NOTIFIER_COMMAND)"

    def __init__(self, program: str, runner: Runner = run_program) -> None:
        self.program = program
        self.runner = runner

    def can_show(self) -> bool:
        return True

    def send(self, title: str, body: str) -> None:
        done = self.runner([self.program, title, body])
        _check(done.ok, self.program, done.said())


def find_notifier(
    environ: Mapping[str, str],
    platform: str,
    which: Callable[[str], str | None] = shutil.which,
    runner: Runner = run_program,
) -> Notifier | None:
    """The notifier this computer has, or None."""
    choice = environ.get("SELFBACK_NOTIFIER", "").strip().lower()
    if choice == "none":
        return None
    if choice == "command":
        program = environ.get("SELFBACK_NOTIFIER_COMMAND", "").strip()
        return CommandNotifier(program, runner) if program else None
    if platform == "darwin":
        found = which("osascript")
        return Osascript(found, runner) if found else None
    if platform == "win32":
        found = which("powershell")
        if found:
            return WindowsToast(found, runner)
        found = which("msg")
        return WindowsMsg(found, environ, runner) if found else None
    found = which("notify-send")
    return NotifySend(found, environ, runner) if found else None
