"""The real thing on Linux: a systemd user timer installed, replaced and removed.

Runs only where ``systemctl --user`` answers (a desktop or server session with a systemd
user manager); skipped elsewhere (containers, macOS, Windows, CI without a user session),
with the reason. It never replaces a reminder the person running the tests has set, and
it sets the timer twelve hours away from now, so it cannot fire during the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from selfback.remind import systemd

TIMER = "selfback-reminder.timer"
SERVICE = "selfback-reminder.service"


def _systemctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemctl", "--user", *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def user_systemd(monkeypatch: pytest.MonkeyPatch) -> systemd.SystemdScheduler:
    if not sys.platform.startswith("linux") or not shutil.which("systemctl"):
        pytest.skip("needs Linux with systemctl (this system has none)")
    probe = _systemctl("show-environment")
    if probe.returncode != 0:
        said = (probe.stderr.strip() or probe.stdout.strip()).splitlines()[-1:]
        pytest.skip(f"needs a systemd user session: systemctl --user said {said}")
    unit = systemd.SystemdScheduler(systemd.unit_dir(os.environ, Path.home()))
    if unit.current() is not None:
        pytest.skip(f"a real selfback reminder is set in {unit.folder}; not replacing it")
    monkeypatch.delenv("SELFBACK_SCHEDULER_DIR")
    monkeypatch.setenv("SELFBACK_SCHEDULER", "systemd")
    return unit


def _later(hours: int) -> str:
    return (datetime.now() + timedelta(hours=hours)).strftime("%H:%M")


def test_a_real_systemd_user_timer(cli, user_systemd, home: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = _later(12), _later(13)
    try:
        result = cli("remind", "set", first)
        assert result.exit_code == 0, result
        assert "a systemd user timer" in result.stdout
        assert _systemctl("is-enabled", TIMER).stdout.strip() == "enabled"
        assert _systemctl("is-active", TIMER).stdout.strip() == "active"
        calendar = _systemctl("show", TIMER, "-p", "TimersCalendar", "--value").stdout
        assert f"*-*-* {first}:00" in calendar, calendar
        command = _systemctl("show", SERVICE, "-p", "ExecStart", "--value").stdout
        assert f"argv[]={os.path.abspath(sys.executable)} -m selfback remind run --at {first}" in (
            command
        ), command
        env = _systemctl("show", SERVICE, "-p", "Environment", "--value").stdout
        assert f"SELFBACK_HOME={home}" in env, env

        # Setting it again replaces it: one timer, at the new time.
        assert cli("remind", "set", second).exit_code == 0
        assert cli("remind", "set", second).exit_code == 0
        calendar = _systemctl("show", TIMER, "-p", "TimersCalendar", "--value").stdout
        assert f"*-*-* {second}:00" in calendar and f"*-*-* {first}:00" not in calendar
        assert _systemctl("is-active", TIMER).stdout.strip() == "active"
        ours = sorted(p.name for p in user_systemd.folder.glob("selfback-reminder*"))
        assert ours == [SERVICE, TIMER]
        listed = _systemctl("list-timers", "--all", "--no-legend").stdout
        assert listed.count(TIMER) == 1, listed
        assert f"every day at {second}" in cli("remind", "show").stdout
    finally:
        off = cli("remind", "off")
    assert off.exit_code == 0 and "Reminder removed" in off.stdout
    assert not user_systemd.timer_path.exists() and not user_systemd.service_path.exists()
    assert _systemctl("is-enabled", TIMER).returncode != 0
    assert TIMER not in _systemctl("list-timers", "--all", "--no-legend").stdout
    assert "nothing to remove" in cli("remind", "off").stdout


def test_the_unit_files_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """systemd's own parser accepts both files, quoting a path with a space, % and $."""
    from selfback.remind.base import Completed, Job

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze (this system has no systemd)")
    odd = tmp_path / "my 100% $HOME python"
    odd.mkdir()
    (odd / "python3").symlink_to(sys.executable)
    argv = (str(odd / "python3"), "-m", "selfback", "remind", "run", "--at", "21:00")
    job = Job(datetime(2026, 1, 1, 21, 0).time(), argv, {"SELFBACK_HOME": str(odd)})
    unit = systemd.SystemdScheduler(tmp_path / "units", lambda *a, **k: Completed(0))
    unit.install(job)
    done = subprocess.run(
        [analyze, "verify", str(unit.timer_path), str(unit.service_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    text = done.stdout + done.stderr
    assert done.returncode == 0 and "selfback-reminder" not in text, text
