"""The crisis data file: dated, sourced crisis lines per country, and the ISO country list.

On the ``selfback sos`` fast path: standard library only (json, re), nothing else of
selfback's. Reading never raises: a missing or broken file gives the built-in fallback (a
way to find a helpline anywhere), an unreadable country list gives an empty one. The file's
format is checked by ``selfback.safety.crisis_schema``; ``selfback.safety.crisis`` is the
public face of all of this.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "crisis_resources.json"
ISO_FILE = DATA_DIR / "iso3166.tsv"
STALE_AFTER_MONTHS = 12
FINDAHELPLINE = "https://findahelpline.com"
SET_COUNTRY = "selfback config set country XX"
SET_COUNTRY_HINT = f"{SET_COUNTRY} (your two-letter code, such as GB, US or IN)"
SOURCE_KINDS = ("official", "secondary")

# Used only if the shipped data file itself cannot be read: it still gives a way out.
_BUILTIN_FALLBACK: dict[str, Any] = {
    "name": "your country",
    "emergency": {"number": None},
    "services": [
        {
            "name": "Find a Helpline",
            "web": FINDAHELPLINE,
            "note": "free helplines in many countries, by phone, text and chat",
        }
    ],
}
# EU member states plus the EEA (Iceland, Liechtenstein, Norway), where 112 works. The
# data file carries the same list with its source; this copy is used if it is missing.
_EU_EEA = frozenset(
    {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
        *("IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE"),
        *("SI", "SK"),
    }
)

_cache: dict[str, Any] | None = None
_iso_cache: dict[str, str] | None = None


def load_resources(path: Path | None = None) -> dict[str, Any]:
    """The crisis data file as a dict. Never raises: a broken file gives the fallback only."""
    global _cache
    if path is None and _cache is not None:
        return _cache
    try:
        with open(path or DATA_FILE, encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict) or not isinstance(data.get("countries"), dict):
            raise ValueError("unexpected shape")
        if not isinstance(data.get("fallback"), dict):
            data["fallback"] = _BUILTIN_FALLBACK
    except (OSError, ValueError):
        data = {"countries": {}, "fallback": _BUILTIN_FALLBACK, "broken": True}
    if path is None:
        _cache = data
    return data


def iso_countries(path: Path | None = None) -> dict[str, str]:
    """ISO 3166-1 alpha-2 codes and English short names, from the shipped list.

    Never raises: an unreadable list gives an empty dict (callers then accept any two
    letters rather than refuse a real country).
    """
    global _iso_cache
    if path is None and _iso_cache is not None:
        return _iso_cache
    names: dict[str, str] = {}
    try:
        with open(path or ISO_FILE, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip() or line.startswith("#"):
                    continue
                code, _, name = line.rstrip("\n").partition("\t")
                if len(code) == 2 and code.isascii() and code.isupper() and name:
                    names[code] = name
    except (OSError, UnicodeDecodeError):
        names = {}
    if path is None:
        _iso_cache = names
    return names


def is_country_code(code: str | None) -> bool:
    """True for an ISO 3166-1 alpha-2 code (any two letters if the list is unreadable)."""
    if not code:
        return False
    names = iso_countries()
    return code in names if names else bool(re.fullmatch(r"[A-Z]{2}", code))


_THE_WORDS = ("Islands", "Republic", "United ", "States", "Territory", "Territories")
_THE_NAMES = {
    "Bahamas",
    "Gambia",
    "Netherlands",
    "Philippines",
    "Maldives",
    "Comoros",
    "Seychelles",
}


def country_name(code: str) -> str:
    """The country's English short name for use in a sentence ("Kenya", "the Gambia"),
    or the code itself."""
    name = iso_countries().get(code, code)
    if "," not in name and (name in _THE_NAMES or any(w in name for w in _THE_WORDS)):
        return f"the {name}"
    return name


def known_countries() -> list[str]:
    return sorted(load_resources()["countries"])


def eu_eea_codes(data: Mapping[str, Any] | None = None) -> frozenset[str]:
    """EU and EEA country codes: where 112 works (from the data file, else built in)."""
    data = data if data is not None else load_resources()
    region = (data.get("regions") or {}).get("eu_eea")
    if isinstance(region, dict) and isinstance(region.get("codes"), list):
        return frozenset(str(c) for c in region["codes"])
    return _EU_EEA


def iter_entries(data: Mapping[str, Any] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dated entry as (description, entry): regions, emergency numbers, services."""
    data = data if data is not None else load_resources()
    for key, region in (data.get("regions") or {}).items():
        if isinstance(region, dict):
            yield f"region {key}", region
    blocks: list[tuple[str, Any]] = list(data.get("countries", {}).items())
    blocks.append(("fallback", data.get("fallback", {})))
    for code, block in blocks:
        if not isinstance(block, dict):
            continue
        emergency = block.get("emergency")
        if isinstance(emergency, dict):
            number = emergency.get("number") or "local emergency number"
            yield f"{code}: emergency number {number}", emergency
        for service in block.get("services") or []:
            if isinstance(service, dict):
                yield f"{code}: {service.get('name', '(unnamed service)')}", service


def stale_entries(today: date, data: Mapping[str, Any] | None = None) -> list[str]:
    """A description of every entry verified more than 12 months before ``today``.

    Entries without a source address or a readable verification date are listed too:
    an unchecked number is treated like an out-of-date one.
    """
    from datetime import date as date_cls

    try:
        cutoff = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - 1, day=28)
    problems: list[str] = []
    for label, entry in iter_entries(data):
        source = entry.get("source")
        raw = entry.get("verified")
        if not isinstance(source, str) or not source.startswith(("https://", "http://")):
            problems.append(f"{label}: no source address recorded")
            continue
        try:
            verified = date_cls.fromisoformat(str(raw))
        except ValueError:
            problems.append(f"{label}: no verification date recorded")
            continue
        if verified < cutoff:
            problems.append(
                f"{label}: last verified {verified.isoformat()}, more than "
                f"{STALE_AFTER_MONTHS} months ago (source {source})"
            )
    return problems


def resources_for(code: str | None) -> tuple[dict[str, Any], bool]:
    """(block, known): the country's block, or the international fallback."""
    data = load_resources()
    block = data["countries"].get(code or "")
    if isinstance(block, dict) and isinstance(block.get("emergency"), dict):
        return block, True
    return data["fallback"], False
