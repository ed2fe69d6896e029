"""`selfback measure [phq9|gad7|who5|pcl5|phq2|gad2|history]`: standard questionnaires.

This module parses and renders the list and past results; ``selfback.actions.measure``
reads them and runs a sitting, whose screens are ``selfback.ui.questionnaire``. Only typer
and the standard library are imported at module level; rich, pydantic, the instrument data
and sqlite3 load inside the command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of
from selfback.messages import measure as msg
from selfback.text import clean_line

if TYPE_CHECKING:
    from rich.console import Console

    from selfback.actions.measure import MeasureRow, PastResult, Taken
    from selfback.env import Env
    from selfback.measures.schema import Instrument

HELP = """\
Standard questionnaires, scored: PHQ-9 (low mood), GAD-7 (anxiety), WHO-5 (well-being),
and the 2-question screens PHQ-2 and GAD-2.

  selfback measure                 the list, with when you last took each
  selfback measure phq9            take one (also gad7, who5, pcl5, phq2, gad2)
  selfback measure history [phq9]  your past results (--json for scripts)

Self-report, not a diagnosis.
"""

NOT_A_DIAGNOSIS = msg.NOT_A_DIAGNOSIS
WIDE = 72


def register(app: typer.Typer) -> None:
    @app.command("measure", help=HELP)
    def measure(
        ctx: typer.Context,
        name: str | None = typer.Argument(
            None,
            metavar="MEASURE|history",
            help="phq9, gad7, who5, pcl5, phq2 or gad2 to take one; history for past results.",
            show_default=False,
        ),
        which: str | None = typer.Argument(
            None,
            metavar="MEASURE",
            help="With history: show only this measure.",
            show_default=False,
        ),
        json_out: bool = typer.Option(
            False, "--json", help="With the list or history: print JSON only."
        ),
        plain: bool = typer.Option(False, "--plain", help="Plain text: no colour, no boxes."),
    ) -> None:
        from selfback.errors import UsageError

        env = env_of(ctx)
        if plain:
            env.force_plain = True
        word = (name or "").strip().lower()
        if word in ("", "list", "ls"):
            if which is not None:
                raise UsageError(msg.LIST_ONLY)
            list_measures(env, json_out=json_out)
            return
        if word == "history":
            show_history(env, which, json_out=json_out)
            return
        from selfback.measures.library import get_instrument

        instrument = get_instrument(name or "")
        if which is not None:
            raise UsageError(msg.ONE_NAME_ONLY.format(id=instrument.id))
        if json_out:
            raise UsageError(msg.JSON_ONLY_FOR_LISTS.format(name=instrument.name, id=instrument.id))
        take(env, instrument)


# --- helpers -----------------------------------------------------------------------------


def _console(env: Env) -> Console:
    from selfback.ui.console import make_console

    return make_console(env)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _use_table(env: Env, console: Console) -> bool:
    """Tables for wide, styled terminals; one line per entry for plain mode and narrow ones."""
    return not env.plain and console.width >= WIDE


def _score_text(instrument_id: str, total: int) -> str:
    from selfback.measures.library import instruments
    from selfback.measures.scoring import format_total

    inst = instruments().get(instrument_id)
    return format_total(inst, total) if inst is not None else str(total)


def _last_cells(row: MeasureRow) -> tuple[str, str]:
    result = row.last
    if result is None:
        return "not yet", ""
    shown = _score_text(result.instrument, result.total)
    if row.last_band_label:
        shown += f" ({row.last_band_label})"
    return result.taken_at.date().isoformat(), shown


def _write_json(env: Env, data: object) -> None:
    import json

    env.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --- the list ------------------------------------------------------------------------------


def list_measures(env: Env, *, json_out: bool) -> None:
    from selfback.actions.measure import overview

    rows = overview(env.paths)
    if json_out:
        _write_json(env, [row.to_json() for row in rows])
        return
    console = _console(env)
    if _use_table(env, console):
        from rich.table import Table

        from selfback.ui.console import table_box

        table = Table(box=table_box(env), show_edge=False, pad_edge=False)
        for header in ("id", "measure", "about", "questions", "last taken", "last score"):
            table.add_column(header, overflow="fold")
        for row in rows:
            taken, shown = _last_cells(row)
            table.add_row(row.id, row.name, _esc(row.about), str(row.items), taken, _esc(shown))
        console.print(table)
    else:
        for row in rows:
            taken, shown = _last_cells(row)
            console.print(f"{row.name} ({row.id}), {row.items} questions: {_esc(row.about)}.")
            if shown:
                console.print(f"  Last taken {taken}: {_esc(shown)}.")
            else:
                console.print("  Not taken yet.")
    console.print()
    console.print(msg.LIST_TAKE)
    console.print(msg.LIST_PAST)
    _time_frames(console, rows)


def _time_frames(console: Console, rows: list[MeasureRow]) -> None:
    frames: dict[str, list[str]] = {}
    for row in rows:
        frames.setdefault(row.time_frame, []).append(row.name)
    if len(frames) == 1:
        console.print(f"All ask about {_esc(next(iter(frames)).lower())}. {NOT_A_DIAGNOSIS}")
    else:
        parts = [f"{', '.join(names)}: {frame.lower()}" for frame, names in frames.items()]
        console.print(_esc("Time asked about. " + "; ".join(parts) + "."))
        console.print(NOT_A_DIAGNOSIS)


# --- history --------------------------------------------------------------------------------


def _history_cells(e: PastResult) -> tuple[str, str, str, str, str, str]:
    change = ""
    if e.change is not None:
        change = f"{e.change:+d}" if e.change else "same"
    note = "item 9 flag" if "phq9-item9" in e.flags else ""
    r = e.result
    if e.partial:
        shown, band = msg.PARTIAL_LABEL, "-"
    else:
        shown, band = _score_text(r.instrument, r.total), str(e.band_label)
    when = r.taken_at.strftime("%Y-%m-%d %H:%M")
    return when, clean_line(e.name), shown, clean_line(band), change, note


def show_history(env: Env, which: str | None, *, json_out: bool) -> None:
    from selfback.actions.measure import past_results
    from selfback.measures.library import get_instrument

    instrument_id = get_instrument(which).id if which is not None else None
    entries = past_results(env.paths, instrument_id)
    if json_out:
        _write_json(env, [e.to_json() for e in entries])
        return
    console = _console(env)
    if not entries:
        what = get_instrument(which).name if which is not None else "questionnaire"
        console.print(msg.NO_RESULTS.format(what=what))
        console.print(msg.NO_RESULTS_MORE)
        return
    lines = [_history_cells(e) for e in entries]
    if _use_table(env, console):
        from rich.table import Table

        from selfback.ui.console import table_box

        table = Table(box=table_box(env), show_edge=False, pad_edge=False)
        for header in ("date", "measure", "score", "range", "change", "note"):
            table.add_column(header, overflow="fold")
        for cells in lines:
            table.add_row(*(_esc(c) for c in cells))
        console.print(table)
    else:
        for when, name, shown, band, change, note in lines:
            text = f"{when}  {name}  {shown}" + (f" ({band})" if band != "-" else "")
            if change:
                text += f", change {change}"
            if note:
                text += f", {note}"
            console.print(_esc(text))
    console.print()
    if any("phq9-item9" in e.flags for e in entries):
        console.print(msg.ITEM9_NOTE)
    if any(e.partial for e in entries):
        console.print(msg.PARTIAL_NOTE)
    console.print(msg.CHANGE_NOTE)
    console.print(NOT_A_DIAGNOSIS)


# --- taking one ---------------------------------------------------------------------------


def take(env: Env, instrument: Instrument) -> None:
    from selfback.actions.measure import take as take_it
    from selfback.ui.questionnaire import QuestionScreens

    taken = take_it(env.paths, env.clock.now, instrument, QuestionScreens(env, _console(env)))
    if taken.stopped is not None:
        _stopped(env, taken)


def _stopped(env: Env, taken: Taken) -> None:
    """One kind line on stderr, and the exit status of how it stopped."""
    from selfback.errors import ExitCode
    from selfback.ui.crisis import wrapped

    name = taken.instrument.name
    what = msg.KEPT_PARTIAL.format(name=name) if taken.kept else msg.NOTHING_SAVED.format(name=name)
    first = msg.NO_MORE_INPUT if taken.stopped == "no-input" else msg.STOPPED
    env.stderr.write("\n" + wrapped(env, msg.STOP_LINE.format(first=first, what=what)) + "\n")
    env.stderr.flush()
    code = {"quit": ExitCode.OK, "interrupted": ExitCode.INTERRUPTED}.get(
        taken.stopped or "", ExitCode.PROBLEM
    )
    raise typer.Exit(code)
