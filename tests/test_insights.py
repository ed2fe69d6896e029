"""The numbers behind trends and the report: ranges, buckets, skills, measures."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest

from selfback.errors import UsageError
from selfback.insights import summary as S
from selfback.paths import get_paths
from selfback.periods import DateRange, Period, parse_period, parse_since, parse_until
from selfback.store.db import Store, open_store

TODAY = date(2026, 11, 21)  # a Saturday


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7d", date(2026, 11, 15)),
        ("90d", date(2026, 8, 24)),
        ("1w", date(2026, 11, 15)),
        ("12 weeks", date(2026, 8, 30)),
        ("1m", date(2026, 10, 22)),
        ("6m", date(2026, 5, 22)),
        ("1y", date(2025, 11, 22)),
        ("2026-01-31", date(2026, 1, 31)),
        ("all", None),
        ("ALL", None),
    ],
)
def test_parse_since(text: str, expected: date | None) -> None:
    assert parse_since(text, TODAY) == expected


def test_parse_since_month_end() -> None:
    assert parse_since("1m", date(2026, 3, 31)) == date(2026, 3, 1)


@pytest.mark.parametrize("text", ["0d", "soon", "2026-13-01", "-5d"])
def test_parse_since_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_since(text, TODAY)


def test_until_and_order() -> None:
    assert parse_until("today", TODAY) == TODAY
    assert parse_until(None, TODAY) is None
    with pytest.raises(UsageError, match="Swap --since and --until"):
        parse_period(
            "2026-11-02", "2026-11-01", TODAY, default_since=None, default_until_today=True
        )
    spec = parse_period(None, None, TODAY, default_since="90d", default_until_today=True)
    assert spec == Period(date(2026, 8, 24), TODAY)


def add_session(
    store: Store,
    n: int,
    skill: str,
    situation: str | None,
    before: int | None,
    after: int | None,
    day: str = "2026-11-10",
    title: str | None = None,
) -> None:
    with store.tx() as db:
        db.execute(
            "INSERT INTO coping_sessions (uid, skill_id, skill_version, skill_title, situation,"
            " distress_before, distress_after, started_at, started_utc, status)"
            " VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"s{n}",
                skill,
                title or skill.upper(),
                situation,
                before,
                after,
                f"{day}T10:{n:02d}:00+01:00",
                f"{day}T09:{n:02d}:00+00:00",
                "completed" if after is not None else "stopped",
            ),
        )


def test_skills_compare_the_same_sessions_before_and_after() -> None:
    rng = DateRange(date(2026, 11, 1), TODAY)
    with open_store(get_paths()) as store:
        add_session(store, 1, "tipp", "panic", 9, 5)
        add_session(store, 2, "tipp", "panic", 8, 7)
        add_session(store, 3, "tipp", "work", 6, 3)
        add_session(store, 4, "tipp", None, 10, None)  # stopped: not rated after
        add_session(store, 5, "tipp", "  ", None, 2)  # blank situation, no before
        add_session(store, 6, "stop", "anger", 7, 7, title="Stop")
        add_session(store, 7, "stop", "anger", 7, 6, day="2026-10-01")  # out of range
        skills = S.skills(store, rng)
    tipp, stop = skills
    assert (tipp.skill_id, tipp.uses, tipp.completed, tipp.rated) == ("tipp", 5, 4, 3)
    assert tipp.before_avg == pytest.approx((9 + 8 + 6) / 3)
    assert tipp.after_avg == pytest.approx((5 + 7 + 3) / 3)
    assert tipp.dropped_2 == 2 and tipp.share_dropped_2 == pytest.approx(2 / 3)
    assert tipp.small_sample
    situations = {s.situation: (s.uses, s.rated, s.dropped_2) for s in tipp.situations}
    assert situations == {"panic": (2, 2, 1), "work": (1, 1, 1), None: (2, 0, 0)}
    assert (stop.title, stop.uses, stop.dropped_2) == ("Stop", 1, 0)


def add_checkin(store: Store, n: int, day: str, mood: int, sleep: float | None = None) -> None:
    with store.tx() as db:
        db.execute(
            "INSERT INTO checkins (uid, ts, ts_utc, local_date, mood, sleep_hours, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, 'x', 'x')",
            (f"c{n}", f"{day}T20:00:00+00:00", f"{day}T20:00:00+00:00", day, mood, sleep),
        )


def test_weekly_series_starts_on_monday_and_keeps_gaps() -> None:
    rng = DateRange(date(2026, 10, 28), TODAY)  # a Wednesday to a Saturday
    with open_store(get_paths()) as store:
        add_checkin(store, 1, "2026-10-28", 2)
        add_checkin(store, 2, "2026-11-01", 6, 7.0)  # Sunday: same week as 28 Oct
        add_checkin(store, 3, "2026-11-02", 8)  # Monday: next week
        add_checkin(store, 4, "2026-11-20", 5)
        series = S.series(store, rng, "week")
        days = S.checkin_days(store, rng, "week")
    starts = [p.start for p in series.points]
    assert starts[0] == date(2026, 10, 28)  # clipped to the range
    assert [p.start.weekday() for p in series.points[1:]] == [0, 0, 0]
    first, second, gap, last = series.points
    assert (first.checkins, first.mood, first.mood_min, first.mood_max) == (2, 4.0, 2, 6)
    assert first.sleep == 7.0
    assert (second.checkins, second.mood) == (1, 8.0)
    assert gap.checkins == 0 and gap.mood is None
    assert last.end == TODAY
    assert [(d.days_with_checkin, d.days) for d in days] == [(2, 5), (1, 7), (0, 7), (1, 6)]


def test_bucket_choice() -> None:
    assert S.choose_bucket(DateRange(date(2026, 11, 1), TODAY), 26) == "day"
    assert S.choose_bucket(DateRange(date(2026, 8, 24), TODAY), 26) == "week"
    assert S.choose_bucket(DateRange(date(2025, 11, 22), TODAY), 26) == "month"
    months = S.bucket_starts(DateRange(date(2026, 1, 31), date(2026, 4, 2)), "month")
    assert months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]


def add_measure(
    store: Store,
    n: int,
    inst: str,
    answers: list[int | None],
    band: str,
    flags: list[str],
    day: str,
) -> None:
    total = sum(a for a in answers[:9] if a is not None)
    with store.tx() as db:
        db.execute(
            "INSERT INTO measure_results (uid, instrument, instrument_version, taken_at,"
            " taken_utc, answers, total, band, flags) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)",
            (
                f"m{n}",
                inst,
                f"{day}T09:00:00+00:00",
                f"{day}T09:00:00+00:00",
                json.dumps(answers),
                total,
                band,
                json.dumps(flags),
            ),
        )


def test_measures_change_bands_and_item9() -> None:
    rng = DateRange(date(2026, 1, 1), TODAY)
    with open_store(get_paths()) as store:
        add_measure(store, 1, "phq9", [2, 2, 2, 2, 2, 2, 2, 1, 0, 1], "moderate", [], "2026-10-01")
        add_measure(
            store,
            2,
            "phq9",
            [1, 1, 1, 1, 1, 0, 0, 0, 2, None],
            "mild",
            ["phq9-item9"],
            "2026-11-01",
        )
        add_measure(store, 3, "who5", [3, 3, 3, 3, 3], "not-low", [], "2026-11-02")
        measures = S.measures(store, rng)
    phq, who = measures
    assert phq.name == "PHQ-9" and phq.max_display == 27
    assert [p.total for p in phq.points] == [15, 7]
    assert phq.change == -8
    assert [p.item9 for p in phq.points] == [0, 2]
    assert [p.flagged for p in phq.points] == [False, True]
    assert phq.points[0].band_label == "moderate"
    assert who.points[0].display == 60 and who.unit == "%" and who.change is None


def test_measure_info_reads_the_data_files_without_the_measures_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Names, bands and LOINC codes come from the measures package's data files, without
    importing its pydantic models; an instrument selfback does not ship gets a stand-in."""
    from selfback.insights import measureinfo

    measureinfo.measure_info.cache_clear()
    monkeypatch.setitem(sys.modules, "selfback.measures.export_info", None)
    monkeypatch.setitem(sys.modules, "selfback.measures.library", None)
    try:
        info = measureinfo.measure_info("phq9")
        assert (info.loinc_panel, info.loinc_total) == ("44249-1", "44261-6")
        assert info.flag_items == ((9, "phq9-item9", "44260-8"),)
        assert measureinfo.measure_info("gad7").loinc_total == "70274-6"
        assert measureinfo.measure_info("who5").loinc_total is None
        assert measureinfo.measure_info("zzz").name == "ZZZ"
    finally:
        measureinfo.measure_info.cache_clear()


@pytest.mark.parametrize("instrument", ["phq9", "gad7", "who5", "pcl5", "phq2", "gad2"])
def test_measure_info_fast_path_matches_the_measures_package(instrument: str) -> None:
    """The quick read of the data file says exactly what the validated package says."""
    from selfback.insights.measureinfo import _from_data_file, _from_metadata
    from selfback.measures.export_info import instrument_metadata

    assert _from_data_file(instrument) == _from_metadata(instrument_metadata(instrument))
    assert _from_data_file("../etc") is None


def test_influence_rows_stay_typed_to_the_summary() -> None:
    from selfback.insights.influence import InfluenceRow

    rng = DateRange(date(2026, 11, 1), TODAY)
    with open_store(get_paths()) as store:
        assert S.influence(store, rng).rows == []
        from selfback.store.checkins import NewCheckin
        from selfback.store.checkins import add_checkin as save

        for day in range(1, 13):
            at = __import__("datetime").datetime.fromisoformat(f"2026-11-{day:02d}T20:00:00+00:00")
            save(store, NewCheckin(at, 7 if day % 2 else 4, tags=["walk"] if day % 2 else []))
        summary = S.build_summary(store, rng, generated_at=__import__("datetime").datetime.now())
    assert summary.influence is not None and summary.influence.rows
    assert all(isinstance(r, InfluenceRow) for r in summary.influence.rows)
    data = S.jsonable(summary)
    assert isinstance(data, dict) and isinstance(data["influence"], dict)
    assert data["influence"]["rows"] == [r.to_json() for r in summary.influence.rows]


def test_summary_overview_and_empty() -> None:
    rng = DateRange(date(2026, 11, 1), TODAY)
    with open_store(get_paths()) as store:
        add_checkin(store, 1, "2026-11-03", 4, 6.5)
        add_checkin(store, 2, "2026-11-03", 6)
        add_checkin(store, 3, "2026-10-03", 10)  # out of range
        o = S.overview(store, rng)
    assert (o.checkins, o.checkin_days, o.mood_avg, o.sleep_avg) == (2, 1, 5.0, 6.5)


def test_a_damaged_questionnaire_file_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No copied fallback: a damaged data file of the measures package is one sentence."""
    import importlib.resources

    from selfback.errors import DataError
    from selfback.insights import measureinfo

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "phq9.json").write_text('{"id": "phq9"')
    monkeypatch.setattr(importlib.resources, "files", lambda _package: tmp_path)
    measureinfo.measure_info.cache_clear()
    try:
        with pytest.raises(DataError, match="phq9.json is damaged"):
            measureinfo.measure_info("phq9")
        assert measureinfo.measure_info("zzz").name == "ZZZ"  # not shipped: a stand-in
    finally:
        measureinfo.measure_info.cache_clear()
