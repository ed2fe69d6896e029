"""`selfback sos` as seen by --help. The real work runs on the fast path in main.py
(``selfback sos ...`` never loads Typer); this command is reached only through forms
such as ``selfback --plain sos``, and does the same thing."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command(
        "sos",
        help=(
            "Crisis lines for your country and your own safety plan, at once, no questions. "
            "Works even when the rest of selfback does not."
        ),
    )
    def sos(
        ctx: typer.Context,
        plain: bool = typer.Option(False, "--plain", help="Plain text, no colour."),
        country: str | None = typer.Option(
            None, "--country", metavar="XX", help="Show another country's lines, e.g. GB."
        ),
        listing: bool = typer.Option(
            False, "--list", help="List the countries whose lines selfback has checked."
        ),
    ) -> int:
        from selfback.cli.context import env_of
        from selfback.safety.sos import run_sos

        args = ["--plain"] if (plain or env_of(ctx).force_plain) else []
        if country:
            args += ["--country", country]
        if listing:
            args.append("--list")
        return run_sos(args)
