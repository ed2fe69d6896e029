"""influence_table: average mood on days with and without each tag and tracker."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from selfback.insights.influence import MIN_DAYS, influence_table
from selfback.paths import get_paths
from selfback.store.checkins import NewCheckin, TrackerValue, add_checkin
from selfback.store.db import Store, open_store

START = datetime.fromisoformat("2026-09-01T09:00:00+01:00")


@pytest.fixture
def store():  # type: ignore[no-untyped-def]
    s = open_store(get_paths())
    yield s
    s.close()


def planted_log(store: Store) -> None:
    """60 days. 'walk' days are happier; 'rare' appears on 3 days only; 'noise' is random;
    the med_taken tracker has no effect; urge_selfharm is higher on low days."""
    rng = random.Random(7)
    for day in range(60):
        walk = day % 3 == 0
        rare = day in (5, 6, 7)
        base = 7.5 if walk else 4.0
        for k in range(2):  # two check-ins a day, averaged per day
            at = START + timedelta(days=day, hours=10 * k)
            tags = []
            if walk and k == 0:
                tags.append("walk")
            if rare:
                tags.append("rare")
            if rng.random() < 0.5:
                tags.append("noise")
            values = [TrackerValue.make("med_taken", 1, "Medication taken", "yesno", day % 2 == 0)]
            if k == 0:
                values.append(
                    TrackerValue.make(
                        "urge_selfharm",
                        1,
                        "Urge to self-harm",
                        "scale",
                        2 if not walk and day % 2 else 0,
                    )
                )
            mood = int(round(base + rng.choice([-0.5, 0, 0.5])))
            add_checkin(
                store,
                NewCheckin(at=at, mood=mood, tags=tags, values=values, energy=rng.randint(0, 10)),
            )


def test_planted_tag_ranks_first_and_rare_tag_is_not_ranked(store: Store) -> None:
    planted_log(store)
    rows = influence_table(store, None, None)
    by_key = {r.key: r for r in rows}

    walk = by_key["tag:walk"]
    assert walk.enough_data and walk.rank is not None
    assert (walk.days_with, walk.days_without) == (20, 40)
    assert walk.mood_with is not None and walk.mood_without is not None
    assert walk.mood_with - walk.mood_without > 3
    assert rows[0] is walk and walk.rank == 1

    rare = by_key["tag:rare"]
    assert rare.days_with == 3 and rare.days_with < MIN_DAYS
    assert not rare.enough_data and rare.rank is None
    assert rows.index(rare) > max(rows.index(r) for r in rows if r.enough_data)

    noise = by_key["tag:noise"]
    assert noise.enough_data and abs(noise.difference or 0) < abs(walk.difference or 0)

    med = by_key["tracker:med_taken"]
    assert (med.source, med.with_label, med.without_label) == ("yesno", "yes", "no")
    assert med.days_with == 30 and med.days_without == 30
    assert abs(med.difference or 0) < 1

    urge = by_key["tracker:urge_selfharm"]
    assert urge.source == "scale" and urge.label == "Urge to self-harm"
    assert (urge.with_label, urge.without_label) == ("1-5", "0")  # high_from: 1 in the pack
    assert urge.days_with == 20 and urge.mood_with is not None and urge.mood_with < 5

    energy = by_key["tracker:energy"]
    assert (energy.with_label, energy.without_label) == ("6-10", "0-5")

    ranks = [r.rank for r in rows if r.enough_data]
    assert ranks == list(range(1, len(ranks) + 1))
    diffs = [abs(r.difference or 0) for r in rows if r.enough_data]
    assert diffs == sorted(diffs, reverse=True)


def test_date_range_limits_the_days(store: Store) -> None:
    planted_log(store)
    first = START.date()
    rows = influence_table(store, first, first + timedelta(days=8))
    walk = next(r for r in rows if r.key == "tag:walk")
    assert walk.days_with + walk.days_without == 9
    assert walk.days_with == 3 and not walk.enough_data


def test_custom_tags_tracker_items_and_min_days(store: Store) -> None:
    for day in range(12):
        at = START + timedelta(days=day)
        items = ["tipp"] if day < 6 else []
        add_checkin(
            store,
            NewCheckin(
                at=at,
                mood=8 if items else 3,
                values=[TrackerValue.make("skills_used", 1, "Skills used", "tags", items)]
                if items
                else [],
            ),
        )
    rows = influence_table(store, None, None)
    [tipp] = [r for r in rows if r.key == "tracker:skills_used:tipp"]
    # a skill named by its id in "Skills used" shows under the skill's own name
    assert tipp.label == "Skills used: TIPP" and tipp.rank == 1
    assert (tipp.with_label, tipp.without_label) == ("TIPP", "without 'TIPP'")
    assert (tipp.days_with, tipp.days_without) == (6, 6)
    assert influence_table(store, None, None, min_days=7)[0].rank is None


def test_empty_log(store: Store) -> None:
    assert influence_table(store, date(2020, 1, 1), None) == []


def test_rows_serialise() -> None:
    from selfback.insights.influence import InfluenceRow

    row = InfluenceRow("tag:x", "tag", "x", "x", "no x", 5, 6, 6.123, 4.0, True, 1)
    assert row.to_json()["difference"] == 2.12


def test_default_scales_match_the_tracker_models() -> None:
    """The quick YAML read in influence gives what the validated tracker models give."""
    from selfback.insights.influence import _default_scales, scale_infos
    from selfback.trackers.library import builtin_trackers

    quick = _default_scales()
    full = scale_infos(builtin_trackers())
    assert full, "expected built-in scale trackers"
    for key, info in full.items():
        assert quick[key] == info, key
