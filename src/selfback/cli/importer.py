"""`selfback import FILE`: restore a selfback JSON export, or bring in a Daylio CSV export."""

from __future__ import annotations

from pathlib import Path

import typer

from selfback.env import current_env
from selfback.text import clean, clean_line


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        file: str = typer.Argument(
            ..., help="A selfback JSON export or a Daylio CSV export.", metavar="FILE"
        ),
        fmt: str = typer.Option(
            "auto",
            "--format",
            "-f",
            help="What the file is: auto (look inside it), selfback or daylio.",
            metavar="FORMAT",
        ),
        mood_map: list[str] | None = typer.Option(  # noqa: B006 - typer needs the default
            None,
            "--mood-map",
            help="Daylio only: what a custom mood name means on selfback's 0-10 mood, as "
            "NAME=NUMBER (repeat for each), e.g. --mood-map sparkly=8.",
        ),
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Check the file and say what would be added, change nothing."
        ),
    ) -> None:
        """Add the records from FILE that are not in your log yet (nothing is added twice)."""
        from selfback.cli.export import ProgressBar
        from selfback.errors import UsageError
        from selfback.importer import FORMATS, import_file, parse_mood_map
        from selfback.store.db import open_store
        from selfback.ui.prompt import ask_int, write

        env = current_env()
        kind = fmt.strip().lower()
        if kind not in FORMATS:
            raise UsageError(
                f"'{fmt}' is not an import format. Choose one of: {', '.join(FORMATS)}."
            )
        path = Path(file).expanduser()
        mapping = parse_mood_map(mood_map)

        def ask_mood(name: str, count: int) -> int:
            write(
                env,
                f"The Daylio mood '{clean_line(name)}' "
                f"({count} {'entry' if count == 1 else 'entries'}) is new to selfback.",
            )
            value = ask_int(env, "  What is it on selfback's 0-10 mood (0 worst, 10 best)? ", 0, 10)
            assert isinstance(value, int)
            return value

        with open_store(env.paths) as store:
            bar = ProgressBar(env, "Importing")
            try:
                result = import_file(
                    store,
                    path,
                    fmt=kind,
                    now=env.clock.now(),
                    paths=env.paths,
                    mood_map=mapping,
                    ask_mood=ask_mood if env.interactive else None,
                    dry_run=dry_run,
                    progress=bar,
                )
            finally:
                bar.close()
        names = {
            "checkins": ("check-in", "check-ins"),
            "coping_sessions": ("coping session", "coping sessions"),
            "measure_results": ("questionnaire result", "questionnaire results"),
            "crisis_openings": ("crisis-screen opening", "crisis-screen openings"),
            "safety_plan_versions": ("safety-plan version", "safety-plan versions"),
            "risk_flags": ("risk flag", "risk flags"),
        }

        def listing(counts: dict[str, int]) -> str:
            parts = []
            for key, n in counts.items():
                one, many = names.get(key, (key, key))
                parts.append(f"{n} {one if n == 1 else many}")
            return ", ".join(parts)

        verb = "Would add" if dry_run else "Added"
        shown = clean_line(path.name)
        if result.total_added:
            write(env, f"{verb} {listing(result.added)} from {shown} ({result.format}).")
        else:
            write(env, f"Nothing new in {shown}: everything in it is already in your log.")
        if result.total_skipped and result.total_added:
            write(env, f"Already in your log, so skipped: {listing(result.skipped)}.")
        if result.mood_map:
            moods = ", ".join(f"{clean_line(k)} = {v}" for k, v in result.mood_map.items())
            write(env, f"Daylio moods on selfback's 0-10 scale: {moods}.")
        for note in result.notes:
            write(env, clean(note))
        if dry_run:
            write(env, "Nothing was changed (--dry-run).")
        elif result.backup is not None:
            write(env, f"A copy of your log from before the import is in {result.backup}.")
        if result.flagged:
            from selfback.cli.hear import wrapped

            write(env, wrapped(env, flagged_line(result.flagged, dry_run=dry_run)))


def flagged_line(n: int, *, dry_run: bool = False) -> str:
    """One calm line: how many imported entries were flagged, and where help is."""
    entries = "1 imported entry has" if n == 1 else f"{n} imported entries have"
    them = "it" if n == 1 else "them"
    done = f"selfback would flag {them}" if dry_run else f"selfback flagged {them}"
    return (
        f"{entries} words that may point to thoughts of suicide or self-harm; {done} "
        "quietly in your log. If any of that is with you now, selfback sos is there."
    )
