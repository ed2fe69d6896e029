"""The selfback JSON export's schema, checked entry by entry before anything is imported.

The schema is the one ``selfback.export.jsonfile`` and ``selfback.export.hope`` write and
docs/data.md ("The JSON export, field by field") documents: the fields each list's entries
may have, which of them must be there, their types, their ranges and the words they may
hold. ``problems(data)`` walks the whole file and returns every problem it finds, each
naming its entry ("entry 12 in checkins: unknown field 'foo'"); the importer refuses the
file when there is any, and says the first few and how many in all (``refuse``).

Pure Python: the rules of a stored check-in (``selfback.store.checkin_model.check_row``)
are applied by the importer to the rows it builds, on top of these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from selfback.errors import DataError
from selfback.importer.measure_json import result_rules
from selfback.messages import data as msg
from selfback.store.checkin_model import TRACKER_KINDS, CheckinRow, InvalidCheckin, check_row
from selfback.store.safety import CRISIS_SOURCES

Rec = Mapping[str, object]
# What is wrong with one value, or None; it sees the whole entry for cross-field rules.
Check = Callable[[str, object, Rec], str | None]

# How many problems the refusal names before "and N more".
SHOWN = 3
MAX_TEXT = 1_000_000


@dataclass(frozen=True)
class Field:
    check: Check
    required: bool = False


Schema = Mapping[str, Field]


# -- the checks of one value -------------------------------------------------------------


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def text(limit: int = MAX_TEXT) -> Check:
    def run(key: str, v: object, _rec: Rec) -> str | None:
        if not isinstance(v, str):
            return f"'{key}' is {_show(v)}; it should be text"
        if len(v) > limit:
            return f"'{key}' is too long ({len(v)} characters; at most {limit})"
        return None

    return run


def word(limit: int = 200) -> Check:
    """Text that names something (an id, a uid, a source): not blank."""
    base = text(limit)

    def run(key: str, v: object, rec: Rec) -> str | None:
        problem = base(key, v, rec)
        if problem is None and isinstance(v, str) and not v.strip():
            return f"'{key}' is blank"
        return problem

    return run


@lru_cache(maxsize=256)
def _parse(v: str) -> datetime | str:
    """The moment ``v`` names, or what is wrong with it (each entry names a time up to
    five times: ``ts``, ``ts_utc``, ``local_date``, ``created_at``, ``updated_at``)."""
    try:
        moment = datetime.fromisoformat(v)
    except ValueError:
        return "not a date and time"
    return moment if moment.tzinfo is not None else "a time without its UTC offset"


def _moment(v: object) -> datetime | None:
    found = _parse(v) if isinstance(v, str) and len(v) <= 64 else None
    return found if isinstance(found, datetime) else None


def when(key: str, v: object, _rec: Rec) -> str | None:
    """A date and time with its UTC offset, as every selfback time is written."""
    if not isinstance(v, str) or len(v) > 64:
        return f"'{key}' is {_show(v)}; it should be a date and time"
    found = _parse(v)
    return None if isinstance(found, datetime) else f"'{key}' is {_show(v)}, {found}"


def utc_of(local: str) -> Check:
    """The moment of the entry's ``local`` time, written in UTC."""

    def run(key: str, v: object, rec: Rec) -> str | None:
        problem = when(key, v, rec)
        if problem is not None:
            return problem
        moment = _moment(v)
        assert moment is not None
        if moment.utcoffset() != timedelta(0):
            return f"'{key}' is {_show(v)}, not a time in UTC"
        there = _moment(rec.get(local))
        if there is not None and there != moment:
            return f"'{key}' is {_show(v)}, not the time of '{local}' ({rec.get(local)}) in UTC"
        return None

    return run


def date_of(local: str | None) -> Check:
    """A calendar date: that of the entry's ``local`` time, when there is one."""

    def run(key: str, v: object, rec: Rec) -> str | None:
        try:
            day = date.fromisoformat(v) if isinstance(v, str) and len(v) == 10 else None
        except ValueError:
            day = None
        if day is None:
            return f"'{key}' is {_show(v)}, not a date like 2026-01-31"
        if local is None:
            return None
        there = _moment(rec.get(local))
        if there is not None and there.date() != day:
            return f"'{key}' is {v}, not the date of '{local}' ({rec.get(local)})"
        return None

    return run


def whole(lo: int, hi: int) -> Check:
    def run(key: str, v: object, _rec: Rec) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
            return f"'{key}' is {_show(v)}; it should be a whole number from {lo} to {hi}"
        return None

    return run


def number(lo: float, hi: float) -> Check:
    def run(key: str, v: object, _rec: Rec) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
            return f"'{key}' is {_show(v)}; it should be a number from {lo:g} to {hi:g}"
        return None

    return run


def one_of(values: tuple[str, ...] | frozenset[str], what: str) -> Check:
    known = tuple(sorted(values)) if isinstance(values, frozenset) else values

    def run(key: str, v: object, _rec: Rec) -> str | None:
        if v not in known:
            return f"'{key}' is {_show(v)}, not {what} selfback knows ({either(known)})"
        return None

    return run


def either(words: tuple[str, ...] | list[str]) -> str:
    """``a, b or c``."""
    return " or ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def flag(key: str, v: object, _rec: Rec) -> str | None:
    return None if isinstance(v, bool) else f"'{key}' is {_show(v)}; it should be true or false"


def list_of(item: Callable[[object], list[str]], what: str, name: str = "") -> Check:
    """A list whose items each pass ``item`` (a problem names the item by its position,
    and by its ``name`` field when it has one)."""

    def run(key: str, v: object, _rec: Rec) -> str | None:
        if not isinstance(v, list):
            return f"'{key}' is {_show(v)}; it should be a list"
        for n, entry in enumerate(v, start=1):
            found = item(entry)
            if found:
                called = entry.get(name) if isinstance(entry, dict) else None
                label = (
                    f"{what} {n} ({_show(called)})" if isinstance(called, str) else f"{what} {n}"
                )
                return f"{label} in '{key}': {'; '.join(found)}"
        return None

    return run


def nested(schema: Schema) -> Callable[[object], list[str]]:
    """An object inside an entry, checked against its own schema."""

    def run(v: object) -> list[str]:
        if not isinstance(v, dict):
            return [f"it is {_show(v)}, not an object"]
        return entry_problems(v, schema)

    return run


def _text_item(v: object) -> list[str]:
    return [] if isinstance(v, str) else [f"it is {_show(v)}, not text"]


def _answer_item(v: object) -> list[str]:
    return (
        []
        if v is None or (isinstance(v, int) and not isinstance(v, bool))
        else [f"it is {_show(v)}, not a whole number (or null for an item not asked)"]
    )


def _contact(v: object) -> list[str]:
    if isinstance(v, str):
        return []
    return nested({"name": Field(text(10_000)), "reach": Field(text(10_000))})(v)


def plan_object(key: str, v: object, _rec: Rec) -> str | None:
    """A safety plan as ``selfback.safety.plan`` writes it (docs/safety.md)."""
    if not isinstance(v, dict):
        return f"'{key}' is {_show(v)}; it should be an object"
    found = entry_problems(v, PLAN)
    return f"in '{key}', {'; '.join(found)}" if found else None


# -- the schema --------------------------------------------------------------------------

ID = word(64)
TEXT_LIST = list_of(_text_item, "item")

VALUE: Schema = {
    "tracker_id": Field(word(200), required=True),
    "tracker_version": Field(whole(1, 1_000_000)),
    "label": Field(text(500)),
    "kind": Field(one_of(TRACKER_KINDS, "a tracker kind"), required=True),
    "value_num": Field(number(-1e15, 1e15)),
    "value_text": Field(text()),
    "unit": Field(text(100)),
}

ANSWER: Schema = {
    "step": Field(word(200), required=True),
    "kind": Field(word(40), required=True),
    "answer": Field(lambda _k, _v, _r: None),  # what the person gave: text, a number, a list
}

PLAN: Schema = {
    "format": Field(one_of(("selfback-safety-plan",), "a plan format")),
    "schema": Field(whole(1, 1)),
    "label": Field(text(1000)),
    "uid": Field(text(64)),
    "saved_at": Field(when),
    "warning_signs": Field(TEXT_LIST),
    "coping": Field(TEXT_LIST),
    "coping_skills": Field(TEXT_LIST),
    "distractions": Field(TEXT_LIST),
    "helpers": Field(list_of(_contact, "person")),
    "professionals": Field(list_of(_contact, "person")),
    "safer": Field(TEXT_LIST),
    "reasons": Field(TEXT_LIST),
}

RATING = whole(0, 10)

SCHEMAS: dict[str, Schema] = {
    "checkins": {
        "uid": Field(ID, required=True),
        "ts": Field(when, required=True),
        "ts_utc": Field(utc_of("ts")),
        "local_date": Field(date_of("ts")),
        "mood": Field(RATING, required=True),
        "energy": Field(RATING),
        "anxiety": Field(RATING),
        "sleep_hours": Field(number(0, 24)),
        "note": Field(text()),
        "created_at": Field(when),
        "updated_at": Field(when),
        "tags": Field(TEXT_LIST),
        "emotions": Field(TEXT_LIST),
        "values": Field(list_of(nested(VALUE), "value", "tracker_id")),
    },
    "coping_sessions": {
        "uid": Field(ID, required=True),
        "skill_id": Field(word(200), required=True),
        "skill_version": Field(whole(0, 1_000_000), required=True),
        "skill_title": Field(text(500)),
        "situation": Field(text(500)),
        "distress_before": Field(RATING),
        "distress_after": Field(RATING),
        "started_at": Field(when, required=True),
        "started_utc": Field(utc_of("started_at")),
        "ended_at": Field(when),
        "status": Field(one_of(("completed", "stopped"), "a session status"), required=True),
        "answers": Field(list_of(nested(ANSWER), "answer", "step")),
    },
    "measure_results": {
        "uid": Field(ID, required=True),
        "instrument": Field(word(40), required=True),
        "instrument_version": Field(whole(0, 1_000_000), required=True),
        "taken_at": Field(when, required=True),
        "taken_utc": Field(utc_of("taken_at")),
        "total": Field(whole(0, 10_000), required=True),
        "band": Field(word(100), required=True),
        "answers": Field(list_of(_answer_item, "answer")),
        "flags": Field(TEXT_LIST),
    },
    "crisis_openings": {
        "uid": Field(ID, required=True),
        "opened_at": Field(when, required=True),
        "opened_utc": Field(utc_of("opened_at")),
        "source": Field(one_of(CRISIS_SOURCES, "a crisis-screen source"), required=True),
    },
    "safety_plan_versions": {
        "uid": Field(ID, required=True),
        "saved_at": Field(when, required=True),
        "saved_utc": Field(utc_of("saved_at")),
        "plan": Field(plan_object, required=True),
    },
    "risk_flags": {
        "uid": Field(ID, required=True),
        "flagged_at": Field(when, required=True),
        "flagged_utc": Field(utc_of("flagged_at")),
        "source": Field(word(40), required=True),
        "kind": Field(word(40), required=True),
        "ref_uid": Field(text(64)),
    },
}

_RANGE: Schema = {"since": Field(date_of(None)), "until": Field(date_of(None))}
_INCLUDED: Schema = {
    name: Field(flag) for name in ("notes", "crisis_openings", "safety_plan", "risk_flags")
}


def _object(schema: Schema) -> Check:
    def run(key: str, v: object, _rec: Rec) -> str | None:
        found = nested(schema)(v)
        return f"in '{key}', {'; '.join(found)}" if found else None

    return run


# The top of the file: its header, then one list per kind of record.
HEAD: Schema = {
    "format": Field(one_of(("selfback-export",), "an export format"), required=True),
    "schema_version": Field(whole(1, 1_000_000), required=True),
    "database_schema": Field(whole(1, 1_000_000)),
    "exported_at": Field(when),
    "selfback_version": Field(text(100)),
    "range": Field(_object(_RANGE)),
    "included": Field(_object(_INCLUDED)),
}


def _entries(_key: str, _v: object, _rec: Rec) -> None:
    """A list of records: checked entry by entry, not here."""


# -- walking the file --------------------------------------------------------------------


def entry_problems(rec: Rec, schema: Schema) -> list[str]:
    """Every problem with one object: unknown fields, missing ones, wrong values."""
    out = (
        [f"unknown field {_show(key)}" for key in rec if key not in schema]
        if (rec.keys() - schema.keys())
        else []
    )
    for key, spec in schema.items():
        value = rec.get(key)
        if value is None:
            if spec.required:
                out.append(f"'{key}' is missing")
            continue
        problem = spec.check(key, value, rec)
        if problem is not None:
            out.append(problem)
    return out


Rule = Callable[[Rec], list[str]]  # rules across an entry's fields, once each field is right


@dataclass(frozen=True)
class Kind:
    """One kind of record: its schema, and rules across its fields."""

    schema: Schema
    rule: Rule | None = None


# Every kind of record but the hope box's (``selfback.importer.hope_json.KINDS``).
RECORDS: dict[str, Kind] = {
    name: Kind(schema, result_rules if name == "measure_results" else None)
    for name, schema in SCHEMAS.items()
}


def problems(data: Mapping[str, object], kinds: Mapping[str, Kind]) -> list[str]:
    """Every problem in a selfback JSON export, in file order, each naming its entry."""
    head = {**HEAD, **{kind: Field(_entries) for kind in kinds}}
    out = [f"at the top of the file, {p}" for p in entry_problems(data, head)]
    for name, kind in kinds.items():
        entries = data.get(name)
        if not isinstance(entries, list):
            continue  # a missing list is empty; a list that is not one is refused earlier
        seen: dict[str, int] = {}
        for n, rec in enumerate(entries, start=1):
            out += [f"entry {n} in {name}: {p}" for p in _one(rec, kind, seen, n)]
    return out


def _one(rec: object, kind: Kind, seen: dict[str, int], n: int) -> list[str]:
    if not isinstance(rec, dict):
        return [f"it is {_show(rec)}, not an object"]
    found = entry_problems(rec, kind.schema)
    if kind.rule is not None and not found:
        found += kind.rule(rec)
    uid = rec.get("uid")
    if isinstance(uid, str):
        if uid in seen:
            found.append(f"its uid {_show(uid)} is also entry {seen[uid]}'s")
        else:
            seen[uid] = n
    return found


def checkin_rules(rows: Sequence[CheckinRow]) -> list[str]:
    """The rules every stored check-in keeps (``check_row``), for each row of the file."""
    out = []
    for n, row in enumerate(rows, start=1):
        try:
            check_row(row)
        except InvalidCheckin as exc:
            out.append(f"entry {n} in checkins: {exc.message}")
    return out


def refuse(name: str, found: list[str]) -> None:
    """Refuse a file with problems (``DataError``): the first few named, all counted."""
    if not found:
        return
    shown = "; ".join(found[:SHOWN])
    rest = len(found) - SHOWN
    if rest > 0:
        shown += f"; and {rest} more"
    raise DataError(
        msg.IMPORT_NOT_SCHEMA.format(
            file=name,
            count=len(found),
            problems="problem" if len(found) == 1 else "problems",
            shown=shown,
        )
    )
