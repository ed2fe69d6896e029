"""`selfback sos` as seen by --help. The real work runs on the fast path in main.py."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command(
        "sos",
        help="Crisis lines for your country and your safety plan, at once, no questions.",
    )
    def sos(
        plain: bool = typer.Option(False, "--plain", help="Plain text, no colour."),
    ) -> int:
        from selfback.safety.sos import run_sos

        return run_sos(["--plain"] if plain else [])
