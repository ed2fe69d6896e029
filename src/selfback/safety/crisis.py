"""Crisis resources: the dated data file, the user's country, and the crisis text.

This module is on the ``selfback sos`` fast path, so at module level it imports only the
standard library (json, os, sys) and never the database, pydantic, rich or YAML. The
database is touched only by ``record_opening``, which callers run after their output is
flushed and which never raises.

Public pieces other parts of selfback use:

- ``crisis_text(paths, color=..., compact=...)``: what ``sos`` prints, reusable by cope
  (distress 9-10, the crisis key, the "urge to hurt myself" situation) and measures
  (PHQ-9 item 9 above 0).
- ``record_opening(paths, source)``: log that the crisis screen was shown (if the user
  allows it); silent on any failure.
- ``stale_entries(today)``: entries verified more than 12 months before ``today``
  (``selfback doctor`` and the test suite call it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date

    from selfback.paths import Paths
    from selfback.safety.plan import SafetyPlan

DATA_FILE = Path(__file__).resolve().parent / "data" / "crisis_resources.json"
STALE_AFTER_MONTHS = 12
FINDAHELPLINE = "https://findahelpline.com"
SET_COUNTRY_HINT = "selfback config set country XX (your two-letter code: GB, US, AU...)"

# Used only if the shipped data file itself cannot be read: it still gives a way out.
_BUILTIN_FALLBACK: dict[str, Any] = {
    "name": "your country",
    "emergency": {
        "number": None,
        "eu_note": "In the European Union, 112 works from any phone, free.",
    },
    "services": [
        {
            "name": "Find a Helpline",
            "web": FINDAHELPLINE,
            "note": "free helplines in many countries, by phone, text and chat",
        }
    ],
}

_cache: dict[str, Any] | None = None


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


def known_countries() -> list[str]:
    return sorted(load_resources()["countries"])


def iter_entries(data: Mapping[str, Any] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dated entry as (description, entry): emergency numbers and services."""
    data = data if data is not None else load_resources()
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


# -- the user's country --------------------------------------------------------------------


def normalize_country(value: object) -> str | None:
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
            if code:
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


def resolve_country(
    paths: Paths | None,
    *,
    override: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> CountryChoice:
    """Where the country comes from: ``--country``, then settings, then the locale."""
    code = normalize_country(override) if override else None
    if code:
        return CountryChoice(code, "option")
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


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def b(self, text: str) -> str:
        return f"{_BOLD}{text}{_RESET}" if self.color else text

    def h(self, text: str) -> str:
        return f"{_HEAD}{text}{_RESET}" if self.color else text


def _text_how(service: Mapping[str, Any], s: _Style) -> str:
    keyword = service.get("keyword")
    number = s.b(str(service["text"]))
    return f"text {s.b(str(keyword))} to {number}" if keyword else f"text {number}"


def _service_line(service: Mapping[str, Any], s: _Style, *, with_text: bool = True) -> str:
    """ "Name: call X, or text Y; chat at Z (note)" for one service."""
    ways: list[str] = []
    call, text = service.get("call"), service.get("text")
    if call and text and not service.get("keyword") and str(call) == str(text):
        ways.append(f"call or text {s.b(str(call))}")
    else:
        if call:
            ways.append(f"call {s.b(str(call))}")
        if text and with_text:
            ways.append(_text_how(service, s))
    if service.get("chat"):
        ways.append(f"chat at {service['chat']}")
    if service.get("email"):
        ways.append(f"email {service['email']}")
    if service.get("web"):
        ways.append(str(service["web"]))
    name = str(service.get("name", ""))
    audience = service.get("audience")
    if audience:
        name += f" (for {audience})"
    line = f"{name}: " + "; ".join(ways)
    if service.get("note"):
        line += f" ({service['note']})"
    return line


def _pick_lines(
    services: list[dict[str, Any]],
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[dict[str, Any]]]:
    """(line to call, line to text, the rest) in the data file's order.

    Lines for a particular group (``audience``) are never the first choice.
    """
    general = [sv for sv in services if not sv.get("audience")]
    call = next((sv for sv in general if sv.get("call")), None)
    text = next((sv for sv in general if sv.get("text") and sv is not call), None)
    if text is None and call is not None and call.get("text"):
        text = call
    rest = [sv for sv in services if sv is not call and sv is not text]
    return call, text, rest


def _country_note(choice: CountryChoice, known: bool, block: Mapping[str, Any]) -> list[str]:
    name = str(block.get("name", choice.code or ""))
    guess = f"a guess from your system language, {choice.detail}"
    if not known:
        if choice.code:
            where = {"option": "you asked for", "config": "from your settings"}.get(
                choice.how, guess
            )
            return [
                f"selfback has no checked numbers for {choice.code} ({where}) yet,",
                "so here is how to find help anywhere.",
            ]
        return ["selfback does not know your country yet, so here is how to find help anywhere."]
    if choice.how == "locale":
        return [f"Lines for {name} ({guess}).", f"Not right? {SET_COUNTRY_HINT}"]
    return [f"Lines for {name}."]


def _wrap_service(line: str, indent: str = "  ", width: int = 78) -> list[str]:
    """Put a long "Name: ways" line on two lines, the ways indented under the name."""
    if len(indent + line) <= width or ": " not in line:
        return [indent + line]
    name, ways = line.split(": ", 1)
    return [f"{indent}{name}:", f"{indent}  {ways}"]


def _contact_line(contact: Any) -> str:
    reach = f": {contact.reach}" if getattr(contact, "reach", "") else ""
    return f"{contact.name}{reach}"


def crisis_lines(
    paths: Paths | None,
    *,
    color: bool,
    compact: bool = False,
    cope_line: bool = True,
    country: str | None = None,
    plan: SafetyPlan | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """The crisis text as lines (see ``crisis_text``)."""
    s = _Style(color)
    choice = resolve_country(paths, override=country, environ=environ)
    block, known = resources_for(choice.code)
    if plan is None and paths is not None:
        from selfback.safety.plan import read_plan_file

        plan = read_plan_file(paths)
    emergency = block.get("emergency") or {}
    services = [sv for sv in block.get("services") or [] if isinstance(sv, dict)]
    call, text, rest = _pick_lines(services)
    number = emergency.get("number")
    also = emergency.get("also")

    out: list[str] = []
    if compact:
        out.append(s.h("You don't have to get through this alone."))
        if number:
            out.append(
                "In danger now, or might act on thoughts of ending your life? "
                f"Call {s.b(str(number))}."
            )
        else:
            out.append(
                "In danger now, or might act on thoughts of ending your life? "
                "Call your local emergency number."
            )
        if call:
            how = f"call {s.b(str(call['call']))}"
            if call.get("text") and str(call["text"]) == str(call["call"]):
                how = f"call or text {s.b(str(call['call']))}"
            out.append(f"Talk: {how} ({call['name']})")
        if text and (text is not call or "call or text" not in out[-1]):
            out.append(f"Text: {_text_how(text, s)} ({text['name']})")
        if not known:
            out.append(f"Find a free helpline in your country: {FINDAHELPLINE}")
        if plan is not None:
            people = plan.helpers + plan.professionals
            # One per line: short lines stay readable in a narrow terminal or read aloud.
            if people:
                out.append("Your people:")
                out.extend(f"  {_contact_line(c)}" for c in people[:3])
                if len(people) > 3:
                    out.append(f"  and {len(people) - 3} more: selfback sos")
            if plan.reasons:
                out.append("Your reasons: " + "; ".join(plan.reasons[:3]))
        else:
            out.append("When you can, make a safety plan: selfback plan edit")
        out.append("All of this, any time: selfback sos")
        if cope_line:
            out.append("A skill can help with the next few minutes: selfback cope")
        return out

    out.append(s.h("You reached out. That matters."))
    out.extend(_country_note(choice, known, block))
    if choice.config_broken:
        out.append("(Your settings file could not be read, so your country setting was not used.)")
    out.append("")
    out.append(s.b("If you might act on thoughts of ending your life, or you are in danger now:"))
    if number:
        extra = f"; {also} also works" if also else ""
        out.append(f"  call {s.b(str(number))} (emergency services{extra}).")
    else:
        out.append("  call your local emergency number.")
        if emergency.get("eu_note"):
            out.append(f"  {emergency['eu_note']}")
    if call:
        out.append("")
        out.append(s.h("To talk to someone now:"))
        out.extend(_wrap_service(_service_line(call, s, with_text=text is call)))
    if text:
        out.append("")
        out.append(s.h("If talking is too hard, text:"))
        out.append(f"  {text['name']}: {_text_how(text, s)}")
    if rest:
        out.append("")
        out.append(s.h("More ways to reach someone:" if known else "To find a free helpline:"))
        for sv in rest:
            out.extend(_wrap_service(_service_line(sv, s)))

    out.append("")
    if plan is not None:
        if plan.helpers:
            out.append(s.h("People you chose to ask for help:"))
            out.extend("  " + _contact_line(c) for c in plan.helpers)
        if plan.professionals:
            out.append(s.h("Professionals and services you chose:"))
            out.extend("  " + _contact_line(c) for c in plan.professionals)
        if plan.reasons:
            out.append(s.h("Your reasons for living:"))
            out.extend(f"  - {r}" for r in plan.reasons)
        if not (plan.helpers or plan.professionals or plan.reasons):
            out.append("Your safety plan has no contacts or reasons yet: selfback plan edit")
        out.append("Your whole plan: selfback plan show")
    else:
        out.append("No safety plan yet. When things feel a little calmer, make one with")
        out.append("  selfback plan edit  (your people and reasons will then show here)")
    if not known:
        out.append("To see your country's lines here, tell selfback where you are:")
        out.append(f"  {SET_COUNTRY_HINT}")
    if cope_line:
        out.append("")
        out.append("When you are ready, a skill can help with the next few minutes: selfback cope")
    return out


def crisis_text(
    paths: Paths | None,
    *,
    color: bool,
    compact: bool = False,
    cope_line: bool = True,
    country: str | None = None,
) -> str:
    """The crisis text ``selfback sos`` prints, as one string ending in a newline.

    In the content guide's order: emergency number, a line to call, a line to text, the
    user's own contacts from the safety plan, their reasons, then the offer of a skill
    (``cope_line=False`` leaves that out, e.g. when already inside ``cope``).
    ``compact`` gives a few short lines for showing inside another screen. Reads only the
    data file, the settings JSON and the plan mirror; never the database. Never raises.
    """
    try:
        lines = crisis_lines(
            paths, color=color, compact=compact, cope_line=cope_line, country=country
        )
    except Exception:
        lines = emergency_only_lines()
    return "\n".join(lines) + "\n"


def emergency_only_lines() -> list[str]:
    """The last-resort text if anything at all goes wrong while building the real one."""
    return [
        "You reached out. That matters.",
        "If you might act on thoughts of ending your life, or you are in danger now:",
        "  call your local emergency number.",
        f"Find a free helpline in your country: {FINDAHELPLINE}",
    ]


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
    except BaseException as exc:  # noqa: BLE001 - logging must never break the crisis path
        if isinstance(exc, SystemExit):
            raise
        return
