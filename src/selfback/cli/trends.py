"""`selfback trends`: mood, sleep and distress over time, what helped, and measures.

Charts are tables with bars: coloured blocks on a colour terminal, # marks in plain mode
(numbers always come first, so a screen reader reads the value, not the bar).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from selfback.cli.context import env_of
from selfback.text import clean_line, terminal_width, wrap

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.insights.summary import Summary


def _bar(value: float | None, top: float, width: int, *, plain: bool) -> str:
    if value is None or top <= 0:
        return ""
    filled = max(0.0, min(1.0, value / top)) * width
    if plain:
        return "#" * round(filled)
    full = int(filled)
    parts = "▏▎▍▌▋▊▉"
    rest = filled - full
    tail = parts[int(rest * 8) - 1] if rest >= 0.125 else ""
    return "█" * full + tail


def _period_label(start: Any, end: Any, bucket: str) -> str:
    from selfback.export.report_text import short_date

    if bucket == "day":
        return f"{start.strftime('%a')} {short_date(start)}"
    if bucket == "week":
        return f"week of {short_date(start)}"
    return f"{start.strftime('%b')} {start.year}"


class _Grid:
    """A small aligned table drawn as text (rich's Table measures every cell several
    times, which costs a noticeable fraction of a second on a year of data)."""

    def __init__(self, *, plain: bool, show_header: bool = True, title: str = "") -> None:
        self.plain = plain
        self.show_header = show_header
        self.title = title
        self.headers: list[str] = []
        self.right: list[bool] = []
        self.rows: list[list[Any]] = []

    def add_column(self, name: str, justify: str = "left") -> None:
        self.headers.append(name)
        self.right.append(justify == "right")

    def add_row(self, *cells: Any) -> None:
        self.rows.append(list(cells))

    def draw(self, out: Any, width: int = 10_000) -> None:
        from rich.cells import cell_len
        from rich.text import Text

        rows = [[c if isinstance(c, Text) else Text(str(c)) for c in r] for r in self.rows]
        widths = [cell_len(h) if self.show_header else 0 for h in self.headers]
        for r in rows:
            for i, c in enumerate(r):
                widths[i] = max(widths[i], cell_len(c.plain))
        sep = " | " if self.plain else "  "
        if self.title:
            out.append("\n".join(wrap(self.title, width)) + "\n")
        if sum(widths) + len(sep) * (len(widths) - 1) > width:
            self._draw_stacked(out, rows, width)
            return
        if self.show_header:
            line = Text()
            for i, h in enumerate(self.headers):
                pad = " " * (widths[i] - cell_len(h))
                line.append(pad + h if self.right[i] else h + pad, style="bold")
                if i < len(widths) - 1:
                    line.append(sep)
            line.rstrip()
            out.append(line)
            out.append("\n")
            rule = ("-+-" if self.plain else "  ").join(
                ("-" if self.plain else "─") * w for w in widths
            )
            out.append(rule + "\n", style="dim")
        for r in rows:
            line = Text()
            for i, c in enumerate(r):
                pad = " " * (widths[i] - cell_len(c.plain))
                if self.right[i]:
                    line.append(pad)
                    line.append(c)
                else:
                    line.append(c)
                    line.append(pad)
                if i < len(r) - 1:
                    line.append(sep)
            line.rstrip()
            out.append(line)
            out.append("\n")

    def _draw_stacked(self, out: Any, rows: list[list[Any]], width: int) -> None:
        """Too wide for the terminal: each row as its first cell, then one "column: value"
        line for each other cell that says something (wrapped by whole words)."""
        from rich.text import Text

        for r in rows:
            rest = []
            for header, cell in zip(self.headers[1:], r[1:], strict=False):
                lead = len(cell.plain) - len(cell.plain.lstrip())
                if cell.plain.strip() not in {"", "-"}:
                    rest.append((header, cell[lead:]))
            if not rest:
                out.append(Text(r[0].plain + ("  -" if len(r) > 1 else "")))
                out.append("\n")
                continue
            out.append(r[0])
            out.append("\n")
            for header, cell in rest:
                label = f"{header}: " if self.show_header else ""
                if 2 + len(label) + len(cell.plain) <= width:
                    out.append("  " + label)
                    out.append(cell)
                else:
                    lines = wrap(label + cell.plain, width, indent="  ", subsequent_indent="    ")
                    out.append("\n".join(lines))
                out.append("\n")


def render(env: Env, s: Summary) -> None:  # noqa: C901 - one screen, top to bottom
    from rich.text import Text

    from selfback.export.report_text import NO_AFTER, fmt1, plural, short_date
    from selfback.insights.summary import SMALL_CHECKIN_SAMPLE
    from selfback.periods import pretty_range
    from selfback.skills.situation_names import situation_name
    from selfback.ui.console import make_console

    con = make_console(env)
    plain = not env.color
    # Not a terminal and no COLUMNS: one line per row, as wide as it takes (for a pipe).
    width = terminal_width(env.stdout, default=10_000)
    o = s.overview
    rng = s.range
    buffer = Text()

    class _Out:
        """Everything goes into one Text, printed once at the end."""

        def print(self, item: Any = "") -> None:
            if isinstance(item, _Grid):
                item.draw(buffer, width)
                return
            text = item if isinstance(item, Text) else Text(str(item))
            if len(text.plain) > width:  # wrapped here by whole words, never by the terminal
                text = Text("\n".join(wrap(text.plain, width)), style=text.style)
            buffer.append(text)
            buffer.append("\n")

    out = _Out()

    def head(text: str) -> None:
        out.print()
        out.print(Text(text, style="bold"))

    out.print(Text(f"Your trends: {pretty_range(rng)} ({plural(rng.days, 'day')})", style="bold"))
    out.print(
        f"{plural(o.checkins, 'check-in')} on {plural(o.checkin_days, 'day')}, "
        f"{plural(o.sessions, 'coping session')}, {plural(o.measures, 'questionnaire')}."
    )
    if s.empty:
        out.print()
        out.print(
            "Nothing logged in this period yet. When you check in (selfback checkin) or use "
            "a skill (selfback cope), patterns show up here. Try a longer period with "
            "--since 1y or --since all."
        )
        con.print(buffer, end="", soft_wrap=True)
        return
    if o.checkins and o.checkins < SMALL_CHECKIN_SAMPLE:
        out.print(
            Text(
                f"Small sample: only {plural(o.checkins, 'check-in')}, so read these as single "
                "days, not patterns.",
                style="italic",
            )
        )

    # -- mood, anxiety, sleep, distress over time -------------------------------------------
    if o.checkins or o.sessions:
        bucket = s.series.bucket
        head(
            {
                "day": "Mood, anxiety, sleep and distress by day",
                "week": "Mood, anxiety, sleep and distress by week (averages)",
                "month": "Mood, anxiety, sleep and distress by month (averages)",
            }[bucket]
        )
        t = _Grid(plain=plain)
        t.add_column("Period")
        t.add_column("Mood 0-10")
        t.add_column("Anxiety 0-10")
        t.add_column("Sleep h")
        t.add_column("Distress before → after a skill")
        for p in s.series.points:
            if not p.checkins and not p.sessions:
                t.add_row(_period_label(p.start, p.end, bucket), "-", "", "", "")
                continue
            few = " (1 check-in)" if p.checkins == 1 and bucket != "day" else ""
            mood = Text(f"{fmt1(p.mood):>4} ")
            mood.append(_bar(p.mood, 10, 10, plain=plain), style="blue")
            anx = Text(f"{fmt1(p.anxiety):>4} ")
            anx.append(_bar(p.anxiety, 10, 10, plain=plain), style="yellow")
            sleep = Text(f"{fmt1(p.sleep):>4} ")
            sleep.append(_bar(p.sleep, 12, 8, plain=plain), style="cyan")
            distress = (
                f"{fmt1(p.distress_before)} → {fmt1(p.distress_after)} ({p.sessions})"
                if p.sessions
                else ""
            )
            t.add_row(_period_label(p.start, p.end, bucket) + few, mood, anx, sleep, distress)
        out.print(t)

    # -- check-in days ------------------------------------------------------------------
    if o.checkins:
        per_week = s.checkin_days_bucket == "week"
        head("Days with a check-in" + (" each week" if per_week else " each month"))
        t = _Grid(plain=plain, show_header=False)
        t.add_column("Period")
        t.add_column("Days")
        for cd in s.checkin_days:
            label = (
                f"week of {short_date(cd.start)}"
                if per_week
                else f"{cd.start.strftime('%b')} {cd.start.year}"
            )
            text = Text(f"{cd.days_with_checkin} of {cd.days} ")
            if per_week:
                mark = "#" if plain else "●"
                empty = "." if plain else "○"
                text.append(mark * cd.days_with_checkin, style="green")
                text.append(empty * (cd.days - cd.days_with_checkin), style="dim")
            else:
                text.append(f"(about {cd.per_week:.1f} a week)")
            t.add_row(label, text)
        out.print(t)
        out.print(Text("Any day you check in counts. Gaps are fine.", style="dim"))

    # -- skills -------------------------------------------------------------------------
    if s.skills:
        head("Which skills helped (distress 0-10 before → after)")
        t = _Grid(plain=plain)
        t.add_column("Skill")
        t.add_column("Situation")
        t.add_column("Uses", justify="right")
        t.add_column("Before → after")
        t.add_column("Dropped by 2+")
        small_seen = False
        for sk in s.skills:
            rows = sk.situations if len(sk.situations) > 1 else []
            for k, row in enumerate([sk, *rows]):
                name = clean_line(sk.title) if k == 0 else ""
                situation = clean_line(
                    ("all" if rows else situation_name(sk.situations[0].situation or "-"))
                    if k == 0
                    else (situation_name(row.situation) if row.situation else "not said")
                )
                if row.rated:
                    ba = f"{fmt1(row.before_avg)} → {fmt1(row.after_avg)}"
                    share = row.share_dropped_2 or 0.0
                    drop = f"{row.dropped_2} of {row.rated} ({share:.0%})"
                    if row.small_sample:
                        drop += " few uses"
                        small_seen = True
                else:
                    ba, drop = NO_AFTER, "-"
                t.add_row(name, situation, str(row.uses), ba, drop)
        out.print(t)
        if small_seen:
            out.print(Text("'few uses': fewer than 5 rated uses, so it may change.", style="dim"))

    # -- measures -----------------------------------------------------------------------
    if s.measures or s.measure_flags:
        head("Questionnaires (self-report, not a diagnosis)")
        flagged = False
        for m in s.measures:
            t = _Grid(plain=plain)
            t.title = f"{clean_line(m.name)} (0-{m.max_display}{m.unit}, higher is {m.higher_is})"
            t.add_column("Date")
            t.add_column("Score")
            t.add_column("Band")
            if m.instrument == "phq9":
                t.add_column("Item 9")
            for mp in m.points:
                score = Text(f"{mp.display:>3}{m.unit} ")
                score.append(_bar(mp.display, m.max_display or 1, 12, plain=plain), style="magenta")
                cells: list[Any] = [mp.taken_at[:10], score, clean_line(mp.band_label)]
                if m.instrument == "phq9":
                    if mp.flagged:
                        flagged = True
                        cells.append(
                            Text(
                                f"flag ({mp.item9 if mp.item9 is not None else '?'})",
                                style="bold red",
                            )
                        )
                    else:
                        cells.append("-" if mp.item9 is None else str(mp.item9))
                t.add_row(*cells)
            out.print(t)
            if m.change is not None:
                word = "up" if m.change > 0 else ("down" if m.change < 0 else "no change")
                change = f"{abs(m.change)}{m.unit} {word}" if m.change else word
                if m.meaningful_change is not None and abs(m.change) >= m.meaningful_change:
                    change += (
                        f" (a change of {m.meaningful_change} or more is usually seen as "
                        "meaningful)"
                    )
                out.print(f"  Since {short_date(m.first.day)}: {change}.")
            else:
                out.print("  One result so far: no change to show yet.")
        if s.measure_flags:
            flagged = True
            out.print(Text("Partial, not scored (stopped after question 9, which was kept):"))
            for mf in s.measure_flags:
                answer = f" ({mf.item9})" if mf.item9 is not None else ""
                line = Text(f"  {mf.taken_at[:10]}  {clean_line(mf.name)}  ")
                line.append(f"item 9 flag{answer}", style="bold red")
                out.print(line)
        if flagged:
            out.print(
                Text(
                    "Item 9 asks about thoughts of being better off dead or of hurting yourself. "
                    "If those thoughts are with you now, selfback sos shows crisis lines and "
                    "your safety plan at once.",
                    style="bold",
                )
            )

    # -- influence (associations, never cause) --------------------------------------------
    if s.influence is not None and s.influence.rows:
        from selfback.export.report_tables import influence_table

        table = influence_table(s)
        if table is not None:
            head("Mood on days with and without (associations, not causes)")
            t = _Grid(plain=plain)
            for i, h in enumerate(table.headers):
                t.add_column(h, justify="right" if i in table.numeric else "left")
            for cells_row in table.rows:
                t.add_row(*(clean_line(c) if isinstance(c, str) else c for c in cells_row))
            out.print(t)
            for note in table.notes:
                out.print(Text(note.replace("this person's own", "your own"), style="dim"))

    out.print()
    out.print("For your therapist: selfback export makes a report (html, pdf or md).")
    con.print(buffer, end="", soft_wrap=True)


def register(app: typer.Typer) -> None:
    @app.command("trends")
    def trends(
        ctx: typer.Context,
        since: str = typer.Option(
            "90d",
            "--since",
            "--from",
            metavar="PERIOD",
            help="Start of the period: 90d, 12w, 6m, 1y, a date (2026-01-31) or all. Also --from.",
        ),
        until: str | None = typer.Option(
            None,
            "--until",
            "--to",
            metavar="DATE",
            help="End of the period (inclusive): a date, today or yesterday. Also --to.",
        ),
        json_out: bool = typer.Option(False, "--json", help="Print JSON (nothing else)."),
    ) -> None:
        """Charts and patterns: mood, sleep, distress, what helped, questionnaires."""
        import json

        from selfback.insights.summary import build_summary, jsonable, resolve_range
        from selfback.periods import DateRange, parse_period
        from selfback.store.db import database_exists, open_store

        env = env_of(ctx)
        now = env.clock.now()
        spec = parse_period(since, until, now.date(), default_since="90d", default_until_today=True)
        if not database_exists(env.paths):
            from selfback.insights.summary import (
                Overview,
                Series,
                Summary,
            )

            rng = DateRange(spec.since or now.date(), spec.until or now.date())
            summary = Summary(rng, now, Overview(), Series("day", []), [], "week", [], [], [])
        else:
            with open_store(env.paths) as store:
                rng = resolve_range(store, spec, now.date())
                # Start at the first entry: weeks before someone began are not gaps.
                from selfback.insights.summary import first_and_last_dates

                first, _ = first_and_last_dates(store)
                if first is not None and rng.start < first <= rng.end:
                    rng = DateRange(first, rng.end)
                bucket_points = 14 if rng.days <= 14 else 26
                summary = build_summary(
                    store,
                    rng,
                    generated_at=now,
                    max_points=bucket_points,
                    include_crisis=False,
                )
        if json_out:
            env.stdout.write(json.dumps(jsonable(summary), indent=2, ensure_ascii=False) + "\n")
            return
        render(env, summary)
