"""`selfback backup`, `selfback doctor` and `selfback nudge`.

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of
from selfback.cli.sealed import (
    encrypt_option,
    recipient_file_option,
    recipient_option,
    wants_seal,
)
from selfback.errors import ExitCode

if TYPE_CHECKING:
    from selfback.actions.doctor import DoctorReport
    from selfback.env import Env
    from selfback.sealing import Seal


def nudge_line(env: Env) -> str | None:
    """The nudge, or None when there is a check-in today (or the log cannot be read)."""
    from selfback.actions.home import checked_in_on
    from selfback.messages import data as msg

    done = checked_in_on(env.paths, env.clock.now().date())
    return msg.NUDGE if done is False else None


def render_doctor(report: DoctorReport) -> str:
    """The report as text: facts, one line per check, its problems under it."""
    from selfback.messages import data as msg
    from selfback.text import clean

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
        lines.append(msg.DOCTOR_FINE)
    else:
        bad = sum(not c.ok for c in report.checks)
        lines.append(msg.DOCTOR_PROBLEMS.format(n=bad, s="s" if bad != 1 else ""))
    # Problems quote file names and file contents: no control sequences, and plain
    # words rather than markdown backticks.
    return clean("\n".join(lines)).replace("`", "") + "\n"


def register(app: typer.Typer) -> None:
    @app.command("backup")
    def backup(
        ctx: typer.Context,
        path: Path | None = typer.Argument(
            None,
            help="Where to write the copy (a new file or a folder). Default: a dated file "
            "in selfback's backups folder.",
            show_default=False,
        ),
        encrypt: bool = encrypt_option(),
        recipient: list[str] | None = recipient_option(),
        recipient_file: list[Path] | None = recipient_file_option(),
    ) -> None:
        """Make a safe copy of your data (works while selfback is in use)."""
        from selfback.actions.backup import backup as make_backup
        from selfback.cli.sealed import checked_recipients, make_seal, sealed_line
        from selfback.messages import data as msg
        from selfback.ui.prompt import write_wrapped

        env = env_of(ctx)
        seals: list[Seal] = []

        def ask_seal() -> Seal:
            seals.append(make_seal(env, keys))
            return seals[0]

        sealed = wants_seal(encrypt, recipient, recipient_file, path)
        keys = checked_recipients(recipient, recipient_file) if sealed else ()
        target = make_backup(
            env.paths, path, env.clock.now(), ask_seal=ask_seal if sealed else None
        )
        env.stdout.write(msg.BACKUP_SAVED.format(path=target) + "\n")
        write_wrapped(env, sealed_line(seals[0]) if seals else msg.BACKUP_PRIVATE)

    @app.command("doctor")
    def doctor(
        ctx: typer.Context,
        json_out: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> int:
        """Check selfback's health: paths, versions, the database, skill and tracker files,
        crisis data. Exits non-zero when something is wrong."""
        import json

        from selfback.actions.doctor import run_doctor

        env = env_of(ctx)
        report = run_doctor(env.paths, env.clock.now().date())
        if json_out:
            env.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
        else:
            env.stdout.write(render_doctor(report))
        return ExitCode.OK if report.ok else ExitCode.PROBLEM

    @app.command("nudge")
    def nudge(ctx: typer.Context) -> None:
        """One gentle line when you have not checked in today; nothing otherwise.
        Meant for a shell start-up file (e.g. the interactive part of ~/.bashrc)."""
        env = env_of(ctx)
        line = nudge_line(env)
        if line:
            env.stdout.write(line + "\n")
