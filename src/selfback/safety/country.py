"""Which country's crisis lines to show: ``--country``, then the settings, then the locale.

On the ``selfback sos`` fast path: standard library only. The settings file is read with
plain json (no pydantic); a locale is only ever a guess, and is said to be one.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from selfback.safety.crisis_data import is_country_code
from selfback.text import clean_line

if TYPE_CHECKING:
    from selfback.paths import Paths


def normalize_country(value: object) -> str | None:
    """Two letters, upper case ("uk" -> "GB"), or None. Not checked against ISO 3166."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    if code == "UK":
        code = "GB"
    if len(code) == 2 and code.isascii() and code.isalpha():
        return code
    return None


def country_from_locale(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """Guess a country from the locale (``en_GB.UTF-8`` -> GB).

    Returns (code, "VAR=value") or None. Only a guess: a locale says which language and
    formats someone prefers, not where they are.
    """
    environ = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if not value:
            continue
        base = value.split(".", 1)[0].split("@", 1)[0]
        if "_" in base:
            code = normalize_country(base.split("_", 1)[1])
            if code and is_country_code(code):
                return code, f"{var}={value}"
        if base in ("C", "POSIX"):
            continue
        # LC_ALL/LC_MESSAGES without a territory: keep looking at the next variable.
    return None


def country_from_config(paths: Paths) -> tuple[str | None, bool]:
    """The ``country`` setting read with plain json (no pydantic on the sos path).

    Returns (code or None, whether the settings file could be read).
    """
    try:
        with open(paths.config_file, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return None, True
    except (OSError, ValueError, RecursionError):
        return None, False
    if not isinstance(data, dict):
        return None, False
    return normalize_country(data.get("country")), True


@dataclass(frozen=True)
class CountryChoice:
    code: str | None
    how: str  # "option", "config", "locale" or "unknown"
    detail: str = ""  # e.g. "LANG=en_GB.UTF-8"
    config_broken: bool = False

    @property
    def valid(self) -> bool:
        """True when ``code`` is a real ISO 3166-1 country code."""
        return is_country_code(self.code)


def resolve_country(
    paths: Paths | None,
    *,
    override: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> CountryChoice:
    """Where the country comes from: ``--country``, then settings, then the locale."""
    if override is not None and override.strip():
        code = normalize_country(override)
        return CountryChoice(code or clean_line(override).strip()[:12].upper(), "option")
    config_ok = True
    if paths is not None:
        code, config_ok = country_from_config(paths)
        if code:
            return CountryChoice(code, "config")
    guess = country_from_locale(environ)
    if guess:
        return CountryChoice(guess[0], "locale", guess[1], config_broken=not config_ok)
    return CountryChoice(None, "unknown", config_broken=not config_ok)
