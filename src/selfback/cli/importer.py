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
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Check the file and say what would be added, change nothing."
        ),
        identity: list[Path] | None = identity_option(),
    ) -> None:
        """Add the records from FILE that are not in your log yet (nothing is added twice)."""
        from selfback.actions.importing import import_file
        from selfback.cli.export import ProgressBar
        from selfback.errors import UsageError
        from selfback.importer import FORMATS, parse_mood_map
        from selfback.messages import data as msg
        from selfback.ui.prompt import ask_int, write

        env = env_of(ctx)
        kind = fmt.strip().lower()
        if kind not in FORMATS:
            raise UsageError(msg.BAD_IMPORT_FORMAT.format(fmt=fmt, formats=", ".join(FORMATS)))
        path = Path(file).expanduser()
        mapping = parse_mood_map(mood_map)

        def ask_mood(name: str, count: int) -> int:
            entries = "entry" if count == 1 else "entries"
            write(
                env, msg.NEW_DAYLIO_MOOD.format(name=clean_line(name), count=count, entries=entries)
            )
            value = ask_int(env, msg.ASK_DAYLIO_MOOD, 0, 10)
            assert isinstance(value, int)
            return value

        bar = ProgressBar(env, msg.IMPORTING)
        try:
            result = import_file(
                env.paths,
                path,
                fmt=kind,
                now=env.clock.now(),
                mood_map=mapping,
                ask_mood=ask_mood if env.interactive else None,
                dry_run=dry_run,
                progress=bar,
                unseal=unseal_key(env, path, identity),
            )
        finally:
            bar.close()
        _report(env, result, clean_line(path.name))


def _listing(counts: dict[str, int]) -> str:
    from selfback.messages import data as msg

    parts = []
    for key, n in counts.items():
        one, many = msg.RECORD_NAMES[key]
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _report(env: Env, result: ImportResult, shown: str) -> None:
    """What was added (or would be), what was already there, and where the copy is."""
    from selfback.messages import data as msg
    from selfback.ui.prompt import write

    if result.total_added:
        verb = "Would add" if result.dry_run else "Added"
        write(
            env,
            msg.IMPORT_ADDED.format(
                verb=verb, listing=_listing(result.added), file=shown, format=result.format
            ),
        )
    else:
        write(env, msg.IMPORT_NOTHING_NEW.format(file=shown))
    if result.total_skipped and result.total_added:
        write(env, msg.IMPORT_SKIPPED.format(listing=_listing(result.skipped)))
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
