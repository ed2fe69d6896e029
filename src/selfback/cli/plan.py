"""`selfback plan show|edit|history`: the personal safety plan.

This module parses and renders; ``selfback.actions.plan`` finds and saves the plan, and
``selfback.ui.plan`` asks the steps. Editing is line based, one step at a time, with the
earlier answers as defaults; every answer is kept in a private draft as it is typed, so
Ctrl-C or a closed terminal loses at most the line being typed; saving adds a new version
and never overwrites an old one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of
from selfback.messages import plan as msg
from selfback.text import clean, clean_line
from selfback.ui.plan import bold, when, write

if TYPE_CHECKING:
    from selfback.actions.plan import PlanEdited
    from selfback.env import Env
    from selfback.safety.plan import SafetyPlan


def _run_edit(env: Env) -> int:
    from selfback.actions.plan import edit_plan
    from selfback.ui.plan import PlanLines

    _say_edited(env, edit_plan(env.paths, env.clock.now, PlanLines(env)))
    return 0


def _say_edited(env: Env, edited: PlanEdited) -> None:
    from selfback.safety.plan import REVIEW_NOTE

    if edited.outcome == "unchanged":
        write(env)
        write(env, msg.UNCHANGED)
        return
    if edited.outcome == "not-saved":
        write(env, msg.NOT_SAVED + (msg.EARLIER_UNCHANGED if edited.had_plan else ""))
        return
    write(env, msg.SAVED.format(number=edited.version))
    if edited.skill_ids:
        skills = ", ".join(clean_line(i) for i in edited.skill_ids)
        write(env, msg.COPE_OFFERS.format(skills=skills))
    write(env, REVIEW_NOTE)


# -- showing ---------------------------------------------------------------------------------


def _age_days(env: Env, stamp: str | None) -> int | None:
    if not stamp:
        return None
    from datetime import datetime

    try:
        then = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.astimezone()
    return (env.clock.now() - then).days


def _print_plan(env: Env, plan: SafetyPlan, number: int | None, *, latest: bool) -> None:
    from selfback.actions.plan import skill_titles
    from selfback.safety.plan import LABEL, REVIEW_AFTER_DAYS, REVIEW_NOTE

    skills = skill_titles(env.paths)
    title = "My safety plan"
    if plan.saved_at:
        title += f" (saved {clean_line(when(plan.saved_at))}" + (
            f", version {number})" if number else ")"
        )
    write(env, bold(env, title))
    write(env, LABEL)
    write(env)
    write(env, clean(plan.to_text(skill_titles=skills).rstrip("\n")))
    write(env)
    if latest:
        age = _age_days(env, plan.saved_at)
        if age is not None and age >= REVIEW_AFTER_DAYS:
            write(env, msg.REVIEW_DUE.format(days=age))
        else:
            write(env, REVIEW_NOTE)
            write(env, msg.CHANGE_IT)
    else:
        write(env, msg.EARLIER_VERSION)
    write(env, msg.IN_CRISIS)


def _show(env: Env, *, json_out: bool, version: int | None) -> int:
    import json

    from selfback.actions.plan import find_plan

    shown = find_plan(env.paths, version)
    if shown.problem is not None:
        env.stderr.write(f"{clean(shown.problem)}\n{msg.SHOWING_MIRROR}\n")
    plan = shown.plan
    if json_out:
        env.stdout.write(json.dumps(plan.to_dict() if plan else None, indent=2) + "\n")
        return 0
    if plan is None:
        write(env, msg.NO_PLAN)
        return 0
    _print_plan(env, plan, shown.number, latest=shown.latest)
    return 0


def _history(env: Env, *, json_out: bool) -> None:
    import json

    from selfback.actions.plan import versions
    from selfback.text import terminal_width, wrap

    found = versions(env.paths)
    if json_out:
        data = [
            {"version": v.number, "uid": v.uid, "saved_at": v.saved_at, "plan": v.plan.to_dict()}
            for v in found
        ]
        env.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if not found:
        write(env, msg.HISTORY_EMPTY)
        return
    width = min(terminal_width(env.stdout), 88)
    env.stdout.write(f"{'version':<8} {'saved':<17} contents\n")
    for v in reversed(found):
        mark = "  (current)" if v is found[-1] else ""
        saved, summary = clean_line(when(v.saved_at)), clean_line(v.plan.summary())
        lead = f"{v.number:<8} {saved:<17} "
        lines = wrap(summary + mark, width, indent=lead, subsequent_indent=" " * len(lead))
        env.stdout.write("\n".join(lines) + "\n")
    write(env)
    write(env, msg.SEE_ONE)


def register(app: typer.Typer) -> None:
    plan_app = typer.Typer(
        help=(
            "Your personal safety plan (a self-guided adaptation of the Stanley-Brown "
            "method): show, edit, history."
        ),
        invoke_without_command=True,
        no_args_is_help=False,
    )
    app.add_typer(plan_app, name="plan")

    @plan_app.callback()
    def plan_root(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            raise typer.Exit(_show(env_of(ctx), json_out=False, version=None))

    @plan_app.command("show")
    def show(
        ctx: typer.Context,
        json_out: bool = typer.Option(False, "--json", help="Print the plan as JSON only."),
        version: str | None = typer.Option(
            None,
            "--version",
            "-v",
            metavar="NUMBER",
            help="Show an earlier version (see plan history).",
        ),
    ) -> None:
        """Show your safety plan."""
        number = None
        if version is not None:
            from selfback.cli.context import parse_id

            number = parse_id(version, what="plan version", where="selfback plan history")
        raise typer.Exit(_show(env_of(ctx), json_out=json_out, version=number))

    @plan_app.command("edit")
    def edit(ctx: typer.Context) -> None:
        """Make or change your safety plan, one step at a time."""
        env = env_of(ctx)
        try:
            code = _run_edit(env)
        except KeyboardInterrupt:
            env.stderr.write("\n" + msg.STOPPED + "\n")
            raise typer.Exit(130) from None
        except EOFError:
            env.stderr.write("\n" + msg.NO_MORE_INPUT + "\n")
            raise typer.Exit(1) from None
        raise typer.Exit(code)

    @plan_app.command("history")
    def history(
        ctx: typer.Context,
        json_out: bool = typer.Option(False, "--json", help="Print every version as JSON."),
    ) -> None:
        """List every saved version of your plan (nothing is ever overwritten)."""
        _history(env_of(ctx), json_out=json_out)
