"""The CSV export: the data dictionary describes exactly the columns written (item_1 ...
item_N included, unscored items and the leading apostrophe explained), every column is
protected from formulas, and a partial questionnaire is marked and never scored."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from test_export import export, zip_texts
from test_export_data import make_log

NOW = "2026-11-21T10:00:00+00:00"
TZ = timezone(timedelta(hours=1))
PARTIAL_UID = "p" * 32
FORMULA_UID = "=1+2"


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def add_partial(item9: int | None = 2, *, when: datetime | None = None) -> None:
    """A PHQ-9 stopped after item 9: saved as partial (band "partial", flag "partial")."""
    from selfback.paths import get_paths
    from selfback.store.db import open_store

    when = when or datetime(2026, 11, 20, 21, 5, tzinfo=TZ)
    answers: list[int | None] = [2, 3, 1, 2, 3, 2, 1, 2, item9, None]
    flags = ["partial"] + (["phq9-item9"] if item9 else [])
    with open_store(get_paths()) as store, store.tx() as db:
        db.execute(
            "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
            " taken_utc, answers, total, band, flags)"
            " VALUES (?, 'phq9', 1, ?, ?, ?, ?, 'partial', ?)",
            (
                PARTIAL_UID,
                when.isoformat(timespec="seconds"),
                when.astimezone(UTC).isoformat(timespec="seconds"),
                json.dumps(answers),
                sum(a or 0 for a in answers[:9]),
                json.dumps(flags),
            ),
        )


def add_formula_uid() -> None:
    """A check-in whose uid (from an imported file, say) looks like a formula."""
    from selfback.paths import get_paths
    from selfback.store.db import open_store

    ts = datetime(2026, 11, 19, 8, 0, tzinfo=TZ)
    with open_store(get_paths()) as store, store.tx() as db:
        cur = db.execute(
            "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, 5, ?, ?)",
            (
                FORMULA_UID,
                ts.isoformat(),
                ts.astimezone(UTC).isoformat(),
                "2026-11-19",
                ts.isoformat(),
                ts.isoformat(),
            ),
        )
        db.execute(
            "INSERT INTO checkin_tags (checkin_id, kind, value) VALUES (?, 'tag', 'walk')",
            (cur.lastrowid,),
        )


@pytest.fixture
def files(cli: Any, home: Path, tmp_path: Path) -> dict[str, str]:
    make_log(days=60)
    add_partial()
    add_formula_uid()
    out = export(
        cli, tmp_path, "csv", "--notes", "--include-plan", "--include-crisis", name="d.zip"
    )
    return zip_texts(out)


def table(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


def test_the_dictionary_describes_exactly_the_columns_written(files: dict[str, str]) -> None:
    dictionary = table(files, "data_dictionary.csv")
    for name, text in files.items():
        header = next(csv.reader(io.StringIO(text)))
        described = [d["column"] for d in dictionary if d["file"] == name]
        assert described == header, name
    listed = {d["file"] for d in dictionary}
    assert listed == set(files) | {"(every file)"}
    items = {d["column"]: d for d in dictionary if d["file"] == "measure_results.csv"}
    assert "item_N" not in items and {"item_1", "item_9", "item_10"} <= set(items)
    # what each item is, per questionnaire, and the unscored ones said plainly
    assert "PHQ-9 item 9: Thoughts that you would be better off dead" in items["item_9"]["meaning"]
    assert "PHQ-9 item 10:" in items["item_10"]["meaning"]
    assert "not scored, not in the total" in items["item_10"]["meaning"]
    assert "GAD-7 item 8:" in items["item_8"]["meaning"]
    assert "not scored, not in the total" in items["item_8"]["meaning"]
    assert "not scored" not in items["item_7"]["meaning"]
    assert "WHO-5 item 5:" in items["item_5"]["meaning"] and "(0-5)" in items["item_5"]["meaning"]
    # the leading apostrophe is explained
    [note] = [d for d in dictionary if d["file"] == "(every file)"]
    assert "apostrophe (')" in note["meaning"] and "formula" in note["meaning"]


def test_every_column_is_protected_uid_included(files: dict[str, str]) -> None:
    checkins = table(files, "checkins.csv")
    assert "'" + FORMULA_UID in [r["uid"] for r in checkins]
    assert FORMULA_UID not in [r["uid"] for r in checkins]
    tags = table(files, "checkin_tags.csv")
    assert "'" + FORMULA_UID in [t["checkin_uid"] for t in tags]
    for name, text in files.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
                if cell.startswith("-"):  # only a negative number may start with a minus
                    float(cell)


def test_a_partial_result_is_marked_and_never_scored(files: dict[str, str]) -> None:
    results = table(files, "measure_results.csv")
    [partial] = [r for r in results if r["uid"] == PARTIAL_UID]
    assert partial["status"] == "partial"
    assert (partial["total"], partial["score"], partial["band"]) == ("", "", "")
    assert "partial" in partial["flags"].split("; ")
    assert partial["item_9"] == "2" and partial["item_10"] == ""
    complete = [r for r in results if r["uid"] != PARTIAL_UID]
    assert complete and all(r["status"] == "complete" and r["total"] for r in complete)
