"""`selfback cope [SKILL] [--for SITUATION] [--again]`: the guided walk-through.

Only typer and the standard library at module level; the first question is asked before
anything heavy loads (see selfback.ui.walkthrough).
"""

from __future__ import annotations

import typer

from selfback.env import current_env


def register(app: typer.Typer) -> None:
    @app.command(
        "cope",
        help=(
            "Hard right now? A calm, guided skill, one step at a time. "
            "Keys on every step: Enter go on, b back, s skip, q stop, ? help, "
            "! crisis lines (sos works too)."
        ),
    )
    def cope(
        skill: str = typer.Argument(
            None,
            help="Start this skill at once (selfback skills list shows them).",
            show_default=False,
        ),
        situation: str = typer.Option(
            None,
            "--for",
            metavar="SITUATION",
            help=(
                "What's going on, in a word or a few: panic, anxiety, can't sleep, "
                "suicidal-thoughts... (skips that question)."
            ),
            show_default=False,
        ),
        again: bool = typer.Option(
            False, "--again", help="Repeat the last skill that lowered your distress."
        ),
        plain: bool = typer.Option(
            False, "--plain", help="Plain text: no colour, no animation, no screen clearing."
        ),
    ) -> int:
        from selfback.ui.walkthrough import CopeOptions, run_cope

        env = current_env()
        if plain:
            env.force_plain = True
            for attr in ("plain", "color", "reduced_motion"):
                env.__dict__.pop(attr, None)  # recompute the cached flags
        return run_cope(env, CopeOptions(skill_id=skill, situation=situation, again=again))
