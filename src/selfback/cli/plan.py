"""`selfback plan show|edit|history`: the personal safety plan.

Editing is line based, one step at a time, with the earlier answers as defaults. Every
answer is kept in a private draft as it is typed, so Ctrl-C or a closed terminal loses at
most the line being typed; saving adds a new version and never overwrites an old one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from selfback.env import current_env
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.safety.plan import Contact, SafetyPlan

HOW_TO = (
    "One answer per line. Enter keeps what is in [brackets], - removes it, new text "
    "replaces it; on a + line type something new, or press Enter to go on."
)


def _write(env: Env, text: str = "") -> None:
    """Write ``text`` wrapped by whole words to the terminal (at most 88 columns)."""
    from selfback.text import terminal_width, wrap_block

    width = min(terminal_width(env.stdout), 88)
    env.stdout.write("\n".join(wrap_block(text, width)) + "\n")
    env.stdout.flush()


def _bold(env: Env, text: str) -> str:
    return f"\033[1m{text}\033[0m" if env.color else text


def _when(stamp: str) -> str:
    """'2026-11-21T10:00:00+00:00' -> '2026-11-21 10:00'."""
    return stamp[:16].replace("T", " ") if stamp else "?"


# -- line-based editing ----------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.split())


def _edit_list(env: Env, old: list[str], on_change: Callable[[list[str]], None]) -> list[str]:
    from selfback.ui.prompt import read_line

    result: list[str] = []
    for i, item in enumerate(old):
        answer = _clean(read_line(env, f"  [{clean_line(item)}] > "))
        if answer == "-":
            _write(env, "    removed")
        else:
            result.append(answer or item)
        on_change(result + old[i + 1 :])
    while True:
        answer = _clean(read_line(env, "  + "))
        if not answer:
            return result
        if answer == "-":
            _write(env, "    Nothing to remove on a + line. Type something new, or press Enter.")
            continue
        result.append(answer)
        on_change(result)


def _ask_reach(env: Env, prompt: str) -> str:
    from selfback.ui.prompt import read_line

    while True:
        reach = _clean(read_line(env, prompt))
        if reach == "-":
            return ""
        if reach:
            return reach
        _write(env, "    Add a number or another way to reach them (or - to leave it out).")


def _edit_contacts(
    env: Env, old: list[Contact], on_change: Callable[[list[Contact]], None]
) -> list[Contact]:
    from selfback.safety.plan import Contact
    from selfback.ui.prompt import read_line

    result: list[Contact] = []
    for i, contact in enumerate(old):
        answer = _clean(read_line(env, f"  [{clean_line(contact.name)}] name > "))
        if answer == "-":
            _write(env, "    removed")
            on_change(result + old[i + 1 :])
            continue
        name = answer or contact.name
        if contact.reach:
            reach = _clean(
                read_line(env, f"    [{clean_line(contact.reach)}] number or way to reach > ")
            )
            reach = "" if reach == "-" else (reach or contact.reach)
        else:
            reach = _ask_reach(env, "    number or way to reach > ")
        result.append(Contact(name, reach))
        on_change(result + old[i + 1 :])
    while True:
        name = _clean(read_line(env, "  + name > "))
        if not name:
            return result
        if name == "-":
            _write(env, "    Nothing to remove on a + line. Type a name, or press Enter.")
            continue
        result.append(Contact(name, _ask_reach(env, "    number or way to reach > ")))
        on_change(result)


def _wrap(words: list[str], width: int = 88, indent: str = "  ") -> list[str]:
    lines: list[str] = []
    line = indent
    for word in words:
        if len(line) + len(word) + 2 > width and line.strip():
            lines.append(line.rstrip(", "))
            line = indent
        line += word + ", "
    if line.strip():
        lines.append(line.rstrip(", "))
    return lines


def _run_edit(env: Env) -> int:
    from selfback.safety import plan as P
    from selfback.ui.prompt import confirm

    paths = env.paths
    current = P.load_plan(paths)
    defaults = P.SafetyPlan.from_dict(current.to_dict()) if current else P.SafetyPlan()
    draft = P.load_draft(paths)
    if draft is not None:
        if confirm(
            env,
            f"You have an unfinished draft from {clean_line(_when(draft[1]))}. Continue from it?",
            default=True,
        ):
            defaults = draft[0]
        else:
            P.clear_draft(paths)

    _write(env, _bold(env, "Your safety plan"))
    _write(env, f"{P.LABEL} Six steps, then your reasons for living.")
    _write(env, HOW_TO)
    _write(env, "Ctrl-C stops at any point; what you typed is kept as a draft.")

    working = P.SafetyPlan.from_dict(defaults.to_dict())
    skills = P.known_skills(paths)

    def keep(key: str) -> Callable[[list[Any]], None]:
        def save(items: list[Any]) -> None:
            setattr(working, key, list(items))
            with contextlib.suppress(OSError):  # a draft is a convenience; go on without
                P.save_draft(paths, working, now=env.clock.now())

        return save

    total = sum(1 for s in P.STEPS if s.number)
    for step in P.STEPS:
        _write(env)
        head = f"Step {step.number} of {total}. {step.title}" if step.number else step.title
        _write(env, _bold(env, head))
        _write(env, step.hint)
        if step.key == "coping" and skills:
            _write(env, "Skills you can name here:")
            for line in _wrap(sorted(clean_line(k) for k in skills)):
                _write(env, line)
        old = defaults.items(step.key)
        if step.contacts:
            items: list[Any] = _edit_contacts(env, old, keep(step.key))
        else:
            items = _edit_list(env, old, keep(step.key))
        keep(step.key)(items)

    new = P.link_skills(P.SafetyPlan.from_dict(working.to_dict()), skills)
    _write(env)
    if current is not None and new.content() == current.content():
        P.clear_draft(paths)
        _write(env, "Nothing changed, so no new version was saved. Your plan is as it was.")
        return 0
    _write(env, _bold(env, "Here is your plan:"))
    _write(env, clean(new.to_text(skill_titles=skills).rstrip("\n")))
    _write(env)
    if not confirm(env, "Save this plan?", default=True):
        P.clear_draft(paths)
        _write(env, "Not saved." + (" Your earlier plan is unchanged." if current else ""))
        return 0
    version = P.save_plan(paths, new, now=env.clock.now())
    P.clear_draft(paths)
    _write(env, f"Saved (version {version.number}). selfback sos shows your people and reasons")
    _write(env, "at once, even when the rest of selfback is not working.")
    if new.skill_ids():
        _write(
            env,
            "selfback cope will offer these skills first: "
            + ", ".join(clean_line(i) for i in new.skill_ids()),
        )
    _write(env, P.REVIEW_NOTE)
    return 0


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
    from selfback.safety import plan as P

    skills = P.known_skills(env.paths)
    title = "My safety plan"
    if plan.saved_at:
        title += f" (saved {clean_line(_when(plan.saved_at))}" + (
            f", version {number})" if number else ")"
        )
    _write(env, _bold(env, title))
    _write(env, P.LABEL)
    _write(env)
    _write(env, clean(plan.to_text(skill_titles=skills).rstrip("\n")))
    _write(env)
    if latest:
        age = _age_days(env, plan.saved_at)
        if age is not None and age >= P.REVIEW_AFTER_DAYS:
            _write(env, f"It has been {age} days since you last changed it. A quick look now")
            _write(env, "and then keeps it useful: selfback plan edit")
        else:
            _write(env, P.REVIEW_NOTE)
            _write(env, "Change it: selfback plan edit")
    else:
        _write(env, "This is an earlier version. Your current plan: selfback plan show")
    _write(env, "In crisis now: selfback sos")


def _show(env: Env, *, json_out: bool, version: int | None) -> int:
    import json

    from selfback.errors import DataError, UsageError
    from selfback.safety import plan as P

    plan: SafetyPlan | None = None
    number: int | None = None
    latest = True
    if version is not None:
        history = P.plan_history(env.paths)
        match = next((v for v in history if v.number == version), None)
        if match is None:
            if not history:
                raise UsageError("There are no saved versions yet. Make one: selfback plan edit")
            raise UsageError(
                f"There is no version {version}; versions go from 1 to {history[-1].number}. "
                "See them with: selfback plan history"
            )
        plan, number, latest = match.plan, match.number, match.number == history[-1].number
    else:
        try:
            current = P.current_version(env.paths)
        except DataError as exc:
            plan = P.read_plan_file(env.paths)
            if plan is None:
                raise
            env.stderr.write(
                f"{clean(exc.message)}\n(Showing the copy of your plan that sos uses instead.)\n"
            )
        else:
            if current is not None:
                plan, number = current.plan, current.number
            else:
                plan = P.read_plan_file(env.paths)
    if json_out:
        env.stdout.write(json.dumps(plan.to_dict() if plan else None, indent=2) + "\n")
        return 0
    if plan is None:
        _write(env, "You have no safety plan yet.")
        _write(env, "It is a short list, for a hard moment, of your warning signs, what helps,")
        _write(env, "who you can reach and what you live for. Make one, a step at a time:")
        _write(env, "  selfback plan edit")
        return 0
    _print_plan(env, plan, number, latest=latest)
    return 0


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
            raise typer.Exit(_show(current_env(), json_out=False, version=None))

    @plan_app.command("show")
    def show(
        json_out: bool = typer.Option(False, "--json", help="Print the plan as JSON only."),
        version: int | None = typer.Option(
            None, "--version", "-v", min=1, help="Show an earlier version (see plan history)."
        ),
    ) -> None:
        """Show your safety plan."""
        raise typer.Exit(_show(current_env(), json_out=json_out, version=version))

    @plan_app.command("edit")
    def edit() -> None:
        """Make or change your safety plan, one step at a time."""
        env = current_env()
        try:
            code = _run_edit(env)
        except KeyboardInterrupt:
            env.stderr.write(
                "\nStopped. What you typed is kept as a draft: run selfback plan edit to "
                "go on. selfback sos is here if you need it.\n"
            )
            raise typer.Exit(130) from None
        except EOFError:
            env.stderr.write(
                "\nNo more input. What you typed is kept as a draft: run selfback plan edit "
                "to go on.\n"
            )
            raise typer.Exit(1) from None
        raise typer.Exit(code)

    @plan_app.command("history")
    def history(
        json_out: bool = typer.Option(False, "--json", help="Print every version as JSON."),
    ) -> None:
        """List every saved version of your plan (nothing is ever overwritten)."""
        import json

        from selfback.safety import plan as P

        env = current_env()
        versions = P.plan_history(env.paths)
        if json_out:
            data = [
                {
                    "version": v.number,
                    "uid": v.uid,
                    "saved_at": v.saved_at,
                    "plan": v.plan.to_dict(),
                }
                for v in versions
            ]
            env.stdout.write(json.dumps(data, indent=2) + "\n")
            return
        if not versions:
            _write(env, "No saved versions yet. Make your plan: selfback plan edit")
            return
        from selfback.text import terminal_width, wrap

        width = min(terminal_width(env.stdout), 88)
        env.stdout.write(f"{'version':<8} {'saved':<17} contents\n")
        for v in reversed(versions):
            mark = "  (current)" if v is versions[-1] else ""
            when, summary = clean_line(_when(v.saved_at)), clean_line(v.plan.summary())
            lead = f"{v.number:<8} {when:<17} "
            lines = wrap(summary + mark, width, indent=lead, subsequent_indent=" " * len(lead))
            env.stdout.write("\n".join(lines) + "\n")
        _write(env)
        _write(env, "See one: selfback plan show --version N")
