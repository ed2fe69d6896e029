"""`selfback backup`, `selfback doctor` and `selfback nudge`.

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

from pathlib import Path

import typer

from selfback.env import Env, current_env
from selfback.errors import ExitCode

NUDGE = "No check-in yet today. selfback checkin takes under a minute, whenever you like."


def nudge_line(env: Env) -> str | None:
    """The nudge, or None when there is a check-in today (or the log cannot be read)."""
    import sqlite3

    from selfback.store.db import connect

    path = env.paths.database
    if not path.exists():
        return NUDGE
    today = env.clock.now().date().isoformat()
    try:
        conn = connect(path, readonly=True)
        try:
            row = conn.execute(
                "SELECT 1 FROM checkins WHERE local_date = ? LIMIT 1", (today,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # a shell start-up is no place for errors; `selfback doctor` is
    return None if row else NUDGE


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup(
        path: Path | None = typer.Argument(
            None,
            help="Where to write the copy (a new file or a folder). Default: a dated file "
            "in selfback's backups folder.",
            show_default=False,
        ),
    ) -> None:
        """Make a safe copy of your data (works while selfback is in use)."""
        from selfback.store.maintenance import backup_database

        env = current_env()
        target = backup_database(env.paths, path, env.clock.now())
        env.stdout.write(f"Backup saved to {target}\n")
        env.stdout.write("It holds your notes: keep it somewhere private.\n")

    @app.command("doctor")
    def doctor(
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> int:
        """Check selfback's health: paths, versions, the database, skill and tracker files,
        crisis data. Exits non-zero when something is wrong."""
        import json

        from selfback.store.maintenance import run_doctor

        env = current_env()
        report = run_doctor(env.paths, env.clock.now().date())
        if json_out:
            env.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
            return ExitCode.OK if report.ok else ExitCode.PROBLEM
        width = max(len(k) for k, _ in report.info) + 2
        lines = [f"{k:<{width}}{v}" for k, v in report.info]
        lines.append("")
        cwidth = max(len(c.name) for c in report.checks) + 2
        for c in report.checks:
            mark = "ok     " if c.ok else "PROBLEM"
            lines.append(f"{mark}  {c.name:<{cwidth}}{c.detail}")
            lines += [f"           - {p}" for p in c.problems]
        lines.append("")
        if report.ok:
            lines.append("Everything looks fine.")
        else:
            bad = sum(not c.ok for c in report.checks)
            lines.append(
                f"{bad} check{'s' if bad != 1 else ''} found something to fix (see above). "
                "selfback sos works whatever the state of the rest."
            )
        # Problems quote file names and file contents: no control sequences, and plain
        # words rather than markdown backticks.
        from selfback.text import clean

        env.stdout.write(clean("\n".join(lines)).replace("`", "") + "\n")
        return ExitCode.OK if report.ok else ExitCode.PROBLEM

    @app.command("nudge")
    def nudge() -> None:
        """One gentle line when you have not checked in today; nothing otherwise.
        Meant for a shell start-up file (e.g. the interactive part of ~/.bashrc)."""
        env = current_env()
        line = nudge_line(env)
        if line:
            env.stdout.write(line + "\n")
