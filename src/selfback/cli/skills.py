"""`selfback skills list|show|validate|add|new|schema`: the skill library."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of
from selfback.errors import UsageError
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.skills.library import Library
    from selfback.skills.problems import Problem

STARTER = """\
# A selfback skill. Edit the text, then check it with:  selfback skills validate {path}
# Every field is described by selfback skills schema (JSON Schema). For checks while
# you type, save it (selfback skills schema > skill.schema.json) and point your editor at it.
# The whole format, with a worked example: docs/skills.md in selfback's source.
id: {id}
title: {title}
summary: >-
  One or two sentences: what this skill is and when it helps.
version: 1
# Which situations it fits. Choose from:
#   {situations}
situations: [anxiety, stress]
# The distress range it suits, on the 0-10 scale (0 calm, 10 the worst imaginable).
distress: {{min: 2, max: 7}}
minutes: 5
# Shown before the first step. Leave the list empty if there are none.
cautions: []
# Where the method comes from: author, title, year.
source: Your therapist, or a book you trust (author, title, year).
# Parts (optional): steps with the same part: NAME form a part, and s skips the rest of
# it. Here a part can have a title, a when for all its steps, and a repeat: another
# round is offered (never forced) while a rating in it holds, up to max rounds in all.
parts:
  breathing:
    title: Slow breathing
    repeat:
      while: {{step: feeling, at_least: 5}}
      max: 3
      offer: Still strong. Another round of slow breathing?
  afterwards:
    title: How it went
steps:
  # say: one short instruction per screen.
  - kind: say
    text: Sit comfortably and let your shoulders drop.
  # breathe: a paced breathing pattern (seconds) for a number of cycles.
  - kind: breathe
    part: breathing
    text: Follow the count.
    inhale: 4
    exhale: 6
    cycles: 5
  # rate: a number on a scale. {{feeling}} in a later text shows the answer.
  - kind: rate
    part: breathing
    id: feeling
    text: How strong is the feeling now?
    min: 0
    max: 10
  # ask: a question with free-text answers; count asks for several.
  - kind: ask
    id: noticed
    text: Name three things you can see right now.
    count: 3
    optional: true
  # lines: true takes a long answer (an empty line or Ctrl-D finishes; e opens $EDITOR).
  - kind: ask
    id: on_my_mind
    text: What is on your mind? Write as many lines as you like.
    lines: true
    optional: true
  # recall: show earlier answers again (step ids, or {{step: ID, label: Words}}).
  - kind: recall
    text: "Here is what you wrote:"
    show: [noticed, on_my_mind]
    empty: Nothing written, and that's fine.
  # choose: pick one option by number. Give it an id to branch on the answer.
  - kind: choose
    id: next
    text: What would help most next?
    options: [A glass of water, A short walk, Rest for a minute]
  # when: show a step only after certain choices (option text, or number from 1).
  - kind: say
    when: {{step: next, is: [2]}}
    text: Put on your shoes and step outside for five minutes.
  # timer: a pause with a visible countdown.
  - kind: timer
    text: Rest here for a moment.
    seconds: 30
  # later: now or later? Later keeps the plan; the follow_up part is asked once at the
  # next check-in or cope.
  - kind: later
    id: now_or_later
    text: Can you do it now, or is it for later?
    follow_up: afterwards
    plan: [next]
  - kind: rate
    part: afterwards
    id: helped
    optional: true
    text: How much did it help?
    min: 0
    max: 10
    high_is_hard: false
  - kind: say
    text: "You started at {{feeling|where you were}}. Well done for taking this time."
"""


def _library(env: Env) -> Library:
    from selfback.skills.library import load_library

    return load_library(env.paths)


def _plain(text: str) -> str:
    """A problem message on one line: no control sequences, no markdown backticks."""
    return clean_line(text).replace("`", "")


def _report_problems(env: Env, problems: list[Problem]) -> None:
    for p in problems:
        env.stderr.write(f"skipped: {_plain(p.message)}\n")


def register(app: typer.Typer) -> None:
    skills_app = typer.Typer(help="The skill library: list, show, validate, add your own.")
    app.add_typer(skills_app, name="skills")

    @skills_app.callback(invoke_without_command=True)
    def skills_root(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            list_skills(env_of(ctx), situation=None, distress=None, json_out=False)

    @skills_app.command("list")
    def list_(
        ctx: typer.Context,
        situation: str | None = typer.Option(
            None, "--for", help="Only skills for this situation (e.g. panic, sleep)."
        ),
        distress: str | None = typer.Option(
            None, "--distress", metavar="0-10", help="Only skills that suit this distress (0-10)."
        ),
        json_out: bool = typer.Option(False, "--json", help="Print JSON only."),
    ) -> None:
        """List the skills you have, built-in and your own."""
        level = None if distress is None else _distress(distress)
        list_skills(env_of(ctx), situation=situation, distress=level, json_out=json_out)

    @skills_app.command("show")
    def show(
        ctx: typer.Context,
        skill_id: str = typer.Argument(..., metavar="ID", help="The skill's id."),
    ) -> None:
        """Show one skill: what it is for, its cautions, source and steps."""
        show_skill(env_of(ctx), skill_id)

    @skills_app.command("validate")
    def validate(
        ctx: typer.Context,
        targets: list[Path] = typer.Argument(
            ..., metavar="PATH...", help="Skill files or folders to check."
        ),
    ) -> int:
        """Check skill files. Exit 0 when all are valid, 1 otherwise, listing every problem."""
        return validate_skills(env_of(ctx), targets)

    @skills_app.command("add")
    def add(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="A skill YAML file to add to your library."),
        force: bool = typer.Option(False, "--force", help="Replace your skill with the same id."),
    ) -> None:
        """Validate a skill file, then copy it into your skills folder."""
        add_skill(env_of(ctx), file, force=force)

    @skills_app.command("new")
    def new(
        ctx: typer.Context,
        skill_id: str = typer.Argument("my-skill", metavar="ID", help="An id such as calm-walk."),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="Where to write it (default: your skills folder)."
        ),
    ) -> None:
        """Write a commented starter skill file to edit."""
        new_skill(env_of(ctx), skill_id, output)

    @skills_app.command("schema")
    def schema(ctx: typer.Context) -> None:
        """Print the skill file format as JSON Schema (for editors and validators)."""
        import json

        from selfback.skills.schema import skill_json_schema

        env_of(ctx).stdout.write(json.dumps(skill_json_schema(), indent=2) + "\n")


def _distress(raw: str) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and int(text) <= 10):
        shown = clean_line(text)[:20]
        raise UsageError(f"--distress takes a whole number from 0 to 10 (got '{shown}').")
    return int(text)


TABLE_WIDTH = 80  # narrower than this, skills are listed one a line instead of a table


def list_skills(env: Env, *, situation: str | None, distress: int | None, json_out: bool) -> None:
    """The skills you have, built-in and your own, as lines, a table or JSON."""
    import json

    from selfback.errors import UsageError
    from selfback.skills.schema import SITUATIONS

    if situation is not None:
        situation = situation.strip().lower().replace(" ", "-").replace("_", "-")
        if situation not in SITUATIONS:
            raise UsageError(
                f"'{situation}' is not a situation selfback knows. Try one of: "
                + ", ".join(SITUATIONS)
                + "."
            )
    lib = _library(env)
    entries = [
        e
        for e in sorted(lib.entries.values(), key=lambda e: e.skill.title.lower())
        if e.skill.fits(distress, situation)
    ]
    if json_out:
        out = [
            {
                "id": e.skill.id,
                "title": e.skill.title,
                "summary": e.skill.summary,
                "version": e.skill.version,
                "situations": list(e.skill.situations),
                "distress": [e.skill.distress.min, e.skill.distress.max],
                "minutes": e.skill.minutes,
                "origin": e.origin.label,
                "path": str(e.origin.path),
                "overrides": str(e.overrides.path) if e.overrides else None,
            }
            for e in entries
        ]
        env.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        _report_problems(env, lib.problems)
        return
    from selfback.text import fit_block, terminal_width, wrap

    width = terminal_width(env.stdout)
    if not env.color or width < TABLE_WIDTH:
        # Plain lines read well in pipes, narrow terminals and screen readers.
        lines: list[str] = []
        for e in entries:
            origin = e.origin.label
            if e.overrides is not None:
                origin += f", overrides {e.overrides.label}"
            lines += wrap(
                f"{clean_line(e.skill.id)}: {clean_line(e.skill.title)} "
                f"({e.skill.minutes:g} min, "
                f"distress {e.skill.distress.min}-{e.skill.distress.max}, {origin})",
                width,
                subsequent_indent="  ",
            )
        if not entries:
            lines.append("No skills match that. Try selfback skills list without filters.")
        lines += [
            "",
            f"{len(entries)} skill(s). Details: selfback skills show ID. "
            "Start one: selfback cope ID",
        ]
        env.stdout.write(fit_block("\n".join(lines), width) + "\n")
        _report_problems(env, lib.problems)
        return
    from rich.markup import escape
    from rich.table import Table

    from selfback.ui.console import make_console, table_box

    console = make_console(env)
    table = Table(box=table_box(env), show_edge=False, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("skill", no_wrap=True)
    table.add_column("minutes", justify="right")
    table.add_column("distress", justify="center")
    table.add_column("from")
    for e in entries:
        origin = e.origin.label
        if e.overrides is not None:
            origin += f", overrides {e.overrides.label}"
        table.add_row(
            escape(clean_line(e.skill.id)),
            escape(clean_line(e.skill.title)),
            f"{e.skill.minutes:g}",
            f"{e.skill.distress.min}-{e.skill.distress.max}",
            escape(clean_line(origin)),
        )
    if entries:
        console.print(table)
    else:
        console.print("No skills match that. Try selfback skills list without filters.")
    console.print(
        f"\n{len(entries)} skill(s). Details: selfback skills show ID. Start one: selfback cope ID"
    )
    _report_problems(env, lib.problems)


def show_skill(env: Env, skill_id: str) -> None:
    """One skill: what it is for, its cautions, source and steps."""
    from selfback.errors import UsageError
    from selfback.skills.schema import SITUATIONS

    lib = _library(env)
    entry = lib.entries.get(skill_id.strip().lower())
    if entry is None:
        import difflib

        from selfback.actions.cope.skills import raise_if_broken

        raise_if_broken(lib, skill_id)
        close = difflib.get_close_matches(skill_id.lower(), list(lib.entries), n=1)
        hint = f" Did you mean {close[0]}?" if close else " See selfback skills list."
        raise UsageError(f"There is no skill called '{clean_line(skill_id)}'.{hint}")
    s = entry.skill
    out = [s.title, "", s.summary, ""]
    out.append("Fits: " + ", ".join(SITUATIONS.get(x, x).lower() for x in s.situations))
    out.append(f"Distress: {s.distress.min}-{s.distress.max} out of 10. About {s.minutes:g} min.")
    if s.cautions:
        out.append("")
        out.append("Take care:")
        out += [f"  - {c}" for c in s.cautions]
    out.append("")
    out.append("Steps:")
    for i, step in enumerate(s.steps, start=1):
        text = step.text or ""
        if step.kind == "breathe":
            parts = [f"in {step.inhale:g}"]
            if step.top_up:
                parts.append(f"top up {step.top_up:g}")
            if step.hold:
                parts.append(f"hold {step.hold:g}")
            parts.append(f"out {step.exhale:g}")
            if step.hold_after:
                parts.append(f"hold {step.hold_after:g}")
            text = (
                text + " " if text else ""
            ) + f"(breathe {', '.join(parts)}; {step.cycles} times)"
        elif step.kind == "timer":
            text += f" ({step.seconds} s)"
        elif step.kind == "ask" and step.count > 1:
            text += f" ({step.count} answers)"
        elif step.kind == "ask" and step.lines:
            text += " (a long answer)"
        elif step.kind == "recall":
            text = (text + " " if text else "") + "(shows earlier answers)"
        elif step.kind == "later":
            text += f" (now, or later: {step.follow_up} is asked next time)"
        if step.part:
            part = s.part_of(step.part)
            text = f"[{part.title if part and part.title else step.part}] {text}"
        out.append(f"  {i:>2}. {text}")
    out.append("")
    out.append(f"Source: {s.source}")
    origin = f"From: {entry.origin.label} ({entry.origin.path})"
    if entry.overrides is not None:
        origin += f", replacing the {entry.overrides.label} one"
    out.append(origin)
    out.append(f"Start it: selfback cope {s.id}")
    from selfback.text import fit_block, terminal_width

    env.stdout.write(fit_block(clean("\n".join(out)), terminal_width(env.stdout)) + "\n")


def validate_skills(env: Env, targets: list[Path]) -> int:
    """Check skill files; 0 when all are valid, 1 otherwise, listing every problem."""
    from selfback.skills.library import load_skill_file, skill_files

    files: list[Path] = []
    problems: list[str] = []
    for target in targets:
        if target.is_dir():
            found = skill_files(target)
            if not found:
                problems.append(f"{target}: no .yaml skill files in this folder")
            files += found
        elif target.exists():
            files.append(target)
        else:
            problems.append(f"{target}: no such file or folder")
    ids: dict[str, Path] = {}
    valid = 0
    for path in files:
        skill, issues = load_skill_file(path, None)
        if skill is None:
            problems += [p.message for p in issues]
            continue
        if skill.id in ids:
            problems.append(f"{path} id: '{skill.id}' is also used by {ids[skill.id]}")
            continue
        ids[skill.id] = path
        valid += 1
        env.stdout.write(clean_line(f"ok      {path} ({skill.id})") + "\n")
    for line in problems:
        env.stdout.write(_plain(f"problem {line}") + "\n")
    total = len(files)
    env.stdout.write(
        f"\n{valid} of {total} file(s) valid."
        + (" Fix the lines above and run this again." if problems else "")
        + "\n"
    )
    return 1 if problems else 0


def add_skill(env: Env, file: Path, *, force: bool) -> None:
    """Validate a skill file, then copy it into your skills folder."""
    from selfback.errors import SelfbackError, UsageError
    from selfback.fsutil import atomic_write, ensure_dir
    from selfback.skills.library import load_skill_file

    if not file.is_file():
        raise UsageError(f"There is no file at {file}.")
    skill, problems = load_skill_file(file, None)
    if skill is None:
        for p in problems:
            env.stderr.write(_plain(p.message) + "\n")
        raise SelfbackError(f"{file} was not added: fix the problem(s) above first.")
    folder = ensure_dir(env.paths.user_skills_dir)
    target = folder / f"{skill.id}.yaml"
    if target.exists() and not force:
        raise UsageError(
            f"You already have a skill '{skill.id}' ({target}). Use --force to replace it."
        )
    atomic_write(target, file.read_bytes())
    lib = _library(env)
    entry = lib.entries.get(skill.id)
    note = ""
    if entry is not None and entry.overrides is not None and entry.overrides.kind == "built-in":
        note = " It replaces the built-in skill with the same id."
    env.stdout.write(
        f"Added '{clean_line(skill.title)}' as {target}.{note}\nTry it: selfback cope {skill.id}\n"
    )


def new_skill(env: Env, skill_id: str, output: Path | None) -> None:
    """Write a commented starter skill file to edit."""
    import re

    from selfback.errors import UsageError
    from selfback.fsutil import atomic_write
    from selfback.skills.schema import ID_PATTERN, SITUATIONS

    skill_id = skill_id.strip().lower()
    if not re.match(ID_PATTERN, skill_id):
        raise UsageError(
            f"'{skill_id}' cannot be a skill id: use lower-case letters, digits and dashes, "
            "e.g. calm-walk."
        )
    target = output or (env.paths.user_skills_dir / f"{skill_id}.yaml")
    if target.is_dir():
        target = target / f"{skill_id}.yaml"
    if target.exists():
        raise UsageError(f"{target} already exists; choose another id or --output path.")
    title = skill_id.replace("-", " ").capitalize()
    text = STARTER.format(id=skill_id, title=title, path=target, situations=", ".join(SITUATIONS))
    atomic_write(target, text)
    env.stdout.write(
        f"Wrote {target}.\nEdit it, then check it: selfback skills validate {target}\n"
    )
