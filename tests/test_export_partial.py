"""A partial questionnaire (stopped before the end) is never shown as a score in the
report tables (Markdown, HTML, PDF), while an item 9 answered in it still counts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from test_export import pdf_text
from test_export_csv import add_partial
from test_export_data import make_log
from test_export_markdown import parse_tables

NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def export(cli: Any, tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"report.{fmt}"
    result = cli("export", "--format", fmt, "--output", str(out), "--since", "30d")
    assert result.exit_code == 0, result
    return out


def test_partial_results_are_not_scores_in_the_reports(
    cli: Any, home: Path, tmp_path: Path
) -> None:
    make_log(days=30, seed=3)
    # the newest result, on 21 Nov: raw sum 18 so far, which must never read as a score
    add_partial(item9=2, when=datetime(2026, 11, 21, 8, 0, tzinfo=timezone(timedelta(hours=1))))
    [measures] = [
        t
        for t in parse_tables(export(cli, tmp_path, "md").read_text(encoding="utf-8"))
        if t["header"][0] == "Measure"
    ]
    row = measures["rows"][0]
    assert row[0].strip("*") == "PHQ-9"
    results, latest, item9 = row[1], row[3], row[5]
    assert results.endswith("(+1 partial)")
    assert latest.endswith("(20 Nov)")  # the latest scored result, not the partial one
    assert item9.startswith("FLAG: above 0 in")  # the item 9 answer of the partial counts
    html = export(cli, tmp_path, "html").read_text(encoding="utf-8")
    detail = re.search(r"<tr[^>]*><td>2026-11-21</td><td>PHQ-9</td>(.*?)</tr>", html)
    assert detail and "partial: stopped before the end" in detail.group(1)
    assert '<td class="num">18</td>' not in detail.group(1)
    text = " ".join(pdf_text(export(cli, tmp_path, "pdf")).split())
    assert re.search(r"2026-11-21 PHQ-9 - partial: stopped before the end, so not scored\.", text)
