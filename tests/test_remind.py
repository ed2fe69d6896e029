"""selfback remind: set, show, off and the daily run, against the folder scheduler
(SELFBACK_SCHEDULER_DIR, set for every test by conftest) and a notifier command."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest

from selfback.remind import daily
from selfback.remind.timeparse import parse_time

DAY = "2026-11-21"


def _job_file() -> Path:
    return Path(os.environ["SELFBACK_SCHEDULER_DIR"]) / "selfback-reminder.json"


def _notifier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, fail: bool = False) -> Path:
    """A notifier command that appends "TITLE|BODY" to a file (or fails)."""
    shown = tmp_path / "shown.txt"
    script = tmp_path / "notify"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"open({str(shown)!r}, 'a').write(sys.argv[1] + '|' + sys.argv[2] + '\\n')\n"
        + ("sys.exit(1)\n" if fail else "")
    )
    script.chmod(0o755)
    monkeypatch.setenv("SELFBACK_NOTIFIER", "command")
    monkeypatch.setenv("SELFBACK_NOTIFIER_COMMAND", str(script))
    return shown


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


# ------------------------------------------------------------------------------ times
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:00", time(21, 0)),
        ("9pm", time(21, 0)),
        ("9:30 pm", time(21, 30)),
        ("21.30", time(21, 30)),
        ("at 8am", time(8, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        (" 7:05 ", time(7, 5)),
    ],
)
def test_reminder_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


def test_a_time_that_is_not_one_is_one_plain_sentence(cli) -> None:  # type: ignore[no-untyped-def]
    for bad in ("25:00", "13pm", "banana", "21:75"):
        result = cli("remind", "set", bad)
        assert result.exit_code == 2, result
        assert f"'{bad}' is not a time" in result.stderr and "21:00" in result.stderr
        assert "Traceback" not in result.output
    assert not _job_file().exists()


# ------------------------------------------------------------------- set, show, off
def test_set_show_off_and_setting_again(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert "No reminder is set" in cli("remind", "show").stdout
    result = cli("remind", "set", "9pm")
    assert result.exit_code == 0, result
    assert "every day at 21:00, only on a day without a check-in" in result.stdout
    job = json.loads(_job_file().read_text())
    assert job["at"] == "21:00"
    assert job["argv"] == [
        os.path.abspath(sys.executable),
        "-m",
        "selfback",
        "remind",
        "run",
        "--at",
        "21:00",
    ]
    assert job["env"] == {"SELFBACK_HOME": str(home)}
    assert _job_file().stat().st_mode & 0o777 == 0o600

    # The same time again: one job, unchanged, and nothing "replaced".
    before = _job_file().read_text()
    again = cli("remind", "set", "21:00")
    assert again.exit_code == 0 and "replaces" not in again.stdout
    assert _job_file().read_text() == before
    assert sorted(p.name for p in _job_file().parent.iterdir()) == ["selfback-reminder.json"]

    # Another time replaces it, and says so.
    moved = cli("remind", "set", "8:30am")
    assert "every day at 08:30" in moved.stdout and "replaces the one at 21:00" in moved.stdout
    assert json.loads(_job_file().read_text())["at"] == "08:30"

    shown = cli("remind", "show")
    assert shown.exit_code == 0
    assert "every day at 08:30" in shown.stdout
    assert str(_job_file()) in shown.stdout
    assert "remind run --at 08:30" in shown.stdout.replace("\n", " ")
    data = json.loads(cli("remind", "show", "--json").stdout)
    assert data["set"] is True and data["at"] == "08:30" and data["scheduler"] == "folder"
    assert data["where"] == [str(_job_file())] and '"08:30"' in data["content"]
    assert cli("remind").stdout == shown.stdout  # remind alone shows it

    off = cli("remind", "off")
    assert off.exit_code == 0 and "Reminder removed" in off.stdout and "08:30" in off.stdout
    assert not _job_file().exists()
    again_off = cli("remind", "off")
    assert again_off.exit_code == 0
    assert again_off.stdout.strip() == "No reminder is set, so there is nothing to remove."
    assert json.loads(cli("remind", "show", "--json").stdout)["set"] is False


def test_without_a_notifier_set_says_so_and_suggests_nudge(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "set", "21:00")  # conftest: SELFBACK_NOTIFIER=none
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "No desktop notifier was found" in text and "the reminder cannot appear" in text
    assert "selfback nudge" in text
    assert _job_file().exists()  # installed all the same
    assert "no desktop notifier" in " ".join(cli("remind", "show").stdout.split())


def test_with_a_notifier_set_does_not_warn(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _notifier(tmp_path, monkeypatch)
    result = cli("remind", "set", "21:00")
    assert result.exit_code == 0 and "No desktop notifier" not in result.stdout
    assert "was found" in cli("remind", "show").stdout


def test_without_selfback_home_nothing_extra_is_carried(tmp_path: Path) -> None:
    from selfback.remind.system import detect

    env = {"SELFBACK_SCHEDULER_DIR": str(tmp_path), "SELFBACK_NOTIFIER": "none"}
    system = detect(env, "linux", "/opt/py/bin/python3")
    job = system.job(time(21, 0))
    assert job.env == {}
    assert job.argv == ("/opt/py/bin/python3", "-m", "selfback", "remind", "run", "--at", "21:00")


def test_no_scheduler_at_all_is_one_plain_sentence(cli, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SELFBACK_SCHEDULER_DIR")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no systemctl, no crontab
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = cli("remind", "set", "21:00")
    assert result.exit_code == 1
    assert "no scheduler selfback can use" in result.stderr and "selfback nudge" in result.stderr
    assert "Traceback" not in result.output
    assert cli("remind", "off").exit_code == 0
    assert "no scheduler selfback can use" in cli("remind", "show").stdout


def test_run_is_hidden_from_help(cli) -> None:  # type: ignore[no-untyped-def]
    text = cli("remind", "--help").stdout
    assert "set" in text and "show" in text and "off" in text
    assert " run " not in text


def test_the_output_fits_forty_columns(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "40")
    for args in (["set", "21:00"], ["show"], ["off"], ["off"], ["show"]):
        for line in cli("remind", *args).stdout.splitlines():
            # Longer only where one word (a path) is longer than the line.
            assert len(line) <= 40 or len(line.split()) <= 2, line


# ------------------------------------------------------------------------ daily run
def test_decide() -> None:
    evening = datetime(2026, 11, 21, 21, 0)
    today = evening.date()
    d = daily.Decision
    assert daily.decide(evening, checked_in=False, last_shown=None) is d.REMIND
    assert daily.decide(evening, checked_in=True, last_shown=None) is d.CHECKED_IN
    assert daily.decide(evening, checked_in=False, last_shown=today) is d.ALREADY
    assert daily.decide(evening, checked_in=False, last_shown=date(2026, 11, 20)) is d.REMIND
    morning = datetime(2026, 11, 22, 8, 0)  # a catch-up when the computer wakes
    assert daily.decide(morning, checked_in=False, last_shown=None, at=time(21)) is d.TOO_EARLY
    assert daily.decide(evening, checked_in=False, last_shown=None, at=time(21)) is d.REMIND


def _run_installed(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the job exactly as the folder scheduler recorded it (as a scheduler would)."""
    job = json.loads(_job_file().read_text())
    return subprocess.run(
        job["argv"],
        env={**env, **job["env"]},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_the_installed_job_reminds_once_on_a_day_without_a_check_in(  # type: ignore[no-untyped-def]
    cli, tmp_path, monkeypatch, home
) -> None:
    shown = _notifier(tmp_path, monkeypatch)
    assert cli("remind", "set", "9am").exit_code == 0
    env = dict(os.environ)
    env.pop("SELFBACK_HOME")  # the job carries it
    env["SELFBACK_NOW"] = f"{DAY}T10:00:00+00:00"
    first = _run_installed(env)
    assert (first.returncode, first.stdout, first.stderr) == (0, "", "")
    assert _lines(shown) == [f"{daily.TITLE}|{daily.BODY}"]
    state = home / "reminder-state.json"
    assert json.loads(state.read_text()) == {"last_shown": DAY}
    assert state.stat().st_mode & 0o777 == 0o600
    second = _run_installed(env)
    assert second.returncode == 0 and len(_lines(shown)) == 1  # never twice a day
    env["SELFBACK_NOW"] = "2026-11-22T10:00:00+00:00"
    assert _run_installed(env).returncode == 0
    assert len(_lines(shown)) == 2  # the next day, once again


def test_no_reminder_on_a_day_with_a_check_in_and_nothing_written(  # type: ignore[no-untyped-def]
    cli, tmp_path, monkeypatch, home
) -> None:
    monkeypatch.setenv("SELFBACK_NOW", f"{DAY}T08:00:00+00:00")
    assert cli("checkin", "--mood", "6").exit_code == 0
    shown = _notifier(tmp_path, monkeypatch)
    monkeypatch.setenv("SELFBACK_NOW", f"{DAY}T21:00:00+00:00")
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in home.iterdir()}
    result = cli("remind", "run", "--at", "21:00")
    assert (result.exit_code, result.output) == (0, "")
    assert not shown.exists()
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in home.iterdir()}
    # The database is untouched and there is no state file. (SQLite's reader may leave
    # its empty -wal and -shm companions, private like the database.)
    sqlite_own = {"selfback.db-wal", "selfback.db-shm"}
    assert {k: v for k, v in after.items() if k not in sqlite_own} == files
    assert all((home / name).stat().st_mode & 0o777 == 0o600 for name in after)
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-22T21:00:00+00:00")
    assert cli("remind", "run").exit_code == 0
    assert len(_lines(shown)) == 1  # the next day has no check-in yet


def test_no_database_yet_is_a_day_without_a_check_in(cli, tmp_path, monkeypatch, home) -> None:  # type: ignore[no-untyped-def]
    shown = _notifier(tmp_path, monkeypatch)
    assert cli("remind", "run").exit_code == 0
    assert len(_lines(shown)) == 1
    assert not (home / "selfback.db").exists()  # reading never creates the database


def test_a_late_catch_up_waits_for_the_reminders_time(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown = _notifier(tmp_path, monkeypatch)
    monkeypatch.setenv("SELFBACK_NOW", f"{DAY}T07:30:00+00:00")
    assert cli("remind", "run", "--at", "21:00").exit_code == 0
    assert not shown.exists()
    monkeypatch.setenv("SELFBACK_NOW", f"{DAY}T21:00:30+00:00")
    assert cli("remind", "run", "--at", "21:00").exit_code == 0
    assert len(_lines(shown)) == 1


def _crash_log(home: Path) -> str:
    path = home / "crash.log"
    return path.read_text() if path.exists() else ""


def test_quiet_without_a_notifier(cli, home) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "run")  # conftest: SELFBACK_NOTIFIER=none
    assert (result.exit_code, result.output) == (0, "")
    assert "no desktop notifier" in _crash_log(home)
    assert not (home / "reminder-state.json").exists()


def test_quiet_when_the_notifier_fails_and_a_later_run_tries_again(  # type: ignore[no-untyped-def]
    cli, tmp_path, monkeypatch, home
) -> None:
    shown = _notifier(tmp_path, monkeypatch, fail=True)
    result = cli("remind", "run")
    assert (result.exit_code, result.output) == (0, "")
    assert "showing the notification" in _crash_log(home)
    assert not (home / "reminder-state.json").exists()  # not counted as shown
    shown = _notifier(tmp_path, monkeypatch)
    assert cli("remind", "run").exit_code == 0
    assert len(_lines(shown)) == 2  # the failed try, and this one


def test_quiet_with_a_damaged_or_locked_database(cli, tmp_path, monkeypatch, home) -> None:  # type: ignore[no-untyped-def]
    shown = _notifier(tmp_path, monkeypatch)
    home.mkdir(parents=True, exist_ok=True)
    (home / "selfback.db").write_bytes(b"this is not a database" * 100)
    result = cli("remind", "run")
    assert (result.exit_code, result.output) == (0, "")
    assert not shown.exists()  # cannot tell: better no reminder than a wrong one
    assert "reading today's check-ins" in _crash_log(home)


def test_quiet_with_no_display(home: Path) -> None:
    from selfback.actions.remind import Outcome, run_reminder
    from selfback.paths import get_paths

    class NoDisplay:
        name = "test"
        sent: list[str] = []

        def can_show(self) -> bool:
            return False

        def send(self, title: str, body: str) -> None:
            self.sent.append(body)

    notifier = NoDisplay()
    now = datetime.fromisoformat(f"{DAY}T21:00:00+00:00")
    result = run_reminder(get_paths(), now, notifier)
    assert result.outcome is Outcome.NO_DISPLAY and notifier.sent == []
    assert not (home / "reminder-state.json").exists()


def test_run_with_home_option_reads_that_home(cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Windows tasks carry SELFBACK_HOME as --home."""
    other = tmp_path / "other-home"
    monkeypatch.setenv("SELFBACK_NOW", f"{DAY}T08:00:00+00:00")
    monkeypatch.setenv("SELFBACK_HOME", str(other))
    assert cli("checkin", "--mood", "6").exit_code == 0
    monkeypatch.setenv("SELFBACK_HOME", str(tmp_path / "elsewhere"))
    shown = _notifier(tmp_path, monkeypatch)
    assert cli("remind", "run", "--home", str(other)).exit_code == 0
    assert not shown.exists()  # that home has today's check-in


def test_help_lines_are_whole_sentences(cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "40")
    # At 40 columns a line may wrap, but only between words: compare the words.
    assert "remind A daily reminder to check in. " in " ".join(cli("--help").stdout.split())
    listing = cli("remind", "--help").stdout
    words = " ".join(listing.split())
    for line in ("set Set the daily reminder.", "show Show the reminder.", "off Remove"):
        assert line in words
    commands = listing.split("Commands:", 1)[1]
    assert "..." not in commands and commands.count(".") == 3
