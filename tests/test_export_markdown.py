"""The Markdown summary read by a real CommonMark/GFM parser (markdown-it-py): every table
comes out as the table it is meant to be, with the right rows and columns."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from test_export_data import make_log
from test_export_trackers import diary_log

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def parse_tables(text: str) -> list[dict[str, Any]]:
    """Every table a GFM parser finds: its header cells and its body rows (cell texts)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: list[dict[str, Any]] = []
    part: str | None = None
    row: list[str] | None = None
    for tok in tokens:
        if tok.type == "table_open":
            tables.append({"header": [], "rows": []})
        elif tok.type in ("thead_open", "tbody_open"):
            part = tok.type[:5]
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append(tok.content)
        elif tok.type == "tr_close" and row is not None:
            if part == "thead":
                tables[-1]["header"] = row
            else:
                tables[-1]["rows"].append(row)
            row = None
    return tables


def export_md(cli: Any, tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "report.md"
    out.unlink(missing_ok=True)
    result = cli("export", "--format", "md", "--output", str(out), *extra)
    assert result.exit_code == 0, result
    return out.read_text(encoding="utf-8")


def test_every_markdown_table_parses_with_its_rows_and_columns(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    make_log(days=100)
    diary_log(cli)
    # a pipe in a value must not split a cell
    assert cli("checkin", "--at", "2026-11-21 08:00", "--mood", "5", "--tag", "a|b").exit_code == 0
    text = export_md(cli, tmp_path, "--since", "100d", "--include-plan", "--include-crisis")
    tables = parse_tables(text)
    # every block that looks like a table (a separator line) is read as one
    separators = [line for line in text.splitlines() if re.fullmatch(r"\|(-{3}:?\|)+", line)]
    assert len(tables) == len(separators) >= 6
    for t in tables:
        assert t["rows"], t["header"]
        assert all(len(r) == len(t["header"]) for r in t["rows"]), t["header"]

    def table(first_header: str) -> list[dict[str, Any]]:
        return [t for t in tables if t["header"][0] == first_header]

    # "Over time": daily periods, the latest 60 shown, every one a row of the table
    assert "### Over time (daily averages)" in text and "dayly" not in text
    [over] = [t for t in table("Day") if t["header"][1] == "Check-ins"]
    assert len(over["header"]) == 6 and len(over["rows"]) == 60
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 2026", r[0]) for r in over["rows"])
    assert over["rows"][-1][0] == "21 Nov 2026"
    note = re.search(r"_The latest 60 of (\d+) periods\._", text)
    assert note and int(note.group(1)) > 60  # days with a check-in or a session
    assert note.start() < text.index("| Day | Check-ins")
    # the questionnaires (PHQ-9, GAD-7, WHO-5 in the fixture) and the skills
    [measures] = table("Measure")
    assert [r[0].strip("*") for r in measures["rows"]] == ["PHQ-9", "GAD-7", "WHO-5"]
    assert len(measures["header"]) == 6
    [skills] = table("Skill")
    assert len(skills["header"]) == 5 and len(skills["rows"]) >= 2
    # the diary card: one table per week, a row per day of the week in the period
    weeks = [t for t in tables if t["header"][:2] == ["Day", "Urge to self-harm 0-5"]]
    assert [len(w["rows"]) for w in weeks] == [6, 7]  # Mon 16 to Sat 21 Nov; the week before
    assert all(len(w["header"]) == 10 for w in weeks)
    tuesday = [r for w in weeks for r in w["rows"] if r[0] == "Tue 17 Nov"]
    assert tuesday and tuesday[0][1:3] == ["3", "**yes**"]
