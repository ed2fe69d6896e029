"""Reading the person's own words in `cope`: ratings typed their way, situations by
synonym or typo, crisis words at any prompt, and skill texts that only ask for what can
be typed there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from selfback.walk.rules import Reading, high_rating, parse_rating
from selfback.walk.situations import SYNONYMS, closest_situation, match_situation

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7", Reading(7)),
        (" 7 ", Reading(7)),
        ("seven", Reading(7)),
        ("7/10", Reading(7)),
        ("10/10", Reading(10)),
        ("11/10", Reading(10, above=True)),
        ("11", Reading(10, above=True)),
        ("100", Reading(10, above=True)),
        ("a million", Reading(10, above=True)),
        ("A MILLION!", Reading(10, above=True)),
        ("10+", Reading(10, above=True)),
        ("off the charts", Reading(10, above=True)),
        ("max", Reading(10)),
        ("8.5", Reading(9)),
        ("70%", Reading(7)),
        ("0", Reading(0)),
        ("-1", None),
        ("lots", None),
        ("", None),
        ("3/0", None),
    ],
)
def test_ratings_typed_the_persons_way(typed: str, expected: Reading | None) -> None:
    assert parse_rating(typed, 0, 10) == expected


def test_ratings_on_other_scales() -> None:
    assert parse_rating("90", 0, 100) == Reading(90)
    assert parse_rating("150", 0, 100) == Reading(100, above=True)
    assert parse_rating("9/10", 0, 100) == Reading(90)
    assert parse_rating("6", 0, 5) == Reading(5, above=True)
    assert parse_rating("0", 1, 5) is None


def test_high_ratings_scale_with_the_range() -> None:
    assert [v for v in range(11) if high_rating(v)] == [9, 10]
    assert [v for v in range(101) if high_rating(v, 0, 100)] == list(range(90, 101))
    assert [v for v in range(6) if high_rating(v, 0, 5)] == [5]
    assert [v for v in range(1, 8) if high_rating(v, 1, 7)] == [7]


def test_every_synonym_names_a_real_situation() -> None:
    from selfback.skills.schema import SITUATIONS

    assert set(SYNONYMS) <= set(SITUATIONS)


@pytest.mark.parametrize(
    ("words", "situation"),
    [
        ("suicide", "suicidal-thoughts"),
        ("Suicidal", "suicidal-thoughts"),
        ("want to die", "suicidal-thoughts"),
        ("ending my life", "suicidal-thoughts"),
        ("self harm", "self-harm-urge"),
        ("self-harm", "self-harm-urge"),
        ("panic", "panic"),
        ("Panic, racing heart", "panic"),
        ("I feel really anxious", "anxiety"),
        ("can't sleep", "sleep"),
        ("Can’t sleep", "sleep"),
        ("low_mood", "low-mood"),
        ("after a bad dream", "nightmare"),
        ("I'm so lonely tonight", "loneliness"),
    ],
)
def test_situations_by_their_plain_words(words: str, situation: str) -> None:
    assert match_situation(words) == situation


def test_no_situation_for_unrelated_words_and_the_nearest_for_typos() -> None:
    assert match_situation("weather") is None
    assert match_situation("") is None
    assert closest_situation("panik") == "panic"
    assert closest_situation("anxeity") == "anxiety"
    assert closest_situation("loneliness") == "loneliness"
    assert closest_situation("feeling panik") == "panic"
    assert closest_situation("xyzzy") is None


def test_for_values_with_risk_language_mean_a_crisis_situation() -> None:
    from selfback.actions.cope.situations import validate_situation
    from selfback.errors import UsageError

    assert validate_situation("suicide") == ("suicidal-thoughts", "suicide")
    assert validate_situation("I want to die") == ("suicidal-thoughts", "suicide")
    assert validate_situation("suicidal-thoughts") == ("suicidal-thoughts", "suicide")
    assert validate_situation("self harm") == ("self-harm-urge", "self-harm")
    assert validate_situation("panic") == ("panic", None)
    with pytest.raises(UsageError) as err:
        validate_situation("panik")
    assert err.value.message == "'panik' is not a situation selfback knows; did you mean panic?"
    with pytest.raises(UsageError) as err:
        validate_situation("\x1b[2Jweather")
    assert "\x1b" not in err.value.message and "`" not in err.value.message


@pytest.mark.parametrize("typed", ["!", "sos", "SOS", " sos ", "help", "Help!", "selfback sos"])
def test_crisis_words(typed: str) -> None:
    from selfback.ui.screen import wants_crisis

    assert wants_crisis(typed)


@pytest.mark.parametrize("typed", ["?", "s", "", "help me write", "sos please", "b"])
def test_not_crisis_words(typed: str) -> None:
    from selfback.ui.screen import wants_crisis

    assert not wants_crisis(typed)


def step_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "skills").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for step in data["steps"]:
            out.append((data["id"], str(step.get("text") or "")))
    return out


def test_skill_texts_only_ask_for_what_can_be_typed_at_a_step() -> None:
    """Typing sos, selfback sos, help, !, ?, s, b, q, a number or words works at every
    step; any other command can only be run after leaving cope."""
    from selfback.ui.screen import wants_crisis

    typeable = {"sos", "selfback sos", "help", "!", "?", "s", "b", "q"}
    assert all(wants_crisis(word) for word in ("sos", "selfback sos", "help", "!"))
    for sid, text in step_texts():
        low = text.lower()
        assert not re.search(r"\brun\s+selfback\b", low), (sid, text)
        for m in re.finditer(r"\bselfback(?: [a-z-]+)?", low):
            assert m.group(0) in ("selfback sos", "selfback"), (sid, text)
        for m in re.finditer(r"\btype ([^,.;:]+?)(?:,| or | on | at | to |\.|$)", low):
            what = m.group(1).strip()
            if what in ("a number",) or what.startswith(("a few", "one", "it")):
                continue
            assert what in typeable, (sid, text, what)
        for m in re.finditer(r"\bpress (\S+)", low):
            key = m.group(1).strip(",.")
            if len(key) == 1:
                assert key in typeable, (sid, text, key)


def test_screen_wraps_every_line_by_words(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from selfback.env import Env
    from selfback.ui.screen import Screen

    monkeypatch.setenv("COLUMNS", "40")
    out = io.StringIO()
    env = Env(stdout=out, stdin=io.StringIO(""), force_plain=True)
    ui = Screen(env)
    assert ui.width() == 38
    ui.out("  1. Progressive muscle relaxation (6 minutes): fits what's going on")
    ui.para("\x1b[2J\x1b]0;x\x07A summary from a skill file that is long enough to wrap.")
    ui.controls(["Enter to go on", "b back", "s skip this part", "q stop", "? help", "! crisis"])
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 38 for line in lines), lines
    assert lines[1].startswith("     ")  # list items hang under their text
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert "s skip this part" in out.getvalue()
