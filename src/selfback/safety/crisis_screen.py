"""The crisis screen's words: what ``selfback sos`` prints, full or compact.

On the ``sos`` fast path: the standard library and selfback's stdlib-only ``text``,
``crisis_data``, ``country`` and ``plan``. Lines wrap by whole words; phone numbers and
commands never break. ``emergency_only_lines`` is the one copy of the last-resort text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from selfback.safety.country import CountryChoice, resolve_country
from selfback.safety.crisis_data import (
    FINDAHELPLINE,
    SET_COUNTRY,
    SET_COUNTRY_HINT,
    country_name,
    eu_eea_codes,
    iso_countries,
    known_countries,
    load_resources,
    resources_for,
)
from selfback.text import clean_line, terminal_width, wrap

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.safety.plan import Contact, SafetyPlan

MIN_WIDTH = 20

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


def _contact_line(contact: Contact) -> str:
    name = _t(contact.name)
    reach = _t(contact.reach)
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
    out += _full_plan(s, plan)
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


_Paragraphs = list[tuple[str, str, str]]


def _full_plan(s: _Style, plan: SafetyPlan | None) -> _Paragraphs:
    """The person's own people and reasons from the safety plan, for the full text."""
    if plan is None:
        from selfback.safety.plan_copy import no_plan_text

        return [(no_plan_text(), "", "")]
    out: _Paragraphs = []
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
        out.append(("Your safety plan has no contacts or reasons yet: selfback plan edit", "", ""))
    out.append(("Your whole plan: selfback plan show", "", ""))
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
