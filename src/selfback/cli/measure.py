"""`selfback measure [phq9|gad7|who5|phq2|gad2|history]`: standard questionnaires.

Only typer and the standard library are imported at module level; rich, pydantic, the
instrument data and sqlite3 load inside the command.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import TYPE_CHECKING, Any

import typer

from selfback.env import current_env

if TYPE_CHECKING:
    from rich.console import Console

    from selfback.env import Env
    from selfback.measures.schema import Instrument
    from selfback.measures.scoring import Score
    from selfback.measures.session import Saved, Session
    from selfback.store.db import Store
    from selfback.store.measures import MeasureResult

HELP = """\
Standard questionnaires, scored: PHQ-9 (low mood), GAD-7 (anxiety), WHO-5 (well-being),
and the 2-question screens PHQ-2 and GAD-2.

  selfback measure                 the list, with when you last took each
  selfback measure phq9            take one (also gad7, who5, phq2, gad2)
  selfback measure history [phq9]  your past results (--json for scripts)

Self-report, not a diagnosis.
"""

NOT_A_DIAGNOSIS = "Self-report, not a diagnosis."
CLEAR = "\x1b[H\x1b[2J"

FALLBACK_CRISIS = (
    "If you are in danger right now, call your local emergency number.\n"
    "Crisis lines for your country: selfback sos  (or https://findahelpline.com)"
)


def register(app: typer.Typer) -> None:
    @app.command("measure", help=HELP)
    def measure(
        name: str | None = typer.Argument(
            None,
            metavar="MEASURE|history",
            help="phq9, gad7, who5, phq2 or gad2 to take one; history for past results.",
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

        env = current_env()
        if plain:
            env.force_plain = True
        word = (name or "").strip().lower()
        if word in ("", "list", "ls"):
            if which is not None:
                raise UsageError(
                    "`selfback measure` lists the measures and takes no other name. "
                    "To take one, run e.g. `selfback measure phq9`."
                )
            list_measures(env, json_out=json_out)
            return
        if word == "history":
            show_history(env, which, json_out=json_out)
            return
        from selfback.measures.library import get_instrument

        instrument = get_instrument(name or "")
        if which is not None:
            raise UsageError(
                f"`selfback measure {instrument.id}` takes no second name. "
                f"For past results run `selfback measure history {instrument.id}`."
            )
        if json_out:
            raise UsageError(
                "--json works with `selfback measure` and `selfback measure history`; "
                f"to take the {instrument.name}, run `selfback measure {instrument.id}`."
            )
        take(env, instrument)


# --- helpers -----------------------------------------------------------------------------


def _console(env: Env) -> Console:
    from selfback.ui.console import make_console

    return make_console(env)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _open_existing(env: Env) -> Store | None:
    """The database if it exists (reading never creates one)."""
    from selfback.store.db import database_exists, open_store

    if not database_exists(env.paths):
        return None
    return open_store(env.paths)


def _use_table(env: Env, console: Console) -> bool:
    """Tables for wide, styled terminals; one line per entry for plain mode and narrow ones."""
    return not env.plain and console.width >= 72


def _last_cells(row: dict[str, Any], result: MeasureResult | None) -> tuple[str, str]:
    if result is None:
        return "not yet", ""
    shown = _score_text(result.instrument, result.total)
    if row["last_band_label"]:
        shown += f" ({row['last_band_label']})"
    return _date(result), shown


def _date(result: MeasureResult) -> str:
    return result.taken_at.date().isoformat()


def _score_text(instrument_id: str, total: int) -> str:
    from selfback.measures.library import instruments
    from selfback.measures.scoring import format_total

    inst = instruments().get(instrument_id)
    return format_total(inst, total) if inst is not None else str(total)


# --- the list ------------------------------------------------------------------------------


def list_measures(env: Env, *, json_out: bool) -> None:
    from selfback.measures.library import instruments
    from selfback.measures.scoring import band_by_id, to_display

    store = _open_existing(env)
    try:
        from selfback.store.measures import last_per_instrument

        last = last_per_instrument(store) if store is not None else {}
    finally:
        if store is not None:
            store.close()
    rows: list[dict[str, Any]] = []
    for inst in instruments().values():
        r = last.get(inst.id)
        band = band_by_id(inst, r.band) if r is not None else None
        rows.append(
            {
                "id": inst.id,
                "name": inst.name,
                "title": inst.title,
                "kind": inst.kind,
                "about": inst.about,
                "items": len(inst.scored_items),
                "last_taken": r.taken_at.isoformat() if r is not None else None,
                "last_total": r.total if r is not None else None,
                "last_score": to_display(inst, r.total) if r is not None else None,
                "max_score": inst.max_display,
                "unit": inst.display_unit,
                "last_band": r.band if r is not None else None,
                "last_band_label": band.label if band is not None else None,
            }
        )
    if json_out:
        import json

        env.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return

    console = _console(env)
    if _use_table(env, console):
        from rich.table import Table

        from selfback.ui.console import table_box

        table = Table(box=table_box(env), show_edge=False, pad_edge=False)
        for header in ("id", "measure", "about", "questions", "last taken", "last score"):
            table.add_column(header, overflow="fold")
        for row in rows:
            taken, shown = _last_cells(row, last.get(row["id"]))
            table.add_row(
                row["id"], row["name"], _esc(row["about"]), str(row["items"]), taken, _esc(shown)
            )
        console.print(table)
    else:
        for row in rows:
            taken, shown = _last_cells(row, last.get(row["id"]))
            console.print(
                f"{row['name']} ({row['id']}), {row['items']} questions: {_esc(row['about'])}."
            )
            if shown:
                console.print(f"  Last taken {taken}: {_esc(shown)}.")
            else:
                console.print("  Not taken yet.")
    console.print()
    console.print("Take one:      selfback measure phq9  (or any id above)")
    console.print("Past results:  selfback measure history")
    console.print(f"All are about the last 2 weeks. {NOT_A_DIAGNOSIS}")


# --- history --------------------------------------------------------------------------------


def show_history(env: Env, which: str | None, *, json_out: bool) -> None:
    from selfback.measures.export_info import describe_result
    from selfback.measures.library import get_instrument
    from selfback.store.measures import list_results

    instrument_id = get_instrument(which).id if which is not None else None
    store = _open_existing(env)
    try:
        results = list_results(store, instrument=instrument_id) if store is not None else []
    finally:
        if store is not None:
            store.close()

    previous: dict[str, MeasureResult] = {}
    entries: list[dict[str, Any]] = []
    for r in results:
        info = describe_result(r.instrument, r.total, r.band)
        before = previous.get(r.instrument)
        delta = None
        if before is not None:
            delta = info["display"] - describe_result(r.instrument, before.total, "")["display"]
        previous[r.instrument] = r
        entries.append(
            {
                "uid": r.uid,
                "instrument": r.instrument,
                "name": info["name"],
                "instrument_version": r.instrument_version,
                "taken_at": r.taken_at.isoformat(),
                "answers": list(r.answers),
                "total": r.total,
                "score": info["display"],
                "max_score": info["max_display"],
                "unit": info["display_unit"],
                "band": r.band,
                "band_label": info["band_label"],
                "change": delta,
                "flags": list(r.flags),
            }
        )

    if json_out:
        import json

        env.stdout.write(json.dumps(entries, indent=2, ensure_ascii=False) + "\n")
        return

    console = _console(env)
    if not entries:
        what = get_instrument(which).name if which is not None else "questionnaire"
        console.print(f"No {what} results yet. Take one with: selfback measure phq9")
        console.print("(or gad7, who5, phq2, gad2; `selfback measure` lists them)")
        return

    lines: list[tuple[str, str, str, str, str, str]] = []
    flagged = False
    for e, r in zip(entries, results, strict=True):
        change = ""
        if e["change"] is not None:
            change = f"{e['change']:+d}" if e["change"] else "same"
        note = ""
        if "phq9-item9" in e["flags"]:
            note = "item 9 *"
            flagged = True
        lines.append(
            (
                r.taken_at.strftime("%Y-%m-%d %H:%M"),
                e["name"],
                _score_text(r.instrument, r.total),
                str(e["band_label"]),
                change,
                note,
            )
        )
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
            text = f"{when}  {name}  {shown} ({band})"
            if change:
                text += f", change {change}"
            if note:
                text += f", {note}"
            console.print(_esc(text))
    console.print()
    if flagged:
        console.print(
            "* Item 9 (thoughts of hurting yourself or of being better off dead) was answered "
            "above 0. If those thoughts are with you now, `selfback sos` shows help at once."
        )
    console.print(
        "Change is against the previous result of the same measure. On the PHQ and GAD "
        "measures lower means fewer problems; on the WHO-5 higher means better well-being."
    )
    console.print(NOT_A_DIAGNOSIS)


# --- taking one ---------------------------------------------------------------------------


def take(env: Env, instrument: Instrument) -> None:
    from selfback.errors import ExitCode
    from selfback.measures.session import Session, save_score
    from selfback.store.db import open_store

    # Open the database first: if it is broken, say so before asking nine questions.
    store = open_store(env.paths)
    try:
        session = Session(instrument)
        console = _console(env)
        try:
            _ask_all(env, console, session)
        except KeyboardInterrupt:
            # One kind line and exit 130 (Typer would otherwise swallow Ctrl-C silently).
            _stopped(env, f"Stopped. Nothing from this {instrument.name} was saved.")
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except EOFError:
            _stopped(env, f"No more input, so nothing from this {instrument.name} was saved.")
            raise typer.Exit(ExitCode.PROBLEM) from None
        result = session.score()
        saved = save_score(store, result, env.clock.now())
    finally:
        store.close()
    _clear(env)
    _show_result(env, console, result, saved)
    if result.crisis:
        # Before the small print, where the eye is: crisis help comes first.
        console.print()
        _show_crisis(env, console)
    console.print()
    console.print(f"[dim]{_esc(result.instrument.attribution)}[/dim]")


def _stopped(env: Env, first: str) -> None:
    env.stderr.write(f"\n{first} Take care of yourself; `selfback sos` is here if you need it.\n")
    env.stderr.flush()


def _clear(env: Env) -> None:
    if env.interactive and not env.plain:
        env.stdout.write(CLEAR)
        env.stdout.flush()


def _ask_all(env: Env, console: Console, session: Session) -> None:
    from selfback.ui.prompt import read_line

    inst = session.instrument
    first_screen = True
    while not session.done:
        item = session.item
        options = session.options
        lo, hi = options[0].value, options[-1].value
        if not first_screen:
            _clear(env)
        first_screen = False
        progress = session.progress
        where = f"question {progress[0]} of {progress[1]}" if progress else "one last question"
        console.print(f"[bold]{_esc(inst.name)}[/bold] · {where}")
        if item.scored:
            console.print(_esc(inst.stem))
        console.print()
        console.print(f"  [bold]{_esc(item.text)}[/bold]")
        if item.note:
            console.print(f"  {_esc(item.note)}")
        console.print()
        for option in options:
            console.print(f"  {option.value}  {_esc(option.label)}")
        console.print()
        before = session.current_answer
        if before is not None:
            label = next(o.label for o in options if o.value == before)
            console.print(f"  Before, you chose {before} ({_esc(label)}).")
        back = "" if session.at_start else ", b to go back"
        console.print(
            f"  [dim]Type {lo}-{hi} and press Enter{back}. "
            "Ctrl-C stops without saving; ! shows crisis help.[/dim]"
        )
        while True:
            raw = read_line(env, "Your answer: ").strip().lower()
            if raw == "":
                console.print(f"  No rush. Type a number from {lo} to {hi}, then press Enter.")
                continue
            if raw in ("b", "back"):
                if session.back():
                    break
                console.print("  This is the first question, so there is nothing to go back to.")
                continue
            if raw == "!":
                _show_crisis(env, console, source="key", offer_plan=False)
                continue
            if raw.isdigit() and lo <= int(raw) <= hi:
                session.answer(int(raw))
                break
            console.print(
                f"  Please type a number from {lo} to {hi}"
                + (", or b to go back." if not session.at_start else ".")
            )


def _show_result(env: Env, console: Console, result: Score, saved: Saved) -> None:
    from selfback.measures.library import get_instrument
    from selfback.measures.scoring import change_sentence

    inst = result.instrument
    console.print(f"[bold]{_esc(inst.name)}[/bold] ({_esc(inst.title)}), {_date(saved.result)}")
    console.print()
    console.print(f"  Your score: [bold]{_esc(result.text)}[/bold]")
    console.print(f"  {_esc(result.band.text)}")
    if saved.change is not None and saved.previous is not None:
        console.print(f"  {_esc(change_sentence(inst, saved.change, _date(saved.previous)))}")
    else:
        console.print(
            f"  This is your first {_esc(inst.name)} here. Taking it again in a couple of "
            "weeks shows how things move."
        )
    if result.suggest is not None:
        full = get_instrument(result.suggest)
        console.print()
        console.print(
            f"  A score of {inst.screen_threshold} or more suggests taking the full "
            f"{_esc(full.name)} ({len(full.scored_items)} questions):"
        )
        console.print(f"    [bold]selfback measure {full.id}[/bold]")
    console.print()
    console.print(
        f"{NOT_A_DIAGNOSIS} If a score worries you, a doctor or therapist can help you "
        "make sense of it."
    )
    console.print("Saved. Your results over time: selfback measure history")


def _crisis_text(env: Env) -> str:
    try:
        # Imported by name: the safety module may be missing or broken, and this screen
        # must still show something.
        crisis = importlib.import_module("selfback.safety.crisis")
        text = crisis.crisis_text(env.paths, color=env.color, compact=True)
        if isinstance(text, str) and text.strip():
            return text.rstrip("\n")
    except Exception:
        pass
    return FALLBACK_CRISIS


def _record_opening(env: Env, source: str) -> None:
    # A log entry is never worth failing the crisis screen for.
    with contextlib.suppress(Exception):
        importlib.import_module("selfback.safety.crisis").record_opening(env.paths, source)


def _show_crisis(
    env: Env, console: Console, *, source: str = "measure", offer_plan: bool = True
) -> None:
    console.print()
    if offer_plan:
        console.print(
            "[bold]You said thoughts of hurting yourself, or of being better off dead, have "
            "come up.[/bold] Thank you for answering honestly. You deserve support with "
            "this, and it is there right now:"
        )
        console.print()
    # The crisis text may carry its own colour codes: write it as it is.
    text = _crisis_text(env)
    env.stdout.write(text + "\n")
    env.stdout.flush()
    _record_opening(env, source)
    if offer_plan and "selfback plan" not in text:
        console.print()
        if env.paths.plan_file.exists():
            console.print(
                "Your safety plan is there for moments like this: selfback plan show "
                "(change it with selfback plan edit)."
            )
        else:
            console.print(
                "A safety plan can help with moments like this. Make one, at your own pace: "
                "selfback plan edit"
            )
    console.print()
