"""Risk detection: normalisation, negation, both kinds, languages, and input that must never
break it. Figures on the phrase corpora are in tests/test_risk_corpus.py."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from selfback.safety import risk
from selfback.safety.risk import RiskHit, detect, detect_any, normalise


def kind(text: object, **kwargs: str) -> str | None:
    hit = detect(text, **kwargs)
    return None if hit is None else hit.kind


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Compiled languages are cached per process; tests that swap the data start clean."""
    saved = dict(risk._CACHE)
    risk._CACHE.clear()
    yield
    risk._CACHE.clear()
    risk._CACHE.update(saved)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None) -> Path:
    """A private copy of the phrase files that a test may change or break."""
    folder = tmp_path / "risk"
    folder.mkdir()
    shipped = Path(risk._data_dir())
    for path in shipped.glob("*.json"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(risk, "_data_dir", lambda: str(folder))
    return folder


# -- the behaviour other parts of selfback rely on ----------------------------------------


def test_the_placeholders_cases_still_hold() -> None:
    assert kind("I want to die tonight") == "suicide"
    assert kind("I want to kill myself") == "suicide"
    assert kind("I might hurt myself") == "self-harm"
    assert detect("dead tired after work") is None


def test_a_hit_names_its_rule_never_the_words() -> None:
    text = "honestly i just want to not exist anymore"
    hit = detect(text)
    assert isinstance(hit, RiskHit)
    assert hit.kind == "suicide" and hit.lang == "en"
    assert hit.rule and "exist" not in hit.rule and text not in repr(hit)


def test_detect_any_returns_the_first_hit() -> None:
    assert detect_any([]) is None
    assert detect_any(["fine", None, "ok"]) is None
    hit = detect_any(["a good day", None, "i keep cutting myself"])
    assert hit is not None and hit.kind == "self-harm"


# -- normalisation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I WANT TO DIE",  # case
        "Ｉ ｗａｎｔ ｔｏ ｄｉｅ",  # fullwidth (NFKC)
        "i want to díe",  # accents
        "I’m going to kill myself",  # curly apostrophe
        "im going to kill myself",  # missing apostrophe
        "i'm going to kill myself",
        "i want... to die!!!",  # punctuation
        "i    want   to\tdie",  # extra spaces
        "i want to dieeeee",  # repeated letters
        "i'm sooooo done i want to die",
        "i wnat to die",  # misspellings
        "feeling suiside thoughts",
        "im so sucidal",
        "i want to kil myself",
        "i want to k1ll myself",  # leetspeak
        "$uicide",
        "su!c!de is on my mind",
        "i want 2 die",
        "iwanttodie",
    ],
)
def test_normalisation_reaches_the_phrase(text: str) -> None:
    assert kind(text) == "suicide", normalise(text)


@pytest.mark.parametrize(
    "text",
    [
        "kms",
        "i want to unalive myself",
        "sewerslide",
        "sewer slide thoughts again",
        "i want to end it all",
        "i hope i dont wake up",
        "i'd want to go to sleep and not wake up",
        "everyone would be better off without me",
        "i have no reason to live",
        "i cant go on",
        "i want to disappear forever",
        "im done with life",
        "i want to take my own life",
        "i want to self delete",
    ],
)
def test_slang_and_euphemisms(text: str) -> None:
    assert kind(text) == "suicide"


def test_normalise_shows_what_the_rules_see() -> None:
    assert normalise("I’m NOT ok.  I want to dieeee!!!") == " i am not ok . i want to die . "
    assert normalise("I'd never") == " i would never . "  # contractions read in full
    assert normalise("k1ll at 3am") == " kil at 3am . "  # doubled letters fold; 3am stays
    assert normalise(None) == " . "


# -- negation, phrase by phrase -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal",
        "i'm not suicidal, just tired",
        "I would never kill myself",
        "i'd never hurt myself",
        "no thoughts of self-harm today",
        "no suicidal thoughts this week",
        "haven't self harmed in a year",
        "i don't want to die, i want things to change",
        "i'm not going to kill myself, i just need to vent",
    ],
)
def test_negated_statements_do_not_count(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to live",
        "I don't want to be here anymore",
        "I no longer want to live",
        "I don't want to wake up",
        "not sure I want to live",
        "i'm not ok. i want to die.",
        "i'm not sure if i'm suicidal",
        "idk why i haven't killed myself yet",
        "i don't want to live with this pain anymore",
    ],
)
def test_negation_that_is_itself_the_risk(text: str) -> None:
    assert kind(text) == "suicide"


def test_a_cancelled_phrase_does_not_hide_another_one_at_the_same_place() -> None:
    # "don't want to live" + "with my parents" is everyday; "live with this pain" is not.
    assert detect("i don't want to live with my parents anymore") is None
    assert kind("i don't want to live with the guilt anymore") == "suicide"


# -- figurative speech and other people ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "dead tired",
        "killing it at work",
        "my phone died",
        "this traffic is killing me",
        "I could kill for a coffee",
        "dying to see that film",
        "I nearly died laughing",
        "kill the process",
        "cut the onions",
        "hurt my back at the gym",
        "Suicide Squad was fun",
        "the battery is dead",
        "deadline",
        "I'd die of embarrassment",
        "i killed myself laughing at that",
        "i cut myself shaving",
        "shot myself in the foot there",
        "career suicide",
        "i want to dye my hair",
        "i'd rather die than eat olives",
    ],
)
def test_everyday_figurative_speech_does_not_count(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "my friend died by suicide",
        "a documentary about suicide",
        "my uncle killed himself when i was 12",
        "my sister self harms",
    ],
)
def test_someone_elses_suicide_or_self_harm_counts(text: str) -> None:
    # Safe-messaging guidance: crisis help accompanies any suicide-related text.
    assert detect(text) is not None


# -- both kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "i want to cut myself",
        "started cutting again",
        "i relapsed on self harm",
        "i burned myself on purpose",
        "sh urges are bad tonight",
        "i scratched my arms until they bled",
        "hurting myself is the only thing that helps",
    ],
)
def test_self_harm(text: str) -> None:
    assert kind(text) == "self-harm"


def test_suicide_wins_when_both_are_there() -> None:
    assert kind("i cut myself and i want to die") == "suicide"


# -- input that must never break it ------------------------------------------------------


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no")


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "\n\n", ".", "💀", b"", 0, 3.5, [], {}, Unprintable()],
)
def test_empty_odd_or_broken_input_is_quietly_nothing(value: object) -> None:
    assert detect(value) is None


@pytest.mark.parametrize(
    "value",
    [
        b"\xff\xfe\x00i want to die\x00",  # bytes, invalid UTF-8, NUL
        "i want to die\ud800",  # a lone surrogate
        "\x1b[2Ji want to die\x07",  # terminal controls
        "i\u200bwant to die",  # a zero-width space between words
        bytearray(b"i want to kill myself"),
    ],
)
def test_binary_ish_input_is_still_read(value: object) -> None:
    assert detect(value) is not None


def test_huge_input_is_read_to_the_end() -> None:
    filler = "went to work, ate lunch, watched telly. " * 50_000  # about 2 MB
    assert detect(filler) is None
    assert kind(filler + "and i want to die") == "suicide"
    assert detect("a" * 1_000_000) is None
    assert detect("k1ll$ " * 50_000) is None


def test_detect_any_survives_a_broken_iterable() -> None:
    def broken() -> Iterator[str]:
        yield "fine"
        raise RuntimeError("gone")

    assert detect_any(broken()) is None


def test_it_never_logs_or_stores_the_words(
    caplog: pytest.LogCaptureFixture, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in home.rglob("*")) if home.exists() else []
    with caplog.at_level(logging.DEBUG):
        assert detect("i want to die, my secret words") is not None
    assert caplog.records == []
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    after = sorted(p.name for p in home.rglob("*")) if home.exists() else []
    assert after == before


# -- languages and the data file ----------------------------------------------------------


def test_the_shipped_english_file_has_no_problems() -> None:
    assert "en" in risk.languages()
    assert risk.check_language("en") == []


@pytest.mark.parametrize("lang", ["en", "EN", "en-GB", "en_GB.UTF-8", "en-au", "xx", "zz-ZZ"])
def test_any_language_code_works_and_unknown_ones_use_english(lang: str) -> None:
    assert kind("I want to die tonight", lang=lang) == "suicide"
    assert detect("dead tired after work", lang=lang) is None


@pytest.mark.parametrize("lang", ["../../etc/passwd", "/tmp/x", "en/../en", "", None, 42])
def test_a_strange_language_value_is_only_english(lang: object) -> None:
    hit = detect("I want to die tonight", lang=lang)  # type: ignore[arg-type]
    assert hit is not None and hit.lang == "en"


def test_a_new_language_is_just_a_file(data_dir: Path) -> None:
    (data_dir / "zz.json").write_text(
        json.dumps(
            {
                "language": "zz",
                "spellings": {"morir": ["morrir", "m0rir"]},
                "lists": {"quiero": ["(quiero|deseo)"]},
                "rules": [
                    {
                        "id": "zz-morir",
                        "kind": "suicide",
                        "phrases": ["@quiero morir"],
                        "unless_before": ["no"],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert risk.check_language("zz") == []
    hit = detect("Quiero MORRIR", lang="zz")
    assert hit is not None and (hit.lang, hit.rule) == ("zz", "zz-morir")
    assert detect("no quiero morir", lang="zz") is None
    # English is checked too, since people often write in more than one language.
    english = detect("i want to kill myself", lang="zz")
    assert english is not None and english.lang == "en"


def test_a_broken_english_file_still_hears_the_plainest_words(data_dir: Path) -> None:
    (data_dir / "en.json").write_text("{ not json", encoding="utf-8")
    assert kind("I want to die tonight") == "suicide"
    assert kind("I might hurt myself") == "self-harm"
    assert detect("dead tired after work") is None
    assert risk.check_language("en")  # and the check says what is wrong


def test_a_missing_data_folder_still_hears_the_plainest_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_cache: None
) -> None:
    monkeypatch.setattr(risk, "_data_dir", lambda: str(tmp_path / "nowhere"))
    assert kind("i want to kill myself") == "suicide"
    assert risk.languages() == []


def test_the_check_names_each_problem_in_a_file(data_dir: Path) -> None:
    (data_dir / "zz.json").write_text(
        json.dumps(
            {
                "spellings": {"do not": ["dont"], "myself": ["my self"]},
                "rules": [
                    {"id": "a", "kind": "sadness", "phrases": ["x"]},
                    {"id": "b", "kind": "suicide", "phrases": ["(unclosed"]},
                    {"id": "c", "kind": "suicide", "phrases": ["@nolist die"]},
                    {"id": "d", "kind": "suicide", "phrases": ["kill my self"]},
                    {"id": "d", "kind": "suicide", "phrases": ["die"]},
                    {"id": "e", "kind": "suicide", "phrases": ["die"], "colour": "red"},
                    {"kind": "suicide", "phrases": ["die"]},
                ],
            }
        ),
        encoding="utf-8",
    )
    problems = "\n".join(risk.check_language("zz"))
    assert "'kind' should be 'suicide' or 'self-harm'" in problems
    assert "is missing a ')'" in problems
    assert "no list called 'nolist'" in problems
    assert "always read as 'myself'" in problems
    assert "listed twice" in problems
    assert "unknown fields: colour" in problems
    assert "has no 'id'" in problems


def test_importing_the_module_reads_no_data() -> None:
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' else None)\n"
        "import selfback.safety.risk as r\n"
        "assert r._CACHE == {}, r._CACHE\n"
        "assert not [p for p in opened if 'risk' in p and p.endswith('.json')], opened\n"
        "r.detect('hello')\n"
        "assert [p for p in opened if p.endswith('en.json')], 'first use should load it'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_the_language_is_compiled_once_per_process(fresh_cache: None) -> None:
    detect("hello there")
    first = risk._language("en")
    detect("i want to die")
    assert risk._language("en") is first
    assert risk._language("en-GB") is first


def test_translators_can_check_a_file_from_the_command_line(data_dir: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "selfback.safety.risk", "check", "en"],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "en.json: no problems" in ok.stdout
    usage = subprocess.run(
        [sys.executable, "-m", "selfback.safety.risk"], capture_output=True, text=True
    )
    assert usage.returncode == 2 and "usage" in usage.stderr
    (data_dir / "zz.json").write_text('{"rules": [{"id": "x", "kind": "sad"}]}', "utf-8")
    assert risk._main(["check", "zz"]) == 1
