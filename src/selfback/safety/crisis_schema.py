"""The crisis data file's format: every way a file breaks it, one plain sentence each.

A strict check (``selfback doctor`` and the test suite run it), equivalent to a JSON Schema
plus the rules a schema cannot say. Standard library only; never on the ``sos`` path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from selfback.safety.crisis_data import SOURCE_KINDS, is_country_code, load_resources
from selfback.text import clean_line

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
    emergency = block["emergency"]
    if not isinstance(emergency, dict):
        return [f"{code}: emergency must be an object"]
    out = _emergency_problems(f"{code}: emergency", emergency)
    services = block["services"]
    if not isinstance(services, list) or not services:
        return [*out, f"{code}: services must be a non-empty list"]
    if not any(
        isinstance(sv, dict) and sv.get("call") and not sv.get("audience") for sv in services
    ):
        out.append(f"{code}: needs at least one line to call that is for everyone")
    seen: dict[tuple[str, ...], str] = {}
    for sv in services:
        if not isinstance(sv, dict):
            out.append(f"{code}: every service must be an object")
            continue
        label = f"{code}: {sv.get('name', '(unnamed)')}"
        out += _service_problems(label, sv)
        for reach, number in _reach_keys(sv):
            if reach in seen:
                out.append(f"{label}: {number} is already listed for {seen[reach]}")
            seen[reach] = str(sv.get("name"))
    return out


def _emergency_problems(label: str, emergency: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
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
    return out + _text_problems(label, emergency) + _provenance_problems(label, emergency)


def _service_problems(label: str, sv: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    unknown = set(sv) - _SERVICE_FIELDS
    if unknown:
        out.append(f"{label}: unknown fields {sorted(unknown)}")
    if not (isinstance(sv.get("name"), str) and sv["name"].strip()):
        out.append(f"{label}: needs a name")
    if not any(sv.get(k) for k in ("call", "text", "whatsapp", "chat", "email", "web")):
        out.append(f"{label}: needs at least one way to reach it")
    for key in ("call", "call_alt", "text", "whatsapp"):
        if key in sv:
            problem = _number_problem(label, key, sv[key])
            if problem:
                out.append(problem)
    for key in ("call_alt", "call_then"):
        if key in sv and "call" not in sv:
            out.append(f"{label}: {key} without call")
    if "keyword" in sv and not (
        "text" in sv and isinstance(sv["keyword"], str) and _KEYWORD.fullmatch(sv["keyword"])
    ):
        out.append(f"{label}: keyword must be capital letters or digits, with text")
    out += _address_problems(label, sv)
    if any(sv.get(k) for k in ("call", "text", "whatsapp")) and not sv.get("hours"):
        out.append(f"{label}: say its hours (24/7, the hours, or 'hours not confirmed')")
    return out + _text_problems(label, sv) + _provenance_problems(label, sv)


# What each address field must look like, and what to say when it does not.
_ADDRESSES = (
    ("chat", _HOST, "chat must be a web address"),
    ("web", _URL, "web must be a full web address"),
    ("email", _EMAIL, "email is not an address"),
)


def _address_problems(label: str, sv: Mapping[str, Any]) -> list[str]:
    return [
        f"{label}: {problem}"
        for key, pattern, problem in _ADDRESSES
        if sv.get(key) and not (isinstance(sv[key], str) and pattern.fullmatch(sv[key]))
    ]


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
