"""Questionnaire data, scoring, bands (every boundary), item 9, screens and change."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from pydantic import ValidationError

from selfback.errors import UsageError
from selfback.measures.library import ORDER, get_instrument, instruments
from selfback.measures.schema import Instrument
from selfback.measures.scoring import (
    band_for,
    change,
    change_sentence,
    format_total,
    score,
)
from selfback.measures.session import Session

PFIZER = (
    "Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
    "with an educational grant from Pfizer Inc. No permission required to reproduce, "
    "translate, display or distribute."
)


def answers_for(inst: Instrument, total: int, *, avoid: tuple[str, ...] = ("9",)) -> list:
    """Answers that add up to ``total``, filling items in order but item 9 last."""
    scored = list(inst.scored_items)
    order = [i for i in scored if i.id not in avoid] + [i for i in scored if i.id in avoid]
    values: dict[str, int] = {}
    left = total
    for item in order:
        top = max(o.value for o in inst.item_options(item))
        values[item.id] = min(top, left)
        left -= values[item.id]
    assert left == 0, "total too high for this instrument"
    out: list[int | None] = []
    for item in inst.items:
        if item.scored:
            out.append(values[item.id])
        else:
            out.append(1 if total > 0 else None)  # the "how difficult" question
    return out


# --- the data ------------------------------------------------------------------------------


def test_all_six_ship_in_order() -> None:
    assert list(instruments()) == ["phq9", "gad7", "who5", "pcl5", "phq2", "gad2"] == list(ORDER)
    names = [i.name for i in instruments().values()]
    assert names == ["PHQ-9", "GAD-7", "WHO-5", "PCL-5", "PHQ-2", "GAD-2"]


def test_data_files_are_the_source() -> None:
    files = {
        p.name
        for p in resources.files("selfback.measures").joinpath("data").iterdir()
        if p.name.endswith(".json")
    }
    assert files == {f"{i}.json" for i in ORDER}
    raw = json.loads(
        resources.files("selfback.measures").joinpath("data", "phq9.json").read_text("utf-8")
    )
    assert Instrument.model_validate(raw) == get_instrument("phq9")


def test_item_counts_options_and_time_frame() -> None:
    phq9, gad7, who5 = get_instrument("phq9"), get_instrument("gad7"), get_instrument("who5")
    assert len(phq9.scored_items) == 9 and phq9.max_total == 27
    assert len(gad7.scored_items) == 7 and gad7.max_total == 21
    assert len(who5.scored_items) == 5 and who5.max_total == 25 and who5.max_display == 100
    for inst in (phq9, gad7):
        assert [o.label for o in inst.options] == [
            "Not at all",
            "Several days",
            "More than half the days",
            "Nearly every day",
        ]
    assert [o.value for o in who5.options] == [0, 1, 2, 3, 4, 5]
    assert who5.options[0].label == "At no time"
    assert who5.options[-1].label == "All of the time"
    for inst in instruments().values():
        expected = "In the past month" if inst.id == "pcl5" else "Over the last 2 weeks"
        assert inst.time_frame == expected


def test_standard_wording_kept() -> None:
    phq9 = get_instrument("phq9")
    assert phq9.items[0].text == "Little interest or pleasure in doing things"
    assert phq9.items[8].text == (
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert get_instrument("gad7").items[1].text == "Not being able to stop or control worrying"
    assert get_instrument("who5").items[0].text == "I have felt cheerful and in good spirits"
    assert get_instrument("who5").items[4].text == (
        "My daily life has been filled with things that interest me"
    )


def test_attribution() -> None:
    for iid in ("phq9", "gad7", "phq2", "gad2"):
        assert get_instrument(iid).attribution == PFIZER
    who5 = get_instrument("who5").attribution
    assert "Psychiatric Research Unit, WHO Collaborating Centre in Mental Health" in who5
    assert "Frederiksborg General Hospital" in who5
    for inst in instruments().values():
        assert inst.sources


def test_screens_are_the_first_two_items() -> None:
    for screen, full in (("phq2", "phq9"), ("gad2", "gad7")):
        s, f = get_instrument(screen), get_instrument(full)
        assert s.kind == "screen" and s.screen_for == full and s.screen_threshold == 3
        assert [i.text for i in s.items] == [i.text for i in f.items[:2]]
        assert s.options == f.options


def test_loinc_codes_only_where_published() -> None:
    phq9 = get_instrument("phq9")
    assert (phq9.loinc.panel, phq9.loinc.total) == ("44249-1", "44261-6")
    assert phq9.items[8].loinc == "44260-8"
    gad7 = get_instrument("gad7")
    assert (gad7.loinc.panel, gad7.loinc.total) == ("69737-5", "70274-6")
    who5 = get_instrument("who5")
    assert who5.loinc.panel is None and who5.loinc.total is None
    assert all(i.loinc is None for i in who5.items)


def test_lookup_is_forgiving_and_errors_plainly() -> None:
    assert get_instrument("PHQ-9").id == "phq9"
    assert get_instrument(" gad_7 ").id == "gad7"
    with pytest.raises(UsageError) as err:
        get_instrument("dass21")
    assert "phq9, gad7, who5, pcl5, phq2, gad2" in err.value.message


def test_band_words_are_plain_and_never_diagnose() -> None:
    for inst in instruments().values():
        for band in inst.bands:
            low = band.text.lower()
            assert "diagnos" not in low and "you have" not in low and "you are" not in low
            assert "safe" not in low
    for band in get_instrument("phq9").bands:
        assert band.text.startswith("Scores in this range are often described as")


# --- bands at every boundary ------------------------------------------------------------


PHQ9_BANDS = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "moderately-severe"),
    (19, "moderately-severe"),
    (20, "severe"),
    (27, "severe"),
]
GAD7_BANDS = [
    (0, "minimal"),
    (4, "minimal"),
    (5, "mild"),
    (9, "mild"),
    (10, "moderate"),
    (14, "moderate"),
    (15, "severe"),
    (21, "severe"),
]
WHO5_BANDS = [(0, 0, "low"), (12, 48, "low"), (13, 52, "not-low"), (25, 100, "not-low")]


@pytest.mark.parametrize(("total", "band"), PHQ9_BANDS)
def test_phq9_bands(total: int, band: str) -> None:
    inst = get_instrument("phq9")
    result = score(inst, answers_for(inst, total))
    assert result.total == total
    assert result.band.id == band
    assert result.display == total
    assert format_total(inst, total) == f"{total} of 27"


@pytest.mark.parametrize(("total", "band"), GAD7_BANDS)
def test_gad7_bands(total: int, band: str) -> None:
    inst = get_instrument("gad7")
    result = score(inst, answers_for(inst, total))
    assert (result.total, result.band.id) == (total, band)
    assert result.flags == () and not result.crisis


@pytest.mark.parametrize(("raw", "percent", "band"), WHO5_BANDS)
def test_who5_bands_and_percentage(raw: int, percent: int, band: str) -> None:
    inst = get_instrument("who5")
    result = score(inst, answers_for(inst, raw))
    assert result.total == raw
    assert result.display == percent == raw * 4
    assert result.band.id == band
    assert format_total(inst, raw) == f"{percent}% ({raw} of 25)"


@pytest.mark.parametrize(
    ("iid", "total", "band"),
    [
        ("phq2", 0, "below-3"),
        ("phq2", 2, "below-3"),
        ("phq2", 3, "3-or-more"),
        ("phq2", 6, "3-or-more"),
        ("gad2", 2, "below-3"),
        ("gad2", 3, "3-or-more"),
    ],
)
def test_screen_bands(iid: str, total: int, band: str) -> None:
    inst = get_instrument(iid)
    assert score(inst, answers_for(inst, total)).band.id == band


def test_band_for_rejects_impossible_totals() -> None:
    with pytest.raises(ValueError):
        band_for(get_instrument("phq9"), 28)
    with pytest.raises(ValueError):
        band_for(get_instrument("who5"), -1)


# --- item 9, the difficulty question, screens ---------------------------------------------


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_above_zero_flags_whatever_the_total(item9: int) -> None:
    inst = get_instrument("phq9")
    answers = [0] * 8 + [item9, 0]
    result = score(inst, answers)
    assert result.total == item9
    assert result.band.id == "minimal"
    assert result.flags == ("phq9-item9",)
    assert result.crisis is True


def test_phq9_item9_zero_is_not_flagged() -> None:
    inst = get_instrument("phq9")
    result = score(inst, [3] * 8 + [0, 3])
    assert result.total == 24 and result.flags == () and result.crisis is False


def test_difficulty_question_is_unscored_and_only_asked_after_a_problem() -> None:
    inst = get_instrument("phq9")
    assert score(inst, [0] * 9 + [None]).total == 0
    with pytest.raises(ValueError):
        score(inst, [0] * 9 + [2])  # not asked when nothing was checked
    with pytest.raises(ValueError):
        score(inst, [1] + [0] * 8 + [None])  # asked, so it needs an answer
    assert score(inst, [1] + [0] * 8 + [3]).total == 1  # not added to the total


def test_score_rejects_bad_answers() -> None:
    inst = get_instrument("gad7")
    with pytest.raises(ValueError):
        score(inst, [0] * 6)
    with pytest.raises(ValueError):
        score(inst, [4] + [0] * 6 + [None])
    with pytest.raises(ValueError):
        score(inst, [None] + [0] * 6 + [None])


@pytest.mark.parametrize(
    ("iid", "answers", "suggest"),
    [
        ("phq2", [1, 1], None),
        ("phq2", [2, 1], "phq9"),
        ("phq2", [3, 3], "phq9"),
        ("gad2", [0, 2], None),
        ("gad2", [1, 2], "gad7"),
    ],
)
def test_screens_suggest_the_full_measure_at_three(iid: str, answers: list, suggest) -> None:
    assert score(get_instrument(iid), answers).suggest == suggest


def test_full_measures_never_suggest() -> None:
    inst = get_instrument("phq9")
    assert score(inst, [3] * 9 + [3]).suggest is None


# --- change -----------------------------------------------------------------------------------


def test_change_direction_depends_on_the_scale() -> None:
    phq9 = get_instrument("phq9")
    down = change(phq9, 15, 12)
    assert (down.delta, down.direction, down.meaningful) == (-3, "better", False)
    assert down.band_changed is True
    assert change(phq9, 12, 14).direction == "worse"
    assert change(phq9, 12, 12).direction == "same"
    assert change(phq9, 11, 13).band_changed is False


def test_who5_change_on_the_percentage_scale() -> None:
    who5 = get_instrument("who5")
    up = change(who5, 10, 13)  # 40% -> 52%
    assert (up.delta, up.direction, up.meaningful) == (12, "better", True)
    small = change(who5, 13, 11)  # 52% -> 44%
    assert (small.delta, small.direction, small.meaningful) == (-8, "worse", False)
    assert change(who5, 10, 12).delta == 8


def test_who5_ten_points_is_the_line() -> None:
    # 10 points is meaningful; the raw scale moves in steps of 4, so 8 is not and 12 is.
    who5 = get_instrument("who5")
    assert who5.meaningful_change == 10
    assert change(who5, 20, 18).meaningful is False  # 80 -> 72
    assert change(who5, 20, 17).meaningful is True  # 80 -> 68


def test_phq9_five_and_gad7_four_points_are_the_line() -> None:
    # Löwe et al. 2004 (Med Care 42:1194) and Toussaint et al. 2020 (J Affect Disord 265:395)
    phq9, gad7 = get_instrument("phq9"), get_instrument("gad7")
    assert (phq9.meaningful_change, gad7.meaningful_change) == (5, 4)
    assert change(phq9, 15, 11).meaningful is False and change(phq9, 15, 10).meaningful is True
    assert change(gad7, 10, 7).meaningful is False and change(gad7, 10, 14).meaningful is True
    text = change_sentence(phq9, change(phq9, 15, 9), "2026-11-01")
    assert "A change of 5 points or more is usually seen as meaningful." in text
    assert "Löwe" in " ".join(phq9.sources) and "Toussaint" in " ".join(gad7.sources)


def test_change_sentences() -> None:
    phq9, who5 = get_instrument("phq9"), get_instrument("who5")
    text = change_sentence(phq9, change(phq9, 15, 12), "2026-11-01")
    assert text.startswith("3 points lower than last time (15 on 2026-11-01).")
    assert "lower means these problems bothered you less" in text
    assert change_sentence(phq9, change(phq9, 5, 6), "x").startswith("1 point higher")
    assert change_sentence(phq9, change(phq9, 5, 5), "x").startswith("The same as last time")
    text = change_sentence(who5, change(who5, 10, 13), "2026-11-01")
    assert text.startswith("12 points higher than last time (40% on 2026-11-01).")
    assert "A change of 10 points or more is usually seen as meaningful." in text
    text = change_sentence(who5, change(who5, 13, 11), "d")
    assert "Changes under 10 points are usually within everyday ups and downs." in text


# --- the session (back, skip, progress) ---------------------------------------------------


def test_session_back_and_progress() -> None:
    s = Session(get_instrument("phq9"))
    assert s.at_start and s.progress == (1, 9)
    assert s.back() is False
    s.answer(2)
    assert s.progress == (2, 9) and not s.at_start
    s.answer(1)
    assert s.back() is True
    assert s.progress == (2, 9) and s.current_answer == 1
    s.answer(3)
    for _ in range(7):
        s.answer(0)
    assert s.item.id == "difficulty" and s.progress is None
    assert s.back() is True and s.item.id == "9"
    s.answer(0)
    s.answer(1)
    assert s.done
    result = s.score()
    assert result.answers == (2, 3, 0, 0, 0, 0, 0, 0, 0, 1)
    assert result.total == 5


def test_session_skips_difficulty_after_all_zero_and_back_returns_to_item9() -> None:
    s = Session(get_instrument("phq9"))
    for _ in range(9):
        s.answer(0)
    assert s.done
    assert s.score().answers == (0,) * 9 + (None,)
    assert s.back() is True and s.item.id == "9"


def test_session_answer_rejects_out_of_range() -> None:
    s = Session(get_instrument("who5"))
    s.answer(5)
    with pytest.raises(ValueError):
        s.answer(6)


# --- the schema guards the data -------------------------------------------------------------


def _phq9_raw() -> dict:
    return get_instrument("phq9").model_dump(mode="json")


def test_schema_rejects_gaps_in_bands() -> None:
    raw = _phq9_raw()
    raw["bands"][1]["min"] = 6
    with pytest.raises(ValidationError):
        Instrument.model_validate(raw)


def test_schema_rejects_bands_that_stop_short() -> None:
    raw = _phq9_raw()
    raw["bands"][-1]["max"] = 26
    with pytest.raises(ValidationError):
        Instrument.model_validate(raw)


def test_schema_rejects_a_crisis_item_without_a_flag() -> None:
    raw = _phq9_raw()
    raw["items"][8]["flag"] = None
    with pytest.raises(ValidationError):
        Instrument.model_validate(raw)


def test_schema_rejects_unknown_fields() -> None:
    raw = _phq9_raw()
    raw["diagnosis"] = "no"
    with pytest.raises(ValidationError):
        Instrument.model_validate(raw)
