"""The crisis data file: complete, sourced, dated and fresh; country choice and fallback."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from selfback.paths import get_paths
from selfback.safety import crisis

REQUIRED = {"US", "CA", "GB", "IE", "AU", "NZ"}
WAYS = ("call", "text", "chat", "email", "web")


def test_required_countries_are_present() -> None:
    assert set(crisis.known_countries()) >= REQUIRED


def test_every_entry_has_a_source_address_and_a_verification_date() -> None:
    entries = list(crisis.iter_entries())
    # 6 countries' emergency numbers + their services + the fallback.
    assert len(entries) > 2 * len(REQUIRED)
    for label, entry in entries:
        assert str(entry.get("source", "")).startswith(("https://", "http://")), label
        date.fromisoformat(entry["verified"])  # raises if missing or malformed


def test_no_entry_was_verified_more_than_twelve_months_ago() -> None:
    """Fails on the day any entry becomes more than a year old: re-check it, then update
    its source and date (see docs/safety.md)."""
    assert crisis.stale_entries(date.today()) == []


def test_every_country_has_an_emergency_number_a_line_to_call_and_a_line_to_text() -> None:
    data = crisis.load_resources()
    for code, block in data["countries"].items():
        assert block["emergency"]["number"], code
        call, text, _ = crisis._pick_lines(block["services"])
        assert call is not None and call.get("call"), code
        assert text is not None and text.get("text"), code
        for service in block["services"]:
            assert any(service.get(w) for w in WAYS), (code, service["name"])


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


def test_damaged_data_file_still_gives_the_fallback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    data = crisis.load_resources(bad)
    assert data["countries"] == {}
    assert "findahelpline" in json.dumps(data["fallback"])


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LANG": "en_US"}, "US"),
        ({"LC_ALL": "de_DE.UTF-8@euro", "LANG": "en_US.UTF-8"}, "DE"),
        ({"LC_ALL": "C", "LANG": "en_NZ.UTF-8"}, "NZ"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "POSIX"}, None),
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
    text = crisis.crisis_text(get_paths(), color=False).replace("\n", " ")
    assert "findahelpline.com" in text  # no locale in this test: international fallback
    paths = get_paths()
    lines = crisis.crisis_lines(paths, color=False, environ={"LANG": "en_IE.UTF-8"})
    joined = "\n".join(lines)
    assert "Lines for Ireland" in joined
    assert "guess" in joined and "LANG=en_IE.UTF-8" in joined
    assert "selfback config set country" in joined
    assert "112" in joined and "116 123" in joined and "50808" in joined


def test_unknown_country_shows_the_international_fallback(home: Path) -> None:
    paths = get_paths().ensure()
    paths.config_file.write_text(json.dumps({"country": "FR"}), encoding="utf-8")
    text = crisis.crisis_text(paths, color=False)
    assert "no checked numbers for FR" in text
    assert "local emergency number" in text
    assert "https://findahelpline.com" in text
    assert "112 works from any phone" in text
    assert "selfback config set country" in text


def test_wording_follows_safe_messaging_rules(home: Path) -> None:
    paths = get_paths()
    texts = [crisis.crisis_text(paths, color=False, country=c) for c in [*REQUIRED, "ZZ"]]
    texts += [crisis.crisis_text(paths, color=False, compact=True, country=c) for c in REQUIRED]
    for text in texts:
        assert max(len(line) for line in text.splitlines()) <= 100
        low = text.lower()
        assert "commit" not in low
        assert not re.search(r"\bkill", low)
        assert "you will be fine" not in low and "will fix" not in low
    data = crisis.DATA_FILE.read_text(encoding="utf-8").lower()
    assert "commit" not in data and not re.search(r"\bkill", data)
