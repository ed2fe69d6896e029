"""A damaged database: every screen says so plainly, and doctor's steps really recover."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any


def _damage(db: Path) -> None:
    db.write_bytes(b"this is not a database " * 500)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def test_doctor_steps_restore_the_newest_backup(cli: Any, home: Path, tmp_path: Path) -> None:
    assert cli("checkin", "--mood", "6").exit_code == 0
    assert cli("backup").exit_code == 0
    db = home / "selfback.db"
    _damage(db)

    home_screen = cli()
    assert home_screen.exit_code == 0
    assert "could not be read" in home_screen.stdout
    assert "no check-in yet" not in home_screen.stdout

    report = cli("doctor")
    assert report.exit_code == 1
    commands = [
        line.split(": ", 1)[1]
        for line in report.stdout.splitlines()
        if line.strip().startswith(("- Keep the damaged", "- Then put"))
    ]
    assert len(commands) == 2, report.stdout
    assert commands[0].startswith("mv ") and commands[1].startswith("cp ")
    for command in commands:
        subprocess.run(shlex.split(command), check=True)
    assert (home / "selfback.db.damaged").exists()

    assert cli("doctor").exit_code == 0
    history = cli("history", "--json")
    assert history.exit_code == 0 and '"mood": 6' in history.stdout


def test_doctor_without_a_backup_says_a_new_log_starts(cli: Any, home: Path) -> None:
    assert cli("checkin", "--mood", "6").exit_code == 0
    _damage(home / "selfback.db")
    report = cli("doctor")
    assert report.exit_code == 1
    assert "no backup yet" in report.stdout
    assert "sos" in report.stdout
    assert "Traceback" not in report.output
