"""The HTML report printed by a real headless Chromium (A4): no heading stands alone at
the bottom of a page, and no date or time is broken over two lines ("20:4 / 1").

A control page proves the check catches a lone heading: the same headings and tables
with the report's keep-with-next rules taken out of its CSS leave one at a page's foot.
Skips, saying so, only when no Chromium binary exists (.ci/run installs it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from test_export_data import make_log
from test_report_browser import find_chromium, print_pdf

pytestmark = pytest.mark.slow

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
KEEP_RULE = """  h1, h2, h3, h4, caption { break-after: avoid; page-break-after: avoid;
    break-inside: avoid; page-break-inside: avoid; }"""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(
            "No Chromium binary found, so the printed HTML report was NOT checked. "
            "Install it: apt-get install -y chromium"
        )
    return found


def page_texts(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(str(path)).pages]


def last_lines(texts: list[str]) -> list[str]:
    out = []
    for text in texts[:-1]:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        out.append(lines[-1] if lines else "")
    return out


def test_printed_report_keeps_headings_dates_and_times_whole(
    chromium: str, cli: Any, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELFBACK_NOW", "2026-11-21T10:00:00+00:00")
    make_log(days=365)
    out = tmp_path / "report.html"
    result = cli(
        "export",
        "-f",
        "html",
        "-o",
        str(out),
        "--since",
        "1y",
        "--notes",
        "--include-plan",
        "--include-crisis",
    )
    assert result.exit_code == 0, result
    page = tmp_path / "report-A4.html"
    page.write_text(
        out.read_text(encoding="utf-8").replace(
            "</head>", "<style>@page { size: A4; }</style></head>"
        ),
        encoding="utf-8",
    )
    printed = tmp_path / "report-A4.pdf"
    print_pdf(chromium, page, tmp_path / "print", printed)
    texts = page_texts(printed)
    assert len(texts) > 5
    for n, last in enumerate(last_lines(texts), start=1):
        assert last not in HEADINGS, (n, last)
    whole = "\n".join(texts)
    assert not re.search(r"\d:\d\n", whole)  # a time cut after its first minute digit
    assert not re.search(r"\d{4}-\d{2}-\d?\n", whole)  # a date cut
    assert len(re.findall(r"\b\d{2}:\d{2}\b", whole)) > 300

    # the control: headings placed at every height of the page, printed with the
    # report's CSS and without its keep-with-next rule
    from selfback.export.html import CSS, table_html
    from selfback.export.report import Table

    assert KEEP_RULE in CSS
    parts = []
    for k in range(60):
        parts.append("<p>" + " ".join(["filler words for the page"] * (1 + k * 7 % 23)) + "</p>")
        parts.append(f"<h3>Heading {k}</h3>")
        rows = [["2026-11-01", "5", "a row"] for _ in range(4)]
        parts.append(table_html(Table(["Date", "Mood", "Note"], rows)))
    lone = {}
    for name, css in (("kept", CSS), ("loose", CSS.replace(KEEP_RULE, ""))):
        control = tmp_path / f"{name}.html"
        control.write_text(
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{css}</style></head>"
            f"<body><main>{''.join(parts)}</main></body></html>",
            encoding="utf-8",
        )
        pdf = tmp_path / f"{name}.pdf"
        print_pdf(chromium, control, tmp_path / f"p-{name}", pdf)
        lone[name] = [x for x in last_lines(page_texts(pdf)) if re.fullmatch(r"Heading \d+", x)]
    assert lone["loose"], "the control page should leave a heading alone"
    assert lone["kept"] == []
