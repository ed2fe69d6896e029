"""Saving and reading results, reminders for overdue measures, and export metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from selfback.actions.measure import save_score
from selfback.errors import DataError
from selfback.measures.export_info import all_metadata, describe_result, instrument_metadata
from selfback.measures.library import get_instrument
from selfback.measures.reminders import overdue, reminder_line
from selfback.measures.scoring import score
from selfback.paths import get_paths
from selfback.store.db import Store, open_store
from selfback.store.measures import (
    count_results,
    last_per_instrument,
    last_result,
    list_results,
    save_result,
)

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def store() -> Iterator[Store]:
    s = open_store(get_paths())
    yield s
    s.close()


def _save(store: Store, iid: str, total_answers: list, when: datetime):  # type: ignore[no-untyped-def]
    return save_score(store, score(get_instrument(iid), total_answers), when)


# --- store ------------------------------------------------------------------------------------


def test_save_and_read_back_everything(store: Store) -> None:
    saved = save_result(
        store,
        instrument="phq9",
        instrument_version=1,
        taken_at=NOW,
        answers=[1, 2, 0, 0, 0, 0, 0, 0, 1, 2],
        total=4,
        band="minimal",
        flags=["phq9-item9"],
    )
    [back] = list_results(store)
    assert back == saved
    assert back.taken_at == NOW and back.taken_at.utcoffset() == timedelta(hours=1)
    row = store.query("SELECT * FROM measure_results")[0]
    assert row["taken_utc"] == "2026-11-21T09:00:00+00:00"
    assert json.loads(row["answers"]) == [1, 2, 0, 0, 0, 0, 0, 0, 1, 2]
    assert json.loads(row["flags"]) == ["phq9-item9"]
    assert (row["total"], row["band"], row["instrument_version"]) == (4, "minimal", 1)


def test_save_score_stores_answers_total_band_version_and_flags(store: Store) -> None:
    saved = _save(store, "phq9", [0, 1, 0, 0, 0, 0, 0, 0, 2, 1], NOW)
    assert saved.previous is None and saved.change is None
    row = store.query("SELECT * FROM measure_results")[0]
    assert json.loads(row["answers"]) == [0, 1, 0, 0, 0, 0, 0, 0, 2, 1]
    assert row["total"] == 3
    assert row["band"] == "minimal"
    assert row["instrument"] == "phq9" and row["instrument_version"] == 1
    assert json.loads(row["flags"]) == ["phq9-item9"]


def test_save_score_gives_change_against_the_previous_result(store: Store) -> None:
    _save(store, "who5", [2, 2, 2, 2, 2], NOW - timedelta(days=20))
    _save(store, "phq9", [3] * 9 + [0], NOW - timedelta(days=10))  # other instrument
    second = _save(store, "who5", [3, 3, 3, 2, 2], NOW)
    assert second.previous is not None and second.previous.total == 10
    assert second.change is not None
    assert (second.change.delta, second.change.meaningful) == (12, True)


def test_last_result_and_last_per_instrument(store: Store) -> None:
    assert last_result(store, "phq9") is None
    assert last_per_instrument(store) == {}
    _save(store, "phq9", [1] * 9 + [1], NOW - timedelta(days=3))
    _save(store, "phq9", [2] * 9 + [1], NOW - timedelta(days=1))
    _save(store, "gad2", [0, 0], NOW - timedelta(days=2))
    last = last_result(store, "phq9")
    assert last is not None and last.total == 18
    before = last_result(store, "phq9", before=NOW - timedelta(days=2))
    assert before is not None and before.total == 9
    per = last_per_instrument(store)
    assert set(per) == {"phq9", "gad2"} and per["phq9"].total == 18
    assert count_results(store) == 3


def test_list_results_filters(store: Store) -> None:
    for days in (30, 20, 10):
        _save(store, "gad7", [1] * 7 + [0], NOW - timedelta(days=days))
    _save(store, "phq2", [0, 0], NOW)
    assert [r.instrument for r in list_results(store)] == ["gad7"] * 3 + ["phq2"]
    assert len(list_results(store, instrument="gad7")) == 3
    assert len(list_results(store, since=NOW - timedelta(days=15))) == 2
    assert len(list_results(store, until=NOW - timedelta(days=15))) == 2


def test_damaged_row_is_a_plain_data_error(store: Store) -> None:
    _save(store, "phq2", [1, 1], NOW)
    with store.tx() as db:
        db.execute("UPDATE measure_results SET answers = 'not json'")
    with pytest.raises(DataError) as err:
        list_results(store)
    assert "selfback doctor" in err.value.message


# --- reminders --------------------------------------------------------------------------------


def test_overdue_only_for_measures_taken_before(store: Store) -> None:
    assert overdue(store, NOW) == []
    assert reminder_line(store, NOW) is None
    _save(store, "phq9", [1] * 9 + [1], NOW - timedelta(days=15))
    assert overdue(store, NOW) == ["PHQ-9"]


def test_overdue_boundary_is_two_weeks(store: Store) -> None:
    _save(store, "who5", [3] * 5, NOW - timedelta(days=14))
    assert overdue(store, NOW) == []
    assert overdue(store, NOW + timedelta(minutes=1)) == ["WHO-5"]


def test_a_recent_screen_counts_for_its_full_measure(store: Store) -> None:
    _save(store, "phq9", [1] * 9 + [1], NOW - timedelta(days=40))
    _save(store, "phq2", [0, 1], NOW - timedelta(days=3))
    _save(store, "gad2", [0, 1], NOW - timedelta(days=30))
    _save(store, "who5", [3] * 5, NOW - timedelta(days=20))
    assert overdue(store, NOW) == ["GAD-2", "WHO-5"]
    line = reminder_line(store, NOW)
    assert line is not None
    assert "GAD-2 and WHO-5" in line and "selfback measure gad2" in line
    for word in ("should", "missed", "streak", "forgot"):
        assert word not in line.lower()


# --- export metadata --------------------------------------------------------------------------


def test_export_metadata() -> None:
    meta = {m["id"]: m for m in all_metadata()}
    assert list(meta) == ["phq9", "gad7", "who5", "pcl5", "phq2", "gad2"]
    phq9 = meta["phq9"]
    assert (phq9["loinc_panel"], phq9["loinc_total"]) == ("44249-1", "44261-6")
    assert phq9["items"][8]["loinc"] == "44260-8"
    assert phq9["items"][8]["flag"] == "phq9-item9"
    assert phq9["items"][9]["scored"] is False
    assert phq9["max_total"] == 27 and phq9["version"] == 1
    assert meta["gad7"]["loinc_panel"] == "69737-5"
    assert meta["gad7"]["loinc_total"] == "70274-6"
    who5 = meta["who5"]
    assert who5["loinc_panel"] is None and who5["loinc_total"] is None
    assert (who5["display_multiplier"], who5["display_unit"], who5["max_display"]) == (4, "%", 100)
    assert who5["meaningful_change"] == 10
    assert "Pfizer" in phq9["attribution"]
    json.dumps(meta)  # plain JSON-ready data
    assert instrument_metadata("gad7") == meta["gad7"]


def test_describe_result() -> None:
    info = describe_result("who5", 13, "not-low")
    assert info["display"] == 52 and info["display_unit"] == "%"
    assert info["band_label"] == "not low"
    unknown = describe_result("k10", 20, "x")
    assert unknown["name"] == "k10" and unknown["band_text"] is None
