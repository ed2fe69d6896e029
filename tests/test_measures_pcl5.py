"""PCL-5: the exact wording, scoring at every band boundary and the cut-off, change, and
that a result shows up everywhere a measure does (list, history, trends, CSV, FHIR, report).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from selfback.measures.export_info import describe_result, instrument_metadata
from selfback.measures.library import get_instrument, instruments
from selfback.measures.schema import Instrument
from selfback.measures.scoring import band_for, change, change_sentence, format_total, score
from selfback.measures.session import Session

NOW = "2026-11-21T10:00:00+00:00"

# The 20 items as published by the National Center for PTSD (PCL-5 Standard form,
# version date 14 August 2013), checked against copies of the form (see docs/measures.md).
PCL5_ITEMS = [
    "Repeated, disturbing, and unwanted memories of the stressful experience?",
    "Repeated, disturbing dreams of the stressful experience?",
    "Suddenly feeling or acting as if the stressful experience were actually happening again "
    "(as if you were actually back there reliving it)?",
    "Feeling very upset when something reminded you of the stressful experience?",
    "Having strong physical reactions when something reminded you of the stressful experience "
    "(for example, heart pounding, trouble breathing, sweating)?",
    "Avoiding memories, thoughts, or feelings related to the stressful experience?",
    "Avoiding external reminders of the stressful experience (for example, people, places, "
    "conversations, activities, objects, or situations)?",
    "Trouble remembering important parts of the stressful experience?",
    "Having strong negative beliefs about yourself, other people, or the world (for example, "
    "having thoughts such as: I am bad, there is something seriously wrong with me, no one can "
    "be trusted, the world is completely dangerous)?",
    "Blaming yourself or someone else for the stressful experience or what happened after it?",
    "Having strong negative feelings such as fear, horror, anger, guilt, or shame?",
    "Loss of interest in activities that you used to enjoy?",
    "Feeling distant or cut off from other people?",
    "Trouble experiencing positive feelings (for example, being unable to feel happiness or "
    "have loving feelings for people close to you)?",
    "Irritable behavior, angry outbursts, or acting aggressively?",
    "Taking too many risks or doing things that could cause you harm?",
    'Being "superalert" or watchful or on guard?',
    "Feeling jumpy or easily startled?",
    "Having difficulty concentrating?",
    "Trouble falling or staying asleep?",
]


def answers(total: int) -> list[int | None]:
    """20 answers (0-4) adding up to ``total``, filled from the first item on."""
    out: list[int | None] = []
    left = total
    for _ in range(20):
        out.append(min(4, left))
        left -= min(4, left)
    assert left == 0
    return out


# --- the data ----------------------------------------------------------------------------


def test_pcl5_ships_after_the_full_measures_and_before_the_screens() -> None:
    assert list(instruments()) == ["phq9", "gad7", "who5", "pcl5", "phq2", "gad2"]
    assert get_instrument("PCL-5").id == "pcl5"


def test_exact_items_options_and_time_frame() -> None:
    pcl5 = get_instrument("pcl5")
    assert [i.text for i in pcl5.items] == PCL5_ITEMS
    assert all(i.scored for i in pcl5.items) and len(pcl5.scored_items) == 20
    assert [(o.value, o.label) for o in pcl5.options] == [
        (0, "Not at all"),
        (1, "A little bit"),
        (2, "Moderately"),
        (3, "Quite a bit"),
        (4, "Extremely"),
    ]
    assert pcl5.max_total == 80 and pcl5.max_display == 80 and pcl5.display_unit == ""
    assert pcl5.time_frame == "In the past month"
    assert pcl5.stem == "In the past month, how much were you bothered by:"
    assert pcl5.instructions is not None
    assert "in the past month" in pcl5.instructions
    assert "very stressful experience" in pcl5.instructions
    # Trauma-informed: nobody is asked to describe the event.
    assert pcl5.intro is not None and "do not need to describe" in pcl5.intro
    assert pcl5.higher_is == "worse" and pcl5.kind == "full"


def test_attribution_names_the_national_center_for_ptsd() -> None:
    pcl5 = get_instrument("pcl5")
    assert "National Center for PTSD" in pcl5.attribution
    assert "Weathers" in pcl5.attribution and "2013" in pcl5.attribution
    assert any("ptsd.va.gov" in s for s in pcl5.sources)
    assert any("Blevins" in s for s in pcl5.sources)


def test_no_pcl5_item_is_a_crisis_item_and_the_bands_never_diagnose() -> None:
    pcl5 = get_instrument("pcl5")
    assert all(i.flag is None and not i.crisis for i in pcl5.items)
    for band in pcl5.bands:
        low = band.text.lower()
        assert "you have" not in low and "diagnos" not in low and "safe" not in low
        assert "full assessment" in low
    assert "PTSD" not in " ".join(b.label for b in pcl5.bands)


def test_loinc_codes() -> None:
    pcl5 = get_instrument("pcl5")
    assert (pcl5.loinc.panel, pcl5.loinc.total) == ("101697-1", "101698-9")
    assert all(i.loinc is None for i in pcl5.items)


# --- scoring at every boundary --------------------------------------------------------------

PCL5_BANDS = [
    (0, "below-cutoff"),
    (1, "below-cutoff"),
    (30, "below-cutoff"),
    (31, "in-cutoff"),  # the provisional cut-off range starts here
    (32, "in-cutoff"),
    (33, "in-cutoff"),
    (34, "above-cutoff"),
    (79, "above-cutoff"),
    (80, "above-cutoff"),
]


@pytest.mark.parametrize(("total", "band"), PCL5_BANDS)
def test_pcl5_bands(total: int, band: str) -> None:
    pcl5 = get_instrument("pcl5")
    result = score(pcl5, answers(total))
    assert (result.total, result.display, result.band.id) == (total, total, band)
    assert result.flags == () and not result.crisis and result.suggest is None
    assert format_total(pcl5, total) == f"{total} of 80"


def test_cut_off_range_is_31_to_33() -> None:
    pcl5 = get_instrument("pcl5")
    at_or_above = [t for t in range(81) if band_for(pcl5, t).id != "below-cutoff"]
    assert at_or_above[0] == 31
    assert [t for t in range(81) if band_for(pcl5, t).id == "in-cutoff"] == [31, 32, 33]
    assert "31 to 33" in band_for(pcl5, 30).text and "31 to 33" in band_for(pcl5, 34).text


def test_every_answer_counts_exactly() -> None:
    pcl5 = get_instrument("pcl5")
    mixed = [0, 1, 2, 3, 4] * 4
    assert score(pcl5, mixed).total == 40
    for position in range(20):
        one = [0] * 20
        one[position] = 4
        assert score(pcl5, one).total == 4
    with pytest.raises(ValueError):
        score(pcl5, [5] + [0] * 19)
    with pytest.raises(ValueError):
        score(pcl5, [None] + [0] * 19)
    with pytest.raises(ValueError):
        score(pcl5, [0] * 19)


def test_session_walks_twenty_questions() -> None:
    s = Session(get_instrument("pcl5"))
    assert s.progress == (1, 20)
    for n in range(19):
        s.answer(n % 5)
    assert s.progress == (20, 20)
    s.answer(4)
    assert s.done and s.score().total == sum(n % 5 for n in range(19)) + 4


# --- change: 10 points meaningful, 5 reliable ---------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "meaningful", "reliable"),
    [
        (40, 36, False, False),
        (40, 35, False, True),
        (40, 31, False, True),
        (40, 30, True, True),
        (30, 40, True, True),
        (40, 45, False, True),
    ],
)
def test_change_thresholds(before: int, after: int, meaningful: bool, reliable: bool) -> None:
    pcl5 = get_instrument("pcl5")
    ch = change(pcl5, before, after)
    assert (ch.meaningful, ch.reliable) == (meaningful, reliable)
    assert ch.direction == ("better" if after < before else "worse")


def test_change_sentences() -> None:
    pcl5 = get_instrument("pcl5")
    text = change_sentence(pcl5, change(pcl5, 45, 33), "2026-10-01")
    assert text.startswith("12 points lower than last time (45 on 2026-10-01).")
    assert "A change of 10 points or more is usually seen as meaningful." in text
    text = change_sentence(pcl5, change(pcl5, 45, 39), "d")
    assert "A change of 5 to 9 points is usually seen as more than chance" in text
    text = change_sentence(pcl5, change(pcl5, 45, 42), "d")
    assert "Changes under 5 points are usually within everyday ups and downs." in text
    for t in (text, change_sentence(pcl5, change(pcl5, 20, 40), "d")):
        assert "should" not in t and "PTSD" not in t


def test_schema_keeps_reliable_below_meaningful() -> None:
    raw = get_instrument("pcl5").model_dump(mode="json")
    raw["reliable_change"] = 10
    with pytest.raises(ValidationError):
        Instrument.model_validate(raw)
    raw["reliable_change"] = 5
    raw["meaningful_change"] = None
    with pytest.raises(ValidationError):
        Instrument.model_validate(raw)


def test_export_metadata() -> None:
    meta = instrument_metadata("pcl5")
    assert (meta["loinc_panel"], meta["loinc_total"]) == ("101697-1", "101698-9")
    assert meta["max_total"] == 80 and len(meta["items"]) == 20
    assert meta["meaningful_change"] == 10 and meta["reliable_change"] == 5
    assert meta["time_frame"] == "In the past month" and meta["retake_after_days"] == 30
    assert meta["instructions"].startswith("Below is a list of problems")
    assert describe_result("pcl5", 34, "above-cutoff")["band_label"] == "above the cut-off range"


def test_measure_info_reads_it_without_the_measures_package() -> None:
    from selfback.insights.measureinfo import _from_data_file, _from_metadata

    fast = _from_data_file("pcl5")
    assert fast == _from_metadata(instrument_metadata("pcl5"))
    assert fast is not None and fast.loinc_total == "101698-9" and fast.max_display == 80


def test_reminder_waits_a_month(home: Path) -> None:
    from selfback.measures.reminders import overdue, reminder_line
    from selfback.paths import get_paths
    from selfback.store.db import open_store
    from selfback.store.measures import save_result

    now = datetime(2026, 11, 21, 10, tzinfo=UTC)
    with open_store(get_paths()) as store:
        save_result(
            store,
            instrument="pcl5",
            instrument_version=1,
            taken_at=now - timedelta(days=20),
            answers=answers(24),
            total=24,
            band="below-cutoff",
            flags=(),
        )
        assert overdue(store, now) == []  # 20 days: a PHQ-9 would be due, a PCL-5 is not
        assert overdue(store, now + timedelta(days=10)) == []
        assert overdue(store, now + timedelta(days=10, minutes=1)) == ["PCL-5"]
        line = reminder_line(store, now + timedelta(days=11))
        assert line is not None and "a month since your last PCL-5" in line
        assert "selfback measure pcl5" in line


# --- everywhere a measure shows up ----------------------------------------------------------


@pytest.fixture
def taken(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Two PCL-5 results a month apart, taken through `selfback measure pcl5`."""
    from selfback.paths import get_paths
    from selfback.store.db import open_store

    monkeypatch.setenv("SELFBACK_NOW", "2026-10-20T10:00:00+00:00")
    first = cli("measure", "pcl5", input="".join(f"{a}\n" for a in answers(45)))
    assert first.exit_code == 0, first
    monkeypatch.setenv("SELFBACK_NOW", NOW)
    second = cli("measure", "pcl5", input="".join(f"{a}\n" for a in answers(32)))
    assert second.exit_code == 0, second
    with open_store(get_paths()) as store:
        rows = store.query("SELECT * FROM measure_results ORDER BY taken_utc")
    return [first, second, rows]


def test_taking_it_saves_every_answer(taken: list[Any]) -> None:
    first, second, rows = taken
    out = " ".join(second.stdout.split())
    assert "question 1 of 20" in " ".join(first.stdout.split())
    assert "32 of 80" in out
    assert "in the range where a full assessment for PTSD" in out
    assert "13 points lower than last time" in out
    assert "not a diagnosis" in out.lower() and "National Center for PTSD" in out
    assert [(r["instrument"], r["total"], r["band"]) for r in rows] == [
        ("pcl5", 45, "above-cutoff"),
        ("pcl5", 32, "in-cutoff"),
    ]
    assert json.loads(rows[1]["answers"]) == answers(32)
    assert json.loads(rows[1]["flags"]) == []


def test_list_and_history(cli: Callable[..., Any], taken: list[Any]) -> None:
    listed = {d["id"]: d for d in json.loads(cli("measure", "--json").stdout)}
    assert listed["pcl5"]["items"] == 20 and listed["pcl5"]["max_score"] == 80
    assert listed["pcl5"]["last_total"] == 32 and listed["pcl5"]["last_band"] == "in-cutoff"
    human = " ".join(cli("measure").stdout.split())
    assert "PCL-5" in human
    history = cli("measure", "history", "pcl5", "--json")
    assert history.exit_code == 0, history
    assert "pcl5" in history.stdout and "32" in history.stdout
    plain = " ".join(cli("measure", "history", "pcl5").stdout.split())
    assert "PCL-5" in plain and "in the cut-off range" in plain


def test_trends(cli: Callable[..., Any], taken: list[Any]) -> None:
    res = cli("trends", "--json", "--since", "90d")
    assert res.exit_code == 0, res
    text = json.dumps(json.loads(res.stdout)["measures"])
    assert "pcl5" in text and "PCL-5" in text
    plain = " ".join(cli("--plain", "trends", "--since", "90d").stdout.split())
    assert "PCL-5 (0-80" in plain


def test_csv_and_fhir(cli: Callable[..., Any], taken: list[Any], tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    res = cli("export", "--format", "csv", "--output", str(out), "--since", "all")
    assert res.exit_code == 0, res
    with zipfile.ZipFile(out) as zf:
        text = zf.read("measure_results.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["instrument"], r["total"], r["band"]) for r in rows] == [
        ("pcl5", "45", "above-cutoff"),
        ("pcl5", "32", "in-cutoff"),
    ]
    assert rows[1]["item_20"] == "0" and rows[0]["item_1"] == "4"

    bundle_path = tmp_path / "bundle.json"
    res = cli("export", "--format", "fhir", "--output", str(bundle_path), "--since", "all")
    assert res.exit_code == 0, res
    bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
    totals = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["code"]["coding"][0]["code"] == "101698-9"
    ]
    assert [t["valueQuantity"]["value"] for t in totals] == [45, 32]
    assert totals[0]["code"]["coding"][0]["system"] == "http://loinc.org"
    assert totals[1]["interpretation"][0]["text"] == "in the cut-off range"


def test_report(cli: Callable[..., Any], taken: list[Any], tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    res = cli("export", "--format", "md", "--output", str(out), "--since", "all")
    assert res.exit_code == 0, res
    text = out.read_text(encoding="utf-8")
    assert "PCL-5" in text and "above the cut-off range" in text


def test_the_screen_shows_the_instructions_once_and_the_month(cli: Callable[..., Any]) -> None:
    r = cli("measure", "pcl5", input="1\n2\nb\nq\n")
    assert r.stdout.count("Below is a list of problems") == 1
    assert r.stdout.count("You do not need to describe what happened") == 1
    listed = cli("measure")
    assert "PCL-5: in the past month" in " ".join(listed.stdout.split())
    rows = {d["id"]: d for d in json.loads(cli("measure", "--json").stdout)}
    assert rows["pcl5"]["time_frame"].lower() == "in the past month"
    done = cli("measure", "pcl5", input="0\n" * 20)
    assert "again in a month" in " ".join(done.stdout.split())
