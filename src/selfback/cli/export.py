"""`selfback export`: a report for a therapist (html, pdf, md) or raw data (csv, json, fhir)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from selfback.env import current_env

if TYPE_CHECKING:
    from selfback.env import Env

FORMAT_HELP = (
    "html (the report as one web page; the default), pdf (the same report), md (the summary "
    "as Markdown), csv (raw data, a zip of CSV files with a data dictionary), json "
    "(everything, lossless, can be imported back), fhir (a FHIR R4 Bundle)."
)


class ProgressBar:
    """A rich progress bar on stderr, shown only when a job takes more than a moment, and
    only on a colour terminal (nothing at all in plain mode or when output is redirected).
    """

    DELAY = 0.4  # seconds before a bar appears

    def __init__(self, env: Env, label: str) -> None:
        self.env = env
        self.label = label
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None
        stderr_tty = False
        try:
            stderr_tty = bool(env.stderr.isatty())
        except (AttributeError, ValueError, OSError):
            stderr_tty = False
        self.enabled = bool(env.color) and stderr_tty

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY or done >= total:
                return
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            from selfback.ui.console import make_console

            self.bar = Progress(
                TextColumn(self.label),
                BarColumn(),
                TaskProgressColumn(),
                console=make_console(self.env, stderr=True),
                transient=True,
                refresh_per_second=5 if self.env.reduced_motion else 10,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _ask(env: Env, question: str) -> bool:
    from selfback.ui.prompt import confirm

    return confirm(env, question, default=False)


def _resolve_output(output: str | None, fmt: str, when: Any, *, csv_zip: bool) -> Path:
    """The file (or, for csv without .zip, the folder) to write; never silently reuses a
    busy folder: an existing non-empty folder gets a new, dated entry inside it."""
    from selfback.export import default_name
    from selfback.export.output import unique_path

    stem, suffix = default_name(fmt, when)
    if not csv_zip:
        suffix = ""
    if output is None:
        return unique_path(Path.cwd(), stem, suffix)
    path = Path(output).expanduser()
    if path.is_dir():
        if not csv_zip and not any(path.iterdir()):
            return path
        return unique_path(path, stem, suffix)
    return path


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export(
        fmt: str | None = typer.Option(
            None, "--format", "-f", help=FORMAT_HELP, metavar="FORMAT", show_default=False
        ),
        since: str | None = typer.Option(
            None,
            "--since",
            "--from",
            metavar="PERIOD",
            help="Start of the period: 90d, 12w, 6m, 1y, a date (2026-01-31) or all. Also --from. "
            "Reports default to the last 90 days; data formats to everything.",
        ),
        until: str | None = typer.Option(
            None,
            "--until",
            "--to",
            metavar="DATE",
            help="End of the period (inclusive): a date, today or yesterday. Also --to.",
        ),
        output: str | None = typer.Option(
            None,
            "--output",
            "-o",
            metavar="PATH",
            help="Where to save it (a file name or a folder). Default: a dated file in the "
            "current folder. For csv, a name ending in .zip makes a zip, anything else a folder.",
        ),
        notes: bool | None = typer.Option(
            None,
            "--notes/--no-notes",
            help="Include your written notes (and answers typed during skills). Asked if not "
            "given; left out when selfback cannot ask.",
            show_default=False,
        ),
        include_plan: bool | None = typer.Option(
            None,
            "--include-plan/--exclude-plan",
            help="Include your safety plan. Asked if not given; left out when selfback cannot ask.",
            show_default=False,
        ),
        include_crisis: bool | None = typer.Option(
            None,
            "--include-crisis/--exclude-crisis",
            help="Include how often the crisis screen was opened (and, in the json format, "
            "when words or answers that may mean risk were noticed: never the words). Asked "
            "if not given; left out when selfback cannot ask.",
            show_default=False,
        ),
        paper: str | None = typer.Option(
            None,
            "--paper",
            metavar="SIZE",
            help="PDF paper size: a4 or letter (default: from your country setting).",
        ),
        patient: bool = typer.Option(
            False,
            "--patient",
            help="FHIR only: put your name or a clinic's patient number on the bundle. You "
            "type it when asked (or as one line on standard input); it is never stored.",
        ),
    ) -> None:
        """Save a report for a therapist, or your raw data, to a private file."""
        from selfback.errors import SelfbackError, UsageError
        from selfback.export import (
            DEFAULT_SINCE,
            SUPPORTS,
            ExportRequest,
            check_format,
            run_export,
        )
        from selfback.export.data import Selection, private_parts
        from selfback.periods import parse_period, pretty_range
        from selfback.store.db import database_exists, open_store
        from selfback.ui.prompt import write

        env = current_env()
        out_path = Path(output).expanduser() if output else None
        name = check_format(fmt, out_path)
        if paper is not None and paper.strip().lower() not in ("a4", "letter"):
            raise UsageError(f"'{paper}' is not a paper size selfback knows. Use a4 or letter.")
        if patient and name != "fhir":
            raise UsageError("--patient is for --format fhir only; the reports carry no name.")
        now = env.clock.now()
        spec = parse_period(
            since,
            until,
            now.date(),
            default_since=DEFAULT_SINCE.get(name),
            default_until_today=name in DEFAULT_SINCE,
        )
        if not database_exists(env.paths):
            raise SelfbackError(
                "There is nothing to export yet. Check in with selfback checkin or use a "
                "skill with selfback cope, and it will be here."
            )
        csv_zip = name != "csv" or output is None or output.lower().endswith(".zip")
        if name == "csv" and output is not None and output.lower().endswith(".csv"):
            raise UsageError(
                "The CSV export is one file per record type, so give a folder "
                "(--output selfback-data) or a zip (--output selfback-data.zip)."
            )
        path = _resolve_output(output, name, now, csv_zip=csv_zip)
        supports = SUPPORTS[name]
        with open_store(env.paths) as store:
            available = private_parts(store, spec, env.paths)
            answers: dict[str, bool | None] = {
                "notes": notes,
                "crisis": include_crisis,
                "plan": include_plan,
            }
            questions = {
                "notes": "Include your written notes?",
                "crisis": "Include how often you opened the crisis screen?",
                "plan": "Include your safety plan?",
            }
            asked = False
            for part in ("notes", "crisis", "plan"):
                if answers[part] is not None:
                    continue
                if part in supports and part in available and env.interactive:
                    if not asked:
                        write(env, "This file is private to you. Choose what goes in it.")
                        asked = True
                    answers[part] = _ask(env, questions[part])
                else:
                    answers[part] = False
            person = _ask_patient(env) if patient else None
            if paper is not None:
                paper_size = paper.strip().lower()
            else:
                from selfback.export.pdf import paper_for_country

                try:
                    country = env.settings.country
                except Exception:
                    country = None
                paper_size = paper_for_country(country)
            request = ExportRequest(
                format=name,
                selection=Selection(
                    spec,
                    notes=bool(answers["notes"]),
                    crisis=bool(answers["crisis"]),
                    plan=bool(answers["plan"]),
                ),
                output=path,
                generated_at=now,
                paths=env.paths,
                csv_zip=csv_zip,
                paper=paper_size,
                patient=person,
            )
            bar = ProgressBar(env, "Exporting")
            try:
                result = run_export(store, request, progress=bar)
            finally:
                bar.close()
        shown = _shown_path(result.path)
        what = "report" if name in ("html", "pdf", "md") else "data"
        counts = result.counts
        write(
            env,
            f"Saved your {what} to {shown} ({pretty_range(result.range)}: "
            f"{_n(counts.get('checkins', 0), 'check-in')}, "
            f"{_n(counts.get('coping_sessions', 0), 'coping session')}, "
            f"{_n(counts.get('measure_results', 0), 'questionnaire')}).",
        )
        for notice in result.notices:
            _say(env, notice)
        if result.left_out:
            flags = {
                "notes": "--notes",
                "crisis-screen openings": "--include-crisis",
                "safety plan": "--include-plan",
            }
            named = [flags[x] for x in result.left_out]
            hint = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
            write(env, f"Left out: {', '.join(result.left_out)} (add {hint} to include them).")
        write(env, "The file is only readable by you. Share it only with people you choose.")


PATIENT_MAX = 200


def _ask_patient(env: Env) -> dict[str, str | None]:
    """A name and/or an identifier for the FHIR bundle, typed now and never stored.

    In a terminal, two questions (Enter leaves either out). Otherwise one line from
    standard input is the name, and an optional second line the identifier."""
    from selfback.errors import UsageError
    from selfback.text import clean_line
    from selfback.ui.prompt import read_line

    def tidy(text: str) -> str | None:
        value = " ".join(clean_line(text).split())
        if len(value) > PATIENT_MAX:
            raise UsageError(
                f"That is longer than {PATIENT_MAX} characters. Type a shorter name or number."
            )
        return value or None

    if env.interactive:
        _say(
            env,
            "The bundle can carry your name and a number your clinic gave you. It goes only "
            "into this file; selfback does not keep it. Press Enter to leave either out.",
        )
        name = tidy(read_line(env, "Name: "))
        ident = tidy(read_line(env, "Patient number or other identifier: "))
    else:
        first = env.stdin.readline()
        second = env.stdin.readline() if first else ""
        name, ident = tidy(first), tidy(second)
    if not name and not ident:
        if env.interactive:
            _say(env, "No name or number given, so the bundle names no one.")
            return {"name": None, "identifier": None}
        raise UsageError(
            "--patient reads a name (and, on a second line, an identifier) from standard "
            "input, and there was none. Pipe it in, or leave out --patient."
        )
    return {"name": name, "identifier": ident}


def _say(env: Env, text: str) -> None:
    """One paragraph, wrapped to the terminal without breaking a word."""
    from selfback.text import terminal_width, wrap
    from selfback.ui.prompt import write

    write(env, "\n".join(wrap(text, min(terminal_width(env.stdout), 88))))


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _shown_path(path: Path) -> str:
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
        return str(rel)
    except (ValueError, OSError):
        return str(path)
