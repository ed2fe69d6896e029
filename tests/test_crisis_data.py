"""The crisis data file: complete, sourced, dated, well formed and fresh; country choice."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.safety import crisis, crisis_schema, crisis_screen

REQUIRED = {"US", "CA", "GB", "IE", "AU", "NZ"}
WAYS = ("call", "text", "whatsapp", "chat", "email", "web")


def flat(text: str) -> str:
    return " ".join(text.split())


def test_required_countries_are_present_and_at_least_26_in_all() -> None:
    assert set(crisis.known_countries()) >= REQUIRED
    assert len(crisis.known_countries()) >= 26


def test_the_data_file_passes_its_strict_format_check() -> None:
    """Every entry has a source address, a source kind and a date; numbers are well formed
    and none is listed twice in a country; callable lines state their hours."""
    assert crisis.schema_problems() == []


def test_every_entry_has_a_source_a_kind_and_a_verification_date() -> None:
    entries = list(crisis.iter_entries())
    # an emergency entry and at least one line per country, plus the EU/EEA region
    assert len(entries) > 2 * len(crisis.known_countries())
    for label, entry in entries:
        assert str(entry.get("source", "")).startswith(("https://", "http://")), label
        assert entry.get("source_kind") in ("official", "secondary"), label
        date.fromisoformat(entry["verified"])  # raises if missing or malformed


def test_no_entry_was_verified_more_than_twelve_months_ago() -> None:
    """Fails on the day any entry becomes more than a year old: re-check it, then update
    its source and date (see docs/safety.md)."""
    assert crisis.stale_entries(date.today()) == []


def _valid() -> dict[str, Any]:
    return copy.deepcopy(crisis.load_resources())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["countries"]["GB"]["services"][0].pop("source_kind"), "source_kind"),
        (lambda d: d["countries"]["GB"]["services"][0].update(source_kind="blog"), "source_kind"),
        (lambda d: d["countries"]["GB"]["services"][0].pop("verified"), "verified"),
        (lambda d: d["countries"]["GB"]["services"][0].update(source="samaritans.org"), "source"),
        (lambda d: d["countries"]["GB"]["services"][0].update(call="116 l23"), "phone number"),
        (lambda d: d["countries"]["GB"]["services"][0].update(call="116  123"), "phone number"),
        (lambda d: d["countries"]["GB"]["services"][0].update(call="call 116 123"), "phone"),
        (lambda d: d["countries"]["GB"]["emergency"].update(number="9 9 9!"), "phone number"),
        (lambda d: d["countries"]["GB"]["emergency"].update(also="999"), "repeats"),
        (lambda d: d["countries"]["GB"]["services"][1].update(call="116 123"), "already listed"),
        (lambda d: d["countries"]["GB"]["services"][0].pop("hours"), "hours"),
        (lambda d: d["countries"]["GB"]["services"][1].update(keyword="shout"), "keyword"),
        (lambda d: d["countries"]["GB"]["services"][0].update(colour="red"), "unknown fields"),
        (lambda d: d["countries"]["GB"]["services"][0].update(note="`free`"), "markdown"),
        (lambda d: d["countries"]["GB"]["services"][0].update(note="free\x1b[2J"), "plain"),
        (
            lambda d: d["countries"]["GB"]["services"][0].update(see_also=[{"source": "x"}]),
            "see_also",
        ),
        (lambda d: d["countries"].update(ZZ=d["countries"]["GB"]), "ISO 3166"),
        (
            lambda d: [sv.update(audience="adults") for sv in d["countries"]["GB"]["services"]],
            "for everyone",
        ),
        (lambda d: d["regions"]["eu_eea"]["codes"].append("XX"), "not a country code"),
        (lambda d: d["fallback"]["emergency"].update(number="112"), "null"),
    ],
)
def test_the_format_check_catches_each_kind_of_mistake(change: Any, expected: str) -> None:
    data = _valid()
    change(data)
    problems = crisis.schema_problems(data)
    assert any(expected in p for p in problems), problems


def test_numbers_never_repeat_within_a_country_and_are_well_formed() -> None:
    number = re.compile(r"\+?[0-9]+(?:[ -][0-9]+)*")
    for code, block in crisis.load_resources()["countries"].items():
        seen: set[tuple[str, ...]] = set()
        assert number.fullmatch(block["emergency"]["number"]), code
        for sv in block["services"]:
            for key in ("call", "call_alt", "text", "whatsapp"):
                if key in sv:
                    assert number.fullmatch(sv[key]), (code, sv["name"], key)
            keys = {k for k, _ in crisis_schema._reach_keys(sv)}
            assert not keys & seen, (code, sv["name"])
            seen |= keys


def test_every_country_has_an_emergency_number_and_a_line_to_call() -> None:
    data = crisis.load_resources()
    for code, block in data["countries"].items():
        assert block["emergency"]["number"], code
        call, text, _ = crisis_screen._pick_lines(block["services"])
        assert call is not None and call.get("call"), code
        if code in REQUIRED:
            assert text is not None, code
        for service in block["services"]:
            assert any(service.get(w) for w in WAYS), (code, service["name"])


def test_the_988_lgbtq_youth_option_that_ended_in_july_2025_is_never_listed() -> None:
    us = json.dumps(crisis.load_resources()["countries"]["US"]).lower()
    assert "press 3" not in us and "pride" not in us
    names = [s["name"] for s in crisis.load_resources()["countries"]["US"]["services"]]
    assert "The Trevor Project" in names  # its own line continues


def test_the_six_first_countries_have_the_lines_the_issue_asked_for() -> None:
    data = crisis.load_resources()["countries"]
    au = {s["name"]: s for s in data["AU"]["services"]}
    assert data["AU"]["emergency"]["also"] == "112"
    assert au["Beyond Blue"]["call"] == "1300 22 4636"
    assert au["Kids Helpline"]["call"] == "1800 55 1800"
    assert au["13YARN"]["audience"] == "Aboriginal and Torres Strait Islander people"
    gb = {s["name"]: s for s in data["GB"]["services"]}
    assert gb["NHS 111"]["call_then"] == "choose the mental health option"
    assert gb["Childline"]["call"] == "0800 1111" and "under 19" in gb["Childline"]["audience"]
    us = {s["name"]: s for s in data["US"]["services"]}
    assert us["988 Lifeline en español"]["call_then"] == "press 2"
    assert us["988 Lifeline en español"]["language"] == "in Spanish"
    assert us["SAMHSA National Helpline"]["call"] == "1-800-662-4357"
    assert "veterans" in us["Veterans Crisis Line"]["audience"]
    assert "LGBTQ+" in us["The Trevor Project"]["audience"]


def test_every_eu_and_eea_code_is_a_real_country_and_lines_use_112_there() -> None:
    data = crisis.load_resources()
    codes = crisis.eu_eea_codes()
    assert len(codes) == 30 and {"IS", "LI", "NO"} <= codes and "GB" not in codes
    for code, block in data["countries"].items():
        if code in codes:
            numbers = {block["emergency"]["number"], block["emergency"].get("also")}
            assert "112" in numbers, code


def test_fallback_points_to_the_international_directory() -> None:
    fallback = crisis.load_resources()["fallback"]
    assert fallback["emergency"]["number"] is None
    assert any("findahelpline.com" in str(s.get("web")) for s in fallback["services"])


def test_stale_entries_reports_old_undated_and_unsourced_entries() -> None:
    data = {
        "countries": {
            "XX": {
                "emergency": {"number": "1", "source": "https://a", "verified": "2025-11-21"},
                "services": [
                    {"name": "Old", "call": "2", "source": "https://b", "verified": "2025-11-20"},
                    {"name": "Undated", "call": "3", "source": "https://c"},
                    {"name": "Unsourced", "call": "4", "verified": "2026-11-01"},
                ],
            }
        },
        "fallback": {"emergency": {"source": "https://d", "verified": "2026-11-21"}},
    }
    found = crisis.stale_entries(date(2026, 11, 21), data)
    assert len(found) == 3
    assert any("Old" in f and "2025-11-20" in f for f in found)
    assert any("Undated" in f and "no verification date" in f for f in found)
    assert any("Unsourced" in f and "no source" in f for f in found)
    # exactly twelve months is still fine; leap day handled
    assert (
        crisis.stale_entries(
            date(2028, 2, 29),
            {
                "countries": {},
                "fallback": {"emergency": {"source": "https://d", "verified": "2027-02-28"}},
            },
        )
        == []
    )


def test_a_region_entry_goes_stale_too() -> None:
    data = _valid()
    data["regions"]["eu_eea"]["verified"] = "2020-01-01"
    assert any("region eu_eea" in f for f in crisis.stale_entries(date(2026, 12, 1), data))


def test_damaged_data_file_still_gives_the_fallback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    data = crisis.load_resources(bad)
    assert data["countries"] == {}
    assert "findahelpline" in json.dumps(data["fallback"])


def test_the_iso_3166_list_is_complete_and_readable_without_the_data_file(
    tmp_path: Path,
) -> None:
    names = crisis.iso_countries()
    assert len(names) == 249
    assert names["GB"] == "United Kingdom" and names["KE"] == "Kenya"
    assert names["KR"] == "South Korea"
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in names)
    assert crisis.is_country_code("IN") and not crisis.is_country_code("ZZ")
    assert not crisis.is_country_code("UK")  # the ISO code is GB
    # a missing list never refuses a real country: any two letters pass
    assert crisis.iso_countries(tmp_path / "missing.tsv") == {}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "en_US"}, "US"),
        ({"LC_ALL": "de_DE.UTF-8@euro", "LANG": "en_US.UTF-8"}, "DE"),
        ({"LC_ALL": "C", "LANG": "en_NZ.UTF-8"}, "NZ"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
        ({"LANG": "en_ZZ.UTF-8"}, None),
        ({}, None),
    ],
)
def test_country_from_locale(env: dict[str, str], expected: str | None) -> None:
    got = crisis.country_from_locale(env)
    assert (got[0] if got else None) == expected


def test_country_choice_order_option_then_settings_then_locale(home: Path) -> None:
    paths = get_paths().ensure()
    environ = {"LANG": "en_AU.UTF-8"}
    choice = crisis.resolve_country(paths, environ=environ)
    assert (choice.code, choice.how, choice.detail) == ("AU", "locale", "LANG=en_AU.UTF-8")
    paths.config_file.write_text(json.dumps({"country": "uk"}), encoding="utf-8")
    assert crisis.resolve_country(paths, environ=environ).code == "GB"
    assert crisis.resolve_country(paths, override="nz", environ=environ).how == "option"
    paths.config_file.write_text("{ broken", encoding="utf-8")
    choice = crisis.resolve_country(paths, environ=environ)
    assert (choice.code, choice.config_broken) == ("AU", True)


def test_locale_guess_is_shown_as_a_guess_with_how_to_change_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    text = flat(crisis.crisis_text(get_paths(), color=False))
    assert "findahelpline.com" in text  # no locale in this test: international fallback
    assert "tell selfback where you are" in text  # nothing set, nothing guessed
    paths = get_paths()
    joined = flat(
        "\n".join(crisis.crisis_lines(paths, color=False, environ={"LANG": "en_IE.UTF-8"}))
    )
    assert "Lines for Ireland, a guess from your system language, LANG=en_IE.UTF-8." in joined
    assert "To change: selfback config set country XX" in joined
    assert "112" in joined and "116 123" in joined and "50808" in joined


def test_a_country_without_entries_gets_the_directory_and_no_out_of_region_number(
    home: Path,
) -> None:
    paths = get_paths().ensure()
    paths.config_file.write_text(json.dumps({"country": "KE"}), encoding="utf-8")
    text = flat(crisis.crisis_text(paths, color=False))
    assert "no checked lines for Kenya (KE, from your settings)" in text
    assert "call your local emergency number" in text
    assert "https://findahelpline.com" in text
    assert "112" not in text and "European Union" not in text
    assert "tell selfback where you are" not in text
    # ...and an EU country without entries hears about 112
    paths.config_file.write_text(json.dumps({"country": "CZ"}), encoding="utf-8")
    text = flat(crisis.crisis_text(paths, color=False))
    assert "call your local emergency number" in text
    assert "112 works in every country of the European Union and the EEA" in text


def test_a_setting_that_is_not_a_country_code_is_said_plainly(home: Path) -> None:
    paths = get_paths().ensure()
    paths.config_file.write_text(json.dumps({"country": "ZZ"}), encoding="utf-8")
    text = flat(crisis.crisis_text(paths, color=False))
    assert "ZZ (from your settings) is not a country code selfback knows" in text
    assert "To fix: selfback config set country XX" in text
    assert "https://findahelpline.com" in text and "European Union" not in text


def test_wording_follows_safe_messaging_rules(home: Path) -> None:
    paths = get_paths()
    codes = [*crisis.known_countries(), "ZZ", "KE"]
    texts = [crisis.crisis_text(paths, color=False, country=c) for c in codes]
    texts += [crisis.crisis_text(paths, color=False, compact=True, country=c) for c in codes]
    for text in texts:
        assert max(len(line) for line in text.splitlines()) <= 80
        low = text.lower()
        assert "commit" not in low
        assert not re.search(r"\bkill", low)
        assert "you will be fine" not in low and "will fix" not in low
        assert "`" not in text and "*" not in text
    data = crisis.DATA_FILE.read_text(encoding="utf-8").lower()
    assert "commit" not in data and not re.search(r"\bkill", data)
