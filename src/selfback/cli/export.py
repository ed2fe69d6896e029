"""`selfback export`: a report for a therapist (html, pdf, md) or raw data (csv, json, fhir)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from selfback.cli.context import env_of
from selfback.cli.sealed import (
    encrypt_option,
    recipient_file_option,
    recipient_option,
    wants_seal,
)

if TYPE_CHECKING:
    from selfback.actions.export import Askable
    from selfback.env import Env
    from selfback.export import ExportResult, Patient

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


def _choose(env: Env, given: dict[str, bool | None], askable: Askable) -> dict[str, bool]:
    """Each private part: as given by a flag, else asked (when it is there and selfback
    can ask), else left out."""
    from selfback.messages import data as msg
    from selfback.ui.prompt import write

    chosen: dict[str, bool] = {}
    asked = False
    for part, flag in given.items():
        if flag is not None:
            chosen[part] = flag
        elif part in askable.parts and env.interactive:
            if not asked:
                write(env, msg.CHOOSE_PARTS)
                asked = True
            question = msg.ASK_PART[part]
            if part == "crisis" and askable.risk_flags_only:
                question = msg.ASK_RISK_FLAGS
            chosen[part] = _ask(env, question)
        else:
            chosen[part] = False
    return chosen


def ask_marked(env: Env, fmt: str, given: bool | None) -> bool:
    """The sessions marked to talk about: as the flag says, else asked in a terminal when
    there are some and the format is a report (``selfback.actions.cope.past``)."""
    from selfback.actions.cope.past import has_marked
    from selfback.messages.sessions import ASK_MARKED

    if given is not None or fmt not in ("html", "pdf", "md"):
        return bool(given)
    return env.interactive and has_marked(env.paths) and _ask(env, ASK_MARKED)


def _paper(env: Env, paper: str | None) -> str:
    from selfback.errors import DataError, UsageError
    from selfback.messages import data as msg

    if paper is not None:
        size = paper.strip().lower()
        if size not in ("a4", "letter"):
            raise UsageError(msg.BAD_PAPER.format(paper=paper))
        return size
    from selfback.export.pdf import paper_for_country

    try:
        country = env.settings.country
    except DataError:  # a damaged settings file: selfback doctor says so
        country = None
    return paper_for_country(country)


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export(
        ctx: typer.Context,
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
            "current folder; - for standard output. For csv, a name ending in .zip makes a zip, "
            "anything else a folder.",
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
        include_marked: bool | None = typer.Option(
            None,
            "--include-marked/--exclude-marked",
            help="Add the sessions you marked to talk about (selfback sessions mark ID), with "
            "what you wrote in them, to the report (html, pdf, md). Asked if not given and "
            "there are some; left out when selfback cannot ask.",
            show_default=False,
        ),
        include_hope: bool | None = typer.Option(
            None,
            "--include-hope/--exclude-hope",
            help="Your hope box and notes for next time: in json when your notes are "
            "included, in a report only with --include-hope.",
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
        encrypt: bool = encrypt_option(),
        recipient: list[str] | None = recipient_option(),
        recipient_file: list[Path] | None = recipient_file_option(),
    ) -> None:
        """Save a report for a therapist, or your raw data, to a private file."""
        import dataclasses

        from selfback.actions.export import ExportOrder, output_path, parts_to_ask, stdout_file
        from selfback.actions.export import export as run
        from selfback.cli.sealed import checked_recipients, make_seal, sealed_line, unsealed_name
        from selfback.errors import SelfbackError, UsageError
        from selfback.export import DEFAULT_SINCE, SUPPORTS, check_format
        from selfback.export.output import check_target
        from selfback.messages import data as msg
        from selfback.messages.sealed import SEALED_STDOUT_TERMINAL
        from selfback.periods import parse_period

        env = env_of(ctx)
        out_path = Path(output).expanduser() if output else None
        sealed = wants_seal(encrypt, recipient, recipient_file, out_path)
        keys = checked_recipients(recipient, recipient_file) if sealed else ()
        name = check_format(fmt, unsealed_name(out_path))
        if paper is not None:
            _paper(env, paper)  # a bad size is refused whatever the format
        if patient and name != "fhir":
            raise UsageError(msg.PATIENT_NOT_FHIR)
        if include_hope and "hope" not in SUPPORTS[name]:
            from selfback.messages.hope import HOPE_NOT_IN_FORMAT

            raise UsageError(HOPE_NOT_IN_FORMAT.format(format=name))
        now = env.clock.now()
        spec = parse_period(
            since,
            until,
            now.date(),
            default_since=DEFAULT_SINCE.get(name),
            default_until_today=name in DEFAULT_SINCE,
        )
        askable = parts_to_ask(env.paths, name, spec)
        csv_zip = sealed or name != "csv" or output is None or output.lower().endswith(".zip")
        if name == "csv" and output is not None and output.lower().endswith(".csv"):
            raise UsageError(msg.CSV_NEEDS_FOLDER)
        to_stdout = output == "-"
        if to_stdout and sealed and env.stdout_isatty:
            raise UsageError(SEALED_STDOUT_TERMINAL)
        if to_stdout:
            # The data goes to standard output; questions and the report to stderr.
            out_stream, env = env.stdout, dataclasses.replace(env, stdout=env.stderr)
            csv_zip = True
            path = stdout_file(env.paths, name, now)
        else:
            path = output_path(output, name, now, csv_zip=csv_zip, cwd=Path.cwd(), sealed=sealed)
        chosen = _choose(
            env, {"notes": notes, "crisis": include_crisis, "plan": include_plan}, askable
        )
        if sealed and not to_stdout:
            check_target(path)  # before the passphrase is asked, not after
        seal = make_seal(env, keys) if sealed else None
        order = ExportOrder(
            format=name,
            period=spec,
            output=path,
            generated_at=now,
            notes=chosen["notes"],
            crisis=chosen["crisis"],
            plan=chosen["plan"],
            marked=ask_marked(env, name, include_marked),
            # Hope-box words are the person's own words: in json they follow --notes.
            hope=(name == "json" and chosen["notes"]) if include_hope is None else include_hope,
            csv_zip=csv_zip,
            patient=_ask_patient(env) if patient else None,
            paper=_paper(env, paper),
            seal=seal,
        )
        bar = ProgressBar(env, msg.EXPORTING)
        try:
            result = run(env.paths, order, progress=bar)
            if to_stdout:
                _copy_out(path, out_stream)
        except SelfbackError as exc:
            if to_stdout and isinstance(exc.__cause__, OSError):
                reason = exc.__cause__.strerror or str(exc.__cause__)
                raise SelfbackError(
                    msg.STDOUT_NO_ROOM.format(folder=env.paths.tmp_dir, reason=reason)
                ) from exc
            raise
        finally:
            bar.close()
            if to_stdout:
                path.unlink(missing_ok=True)
        _report(env, result, to_stdout=to_stdout)
        if seal is not None:
            _say(env, sealed_line(seal))


def _copy_out(path: Path, stream: TextIO) -> None:
    """The finished export, byte for byte, to standard output."""
    import shutil

    stream.flush()
    sink = getattr(stream, "buffer", None)
    with path.open("rb") as fh:
        if sink is not None:
            shutil.copyfileobj(fh, sink)
            sink.flush()
        else:  # a text-only stream (tests): the text formats are UTF-8
            stream.write(fh.read().decode("utf-8", errors="replace"))
            stream.flush()


def _report(env: Env, result: ExportResult, *, to_stdout: bool = False) -> None:
    """What was saved, what was left out, and that the file is private."""
    from selfback.messages import data as msg
    from selfback.periods import pretty_range
    from selfback.ui.prompt import write

    counts = result.counts
    write(
        env,
        (msg.SENT_EXPORT if to_stdout else msg.SAVED_EXPORT).format(
            what="report" if result.format in ("html", "pdf", "md") else "data",
            path=_shown_path(result.path),
            period=pretty_range(result.range),
            checkins=_n(counts.checkins, "check-in"),
            sessions=_n(counts.coping_sessions, "coping session"),
            questionnaires=_n(counts.measure_results, "questionnaire"),
        ),
    )
    for notice in result.notices:
        _say(env, notice)
    if result.left_out:
        named = [msg.LEFT_OUT_FLAGS[x] for x in result.left_out]
        hint = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]
        write(env, msg.LEFT_OUT.format(parts=", ".join(result.left_out), flags=hint))
    write(env, msg.STDOUT_PRIVATE if to_stdout else msg.PRIVATE_FILE)


PATIENT_MAX = 200


def _ask_patient(env: Env) -> Patient:
    """A name and/or an identifier for the FHIR bundle, typed now and never stored.

    In a terminal, two questions (Enter leaves either out). Otherwise one line from
    standard input is the name, and an optional second line the identifier."""
    from selfback.errors import UsageError
    from selfback.export import Patient
    from selfback.messages import data as msg
    from selfback.text import clean_line
    from selfback.ui.prompt import read_line

    def tidy(text: str) -> str | None:
        value = " ".join(clean_line(text).split())
        if len(value) > PATIENT_MAX:
            raise UsageError(msg.PATIENT_TOO_LONG.format(limit=PATIENT_MAX))
        return value or None

    if env.interactive:
        _say(env, msg.PATIENT_INTRO)
        name = tidy(read_line(env, msg.PATIENT_NAME))
        ident = tidy(read_line(env, msg.PATIENT_NUMBER))
    else:
        first = env.stdin.readline()
        second = env.stdin.readline() if first else ""
        name, ident = tidy(first), tidy(second)
    if not name and not ident:
        if env.interactive:
            _say(env, msg.PATIENT_NONE)
            return Patient()
        raise UsageError(msg.PATIENT_NO_INPUT)
    return Patient(name, ident)


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
