"""`selfback import FILE`: restore a selfback JSON export, or bring in a Daylio CSV export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of
from selfback.cli.sealed import identity_option, unseal_key
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.importer import ImportResult


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        ctx: typer.Context,
        file: str = typer.Argument(
            ...,
            help="A selfback JSON export (also sealed, .age) or a Daylio CSV export.",
            metavar="FILE",
        ),
        fmt: str = typer.Option(
            "auto",
            "--format",
            "-f",
            help="What the file is: auto (look inside it), selfback or daylio.",
            metavar="FORMAT",
        ),
        mood_map: list[str] | None = typer.Option(
            None,
            "--mood-map",
            help="Daylio only: what a custom mood name means on selfback's 0-10 mood, as "
            "NAME=NUMBER (repeat for each), e.g. --mood-map sparkly=8.",
        ),
        changed: str | None = typer.Option(
            None,
            "--changed",
            help="Entries your log has with other answers (edited since the last import): "
            "keep (your log's version) or take (the file's). Asked in a terminal; kept "
            "otherwise.",
            metavar="keep|take",
        ),
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Check the file and say what would be added, change nothing."
        ),
        identity: list[Path] | None = identity_option(),
    ) -> None:
        """Add the records from FILE that are not in your log yet (nothing is added twice)."""
        from selfback.actions.importing import import_file
        from selfback.cli.export import ProgressBar
        from selfback.importer import parse_mood_map
        from selfback.messages import data as msg

        env = env_of(ctx)
        kind, policy = _parse_options(fmt, changed)
        mapping = parse_mood_map(mood_map)
        path = Path(file).expanduser()
        shown = clean_line(path.name)
        asks = env.interactive
        bar = ProgressBar(env, msg.IMPORTING)
        try:
            result = import_file(
                env.paths,
                path,
                fmt=kind,
                now=env.clock.now(),
                mood_map=mapping,
                ask_mood=(lambda name, count: _ask_mood(env, name, count)) if asks else None,
                changed=policy,
                ask_changed=(lambda preview: _ask_changed(env, preview, shown)) if asks else None,
                dry_run=dry_run,
                progress=bar,
                unseal=unseal_key(env, path, identity),
            )
        finally:
            bar.close()
        _report(env, result, shown)


def _parse_options(fmt: str, changed: str | None) -> tuple[str, str | None]:
    """``--format`` and ``--changed``, checked."""
    from selfback.actions.importing import CHANGED
    from selfback.errors import UsageError
    from selfback.importer import FORMATS
    from selfback.messages import data as msg

    kind = fmt.strip().lower()
    if kind not in FORMATS:
        raise UsageError(msg.BAD_IMPORT_FORMAT.format(fmt=fmt, formats=", ".join(FORMATS)))
    policy = None if changed is None else changed.strip().lower()
    if policy is not None and policy not in CHANGED:
        raise UsageError(msg.BAD_CHANGED.format(value=changed))
    return kind, policy


def _ask_mood(env: Env, name: str, count: int) -> int:
    """In a terminal: what an unknown Daylio mood is on selfback's 0-10 mood."""
    from selfback.messages import data as msg
    from selfback.ui.prompt import ask_int, write

    entries = "entry" if count == 1 else "entries"
    write(env, msg.NEW_DAYLIO_MOOD.format(name=clean_line(name), count=count, entries=entries))
    value = ask_int(env, msg.ASK_DAYLIO_MOOD, 0, 10)
    assert isinstance(value, int)
    return value


def _listing(counts: dict[str, int]) -> str:
    from selfback.messages import data as msg

    parts = []
    for key, n in counts.items():
        one, many = msg.RECORD_NAMES[key]
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _examples(examples: list[str], total: int) -> str:
    """The first few named records, and how many more."""
    from selfback.messages import data as msg

    more = total - len(examples)
    return "; ".join(clean_line(e) for e in examples) + (
        f"; {msg.MORE.format(n=more)}" if more > 0 else ""
    )


def _ask_changed(env: Env, preview: ImportResult, shown: str) -> bool:
    """In a terminal: keep the log's versions of changed entries, or take the file's?"""
    from selfback.messages import data as msg
    from selfback.ui.prompt import ask_choice, write_wrapped

    n = preview.changed
    write_wrapped(
        env,
        msg.ASK_CHANGED.format(
            count=_counted(n, "entry", "entries"),
            file=shown,
            differ="differs" if n == 1 else "differ",
            examples=_examples(preview.changed_examples, n),
        ),
    )
    return ask_choice(env, msg.ASK_CHANGED_PICK, msg.CHANGED_CHOICES) == 1


def _report_changed(env: Env, result: ImportResult, shown: str) -> None:
    from selfback.messages import data as msg
    from selfback.ui.prompt import write_wrapped

    n = result.changed
    if not n:
        return
    if result.take_changed:
        verb = "Would update" if result.dry_run else "Updated"
        listing = _counted(n, "check-in", "check-ins")
        examples = _examples(result.changed_examples, n)
        write_wrapped(env, msg.IMPORT_UPDATED.format(verb=verb, listing=listing, examples=examples))
        return
    text = msg.IMPORT_CHANGED_WOULD_KEEP if result.dry_run else msg.IMPORT_CHANGED_KEPT
    write_wrapped(
        env,
        text.format(
            count=_counted(n, "entry", "entries"),
            differ="differs" if n == 1 else "differ",
            s="" if n == 1 else "s",
            examples=_examples(result.changed_examples, n),
        ),
    )


def _report_file(env: Env, result: ImportResult, shown: str) -> None:
    """What the file itself holds oddly: entries repeated, lines left out."""
    from selfback.messages import data as msg
    from selfback.ui.prompt import write_wrapped

    if result.repeated:
        n = result.repeated
        write_wrapped(
            env,
            msg.IMPORT_REPEATED.format(
                count=_counted(n, "entry", "entries"),
                are="is" if n == 1 else "are",
                examples=_examples(result.repeated_examples, n),
            ),
        )
    if result.left_out:
        n = result.left_out
        write_wrapped(
            env,
            msg.IMPORT_LEFT_OUT.format(
                count=_counted(n, "line", "lines"),
                file=shown,
                were="was" if n == 1 else "were",
                them="it" if n == 1 else "them",
                examples=_examples(result.left_out_examples, n),
            ),
        )


def _report(env: Env, result: ImportResult, shown: str) -> None:
    """What was added (or would be), what was already there, what differs, what in the
    file was odd, and where the copy is."""
    from selfback.messages import data as msg
    from selfback.ui.prompt import write, write_wrapped

    for warning in result.warnings:  # first: it says how to read what follows
        write_wrapped(env, clean(warning))
    if result.total_added:
        verb = "Would add" if result.dry_run else "Added"
        write(
            env,
            msg.IMPORT_ADDED.format(
                verb=verb, listing=_listing(result.added), file=shown, format=result.format
            ),
        )
    elif result.changed:
        write(env, msg.IMPORT_NOTHING_NEW_CHANGED.format(file=shown))
    else:
        write(env, msg.IMPORT_NOTHING_NEW.format(file=shown))
    if result.total_skipped and result.total_added:
        write(env, msg.IMPORT_SKIPPED.format(listing=_listing(result.skipped)))
    _report_changed(env, result, shown)
    _report_file(env, result, shown)
    if result.mood_map:
        moods = ", ".join(f"{clean_line(k)} = {v}" for k, v in result.mood_map.items())
        write(env, msg.DAYLIO_MOODS.format(moods=moods))
    for note in result.notes:
        write(env, clean(note))
    if result.dry_run:
        write(env, msg.DRY_RUN_DONE)
    elif result.backup is not None:
        write(env, msg.BACKUP_BEFORE_IMPORT.format(path=result.backup))
    if result.flagged:
        from selfback.cli.hear import wrapped

        write(env, wrapped(env, flagged_line(result.flagged, dry_run=result.dry_run)))


def flagged_line(n: int, *, dry_run: bool = False) -> str:
    """One calm line: how many imported entries were flagged, and where help is."""
    from selfback.messages import data as msg

    entries = "1 imported entry has" if n == 1 else f"{n} imported entries have"
    them = "it" if n == 1 else "them"
    done = f"selfback would flag {them}" if dry_run else f"selfback flagged {them}"
    return msg.IMPORT_FLAGGED.format(entries=entries, done=done)
