"""`selfback cope [SKILL] [--for SITUATION] [--again]`: the guided walk-through.

Only typer and the standard library at module level; the first question is asked before
anything heavy loads (see selfback.actions.cope). The controller is
``selfback.actions.cope.flow``, its screens ``selfback.ui.walkthrough``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of

if TYPE_CHECKING:
    from selfback.actions.hope import HopeInCope
    from selfback.env import Env
    from selfback.ui.walkthrough import CopeScreens


def _hope_hooks(env: Env, screens: CopeScreens) -> HopeInCope:
    """The hope box's moments in cope (selfback.actions.hope), on cope's own screen."""
    from selfback.actions.hope import HopeInCope
    from selfback.ui.hope import CopeHopeLines

    return HopeInCope(env.paths, env.clock, CopeHopeLines(screens.ui))


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
        ctx: typer.Context,
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
        from selfback.actions.cope.flow import CopeRequest, run_cope
        from selfback.errors import ExitCode, SelfbackError
        from selfback.messages import cope as msg
        from selfback.text import wrap
        from selfback.ui.walkthrough import CopeScreens

        env = env_of(ctx)
        if plain:
            env.force_plain = True
            for attr in ("plain", "color", "reduced_motion"):
                env.__dict__.pop(attr, None)  # recompute the cached flags
        screens = CopeScreens(env)
        request = CopeRequest(skill_id=skill, situation=situation, again=again)
        hope = _hope_hooks(env, screens)

        def line(text: str) -> str:
            return "\n" + "\n".join(wrap(text, screens.width()))

        # Ctrl-C or end of input: the session under way is saved; one kind line (which
        # main prints), wrapped to the terminal, and exit 130 for Ctrl-C.
        try:
            run_cope(env.paths, env.clock, request, screens, hope)
        except KeyboardInterrupt:
            raise SelfbackError(line(msg.STOPPED_LINE), ExitCode.INTERRUPTED) from None
        except EOFError:
            raise SelfbackError(line(msg.EOF_LINE), ExitCode.PROBLEM) from None
        return 0
