"""The reminder's schedulers and notifiers, each with its programs replaced: a recording
runner for systemctl, launchctl, schtasks and the notifiers, a fake crontab on PATH."""

from __future__ import annotations

import base64
import os
import plistlib
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import time
from pathlib import Path

import pytest

from selfback.errors import SelfbackError
from selfback.remind import launchd, notify, systemd, windows
from selfback.remind.base import Completed, Installed, Job, SchedulerError
from selfback.remind.system import System, find_schedulers, selfback_argv

ARGV = ("/opt/my $python/bin/python3", "-m", "selfback", "remind", "run", "--at", "21:00")
JOB = Job(time(21, 0), ARGV, {"SELFBACK_HOME": "/home/x/100% mine/$HOME"})


class Recorder:
    """A Runner that records each call and answers from ``answers`` (first match on the
    program and its first argument), else success."""

    def __init__(self, answers: Mapping[tuple[str, ...], Completed] | None = None) -> None:
        self.calls: list[tuple[list[str], str | None, dict[str, str]]] = []
        self.answers = dict(answers or {})

    def __call__(
        self,
        argv: Sequence[str],
        *,
        input: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Completed:
        self.calls.append((list(argv), input, dict(env or {})))
        for key, answer in self.answers.items():
            if tuple(argv[: len(key)]) == key:
                return answer
        return Completed(0)

    def argvs(self) -> list[list[str]]:
        return [argv for argv, _, _ in self.calls]


# --------------------------------------------------------------------------- systemd
def _systemd_words(line: str) -> list[str]:
    """Split an ExecStart= value the way systemd does for our double-quoted words."""
    words = []
    for word in shlex.split(line.replace("$$", "\0").replace("%%", "%"), posix=True):
        words.append(word.replace("\0", "$"))
    return words


def test_systemd_install_writes_units_and_enables_the_timer(tmp_path: Path) -> None:
    runner = Recorder()
    unit = systemd.SystemdScheduler(tmp_path / "units", runner)
    got = unit.install(JOB)
    service = (tmp_path / "units" / "selfback-reminder.service").read_text()
    timer = (tmp_path / "units" / "selfback-reminder.timer").read_text()
    assert "OnCalendar=*-*-* 21:00:00\n" in timer and "WantedBy=timers.target" in timer
    assert "Persistent" not in timer
    assert "Type=oneshot" in service
    assert 'Environment="SELFBACK_HOME=/home/x/100%% mine/$HOME"\n' in service
    exec_line = next(x for x in service.splitlines() if x.startswith("ExecStart="))
    assert _systemd_words(exec_line.removeprefix("ExecStart=")) == list(ARGV)
    assert runner.argvs() == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", "selfback-reminder.timer"],
        ["systemctl", "--user", "restart", "selfback-reminder.timer"],
    ]
    assert got.at == time(21, 0) and got.scheduler == "systemd"
    assert got.where == (
        str(tmp_path / "units" / "selfback-reminder.timer"),
        str(tmp_path / "units" / "selfback-reminder.service"),
    )
    assert got.command == JOB.command_line()  # read back from the unit file
    assert unit.current() == got

    runner.calls.clear()
    removed = unit.remove()
    assert removed == got and unit.current() is None
    assert not list((tmp_path / "units").iterdir())
    assert runner.argvs()[0] == [
        "systemctl",
        "--user",
        "disable",
        "--now",
        "selfback-reminder.timer",
    ]
    assert ["systemctl", "--user", "daemon-reload"] in runner.argvs()
    assert unit.remove() is None


def test_systemd_refusing_leaves_what_was_there(tmp_path: Path) -> None:
    unit = systemd.SystemdScheduler(tmp_path, Recorder())
    earlier = unit.install(Job(time(8, 0), ARGV, {}))
    fail = Completed(1, "", "Failed to enable unit: Access denied")
    refusing = systemd.SystemdScheduler(
        tmp_path, Recorder({("systemctl", "--user", "enable"): fail})
    )
    with pytest.raises(SchedulerError) as err:
        refusing.install(JOB)
    assert "Access denied" in err.value.message and "Nothing was changed" in err.value.message
    assert refusing.current() == earlier

    fresh = systemd.SystemdScheduler(
        tmp_path / "new", Recorder({("systemctl", "--user", "enable"): fail})
    )
    with pytest.raises(SchedulerError):
        fresh.install(JOB)
    assert fresh.current() is None and not list((tmp_path / "new").iterdir())


def test_systemd_unit_folder_follows_xdg_config_home(tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert systemd.unit_dir({}, home) == home / ".config" / "systemd" / "user"
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    assert systemd.unit_dir(xdg, home) == tmp_path / "cfg" / "systemd" / "user"
    assert (
        systemd.unit_dir({"XDG_CONFIG_HOME": "relative"}, home)
        == home / ".config" / "systemd" / "user"
    )


# ------------------------------------------------------------------------------ cron
FAKE_CRONTAB = """#!{python}
import os, sys
tab = os.environ["FAKE_CRONTAB_FILE"]
if os.environ.get("FAKE_CRONTAB_BROKEN"):
    sys.stderr.write("crontab: cannot connect to the cron daemon\\n")
    sys.exit(1)
if sys.argv[1:] == ["-l"]:
    if not os.path.exists(tab):
        sys.stderr.write("no crontab for someone\\n")
        sys.exit(1)
    sys.stdout.write(open(tab).read())
elif sys.argv[1:] == ["-"]:
    open(tab, "w").write(sys.stdin.read())
else:
    sys.exit(2)
"""

OTHER_LINES = (
    "# my own jobs\n"
    "MAILTO=me@example.org\n"
    "\n"
    "*/5 * * * * /usr/bin/backup --quiet  # keep\n"
    "0 3 * * 1 date +\\%F >> /tmp/log\n"
)


@pytest.fixture
def crontab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "crontab"
    program.write_text(FAKE_CRONTAB.format(python=sys.executable))
    program.chmod(0o755)
    tab = tmp_path / "crontab.txt"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_CRONTAB_FILE", str(tab))
    monkeypatch.delenv("SELFBACK_SCHEDULER_DIR")
    monkeypatch.setenv("SELFBACK_SCHEDULER", "cron")
    return tab


def test_cron_keeps_every_other_line(cli, crontab: Path, home: Path) -> None:  # type: ignore[no-untyped-def]
    crontab.write_text(OTHER_LINES)
    result = cli("remind", "set", "9:05pm")
    assert result.exit_code == 0, result
    assert "a line in your crontab" in result.stdout
    text = crontab.read_text()
    assert text.startswith(OTHER_LINES)
    ours = text[len(OTHER_LINES) :].splitlines()
    assert len(ours) == 1 and ours[0].startswith("5 21 * * * ")
    assert ours[0].endswith("# selfback-reminder")
    assert f"SELFBACK_HOME={shlex.quote(str(home))}" in ours[0]

    assert cli("remind", "set", "21:05").exit_code == 0  # the same again: unchanged
    assert crontab.read_text() == text
    assert cli("remind", "set", "7am").exit_code == 0
    again = crontab.read_text()
    assert again.startswith(OTHER_LINES) and again.count("selfback-reminder") == 1
    assert "\n0 7 * * * " in again

    shown = cli("remind", "show")
    assert "every day at 07:00" in shown.stdout and "crontab" in shown.stdout
    off = cli("remind", "off")
    assert off.exit_code == 0 and "07:00" in off.stdout
    assert crontab.read_text() == OTHER_LINES
    assert "nothing to remove" in cli("remind", "off").stdout
    assert crontab.read_text() == OTHER_LINES


def test_cron_starts_a_crontab_when_there_is_none(cli, crontab: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("remind", "set", "21:00").exit_code == 0
    assert crontab.read_text().count("\n") == 1
    assert cli("remind", "off").exit_code == 0
    assert crontab.read_text() == ""


def test_cron_that_cannot_be_read_is_left_alone(cli, crontab: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    crontab.write_text(OTHER_LINES)
    monkeypatch.setenv("FAKE_CRONTAB_BROKEN", "1")
    result = cli("remind", "set", "21:00")
    assert result.exit_code == 1
    assert "could not read your crontab" in result.stderr and "changed nothing" in result.stderr
    assert crontab.read_text() == OTHER_LINES


def test_the_cron_line_runs_under_sh(cli, crontab: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """What cron would run (after un-escaping %) starts selfback with the right home."""
    odd_home = tmp_path / "a home with 'quotes' and 100%"
    monkeypatch.setenv("SELFBACK_HOME", str(odd_home))
    assert cli("remind", "set", "21:00").exit_code == 0
    line = crontab.read_text().strip()
    command = line.split(None, 5)[5].removesuffix("# selfback-reminder").replace("\\%", "%")
    shown = tmp_path / "shown.txt"
    script = tmp_path / "notify"
    script.write_text(
        f"#!{sys.executable}\nimport os\n"
        f"open({str(shown)!r}, 'a').write(os.environ['SELFBACK_HOME'])\n"
    )
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "SELFBACK_HOME"}
    env.update({"SELFBACK_NOTIFIER": "command", "SELFBACK_NOTIFIER_COMMAND": str(script)})
    env["SELFBACK_NOW"] = "2026-11-21T21:30:00+00:00"
    done = subprocess.run(["/bin/sh", "-c", command], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert shown.read_text() == str(odd_home)


# --------------------------------------------------------------------------- launchd
def test_launchd_agent(tmp_path: Path) -> None:
    runner = Recorder()
    agent = launchd.LaunchdScheduler(tmp_path, 501, runner)
    got = agent.install(JOB)
    path = tmp_path / "Library" / "LaunchAgents" / "local.selfback.reminder.plist"
    data = plistlib.loads(path.read_bytes())
    assert data["Label"] == "local.selfback.reminder"
    assert data["ProgramArguments"] == list(ARGV)
    assert data["StartCalendarInterval"] == {"Hour": 21, "Minute": 0}
    assert data["EnvironmentVariables"] == dict(JOB.env)
    assert runner.argvs() == [
        ["launchctl", "bootout", "gui/501/local.selfback.reminder"],
        ["launchctl", "bootstrap", "gui/501", str(path)],
    ]
    assert got.at == time(21, 0) and got.where == (str(path),) and got.command == JOB.command_line()
    runner.calls.clear()
    assert agent.remove() == got and not path.exists()
    assert runner.argvs() == [["launchctl", "bootout", "gui/501/local.selfback.reminder"]]
    assert agent.remove() is None

    refusing = launchd.LaunchdScheduler(
        tmp_path,
        501,
        Recorder({("launchctl", "bootstrap"): Completed(5, "", "Input/output error")}),
    )
    with pytest.raises(SchedulerError, match="Input/output error"):
        refusing.install(JOB)
    assert not path.exists()


# --------------------------------------------------------------------------- Windows
TASK_XML = """<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <Triggers><CalendarTrigger><StartBoundary>2026-11-21T21:00:00</StartBoundary>
  <ScheduleByDay><DaysInterval>1</DaysInterval></ScheduleByDay></CalendarTrigger></Triggers>
  <Actions Context="Author"><Exec><Command>"C:\\Py\\pythonw.exe"</Command>
  <Arguments>-m selfback remind run --at 21:00 --home "C:\\Users\\me\\my &amp; home"</Arguments>
  </Exec></Actions>
</Task>"""


def test_windows_task() -> None:
    job = Job(
        time(21, 0),
        ("C:\\Py\\pythonw.exe", "-m", "selfback", "remind", "run", "--at", "21:00"),
        {"SELFBACK_HOME": "C:\\Users\\me\\my & home"},
    )
    assert windows.task_argv(job)[-2:] == ["--home", "C:\\Users\\me\\my & home"]
    runner = Recorder({("schtasks", "/Query"): Completed(0, TASK_XML)})
    task = windows.WindowsScheduler(runner)
    got = task.install(job)
    create = runner.argvs()[0]
    assert create[:9] == [
        "schtasks",
        "/Create",
        "/F",
        "/SC",
        "DAILY",
        "/ST",
        "21:00",
        "/TN",
        "selfback-reminder",
    ]
    assert create[9] == "/TR" and create[10] == subprocess.list2cmdline(windows.task_argv(job))
    assert got.at == time(21, 0)
    assert (
        got.command == '"C:\\Py\\pythonw.exe" -m selfback remind run --at 21:00 '
        '--home "C:\\Users\\me\\my & home"'
    )
    runner.calls.clear()
    assert task.remove() == got
    assert runner.argvs()[-1] == ["schtasks", "/Delete", "/F", "/TN", "selfback-reminder"]
    missing = windows.WindowsScheduler(
        Recorder({("schtasks",): Completed(1, "", "ERROR: not found")})
    )
    assert missing.current() is None and missing.remove() is None


def test_pythonw_on_windows(tmp_path: Path) -> None:
    (tmp_path / "python.exe").write_text("")
    (tmp_path / "pythonw.exe").write_text("")
    assert selfback_argv(str(tmp_path / "python.exe"), "win32")[0] == str(tmp_path / "pythonw.exe")
    assert selfback_argv(str(tmp_path / "python.exe"), "linux")[0] == str(tmp_path / "python.exe")


# ------------------------------------------------------------------- which scheduler
def _which(*present: str):  # type: ignore[no-untyped-def]
    return lambda name: f"/usr/bin/{name}" if name in present else None


def test_which_scheduler(tmp_path: Path) -> None:
    ok = Recorder()
    found, also = find_schedulers(
        {}, "linux", runner=ok, which=_which("systemctl", "crontab"), home=tmp_path
    )
    assert [s.name for s in found] == ["systemd", "cron"] and also == ()
    no_user_bus = Recorder({("systemctl",): Completed(1, "", "Failed to connect to bus")})
    found, also = find_schedulers(
        {}, "linux", runner=no_user_bus, which=_which("systemctl", "crontab"), home=tmp_path
    )
    assert [s.name for s in found] == ["cron"] and also == ()
    # An older timer's files, where systemd no longer answers: found, to be removed.
    systemd.SystemdScheduler(systemd.unit_dir({}, tmp_path), ok).install(JOB)
    found, also = find_schedulers({}, "linux", runner=no_user_bus, which=_which(), home=tmp_path)
    assert found == () and [s.name for s in also] == ["systemd"]

    def first(platform: str, *present: str) -> list[str]:
        found = find_schedulers({}, platform, runner=ok, which=_which(*present), home=tmp_path)
        return [s.name for s in found[0]]

    assert first("darwin", "launchctl") == ["launchd"]
    assert first("win32", "schtasks") == ["schtasks"]
    assert find_schedulers({}, "darwin", runner=ok, which=_which(), home=tmp_path) == ((), ())
    forced = find_schedulers(
        {"SELFBACK_SCHEDULER": "cron"}, "linux", runner=ok, which=_which("systemctl"), home=tmp_path
    )
    assert [s.name for s in forced[0]] == ["cron"]
    assert [s.name for s in forced[1]] == ["systemd"]  # the older timer is still looked for
    with pytest.raises(SelfbackError, match="SELFBACK_SCHEDULER is 'atd'"):
        find_schedulers({"SELFBACK_SCHEDULER": "atd"}, "linux", runner=ok, home=tmp_path)


class Memory:
    """A scheduler that keeps its job in memory."""

    def __init__(self, name: str) -> None:
        self.name = self.label = name
        self.job: Job | None = None

    def install(self, job: Job) -> Installed:
        self.job = job
        return self.current()  # type: ignore[return-value]

    def current(self) -> Installed | None:
        if self.job is None:
            return None
        return Installed(self.name, self.label, self.job.at, self.job.command_line(), (self.name,))

    def remove(self) -> Installed | None:
        found, self.job = self.current(), None
        return found


def test_setting_moves_an_older_reminder_and_off_removes_everywhere() -> None:
    from selfback.actions.remind import remove_reminder, set_reminder, show_reminder

    best, old, stale = Memory("systemd"), Memory("cron"), Memory("old-systemd")
    old.install(JOB)
    stale.install(JOB)
    system = System((best, old), (stale,), None, ("python", "-m", "selfback"), {}, "linux")
    result = set_reminder(time(7, 0), system)
    assert best.job is not None and best.job.at == time(7, 0)
    assert old.job is None and stale.job is None  # never two reminders
    assert {r.scheduler for r in result.replaced} == {"cron", "old-systemd"}
    assert show_reminder(system).installed == best.current()
    old.install(JOB)
    assert len(remove_reminder(system).removed) == 2
    assert best.job is None and old.job is None

    # When the new one cannot be installed, the older one stays where it was.
    old.install(JOB)

    def refuse(job: Job) -> Installed:
        raise SchedulerError("systemd did not accept the reminder.")

    best.install = refuse  # type: ignore[method-assign]
    with pytest.raises(SchedulerError):
        set_reminder(time(7, 0), system)
    assert old.job == JOB


# ------------------------------------------------------------------------- notifiers
def test_which_notifier() -> None:
    find = notify.find_notifier
    assert isinstance(find({}, "linux", _which("notify-send")), notify.NotifySend)
    assert find({}, "linux", _which()) is None
    assert isinstance(find({}, "darwin", _which("osascript")), notify.Osascript)
    assert isinstance(find({}, "win32", _which("powershell", "msg")), notify.WindowsToast)
    assert isinstance(find({}, "win32", _which("msg")), notify.WindowsMsg)
    assert find({"SELFBACK_NOTIFIER": "none"}, "linux", _which("notify-send")) is None
    chosen = find(
        {"SELFBACK_NOTIFIER": "command", "SELFBACK_NOTIFIER_COMMAND": "/x"}, "linux", _which()
    )
    assert isinstance(chosen, notify.CommandNotifier) and chosen.program == "/x"


def test_notify_send_finds_the_session_bus_under_cron(tmp_path: Path) -> None:
    runner = Recorder()
    bare = notify.NotifySend("/usr/bin/notify-send", {}, runner, runtime_root=tmp_path)
    assert not bare.can_show()  # no display, no bus (over SSH, or a server)
    bus_dir = tmp_path / str(os.getuid())
    bus_dir.mkdir()
    (bus_dir / "bus").write_text("")
    assert bare.can_show()
    bare.send("Title", "Body -n text")
    argv, _, env = runner.calls[-1]
    assert argv == [
        "/usr/bin/notify-send",
        "--app-name=selfback",
        "--urgency=low",
        "--",
        "Title",
        "Body -n text",
    ]
    assert env == {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={bus_dir / 'bus'}"}
    desktop = notify.NotifySend("notify-send", {"DBUS_SESSION_BUS_ADDRESS": "unix:x"}, runner)
    assert desktop.can_show()
    desktop.send("T", "B")
    assert runner.calls[-1][2] == {}
    failing = notify.NotifySend(
        "n", {"DISPLAY": ":0"}, Recorder({("n",): Completed(1, "", "no server")})
    )
    with pytest.raises(notify.NotifyError, match="no server"):
        failing.send("T", "B")


def test_osascript_and_windows_pass_the_text_as_data() -> None:
    runner = Recorder()
    notify.Osascript("osascript", runner).send('Say "hi"', "end tell")
    argv = runner.argvs()[-1]
    assert argv[-2:] == ['Say "hi"', "end tell"]
    assert all('"hi"' not in part for part in argv[:-2])
    notify.WindowsToast("powershell", runner).send("Title", "Body & more")
    argv, _, env = runner.calls[-1]
    script = base64.b64decode(argv[argv.index("-EncodedCommand") + 1]).decode("utf-16-le")
    assert script == notify.TOAST and "Body" not in script
    assert env == {"SELFBACK_NOTIFY_TITLE": "Title", "SELFBACK_NOTIFY_BODY": "Body & more"}
