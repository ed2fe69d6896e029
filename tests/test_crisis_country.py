"""``selfback config set country``: ISO 3166-1 alpha-2 codes only, and a plain word on
what ``sos`` will show for the code saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.safety import crisis


def saved_country() -> object:
    path = get_paths().config_file
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("country")


@pytest.mark.parametrize("typed", ["ZZ", "XX", "EU", "England", "123", "G", "U.S.A", "gb!"])
def test_config_refuses_what_is_not_a_country_code(cli: Any, home: Path, typed: str) -> None:
    result = cli("config", "set", "country", typed)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.count("\n") == 0 and "Traceback" not in result.output
    assert "is not a country code" in message and "two-letter ISO 3166 code" in message
    assert saved_country() is None


@pytest.mark.parametrize(
    ("typed", "code"), [("uk", "GB"), ("UK", "GB"), (" gb ", "GB"), ("us", "US")]
)
def test_config_keeps_uk_as_gb_and_accepts_any_case(
    cli: Any, home: Path, typed: str, code: str
) -> None:
    result = cli("config", "set", "country", typed)
    assert result.exit_code == 0, result
    assert saved_country() == code
    assert f"Saved: country = {code}" in result.stdout
    assert "selfback sos now shows crisis lines for" in result.stdout


def test_config_saves_a_real_code_without_lines_and_says_so(cli: Any, home: Path) -> None:
    result = cli("config", "set", "country", "ke")
    assert result.exit_code == 0, result
    assert saved_country() == "KE"
    out = " ".join(result.stdout.split())
    assert "no checked crisis lines for Kenya yet" in out
    assert "find a free helpline" in out and "local emergency number" in out


def test_config_can_unset_the_country(cli: Any, home: Path) -> None:
    assert cli("config", "set", "country", "IE").exit_code == 0
    result = cli("config", "set", "country", "none")
    assert result.exit_code == 0 and saved_country() is None


def test_a_settings_file_with_an_old_invalid_country_still_loads(cli: Any, home: Path) -> None:
    paths = get_paths().ensure()
    paths.config_file.write_text(json.dumps({"country": "ZZ"}), encoding="utf-8")
    result = cli("config", "show")
    assert result.exit_code == 0, result
    choice = crisis.resolve_country(paths)
    assert choice.code == "ZZ" and not choice.valid


def test_locale_guess_only_gives_real_codes() -> None:
    assert crisis.country_from_locale({"LANG": "en_GB.UTF-8"}) == ("GB", "LANG=en_GB.UTF-8")
    assert crisis.country_from_locale({"LANG": "en_ZZ.UTF-8"}) is None
    assert crisis.country_from_locale({"LANG": "C.UTF-8"}) is None


def test_country_names_come_from_the_iso_list() -> None:
    assert crisis.country_name("KE") == "Kenya"
    assert crisis.country_name("GB") == "the United Kingdom"
    assert crisis.country_name("GM") == "the Gambia"
    assert crisis.country_name("AR") == "Argentina"
    assert crisis.is_country_code("GB") and not crisis.is_country_code("gb")
    assert not crisis.is_country_code("UK") and not crisis.is_country_code(None)
