"""The PDF report, read back with pypdf: every character of the notes is drawn (CJK,
Arabic and Hebrew shaped right to left, emoji) or a marker and one plain notice say it
could not be; safety-plan steps are never split over pages; headings never stand alone
at the bottom of a page; header words, dates and times are never broken."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from test_export_data import make_log

NOW = "2026-11-21T10:00:00+00:00"
TZ = timezone(timedelta(hours=1))

NOTES = [
    "Zoë — 日本語 — émotions",
    "中文笔记：今天很好",
    "שלום עולם, היום היה קשה",
    "مرحبا بالعالم، كان يوما صعبا",
    "I feel 🧠 ❤️ ok 😀 🫶",
    "한국어 메모",
]
HEADINGS = {
    "Summary",
    "Questionnaires",
    "Coping skills",
    "Safety plan",
    "Details",
    "Questionnaire results",
    "Patterns: mood on days with and without",
    "Most logged tags and emotions",
    "Trackers",
    "Diary card",
    "Coping sessions",
    "Check-ins",
    "Crisis-screen openings",
    "About this report",
}


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def set_notes(notes: list[str]) -> None:
    """Put ``notes`` on the newest check-ins, newest first."""
    from selfback.paths import get_paths
    from selfback.store.db import open_store

    with open_store(get_paths()) as store, store.tx() as db:
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM checkins ORDER BY ts_utc DESC LIMIT ?", (len(notes),)
            )
        ]
        for cid, note in zip(ids, notes, strict=True):
            db.execute("UPDATE checkins SET note = ? WHERE id = ?", (note, cid))


def long_plan(items: int = 12) -> dict[str, Any]:
    """A safety plan whose every step is long: its words are tagged sKiJ so each step's
    text can be found on the pages."""
    keys = [
        "warning_signs",
        "coping",
        "distractions",
        "helpers",
        "professionals",
        "safer",
        "reasons",
    ]
    plan: dict[str, Any] = {"format": "selfback-safety-plan", "schema": 1, "coping_skills": []}
    for k, key in enumerate(keys, start=1):
        entries = [
            f"s{k}i{j} something that helps on a hard evening, written out in full words"
            for j in range(1, items + 1)
        ]
        if key in ("helpers", "professionals"):
            plan[key] = [{"name": e, "reach": f"0770090{k}{j:03d}"} for j, e in enumerate(entries)]
        else:
            plan[key] = entries
    return plan


def save_plan(plan: dict[str, Any]) -> None:
    from selfback.paths import get_paths
    from selfback.store.db import open_store

    saved = datetime(2026, 11, 20, 12, 0, tzinfo=TZ)
    with open_store(get_paths()) as store, store.tx() as db:
        db.execute(
            "INSERT INTO safety_plan_versions (uid, saved_at, saved_utc, plan) VALUES (?, ?, ?, ?)",
            (
                "f" * 32,
                saved.isoformat(),
                saved.astimezone(UTC).isoformat(),
                json.dumps(plan, ensure_ascii=False),
            ),
        )


def export_pdf(cli: Any, tmp_path: Path, *extra: str, name: str = "r.pdf") -> tuple[Path, Any]:
    out = tmp_path / name
    out.unlink(missing_ok=True)
    result = cli("export", "--format", "pdf", "--output", str(out), *extra)
    assert result.exit_code == 0, result
    return out, result


def pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(str(path)).pages]


def said(stdout: str) -> str:
    """What the terminal said, as one line (it is wrapped to the terminal's width)."""
    return " ".join(stdout.split())


def visible(text: str) -> list[str]:
    return [
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch) != "Cf" and not 0xFE00 <= ord(ch) <= 0xFE0F
    ]


def test_every_character_is_drawn_or_the_notice_says_so(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    """Whatever fonts this computer has: each character is in the PDF, or the page-one
    notice and one terminal line say some could not be drawn (and [?] marks where)."""
    from selfback.export.pdf import MARKER, MISSING_NOTICE, TERMINAL_NOTICE

    make_log(days=90)
    set_notes(NOTES)
    out, result = export_pdf(cli, tmp_path, "--notes", "--since", "90d")
    text = pages(out)
    whole = "\n".join(text)
    flat = " ".join(whole.split())
    noticed = MISSING_NOTICE in " ".join(text[0].split())
    missing = [ch for note in NOTES for ch in visible(note) if ch not in whole]
    if missing:
        assert noticed, missing
        assert MARKER in whole
        assert said(result.stdout).count(TERMINAL_NOTICE) == 1
    else:
        assert not noticed and TERMINAL_NOTICE not in said(result.stdout)
    # the bundled font always draws these, right to left and shaped (never reversed)
    for note in NOTES[2:4]:
        assert note in flat, note
    assert "Zoë" in flat and "émotions" in flat
    # fpdf2's own lines never reach the terminal
    assert result.stderr == ""


def test_characters_no_font_has_get_a_marker_and_one_notice(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a computer without CJK or emoji fonts (none are looked up here)."""
    from selfback.export import fonts
    from selfback.export.pdf import MARKER, MISSING_NOTICE, TERMINAL_NOTICE

    monkeypatch.setattr(fonts.FallbackFinder, "find", lambda self, ch: None)
    make_log(days=30)
    set_notes(NOTES)
    out, result = export_pdf(cli, tmp_path, "--notes", "--since", "30d")
    text = pages(out)
    first = " ".join(text[0].split())
    flat = " ".join(" ".join(text).split())
    assert MISSING_NOTICE in first  # said on page one...
    assert flat.count(MISSING_NOTICE) == 2  # ... and under "About this report"
    assert "Zoë — [?] — émotions" in flat  # one marker for each run of missing characters
    assert f"{MARKER}：{MARKER}" in flat or f"{MARKER}" in flat
    assert "日" not in flat
    for note in NOTES[2:4]:
        assert note in flat, note
    assert said(result.stdout).count(TERMINAL_NOTICE) == 1
    assert result.stderr == ""


def test_without_any_unicode_font_the_notice_is_given_too(
    cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selfback.export import pdf

    monkeypatch.setattr(pdf, "find_font", lambda: None)
    make_log(days=20)
    set_notes(NOTES[:1])
    out, result = export_pdf(cli, tmp_path, "--notes", "--since", "20d")
    flat = " ".join(" ".join(pages(out)).split())
    assert "Zo\u00eb - [?] - \u00e9motions" in flat
    assert pdf.TERMINAL_NOTICE in said(result.stdout) and result.stderr == ""


def test_each_safety_plan_step_sits_on_one_page(cli: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=90)
    save_plan(long_plan(items=24))
    out, _result = export_pdf(cli, tmp_path, "--include-plan", "--since", "90d", "--paper", "a4")
    text = pages(out)
    assert len(text) > 2
    flat = [" ".join(t.split()) for t in text]
    spread = set()
    for k in range(1, 8):
        tags = [f"s{k}i{j}" for j in range(1, 25)]
        where = {n for n, t in enumerate(flat) for tag in tags if re.search(rf"\b{tag}\b", t)}
        assert len(where) == 1, (k, where)  # every item of the step on the same page
        spread |= where
    assert len(spread) > 1  # the plan runs over several pages, and no step is cut
    # and each step's title is on that page too
    for n, t in enumerate(flat):
        for k in range(1, 7):
            if re.search(rf"\bs{k}i1\b", t):
                assert re.search(rf"\b{k}\. ", t), (k, n)


def last_line(page: str) -> str:
    lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
    body = [ln for ln in lines if not re.search(r"page \d+/\d+$", ln)]
    return body[-1] if body else ""


def add_trackers(n: int, start: int = 0) -> None:
    """``n`` more trackers answered on the newest check-in: the Trackers table grows by
    ``n`` rows, which moves everything after it down the page."""
    from selfback.paths import get_paths
    from selfback.store.db import open_store

    with open_store(get_paths()) as store, store.tx() as db:
        [cid] = db.execute("SELECT id FROM checkins ORDER BY ts_utc DESC LIMIT 1").fetchone()
        for k in range(start, start + n):
            db.execute(
                "INSERT INTO checkin_values (checkin_id, tracker_id, tracker_version, label,"
                " kind, value_num, value_text, unit) VALUES (?, ?, 1, ?, 'scale', 3, NULL, NULL)",
                (cid, f"extra{k:02d}", f"Extra tracker {k}"),
            )


def test_no_heading_is_left_at_the_bottom_of_a_page(cli: Any, home: Path, tmp_path: Path) -> None:
    """The headings after the Trackers table (Diary card, Coping sessions, Check-ins...)
    land at every height of the page as the table grows, a page's height in all; none
    is ever the last line of a page."""
    make_log(days=40)
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    for k in range(12):
        day = datetime(2026, 11, 21, tzinfo=TZ) - timedelta(days=3 * k)
        result = cli(
            "checkin",
            "--at",
            f"{day.date().isoformat()} 08:00",
            "--mood",
            "5",
            "--set",
            f"urge_selfharm={k % 3}",
        )
        assert result.exit_code == 0, result
    seen = set()
    step = 4  # rows (about 18 mm): less than the room a week of the diary card needs
    for n in range(0, 68, step):
        if n:
            add_trackers(step, start=n)
        out, _result = export_pdf(cli, tmp_path, "--since", "40d", name=f"r{n}.pdf")
        text = pages(out)
        for k, page in enumerate(text[:-1]):
            last = last_line(page)
            seen.add(last)
            assert last not in HEADINGS, (n, k + 1, last)
            assert not re.fullmatch(r"Week of \d+ \w+ \d{4}", last), (n, k + 1, last)
    assert len(seen) > 3  # the pages really ended in different places


def test_headers_dates_and_times_are_never_broken(cli: Any, home: Path, tmp_path: Path) -> None:
    make_log(days=60)
    out, _result = export_pdf(cli, tmp_path, "--notes", "--include-crisis", "--since", "60d")
    text = "\n".join(pages(out))
    for word in ("Date", "Time", "Mood", "Anxiety", "Energy", "Sleep", "Trackers", "Note"):
        assert re.search(rf"(^|\s){word}(\s|$)", text), word
    assert not re.search(r"\bMoo\b|\bAnxie\b|\bEner\b", text)
    assert not re.search(r"\d:\d(\n|$)", text)  # a time cut after its first minute digit
    assert not re.search(r"\d{4}-\d{2}-\d?(\n|$)", text)  # a date cut
    # the fixture's times are at +01:00 and the report was made at +00:00: shown
    assert re.search(r"\d{2}:\d{2} \+01:00", text)
    assert "differs from this report's (+00:00)" in " ".join(text.split())
