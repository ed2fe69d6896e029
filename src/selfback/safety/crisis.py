"""Crisis resources: the dated data file, the user's country, and the crisis text.

This module is on the ``selfback sos`` fast path, so at module level it imports only the
standard library (json, os, re, sys) and selfback's stdlib-only ``selfback.text``; never
the database, pydantic, rich or YAML. The database is touched only by ``record_opening``,
which callers run after their output is flushed and which never raises.

Public pieces other parts of selfback use:

- ``crisis_text(paths, color=..., compact=..., cope_line=..., width=None, lead=None)``:
  what ``sos`` prints, reusable by cope (distress 9-10, the crisis key, the "urge to hurt
  myself" situation), risk language and measures (PHQ-9 item 9 above 0). Wrapped by whole
  words to ``width`` columns (None: the width of stdout's terminal). ``lead`` is an
  optional gentle first line for the compact text ("What you wrote sounds really hard.").
- ``record_opening(paths, source)``: log that the crisis screen was shown (if the user
  allows it); silent on any failure.
- ``stale_entries(today)``: entries verified more than 12 months before ``today``
  (``selfback doctor`` and the test suite call it); ``schema_problems(data)``: every way
  the data file breaks its format.
- ``iso_countries()``, ``is_country_code(code)``, ``country_name(code)``: the shipped
  ISO 3166-1 list; ``known_countries()``: the codes with checked lines.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfback.text import clean_line, terminal_width, wrap

if TYPE_CHECKING:
    from datetime import date

    from selfback.paths import Paths
    from selfback.safety.plan import SafetyPlan

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "crisis_resources.json"
ISO_FILE = DATA_DIR / "iso3166.tsv"
STALE_AFTER_MONTHS = 12
FINDAHELPLINE = "https://findahelpline.com"
SET_COUNTRY = "selfback config set country XX"
SET_COUNTRY_HINT = f"{SET_COUNTRY} (your two-letter code, such as GB, US or IN)"
SOURCE_KINDS = ("official", "secondary")
MIN_WIDTH = 20

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


# -- data ----------------------------------------------------------------------------------


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


# -- the data file's format ----------------------------------------------------------------

_NUMBER = re.compile(r"\+?[0-9]+(?:[ -][0-9]+)*")
_KEYWORD = re.compile(r"[A-Z0-9]{2,20}")
_URL = re.compile(r"https?://[^\s]+")
_HOST = re.compile(r"(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[^\s]*)?")
_EMAIL = re.compile(r"[^\s@]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TEXT_FIELDS = ("name", "note", "hours", "language", "audience", "call_then", "also_note")
_SERVICE_FIELDS = {
    "name", "call", "call_alt", "call_then", "text", "keyword", "whatsapp", "chat", "email",
    "web", "audience", "hours", "language", "note",
    "source", "source_kind", "verified", "read_at", "see_also",
}  # fmt: skip
_EMERGENCY_FIELDS = {
    "number", "note", "also", "also_note", "source", "source_kind", "verified", "read_at",
    "see_also",
}  # fmt: skip
_REGION_FIELDS = {
    "name", "codes", "emergency", "source", "source_kind", "verified", "read_at", "see_also",
}  # fmt: skip


def _provenance_problems(label: str, entry: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    if not (isinstance(entry.get("source"), str) and _URL.fullmatch(entry["source"])):
        out.append(f"{label}: source must be a web address")
    if entry.get("source_kind") not in SOURCE_KINDS:
        out.append(f"{label}: source_kind must be one of {', '.join(SOURCE_KINDS)}")
    if not (isinstance(entry.get("verified"), str) and _DATE.fullmatch(entry["verified"])):
        out.append(f"{label}: verified must be a date (YYYY-MM-DD)")
    if "read_at" in entry and not (
        isinstance(entry["read_at"], str) and _URL.fullmatch(entry["read_at"])
    ):
        out.append(f"{label}: read_at must be a web address")
    see_also = entry.get("see_also", [])
    if not isinstance(see_also, list):
        return [*out, f"{label}: see_also must be a list"]
    for i, item in enumerate(see_also):
        where = f"{label}: see_also[{i}]"
        if not isinstance(item, dict) or set(item) != {"source", "source_kind", "confirms"}:
            out.append(f"{where} needs exactly source, source_kind and confirms")
            continue
        if not (isinstance(item["source"], str) and _URL.fullmatch(item["source"])):
            out.append(f"{where}: source must be a web address")
        if item["source_kind"] not in SOURCE_KINDS:
            out.append(f"{where}: source_kind must be one of {', '.join(SOURCE_KINDS)}")
        if not (isinstance(item["confirms"], str) and item["confirms"].strip()):
            out.append(f"{where}: confirms must say what the page confirms")
    return out


def _text_problems(label: str, entry: Mapping[str, Any]) -> list[str]:
    out = []
    for key in _TEXT_FIELDS:
        value = entry.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip() or clean_line(value) != value:
            out.append(f"{label}: {key} must be plain one-line text")
        elif "`" in value or "*" in value:
            out.append(f"{label}: {key} must not contain markdown (backticks or asterisks)")
    return out


def _number_problem(label: str, key: str, value: object) -> str | None:
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return None
    return f"{label}: {key} {value!r} is not a phone number (digits, single spaces or hyphens)"


def schema_problems(data: Mapping[str, Any] | None = None) -> list[str]:
    """Every way the data file breaks its format (an empty list when it is sound).

    A strict check, equivalent to a JSON Schema plus the rules a schema cannot say: every
    entry has a source address, a source kind and a date; numbers are well formed; no
    number is listed twice in a country; lines that can be called or texted state their
    hours; no unknown fields.
    """
    data = data if data is not None else load_resources()
    out: list[str] = []
    if data.get("format") != "selfback-crisis-resources" or data.get("schema") != 2:
        out.append("format must be selfback-crisis-resources, schema 2")
    regions = data.get("regions")
    if not isinstance(regions, dict) or "eu_eea" not in regions:
        out.append("regions.eu_eea is missing")
        regions = {}
    for key, region in regions.items():
        label = f"region {key}"
        if not isinstance(region, dict):
            out.append(f"{label}: must be an object")
            continue
        unknown = set(region) - _REGION_FIELDS
        if unknown:
            out.append(f"{label}: unknown fields {sorted(unknown)}")
        codes = region.get("codes")
        if not isinstance(codes, list) or not codes or len(set(codes)) != len(codes):
            out.append(f"{label}: codes must be a list of distinct country codes")
        else:
            out += [
                f"{label}: {c!r} is not a country code" for c in codes if not is_country_code(c)
            ]
        out += _provenance_problems(label, region)
    countries = data.get("countries")
    if not isinstance(countries, dict) or not countries:
        return [*out, "countries must be a non-empty object"]
    for code, block in countries.items():
        if not is_country_code(code):
            out.append(f"{code!r} is not an ISO 3166-1 alpha-2 code")
        if not isinstance(block, dict) or set(block) != {"name", "emergency", "services"}:
            out.append(f"{code}: needs exactly name, emergency and services")
            continue
        if not (isinstance(block["name"], str) and block["name"].strip()):
            out.append(f"{code}: name must be text")
        out += _block_problems(code, block)
    fallback = data.get("fallback")
    if not isinstance(fallback, dict) or not isinstance(fallback.get("emergency"), dict):
        out.append("fallback: needs an emergency entry")
    else:
        if fallback["emergency"].get("number") is not None:
            out.append("fallback: the emergency number must be null (local numbers differ)")
        out += _provenance_problems("fallback: emergency", fallback["emergency"])
        for sv in fallback.get("services") or []:
            out += _provenance_problems(f"fallback: {sv.get('name')}", sv)
    return out


def _block_problems(code: str, block: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    emergency = block["emergency"]
    seen: dict[tuple[str, ...], str] = {}
    if not isinstance(emergency, dict):
        return [f"{code}: emergency must be an object"]
    label = f"{code}: emergency"
    unknown = set(emergency) - _EMERGENCY_FIELDS
    if unknown:
        out.append(f"{label}: unknown fields {sorted(unknown)}")
    for key in ("number", "also"):
        if key in emergency:
            problem = _number_problem(label, key, emergency[key])
            if problem:
                out.append(problem)
    if emergency.get("also") is not None and emergency.get("also") == emergency.get("number"):
        out.append(f"{label}: also repeats the emergency number")
    out += _text_problems(label, emergency) + _provenance_problems(label, emergency)
    services = block["services"]
    if not isinstance(services, list) or not services:
        return [*out, f"{code}: services must be a non-empty list"]
    if not any(
        isinstance(sv, dict) and sv.get("call") and not sv.get("audience") for sv in services
    ):
        out.append(f"{code}: needs at least one line to call that is for everyone")
    for sv in services:
        if not isinstance(sv, dict):
            out.append(f"{code}: every service must be an object")
            continue
        label = f"{code}: {sv.get('name', '(unnamed)')}"
        unknown = set(sv) - _SERVICE_FIELDS
        if unknown:
            out.append(f"{label}: unknown fields {sorted(unknown)}")
        if not (isinstance(sv.get("name"), str) and sv["name"].strip()):
            out.append(f"{label}: needs a name")
        ways = [k for k in ("call", "text", "whatsapp", "chat", "email", "web") if sv.get(k)]
        if not ways:
            out.append(f"{label}: needs at least one way to reach it")
        for key in ("call", "call_alt", "text", "whatsapp"):
            if key in sv:
                problem = _number_problem(label, key, sv[key])
                if problem:
                    out.append(problem)
        if "call_alt" in sv and "call" not in sv:
            out.append(f"{label}: call_alt without call")
        if "call_then" in sv and "call" not in sv:
            out.append(f"{label}: call_then without call")
        if "keyword" in sv and not (
            "text" in sv and isinstance(sv["keyword"], str) and _KEYWORD.fullmatch(sv["keyword"])
        ):
            out.append(f"{label}: keyword must be capital letters or digits, with text")
        if sv.get("chat") and not (isinstance(sv["chat"], str) and _HOST.fullmatch(sv["chat"])):
            out.append(f"{label}: chat must be a web address")
        if sv.get("web") and not (isinstance(sv["web"], str) and _URL.fullmatch(sv["web"])):
            out.append(f"{label}: web must be a full web address")
        if sv.get("email") and not (isinstance(sv["email"], str) and _EMAIL.fullmatch(sv["email"])):
            out.append(f"{label}: email is not an address")
        if any(sv.get(k) for k in ("call", "text", "whatsapp")) and not sv.get("hours"):
            out.append(f"{label}: say its hours (24/7, the hours, or 'hours not confirmed')")
        out += _text_problems(label, sv) + _provenance_problems(label, sv)
        for reach, number in _reach_keys(sv):
            if reach in seen:
                out.append(f"{label}: {number} is already listed for {seen[reach]}")
            seen[reach] = str(sv.get("name"))
    return out


def _reach_keys(sv: Mapping[str, Any]) -> Iterator[tuple[tuple[str, ...], str]]:
    """What makes a way to reach a service distinct (the same number may be called with a
    different menu option, or texted with a different keyword)."""
    then = str(sv.get("call_then") or "")
    for key in ("call", "call_alt"):
        if sv.get(key):
            yield ("call", _digits(sv[key]), then), str(sv[key])
    if sv.get("text"):
        yield ("text", _digits(sv["text"]), str(sv.get("keyword") or "")), str(sv["text"])
    if sv.get("whatsapp"):
        yield ("whatsapp", _digits(sv["whatsapp"])), str(sv["whatsapp"])


def _digits(value: object) -> str:
    return re.sub(r"\D", "", str(value))


# -- the user's country --------------------------------------------------------------------


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
    except (OSError, ValueError):
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


def resources_for(code: str | None) -> tuple[dict[str, Any], bool]:
    """(block, known): the country's block, or the international fallback."""
    data = load_resources()
    block = data["countries"].get(code or "")
    if isinstance(block, dict) and isinstance(block.get("emergency"), dict):
        return block, True
    return data["fallback"], False


# -- the text -------------------------------------------------------------------------------

_BOLD = "\033[1m"
_HEAD = "\033[1;36m"
_RESET = "\033[0m"
# Stands in for the spaces inside a phone number while lines are wrapped, so "116 123"
# never ends one line and starts the next. Not whitespace, one column wide like a space.
_KEEP = "\ue000"
_PHONE_LIKE = re.compile(r"\+?[\d(][\d\s().-]*")
# selfback's own commands are kept on one line too.
_COMMAND = re.compile(
    r"selfback (?:config set country XX|plan edit|plan show|sos --country XX|sos --list|sos|cope)"
)
_EU_EEA_NOTE = "112 works in every country of the European Union and the EEA, free."


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def b(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.color else text

    def h(self, text: str) -> str:
        return f"{_HEAD}{text}{_RESET}" if self.color else text

    def n(self, number: object) -> str:
        """A number from the data file: bold, and kept on one line."""
        return self.b(clean_line(number).replace(" ", _KEEP))


def _keep_phone(value: str) -> str:
    return value.replace(" ", _KEEP) if _PHONE_LIKE.fullmatch(value) else value


def _t(value: object) -> str:
    """Text from the data file or the plan, safe to print on one line."""
    return clean_line(value).strip()


def _text_how(service: Mapping[str, Any], s: _Style) -> str:
    if service.get("text"):
        keyword = service.get("keyword")
        number = s.n(service["text"])
        return f"text {s.b(_t(keyword))} to {number}" if keyword else f"text {number}"
    return f"WhatsApp {s.n(service['whatsapp'])}"


def _call_how(service: Mapping[str, Any], s: _Style) -> str:
    how = f"call {s.n(service['call'])}"
    if service.get("call_alt"):
        how += f" or {s.n(service['call_alt'])}"
    if service.get("call_then"):
        how += f" and {_t(service['call_then'])}"
    return how


def _can_text(service: Mapping[str, Any]) -> bool:
    return bool(service.get("text") or service.get("whatsapp"))


def _service_name(service: Mapping[str, Any]) -> str:
    name = _t(service.get("name", ""))
    audience = _t(service.get("audience", ""))
    return f"{name} (for {audience})" if audience else name


def _details(service: Mapping[str, Any], *, hours_if_limited: bool = False) -> str:
    """ "free, 24/7, in Spanish" for the parenthesis after a service's ways."""
    hours = _t(service.get("hours", ""))
    if hours_if_limited:
        return hours if hours and hours != "24/7" else ""
    parts = [_t(service.get(k, "")) for k in ("note",)] + [hours, _t(service.get("language", ""))]
    return ", ".join(p for p in parts if p)


def _service_line(service: Mapping[str, Any], s: _Style, *, with_text: bool = True) -> str:
    """ "Name: call X, or text Y; chat at Z (note, hours)" for one service."""
    ways: list[str] = []
    call, text = service.get("call"), service.get("text")
    if (
        call
        and text
        and str(call) == str(text)
        and not service.get("keyword")
        and not service.get("call_then")
        and not service.get("call_alt")
    ):
        ways.append(f"call or text {s.n(call)}")
    else:
        if call:
            ways.append(_call_how(service, s))
        if _can_text(service) and with_text:
            ways.append(_text_how(service, s))
    if text and service.get("whatsapp") and with_text:
        ways.append(f"WhatsApp {s.n(service['whatsapp'])}")
    if service.get("chat"):
        ways.append(f"chat at {_t(service['chat'])}")
    if service.get("email"):
        ways.append(f"email {_t(service['email'])}")
    if service.get("web"):
        ways.append(_t(service["web"]))
    line = f"{_service_name(service)}: " + "; ".join(ways)
    details = _details(service)
    return f"{line} ({details})" if details else line


def _pick_lines(
    services: list[dict[str, Any]],
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[dict[str, Any]]]:
    """(line to call, line to text, the rest) in the data file's order.

    Lines for a particular group (``audience``) are never the first choice.
    """
    general = [sv for sv in services if not sv.get("audience")]
    call = next((sv for sv in general if sv.get("call")), None)
    text = next((sv for sv in general if _can_text(sv) and sv is not call), None)
    if text is None and call is not None and _can_text(call):
        text = call
    rest = [sv for sv in services if sv is not call and sv is not text]
    return call, text, rest


def _where(choice: CountryChoice) -> str:
    if choice.how == "option":
        return "as you asked"
    if choice.how == "config":
        return "from your settings"
    return f"a guess from your system language, {choice.detail}"


def _country_line(choice: CountryChoice, known: bool, block: Mapping[str, Any]) -> str:
    """One line: which country the text is for, and how to change it."""
    change = f"To change: {SET_COUNTRY}"
    if choice.how == "option":
        change = f"To change for good: {SET_COUNTRY}"
    if known:
        return f"Lines for {_t(block.get('name', choice.code))}, {_where(choice)}. {change}"
    if choice.code is None:
        return "selfback does not know your country yet, so here is how to find help anywhere."
    if not choice.valid:
        return (
            f"{choice.code} ({_where(choice)}) is not a country code selfback knows, so here is "
            f"how to find help anywhere. To fix: {SET_COUNTRY_HINT}"
        )
    return (
        f"selfback has no checked lines for {country_name(choice.code)} ({choice.code}, "
        f"{_where(choice)}) yet, so here is how to find help anywhere. {change}"
    )


def _in_eu_eea(choice: CountryChoice) -> bool:
    return choice.code is not None and choice.code in eu_eea_codes()


def _emergency_line(emergency: Mapping[str, Any], s: _Style) -> str:
    number = emergency["number"]
    how = f"call {s.n(number)}"
    if emergency.get("note"):
        how += f" {_t(emergency['note'])}"
    extra = ""
    if emergency.get("also"):
        extra = f"; {s.n(emergency['also'])} also works"
        if emergency.get("also_note"):
            extra += f" {_t(emergency['also_note'])}"
    return f"{how} (emergency services{extra})."


def _contact_line(contact: Any) -> str:
    name = _t(getattr(contact, "name", ""))
    reach = _t(getattr(contact, "reach", ""))
    return f"{name}: {_keep_phone(reach)}" if reach else name


def _width(width: int | None) -> int:
    if width is None:
        width = terminal_width(sys.stdout)
    return max(MIN_WIDTH, int(width))


def _wrap_all(paragraphs: list[tuple[str, str, str]], width: int) -> list[str]:
    """Wrap (text, indent, hanging indent) paragraphs by whole words; "" stays a blank."""
    out: list[str] = []
    for text, indent, hang in paragraphs:
        if not text:
            out.append("")
            continue
        text = _COMMAND.sub(lambda m: m.group(0).replace(" ", _KEEP), text)
        for line in wrap(text, width, indent=indent, subsequent_indent=hang):
            out.append(line.replace(_KEEP, " "))
    return out


def crisis_lines(
    paths: Paths | None,
    *,
    color: bool,
    compact: bool = False,
    cope_line: bool = True,
    country: str | None = None,
    plan: SafetyPlan | None = None,
    environ: Mapping[str, str] | None = None,
    width: int | None = None,
    lead: str | None = None,
) -> list[str]:
    """The crisis text as lines no wider than ``width`` (see ``crisis_text``)."""
    s = _Style(color)
    choice = resolve_country(paths, override=country, environ=environ)
    block, known = resources_for(choice.code if choice.valid else None)
    if plan is None and paths is not None:
        from selfback.safety.plan import read_plan_file

        plan = read_plan_file(paths)
    emergency = block.get("emergency") or {}
    services = [sv for sv in block.get("services") or [] if isinstance(sv, dict)]
    call, text, rest = _pick_lines(services)
    make = _compact if compact else _full
    paragraphs = make(s, choice, known, block, emergency, (call, text, rest), plan, cope_line, lead)
    return _wrap_all(paragraphs, _width(width))


_Lines = tuple[dict[str, Any] | None, dict[str, Any] | None, list[dict[str, Any]]]


def _compact(
    s: _Style,
    choice: CountryChoice,
    known: bool,
    block: Mapping[str, Any],
    emergency: Mapping[str, Any],
    lines: _Lines,
    plan: SafetyPlan | None,
    cope_line: bool,
    lead: str | None,
) -> list[tuple[str, str, str]]:
    call, text, _ = lines
    out: list[tuple[str, str, str]] = []
    if lead and _t(lead):
        out.append((_t(lead), "", ""))
    out.append((s.h("You don't have to get through this alone."), "", ""))
    danger = "In danger now, or might act on thoughts of ending your life?"
    if emergency.get("number"):
        out.append((f"{danger} Call {s.n(emergency['number'])}.", "", ""))
    else:
        out.append((f"{danger} Call your local emergency number.", "", ""))
        if _in_eu_eea(choice):
            out.append((_EU_EEA_NOTE, "", ""))
    if call:
        how = _call_how(call, s)
        if call.get("text") and str(call["text"]) == str(call["call"]) and not call.get("keyword"):
            how = f"call or text {s.n(call['call'])}"
        hours = _details(call, hours_if_limited=True)
        out.append((f"Talk: {how} ({_t(call['name'])}{', ' + hours if hours else ''})", "", "  "))
    if text and (text is not call or not out[-1][0].startswith("Talk: call or text")):
        hours = _details(text, hours_if_limited=True)
        name = _t(text["name"]) + (f", {hours}" if hours else "")
        out.append((f"Text: {_text_how(text, s)} ({name})", "", "  "))
    if not known:
        out.append((f"Find a free helpline in your country: {FINDAHELPLINE}", "", ""))
    if plan is not None:
        people = plan.helpers + plan.professionals
        # One per line: short lines stay readable in a narrow terminal or read aloud.
        if people:
            out.append(("Your people:", "", ""))
            out.extend((_contact_line(c), "  ", "    ") for c in people[:3])
            if len(people) > 3:
                out.append((f"and {len(people) - 3} more: selfback sos", "  ", "    "))
        reasons = [_t(r) for r in plan.reasons[:3] if _t(r)]
        if reasons:
            out.append(("Your reasons: " + "; ".join(reasons), "", "  "))
    else:
        out.append(("When you can, make a safety plan: selfback plan edit", "", ""))
    out.append(("All of this, any time: selfback sos", "", ""))
    if cope_line:
        out.append(("A skill can help with the next few minutes: selfback cope", "", ""))
    return out


def _full(
    s: _Style,
    choice: CountryChoice,
    known: bool,
    block: Mapping[str, Any],
    emergency: Mapping[str, Any],
    lines: _Lines,
    plan: SafetyPlan | None,
    cope_line: bool,
    lead: str | None,
) -> list[tuple[str, str, str]]:
    call, text, rest = lines
    out: list[tuple[str, str, str]] = []
    if lead and _t(lead):
        out.append((_t(lead), "", ""))
    out.append((s.h("You reached out. That matters."), "", ""))
    out.append((_country_line(choice, known, block), "", ""))
    if choice.config_broken:
        out.append(
            (
                "(Your settings file could not be read, so your country setting was not used.)",
                "",
                "",
            )
        )
    out.append(("", "", ""))
    out.append(
        (s.b("If you might act on thoughts of ending your life, or you are in danger now:"), "", "")
    )
    if emergency.get("number"):
        out.append((_emergency_line(emergency, s), "  ", "    "))
    else:
        out.append(("call your local emergency number.", "  ", "    "))
        if _in_eu_eea(choice):
            out.append((_EU_EEA_NOTE, "  ", "    "))
        elif choice.code is None:
            out.append(
                ("In the European Union and the EEA, 112 works from any phone, free.", "  ", "    ")
            )
    if call:
        out.append(("", "", ""))
        out.append((s.h("To talk to someone now:"), "", ""))
        out.append((_service_line(call, s, with_text=text is call), "  ", "    "))
    if text:
        out.append(("", "", ""))
        out.append((s.h("If talking is too hard, text:"), "", ""))
        hours = _details(text, hours_if_limited=True)
        line = f"{_t(text['name'])}: {_text_how(text, s)}" + (f" ({hours})" if hours else "")
        out.append((line, "  ", "    "))
    if rest:
        out.append(("", "", ""))
        out.append(
            (s.h("More ways to reach someone:" if known else "To find a free helpline:"), "", "")
        )
        out.extend((_service_line(sv, s), "  ", "    ") for sv in rest)

    out.append(("", "", ""))
    if plan is not None:
        if plan.helpers:
            out.append((s.h("People you chose to ask for help:"), "", ""))
            out.extend((_contact_line(c), "  ", "    ") for c in plan.helpers)
        if plan.professionals:
            out.append((s.h("Professionals and services you chose:"), "", ""))
            out.extend((_contact_line(c), "  ", "    ") for c in plan.professionals)
        reasons = [_t(r) for r in plan.reasons if _t(r)]
        if reasons:
            out.append((s.h("Your reasons for living:"), "", ""))
            out.extend((f"- {r}", "  ", "    ") for r in reasons)
        if not (plan.helpers or plan.professionals or reasons):
            out.append(
                ("Your safety plan has no contacts or reasons yet: selfback plan edit", "", "")
            )
        out.append(("Your whole plan: selfback plan show", "", ""))
    else:
        out.append(
            (
                "No safety plan yet. When things feel a little calmer, make one with "
                "selfback plan edit (your people and reasons will then show here).",
                "",
                "",
            )
        )
    if choice.code is None:
        out.append(
            (
                "To see your country's lines here, tell selfback where you are: "
                f"{SET_COUNTRY_HINT}",
                "",
                "  ",
            )
        )
    if cope_line:
        out.append(("", "", ""))
        out.append(
            (
                "When you are ready, a skill can help with the next few minutes: selfback cope",
                "",
                "",
            )
        )
    return out


def crisis_text(
    paths: Paths | None,
    *,
    color: bool,
    compact: bool = False,
    cope_line: bool = True,
    country: str | None = None,
    width: int | None = None,
    lead: str | None = None,
) -> str:
    """The crisis text ``selfback sos`` prints, as one string ending in a newline.

    In the content guide's order: emergency number, a line to call, a line to text, the
    user's own contacts from the safety plan, their reasons, then the offer of a skill
    (``cope_line=False`` leaves that out, e.g. when already inside ``cope``).
    ``compact`` gives a few short lines for showing inside another screen, after an
    optional gentle ``lead`` line chosen by the caller. Lines are wrapped by whole words
    to ``width`` columns (None: the terminal width of stdout, or ``COLUMNS``). Everything
    from the plan and the data file is stripped of terminal control sequences. Reads only
    the data file, the settings JSON and the plan mirror; never the database. Never raises.
    """
    try:
        lines = crisis_lines(
            paths,
            color=color,
            compact=compact,
            cope_line=cope_line,
            country=country,
            width=width,
            lead=lead,
        )
    except Exception:
        from selfback.crashlog import TEXT_INVOLVED, log

        log.exception("building the crisis text; showing the last-resort text", extra=TEXT_INVOLVED)
        lines = emergency_only_lines(width)
    return "\n".join(lines) + "\n"


def emergency_only_lines(width: int | None = None) -> list[str]:
    """The last-resort text if anything at all goes wrong while building the real one."""
    try:
        w = _width(width)
    except Exception:
        from selfback.crashlog import log

        log.exception("finding the terminal width for the last-resort crisis text")
        w = 40
    paragraphs = [
        ("You reached out. That matters.", "", ""),
        ("If you might act on thoughts of ending your life, or you are in danger now:", "", ""),
        ("call your local emergency number.", "  ", "    "),
        (f"Find a free helpline in your country: {FINDAHELPLINE}", "", ""),
    ]
    return _wrap_all(paragraphs, w)


def covered_lines(width: int | None = None) -> list[str]:
    """What ``selfback sos --list`` prints: the countries with checked lines."""
    codes = known_countries()
    paragraphs: list[tuple[str, str, str]] = [
        (f"selfback has checked crisis lines for these {len(codes)} countries:", "", "")
    ]
    for code in codes:
        block = load_resources()["countries"][code]
        name = iso_countries().get(code) or _t(block.get("name", code))
        paragraphs.append((f"{code}  {name}", "  ", "      "))
    paragraphs += [
        ("", "", ""),
        ("Show one: selfback sos --country XX", "", "  "),
        (f"Show yours every time: {SET_COUNTRY}", "", "  "),
        (
            "Anywhere else: call your local emergency number, or find a free helpline at "
            f"{FINDAHELPLINE}",
            "",
            "  ",
        ),
    ]
    return _wrap_all(paragraphs, _width(width))


# -- logging openings ---------------------------------------------------------------------


def logging_allowed(paths: Paths) -> bool:
    """False only when the settings file says ``log_crisis_openings: false``."""
    try:
        with open(paths.config_file, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return True
    return not (isinstance(data, dict) and data.get("log_crisis_openings") is False)


def record_opening(paths: Paths, source: str) -> None:
    """Log one opening of the crisis screen to ``crisis_openings``, if the user allows it.

    Run it after the crisis text is flushed. Never raises and never prints: a missing,
    locked, read-only or damaged database simply means nothing is logged. Waits at most
    about a second for a busy database.
    """
    try:
        if not logging_allowed(paths):
            return
        from selfback.clock import Clock
        from selfback.store.db import open_store
        from selfback.store.safety import insert_crisis_opening

        when = Clock.from_env().now()
        store = open_store(paths)
        try:
            store.conn.execute("PRAGMA busy_timeout = 1000")
            with store.tx() as db:
                insert_crisis_opening(db, source=source, when=when)
        finally:
            store.close()
    except KeyboardInterrupt:
        return  # the text is already out: Ctrl-C here only skips the log entry
    except Exception:
        from selfback.crashlog import log

        log.exception("recording that the crisis screen was shown")
