"""Trackers in exports: a person's own tracker reaches every format (also after its file is
gone), and the DBT diary card becomes a weekly grid in the html, pdf and md reports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from selfback.export.fhir import SELFBACK_CODES
from test_export import pdf_text, validate_fhir, zip_texts

NOW = "2026-11-21T10:00:00+00:00"  # a Saturday
FORMATS = ["csv", "json", "html", "md", "pdf", "fhir"]


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def export(cli: Callable[..., Any], tmp_path: Path, fmt: str, *extra: str) -> Path:
    out = tmp_path / "out" / ("data.zip" if fmt == "csv" else f"report.{fmt}")
    out.parent.mkdir(exist_ok=True)
    out.unlink(missing_ok=True)
    result = cli("export", "--format", fmt, "--output", str(out), "--since", "30d", *extra)
    assert result.exit_code == 0, result
    if fmt == "fhir":
        validate_fhir(out)
    return out


def checkin(cli: Callable[..., Any], at: str, *args: str) -> None:
    result = cli("checkin", "--at", at, *args)
    assert result.exit_code == 0, result


def write_tracker(home: Path, name: str, text: str) -> Path:
    folder = home / "trackers"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- a person's own tracker -----------------------------------------------------------------


def assert_tracker_in(fmt: str, out: Path, label: str, tracker_id: str, value: int) -> None:
    """The answer, under its stored label, is in the export ``out`` of format ``fmt``."""
    if fmt == "csv":
        files = zip_texts(out)
        rows = list(csv.DictReader(io.StringIO(files["checkins.csv"])))
        column = f"tracker:{tracker_id}"
        assert column in rows[0], list(rows[0])
        assert [r[column] for r in rows] == ["", str(value)]  # blank: not answered
        values = list(csv.DictReader(io.StringIO(files["checkin_values.csv"])))
        assert [(v["tracker_id"], v["label"], v["value_num"]) for v in values] == [
            (tracker_id, label, f"{float(value)}")
        ]
        dictionary = list(csv.DictReader(io.StringIO(files["data_dictionary.csv"])))
        [entry] = [d for d in dictionary if d["column"] == column]
        assert entry["file"] == "checkins.csv" and label in entry["meaning"]
        assert entry["type"] == "number (scale)"
    elif fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        values = [v for c in data["checkins"] for v in c["values"]]
        assert [(v["tracker_id"], v["label"], v["value_num"]) for v in values] == [
            (tracker_id, label, value)
        ]
    elif fmt == "fhir":
        bundle = json.loads(out.read_text(encoding="utf-8"))
        found = [
            c
            for e in bundle["entry"]
            for c in e["resource"].get("component", [])
            if c["code"]["coding"][0]["code"] == f"tracker:{tracker_id}"
        ]
        assert len(found) == 1
        assert found[0]["code"]["coding"][0]["system"] == SELFBACK_CODES
        assert found[0]["code"]["text"] == label and found[0]["valueInteger"] == value
    elif fmt == "html":
        html = out.read_text(encoding="utf-8")
        details = html[html.index('id="details"') :]
        assert f"<td>{label}: {value}</td>" in details  # the check-in's row
        trackers = details[details.index("<h3>Trackers</h3>") :]
        assert f"<td>{label}</td>" in trackers and f"average {value}" in trackers
    elif fmt == "md":
        text = out.read_text(encoding="utf-8")
        assert "### Trackers" in text
        assert f"| {label} | 1 | 1 | average {value} |" in text
    else:
        text = " ".join(pdf_text(out).split())
        assert f"{label}: {value}" in text  # the check-in's row
        assert "Trackers" in text and f"average {value}" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_user_tracker_is_in_every_export(cli: Any, home: Path, tmp_path: Path, fmt: str) -> None:
    write_tracker(home, "pain.yaml", "id: pain\nkind: scale\ntitle: Pain\nmax: 10\n")
    checkin(cli, "2026-11-19 09:00", "--mood", "6")
    checkin(cli, "2026-11-20 09:00", "--mood", "5", "--set", "pain=4")
    out = export(cli, tmp_path, fmt, "--no-notes")
    assert_tracker_in(fmt, out, "Pain", "pain", 4)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_removed_tracker_keeps_its_values_in_every_export(
    cli: Any, home: Path, tmp_path: Path, fmt: str
) -> None:
    path = write_tracker(home, "pain.yaml", "id: pain\nkind: scale\ntitle: Back pain\n")
    checkin(cli, "2026-11-19 09:00", "--mood", "6")
    checkin(cli, "2026-11-20 09:00", "--mood", "5", "--set", "pain=7")
    path.unlink()
    assert cli("checkin", "--mood", "5", "--set", "pain=3").exit_code == 2  # it is gone
    history = json.loads(cli("history", "--json").stdout)
    values = [v for c in history["checkins"] for v in c["values"]]
    assert values == [
        {
            "tracker_id": "pain",
            "tracker_version": 1,
            "label": "Back pain",
            "kind": "scale",
            "value": 7,
            "unit": None,
        }
    ]
    out = export(cli, tmp_path, fmt, "--no-notes")
    assert_tracker_in(fmt, out, "Back pain", "pain", 7)


def test_tracker_columns_by_kind_and_text_only_with_notes(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    write_tracker(home, "water.yaml", "id: water\nkind: number\ntitle: Water\nunit: glasses\n")
    write_tracker(home, "walk.yaml", "id: walked\nkind: yesno\ntitle: Walked\n")
    write_tracker(
        home, "flow.yaml", "id: flow\nkind: choice\ntitle: Flow\noptions: [light, heavy]\n"
    )
    write_tracker(home, "where.yaml", "id: where\nkind: tags\ntitle: Where\n")
    write_tracker(home, "thanks.yaml", "id: thanks\nkind: text\ntitle: Grateful for\n")
    checkin(
        cli,
        "2026-11-20 09:00",
        "--mood",
        "5",
        "--set",
        "water=2.5",
        "--set",
        "walked=yes",
        "--set",
        "flow=2",
        "--set",
        "where=-knee, =back",
    )
    # a text answer is typed, never given on the command line: mood, five everyday
    # questions skipped, flow skipped, the text, then walked, water, where and the note
    answers = "5\n" + "\n" * 5 + "\n" + "the sea\n" + "\n" * 4
    r = cli("checkin", "--at", "2026-11-21 08:00", input=answers)
    assert r.exit_code == 0, r
    files = zip_texts(export(cli, tmp_path, "csv", "--no-notes"))
    rows = list(csv.DictReader(io.StringIO(files["checkins.csv"])))
    wide = {k: v for k, v in rows[0].items() if k.startswith("tracker:")}
    assert wide == {
        "tracker:flow": "heavy",
        "tracker:walked": "yes",
        "tracker:water": "2.5",
        "tracker:where": "'-knee; =back",  # a formula start is neutralised
    }
    dictionary = list(csv.DictReader(io.StringIO(files["data_dictionary.csv"])))
    types = {d["column"]: d["type"] for d in dictionary if d["column"].startswith("tracker:")}
    assert types["tracker:water"] == "number, in glasses"
    assert types["tracker:walked"] == "yes or no"
    files = zip_texts(export(cli, tmp_path, "csv", "--notes"))
    rows = list(csv.DictReader(io.StringIO(files["checkins.csv"])))
    assert [r["tracker:thanks"] for r in rows] == ["", "the sea"]
    md = export(cli, tmp_path, "md").read_text(encoding="utf-8")
    assert "| Water | 1 | 1 | average 2.5 glasses |" in md
    assert "| Walked | 1 | 1 | yes on 1 of 1 day |" in md
    assert "| Flow | 1 | 1 | heavy (1) |" in md
    assert "| Grateful for | 1 | 1 | written answers |" in md
    assert "the sea" not in md  # the summary never carries free text


# -- the diary card -------------------------------------------------------------------------


class DiaryTables(HTMLParser):
    """The diary grid's tables: [(caption, [[(cell text, class), ...], ...]), ...]."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[tuple[str, str]]]]] = []
        self.inside = False
        self.where = ""
        self.text = ""
        self.cls = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("class") == "diary":
            self.inside = True
            self.tables.append(("", []))
        elif self.inside and tag in ("caption", "th", "td"):
            self.where, self.text, self.cls = tag, "", a.get("class") or ""
        elif self.inside and tag == "tr":
            self.tables[-1][1].append([])

    def handle_data(self, data: str) -> None:
        if self.inside and self.where:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "table":
            self.inside = False
        elif tag == "caption":
            self.tables[-1] = (self.text, self.tables[-1][1])
        elif tag in ("th", "td"):
            self.tables[-1][1][-1].append((self.text, self.cls))
        if tag == self.where:
            self.where = ""


def diary_tables(html: str) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    parser = DiaryTables()
    parser.feed(html)
    return parser.tables


def diary_log(cli: Callable[..., Any]) -> None:
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    # Tuesday 17 November: two check-ins; the grid shows the highest urge and any "yes"
    checkin(
        cli,
        "2026-11-17 09:00",
        "--mood",
        "4",
        "--sleep",
        "6.5",
        "--emotion",
        "sad",
        "--set",
        "urge_selfharm=3",
        "--set",
        "acted_selfharm=yes",
        "--set",
        "skills_used=tipp, stop",
    )
    checkin(
        cli,
        "2026-11-17 20:00",
        "--mood",
        "5",
        "--emotion",
        "calm",
        "--set",
        "urge_selfharm=1",
        "--set",
        "acted_selfharm=no",
        "--set",
        "urge_use=2",
        "--set",
        "acted_use=no",
        "--set",
        "skills_used=<i>wise mind</i>",
    )
    # Thursday 19 November, and a day in the week before
    checkin(
        cli, "2026-11-19 21:00", "--mood", "6", "--set", "urge_quit=4", "--set", "acted_quit=no"
    )
    checkin(cli, "2026-11-10 21:00", "--mood", "6", "--set", "urge_selfharm=0")


def test_diary_card_grid_in_html(cli: Any, tmp_path: Path) -> None:
    diary_log(cli)
    html = export(cli, tmp_path, "html").read_text(encoding="utf-8")
    assert html.index('id="details"') < html.index("Diary card</h3>")
    summary = html[: html.index('id="details"')]
    assert "<dt>Diary card</dt><dd>answered on 3 of 30 days (grid in the details)</dd>" in summary
    tables = diary_tables(html)
    # newest week first; days as rows, Monday first, only days in the period
    assert [caption for caption, _rows in tables] == ["Week of 16 Nov 2026", "Week of 9 Nov 2026"]
    header, *days = tables[0][1]
    assert [text for text, _cls in header] == [
        "Day",
        "Urge to self-harm 0-5",
        "Acted",
        "Urge to use 0-5",
        "Acted",
        "Urge to quit therapy 0-5",
        "Acted",
        "Emotions",
        "Skills used",
        "Sleep (h)",
    ]
    assert [row[0][0] for row in days] == [
        "Mon 16 Nov",
        "Tue 17 Nov",
        "Wed 18 Nov",
        "Thu 19 Nov",
        "Fri 20 Nov",
        "Sat 21 Nov",
    ]
    tuesday = days[1]
    assert [text for text, _cls in tuesday] == [
        "Tue 17 Nov",
        "3",
        "yes",
        "2",
        "no",
        "",
        "",
        "calm, sad",
        "<i>wise mind</i>, STOP, TIPP",  # skills named by their id: the skill's own name
        "6.5",
    ]
    assert tuesday[2][1] == "yes"  # a "yes" in acted is bold
    assert tuesday[4][1] != "yes"
    thursday = [text for text, _cls in days[3]]
    assert thursday[5:7] == ["4", "no"] and thursday[1:5] == ["", "", "", ""]
    assert all(text == "" for text, _cls in days[2][1:])  # nothing on Wednesday
    assert [text for text, _cls in tables[1][1][2]][:3] == ["Tue 10 Nov", "0", ""]
    # a skill's name is escaped; crisis help goes with a self-harm urge; no alarming colour
    assert "&lt;i&gt;wise mind&lt;/i&gt;" in html and "<i>wise" not in html
    diary = html[html.index("Diary card</h3>") :]
    assert "findahelpline.com" in diary[: diary.index("<h3>", 5)]
    grid = html[html.index('<table class="diary">') : html.rindex('<table class="diary">')]
    assert 'class="flag"' not in grid


def test_diary_card_in_pdf_and_md(cli: Any, tmp_path: Path) -> None:
    diary_log(cli)
    text = " ".join(pdf_text(export(cli, tmp_path, "pdf")).split())
    details = text[text.index("Details") :]
    assert "Diary card" in details
    assert details.index("Week of 16 Nov 2026") < details.index("Week of 9 Nov 2026")
    assert "Urge to self-harm 0-5" in details and "Skills used" in details
    assert re.search(r"Tue 17 Nov 3 yes 2 no calm, sad <i>wise mind</i>, STOP, TIPP 6\.5", details)
    md = export(cli, tmp_path, "md").read_text(encoding="utf-8")
    assert "### Diary card" in md and "**Week of 16 Nov 2026**" in md
    assert "| Tue 17 Nov | 3 | **yes** | 2 | no |  |  | calm, sad |" in md
    assert "&lt;i&gt;wise mind&lt;/i&gt;" in md


def test_diary_card_shown_when_values_exist_with_the_pack_off(cli: Any, tmp_path: Path) -> None:
    diary_log(cli)
    assert cli("trackers", "disable", "diary-card").exit_code == 0
    html = export(cli, tmp_path, "html").read_text(encoding="utf-8")
    assert len(diary_tables(html)) == 2


def test_diary_card_absent_when_pack_off_and_no_values(cli: Any, tmp_path: Path) -> None:
    checkin(cli, "2026-11-20 09:00", "--mood", "5", "--sleep", "7")
    for fmt in ("html", "md"):
        text = export(cli, tmp_path, fmt).read_text(encoding="utf-8")
        assert "Diary card" not in text and 'class="diary"' not in text, fmt
    assert "Diary card" not in pdf_text(export(cli, tmp_path, "pdf"))
    # switched on, but nothing answered yet: said plainly, with no empty grid
    assert cli("trackers", "enable", "diary-card").exit_code == 0
    html = export(cli, tmp_path, "html").read_text(encoding="utf-8")
    assert "<dd>switched on, no answers in this period</dd>" in html
    assert "No diary-card answers in this period." in html and diary_tables(html) == []


def test_diary_card_values_in_csv_and_fhir(cli: Any, tmp_path: Path) -> None:
    diary_log(cli)
    files = zip_texts(export(cli, tmp_path, "csv"))
    rows = list(csv.DictReader(io.StringIO(files["checkins.csv"])))
    tuesday = [r for r in rows if r["date"] == "2026-11-17"][0]
    assert (tuesday["tracker:urge_selfharm"], tuesday["tracker:acted_selfharm"]) == ("3", "yes")
    assert tuesday["tracker:skills_used"] == "tipp; stop"
    bundle = json.loads(export(cli, tmp_path, "fhir").read_text(encoding="utf-8"))
    acted = [
        c
        for e in bundle["entry"]
        for c in e["resource"].get("component", [])
        if c["code"]["coding"][0]["code"] == "tracker:acted_selfharm"
    ]
    assert [c["valueBoolean"] for c in acted] == [True, False]


def test_diary_days_reads_one_query_by_date_index(cli: Any) -> None:
    """The grid's values come from one statement that starts from the date index."""
    from selfback.export import data as records
    from selfback.paths import get_paths
    from selfback.store.db import open_store
    from selfback.store.tables import diary_params, diary_sql

    diary_log(cli)
    urges = tuple(urge for urge, _acted in records.DIARY_URGES)
    ids = (urges, records.DIARY_ACTED_IDS, records.DIARY_SKILLS)
    with open_store(get_paths()) as store:
        plan = [
            tuple(r)[-1]
            for r in store.conn.execute(
                "EXPLAIN QUERY PLAN " + diary_sql(*ids),
                diary_params("2026-11-01", "2026-11-21", *ids),
            )
        ]
        days = records.diary_days(store, "2026-11-01", "2026-11-21")
    assert not any(p.startswith("SCAN") and "VIRTUAL" not in p for p in plan), plan
    assert days["2026-11-17"].urges["urge_selfharm"] == 3
    assert days["2026-11-17"].acted["acted_selfharm"] is True
    assert days["2026-11-17"].emotions == ("calm", "sad")
