"""`selfback measure [phq9|gad7|who5|pcl5|phq2|gad2|history]`: standard questionnaires.

Only typer and the standard library are imported at module level; rich, pydantic, the
instrument data and sqlite3 load inside the command.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import typer

from selfback.env import current_env
from selfback.text import clean_line

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
  selfback measure phq9            take one (also gad7, who5, pcl5, phq2, gad2)
  selfback measure history [phq9]  your past results (--json for scripts)

Self-report, not a diagnosis.
"""

NOT_A_DIAGNOSIS = "Self-report, not a diagnosis."
CLEAR = "\x1b[H\x1b[2J"


def register(app: typer.Typer) -> None:
    @app.command("measure", help=HELP)
    def measure(
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

        env = current_env()
        if plain:
            env.force_plain = True
        word = (name or "").strip().lower()
        if word in ("", "list", "ls"):
            if which is not None:
                raise UsageError(
                    "selfback measure lists the measures and takes no other name. "
                    "To take one, run for example: selfback measure phq9"
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
                f"selfback measure {instrument.id} takes no second name. "
                f"For past results run: selfback measure history {instrument.id}"
            )
        if json_out:
            raise UsageError(
                "--json works with selfback measure and selfback measure history; "
                f"to take the {instrument.name}, run: selfback measure {instrument.id}"
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
                "time_frame": inst.time_frame,
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
    frames: dict[str, list[str]] = {}
    for inst in instruments().values():
        frames.setdefault(inst.time_frame, []).append(inst.name)
    if len(frames) == 1:
        console.print(f"All ask about {_esc(next(iter(frames)).lower())}. {NOT_A_DIAGNOSIS}")
    else:
        parts = [f"{', '.join(names)}: {frame.lower()}" for frame, names in frames.items()]
        console.print(_esc("Time asked about. " + "; ".join(parts) + "."))
        console.print(NOT_A_DIAGNOSIS)


# --- history --------------------------------------------------------------------------------


PARTIAL_LABEL = "partial, not scored"


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
        if r.partial:
            # Kept for its item-9 answer: never a score, never a point of change.
            entries.append(
                {
                    "uid": r.uid,
                    "instrument": r.instrument,
                    "name": info["name"],
                    "instrument_version": r.instrument_version,
                    "taken_at": r.taken_at.isoformat(),
                    "answers": list(r.answers),
                    "partial": True,
                    "total": None,
                    "score": None,
                    "max_score": info["max_display"],
                    "unit": info["display_unit"],
                    "band": r.band,
                    "band_label": PARTIAL_LABEL,
                    "change": None,
                    "flags": list(r.flags),
                }
            )
            continue
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
                "partial": False,
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
        console.print("(or gad7, who5, phq2, gad2; selfback measure lists them)")
        return

    lines: list[tuple[str, str, str, str, str, str]] = []
    flagged = partial_seen = False
    for e, r in zip(entries, results, strict=True):
        change = ""
        if e["change"] is not None:
            change = f"{e['change']:+d}" if e["change"] else "same"
        note = ""
        if "phq9-item9" in e["flags"]:
            note = "item 9 flag"
            flagged = True
        if e["partial"]:
            partial_seen = True
            shown, band = PARTIAL_LABEL, "-"
        else:
            shown, band = _score_text(r.instrument, r.total), str(e["band_label"])
        lines.append(
            (
                r.taken_at.strftime("%Y-%m-%d %H:%M"),
                clean_line(e["name"]),
                shown,
                clean_line(band),
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
            text = f"{when}  {name}  {shown}" + (f" ({band})" if band != "-" else "")
            if change:
                text += f", change {change}"
            if note:
                text += f", {note}"
            console.print(_esc(text))
    console.print()
    if flagged:
        console.print(
            "Item 9 flag: the question about thoughts of hurting yourself or of being better "
            "off dead was answered above 0. If those thoughts are with you now, selfback sos "
            "shows help at once."
        )
    if partial_seen:
        console.print(
            "Partial, not scored: you stopped after question 9, so there is no score; the "
            "answer to question 9 was kept."
        )
    console.print(
        "Change is against the previous result of the same measure. On the PHQ and GAD "
        "measures lower means fewer problems; on the WHO-5 higher means better well-being."
    )
    console.print(NOT_A_DIAGNOSIS)


# --- taking one ---------------------------------------------------------------------------

QUIT_WORDS = frozenset({"q", "quit", "stop", "exit"})
# Like !, these open the crisis screen at any question (what a person in trouble may type).
CRISIS_WORDS = frozenset({"!", "sos", "help", "selfback sos", "crisis"})
ITEM9_LEAD = (
    "You said thoughts of hurting yourself, or of being better off dead, have come up. "
    "Thank you for answering honestly. You deserve support with this, and it is there "
    "right now:"
)


class _Quit(Exception):
    """The person typed q."""


class _Run:
    """What one sitting has done so far: a kept partial result, crisis help shown."""

    def __init__(self, env: Env, store: Store, session: Session) -> None:
        from selfback.store.db import new_uid

        self.env = env
        self.store = store
        self.session = session
        self.uid = new_uid()  # the result's uid: a partial one kept now, the full one later
        self.partial_saved = False
        self.opening_recorded = False

    def crisis_item_answered(self) -> None:
        """A crisis item was just answered at or above its level: keep it at once."""
        from selfback.measures.session import keep_partial

        with contextlib.suppress(Exception):  # shown already; the final save still runs
            if keep_partial(self.store, self.session, self.env.clock.now(), uid=self.uid):
                self.partial_saved = True

    def record_opening(self) -> None:
        if not self.opening_recorded:
            self.opening_recorded = True
            from selfback.safety.crisis import record_opening

            record_opening(self.env.paths, "measure")

    def record_flag(self) -> None:
        flag = self.session.crisis_flag
        if flag is not None:
            from selfback.safety.risk import record_flag

            record_flag(self.env.paths, source="measure", kind=flag, ref_uid=self.uid)

    def stop(self) -> bool:
        """The person stopped: keep the partial result (True) or take it back."""
        from selfback.measures.session import drop_partial, keep_partial

        if self.session.crisis_flag is not None:
            try:
                keep_partial(self.store, self.session, self.env.clock.now(), uid=self.uid)
                self.partial_saved = True
            except Exception:
                pass  # the row kept when the item was answered stays as it was
            if self.partial_saved:
                self.record_flag()
            return self.partial_saved
        if self.partial_saved:
            with contextlib.suppress(Exception):
                drop_partial(self.store, self.uid)
        return False


def take(env: Env, instrument: Instrument) -> None:
    from selfback.errors import ExitCode
    from selfback.measures.session import Session, save_score
    from selfback.store.db import open_store

    # Open the database first: if it is broken, say so before asking nine questions.
    store = open_store(env.paths)
    try:
        session = Session(instrument)
        console = _console(env)
        run = _Run(env, store, session)
        stopped: tuple[str, int] | None = None
        try:
            _ask_all(env, console, session, run)
        except _Quit:
            stopped = ("Stopped.", ExitCode.OK)
        except KeyboardInterrupt:
            # One kind line and exit 130 (Typer would otherwise swallow Ctrl-C silently).
            stopped = ("Stopped.", ExitCode.INTERRUPTED)
        except EOFError:
            stopped = ("No more input, so the questionnaire stopped.", ExitCode.PROBLEM)
        if stopped is not None:
            kept = run.stop()
            _stopped(env, stopped[0], instrument, kept)
            raise typer.Exit(stopped[1])
        result = session.score()
        saved = save_score(store, result, env.clock.now(), replace_uid=run.uid)
        if result.crisis:
            run.record_flag()
    finally:
        store.close()
    _clear(env)
    if result.crisis:
        # Crisis help first, where the eye lands; the score after it.
        _show_crisis(env, console, lead=ITEM9_LEAD)
        if not run.opening_recorded:
            run.record_opening()
    _show_result(env, console, result, saved)
    console.print()
    console.print(f"[dim]{_esc(result.instrument.attribution)}[/dim]")


def _stopped(env: Env, first: str, instrument: Instrument, kept: bool) -> None:
    if kept:
        what = (
            f"Your answers so far were kept as a partial {instrument.name} result, flagged "
            "for question 9 and not scored. selfback measure history shows it."
        )
    else:
        what = f"Nothing from this {instrument.name} was saved."
    from selfback.cli.hear import wrapped

    text = f"{first} {what} Take care of yourself; selfback sos is here if you need it."
    env.stderr.write("\n" + wrapped(env, text) + "\n")
    env.stderr.flush()


def _clear(env: Env) -> None:
    if env.interactive and not env.plain:
        env.stdout.write(CLEAR)
        env.stdout.flush()


def _ask_all(env: Env, console: Console, session: Session, run: _Run) -> None:
    from selfback.ui.prompt import read_line

    inst = session.instrument
    first_screen = True
    keep_screen = False  # crisis help was just shown: leave it on screen
    while not session.done:
        item = session.item
        options = session.options
        lo, hi = options[0].value, options[-1].value
        if not first_screen and not keep_screen:
            _clear(env)
        first_screen = keep_screen = False
        progress = session.progress
        where = f"question {progress[0]} of {progress[1]}" if progress else "one last question"
        console.print(f"[bold]{_esc(inst.name)}[/bold] · {where}")
        if progress is not None and progress[0] == 1 and session.current_answer is None:
            for line in (inst.instructions, inst.intro):
                if line:
                    console.print(_esc(line))
            if inst.instructions or inst.intro:
                console.print()
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
            f"  [dim]Type {lo}-{hi} and press Enter{back}. q stops; ! or sos shows crisis "
            "help.[/dim]"
        )
        while True:
            raw = " ".join(read_line(env, "Your answer: ").split()).lower()
            if raw == "":
                console.print(f"  No rush. Type a number from {lo} to {hi}, then press Enter.")
                continue
            if raw in QUIT_WORDS:
                raise _Quit
            if raw in ("b", "back"):
                if session.back():
                    break
                console.print("  This is the first question, so there is nothing to go back to.")
                continue
            if raw in CRISIS_WORDS:
                _show_crisis(env, console, source="key", offer_plan=False)
                continue
            if raw.isdigit() and lo <= int(raw) <= hi:
                value = int(raw)
                session.answer(value)
                if item.crisis and value >= item.flag_at:
                    # At once, before the next question; the answer is kept even if the
                    # person stops now.
                    _show_crisis(env, console, lead=ITEM9_LEAD)
                    run.record_opening()
                    run.crisis_item_answered()
                    if not session.done:
                        console.print(
                            "Your answers so far are kept, even if you stop now (type q). "
                            "The questionnaire goes on below."
                        )
                        console.print()
                        keep_screen = True
                break
            console.print(
                f"  Please type a number from {lo} to {hi}"
                + (", or b to go back" if not session.at_start else "")
                + ". q stops; ! shows crisis help."
            )


def _show_result(env: Env, console: Console, result: Score, saved: Saved) -> None:
    from selfback.measures.library import get_instrument
    from selfback.measures.reminders import retake_words
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
            f"  This is your first {_esc(inst.name)} here. Taking it again in "
            f"{retake_words(inst.retake_after_days)} shows how things move."
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


def _show_crisis(
    env: Env,
    console: Console,
    *,
    source: str | None = None,
    offer_plan: bool = True,
    lead: str | None = None,
) -> None:
    """The short crisis text; ``source`` records an opening (the ! key: "key")."""
    from selfback.cli.hear import crisis_block
    from selfback.safety.crisis import record_opening

    console.print()
    if lead:
        console.print(f"[bold]{_esc(lead)}[/bold]")
        console.print()
    # The crisis text may carry its own colour codes: write it as it is.
    text = crisis_block(env)
    env.stdout.write(text + "\n")
    env.stdout.flush()
    if source is not None:
        record_opening(env.paths, source)
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
