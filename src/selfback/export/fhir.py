"""A FHIR R4 Bundle (type ``collection``) of Observations, for clinical systems.

- each questionnaire result is a panel Observation (LOINC panel code where one was
  verified: PHQ-9 44249-1, GAD-7 69737-5, PHQ-2 55757-9) whose ``hasMember`` holds a
  total-score Observation (PHQ-9 44261-6, GAD-7 70274-6, PHQ-2 55758-7) and one
  Observation per answered item (LOINC item codes where verified, such as PHQ-9 item 9
  44260-8). Instruments and items without a verified code (WHO-5, GAD-2, the "how
  difficult" items) carry selfback's own codes.
- a partial result (a questionnaire stopped before the end) is never a score: only its
  answered flag items (PHQ-9 item 9) are exported, each on its own.
- one Observation per check-in mood (0-10), coded in selfback's own code system, with
  the check-in's anxiety, energy and sleep as components, and every other tracker answer
  (diary card, medication, the person's own trackers) as a component coded
  ``tracker:ID`` with the tracker's stored title (text answers only with notes).

selfback's own code system is ``SELFBACK_CODES``, a URI minted for selfback (a UUID URN:
the project has no web address of its own); docs/export.md defines every code in it.

A Patient resource only when the person typed a name or an identifier for this export
(never stored); every Observation then refers to it as its subject. Notes go into
``Observation.note`` only when notes were included. Resource ids are the records' uids
(with ``-total`` or ``-itemN`` for a result's parts), so the same record keeps the same
id across exports.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import selfback.export.data as records
from selfback.export.output import atomic_text
from selfback.export.request import ExportData, ExportRequest, WriteResult
from selfback.insights.measureinfo import measure_info
from selfback.store.checkins import Checkin, TrackerValue
from selfback.store.db import iso
from selfback.store.records import MeasureRecord

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# selfback's own code system (no standard code fits): minted once for selfback, defined
# in docs/export.md ("selfback's code system"). Never change it: receivers key on it.
SELFBACK_CODES = "urn:uuid:412c85b2-d2c2-4746-9af7-638a45278280"
_NAMESPACE = uuid.UUID(SELFBACK_CODES[len("urn:uuid:") :])

LOINC_DISPLAY = {
    "44249-1": "PHQ-9 quick depression assessment panel [Reported.PHQ]",
    "44261-6": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    "44260-8": "Thoughts that you would be better off dead, or of hurting yourself in some way",
    "69737-5": "Generalized anxiety disorder 7 item (GAD-7)",
    "70274-6": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
    "55757-9": "Patient Health Questionnaire 2 item (PHQ-2) [Reported]",
    "55758-7": "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]",
}
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code, "display": display}]}]


def _own(code: str, text: str) -> dict[str, Any]:
    return {"coding": [{"system": SELFBACK_CODES, "code": code, "display": text}], "text": text}


def _loinc(code: str, text: str) -> dict[str, Any]:
    coding = {"system": LOINC, "code": code}
    if code in LOINC_DISPLAY:
        coding["display"] = LOINC_DISPLAY[code]
    return {"coding": [coding], "text": text}


def _score(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def _resource_id(uid: str, part: str = "") -> str:
    """A valid FHIR id from a record's uid (and the part of the record it is)."""
    rid = f"{uid}-{part}" if part else uid
    if _ID.fullmatch(rid):
        return rid
    return uuid.uuid5(_NAMESPACE, rid).hex


def full_url(resource_id: str) -> str:
    """The entry's fullUrl (and what references point to): a UUID URN per resource."""
    try:
        return f"urn:uuid:{uuid.UUID(hex=resource_id)}"
    except ValueError:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, resource_id)}"


def _ref(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": full_url(resource["id"])}


@dataclass(frozen=True)
class _Item:
    text: str
    scored: bool
    loinc: str | None


@dataclass(frozen=True)
class _Codes:
    """An instrument's LOINC codes and items, from the measures package."""

    panel: str | None = None
    total: str | None = None
    items: tuple[_Item, ...] = ()


@cache
def _instrument(instrument_id: str) -> _Codes:
    """Codes and items of an instrument (none for one this version no longer ships)."""
    from selfback.measures.export_info import instrument_metadata, loinc_codes
    from selfback.measures.library import instruments

    inst = instruments().get(instrument_id)
    if inst is None:
        return _Codes()
    codes = loinc_codes(inst)
    items = tuple(
        _Item(str(i["text"]), bool(i["scored"]), codes["items"].get(int(i["position"])))
        for i in instrument_metadata(inst)["items"]
    )
    return _Codes(codes["panel"], codes["total"], items)


def measure_observations(
    rec: MeasureRecord, *, subject: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """One result as Observations: the panel first, then its total and its items (the
    panel's ``hasMember``). A partial result gives only its answered flag items."""
    info = measure_info(rec.instrument)
    codes = _instrument(info.id)
    answers, flags = rec.answers, list(rec.flags)
    flag_at = {position: flag for position, flag, _loinc in info.flag_items}
    partial = rec.partial

    def base(rid: str, code: dict[str, Any]) -> dict[str, Any]:
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "id": rid,
            "status": "final",
            "category": _category("survey", "Survey"),
            "code": code,
        }
        if subject:
            obs["subject"] = subject
        obs["effectiveDateTime"] = rec.taken_at
        return obs

    item_obs: list[dict[str, Any]] = []
    scored_obs: list[dict[str, Any]] = []  # the items the total is made of
    for n, answer in enumerate(answers, start=1):
        if answer is None:
            continue  # not asked or not answered
        if partial and n not in flag_at:
            continue
        item = codes.items[n - 1] if n <= len(codes.items) else _Item("", True, None)
        loinc = item.loinc or next((c for p, _f, c in info.flag_items if p == n and c), None)
        text = f"{info.name} item {n}" + (f": {item.text}" if item.text else "")
        code = _loinc(str(loinc), text) if loinc else _own(f"{info.id}-item{n}", text)
        obs = base(_resource_id(rec.uid, f"item{n}"), code)
        obs["valueInteger"] = answer
        notes = []
        if not item.scored:
            notes.append({"text": "Not scored: not part of the total."})
        if partial:
            notes.append(
                {"text": "From a questionnaire stopped before the end, so it has no score."}
            )
        notes.append({"text": "Self-report, not a diagnosis."})
        obs["note"] = notes
        if n in flag_at and flag_at[n] in flags:
            obs["interpretation"] = [{"text": f"Answered above 0 (flag {flag_at[n]})."}]
        item_obs.append(obs)
        if item.scored:
            scored_obs.append(obs)
    if partial:
        return item_obs

    text = f"{info.name} total score"
    total = base(
        _resource_id(rec.uid, "total"),
        _loinc(codes.total, text) if codes.total else _own(f"{info.id}-total", text),
    )
    total["valueQuantity"] = _score(rec.total)
    total["interpretation"] = [{"text": info.band_label(rec.band, rec.total)}]
    total["note"] = [{"text": "Self-report, not a diagnosis."}]
    if info.multiplier != 1:
        total["note"].append(
            {"text": f"Raw total; the usual reported score is x{info.multiplier}{info.unit}."}
        )
    if scored_obs:
        total["derivedFrom"] = [_ref(o) for o in scored_obs]

    panel = base(
        rec.uid if _ID.fullmatch(rec.uid) else _resource_id(rec.uid, "panel"),
        _loinc(codes.panel, info.name) if codes.panel else _own(info.id, info.name),
    )
    panel["hasMember"] = [_ref(total)] + [_ref(o) for o in item_obs]
    panel["note"] = [{"text": "Self-report, not a diagnosis."}]
    raised = [f for f in flags if f != "partial"]
    if raised:
        panel["interpretation"] = [
            {"text": f"Flag {f}: an item about thoughts of self-harm answered above 0."}
            if f.endswith("item9")
            else {"text": f"Flag {f}."}
            for f in raised
        ]
    return [panel, total, *item_obs]


def patient_resource(name: str | None, identifier: str | None) -> dict[str, Any]:
    """The person, as they typed it for this export (never stored anywhere)."""
    resource: dict[str, Any] = {"resourceType": "Patient", "id": uuid.uuid4().hex}
    if identifier:
        resource["identifier"] = [{"value": identifier}]
    if name:
        resource["name"] = [{"text": name}]
    return resource


def checkin_observation(
    rec: Checkin, *, notes: bool, subject: dict[str, str] | None = None
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _resource_id(rec.uid),
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _own("mood", "Mood, self-rated 0-10 (0 worst, 10 best)"),
    }
    if subject:
        obs["subject"] = subject
    obs["effectiveDateTime"] = rec.ts
    obs["valueInteger"] = rec.mood
    components = []
    for key, text, value in (
        ("anxiety", "Anxiety, self-rated 0-10", rec.anxiety),
        ("energy", "Energy, self-rated 0-10", rec.energy),
    ):
        if value is not None:
            components.append({"code": _own(key, text), "valueInteger": int(value)})
    if rec.sleep_hours is not None:
        components.append(
            {
                "code": _own("sleep-hours", "Hours slept"),
                "valueQuantity": {
                    "value": rec.sleep_hours,
                    "unit": "h",
                    "system": UCUM,
                    "code": "h",
                },
            }
        )
    for answer in rec.values:
        component = tracker_component(answer)
        if component is not None:
            components.append(component)
    if components:
        obs["component"] = components
    if notes and rec.note:
        obs["note"] = [{"text": rec.note}]
    return obs


def tracker_component(value: TrackerValue) -> dict[str, Any] | None:
    """A tracker answer (diary card, medication, the person's own) as a component coded
    ``tracker:ID`` in selfback's code system, labelled with the title stored with it."""
    if not value.tracker_id:
        return None
    label = value.label or value.tracker_id
    kind, num, text = value.kind, value.value_num, value.value_text
    out: dict[str, Any] = {"code": _own(f"tracker:{value.tracker_id}", label)}
    if kind == "scale" and num is not None:
        out["valueInteger"] = int(num)
    elif kind == "yesno" and num is not None:
        out["valueBoolean"] = bool(num)
    elif kind == "number" and num is not None:
        quantity: dict[str, Any] = {"value": int(num) if float(num).is_integer() else num}
        if value.unit:
            quantity["unit"] = value.unit
        out["valueQuantity"] = quantity
    elif kind == "tags" and text is not None:
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        words = [str(i) for i in items] if isinstance(items, list) else [text]
        if not words:
            return None
        out["valueString"] = ", ".join(words)
    elif text is not None:
        out["valueString"] = text
    else:
        return None
    return out


def write_fhir(req: ExportRequest, data: ExportData, out: Path) -> WriteResult:
    """Write the Bundle; the result counts its Observations. A typed ``patient`` (a name
    and/or an identifier) adds a Patient resource, the Observations' subject."""
    head = {
        "resourceType": "Bundle",
        "id": uuid.uuid4().hex,
        "meta": {"lastUpdated": iso(req.generated_at)},
        "type": "collection",
        "timestamp": iso(req.generated_at),
    }
    store, sel, tick = data.store, data.selection, data.tick
    n = 0
    entries = 0
    with atomic_text(out) as fh:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        fh.write(text[:-2] + ',\n "entry": [')

        def emit(resource: dict[str, Any]) -> None:
            nonlocal n, entries
            entry = {"fullUrl": full_url(resource["id"]), "resource": resource}
            fh.write(("\n  " if entries == 0 else ",\n  ") + json.dumps(entry, ensure_ascii=False))
            entries += 1
            if resource["resourceType"] != "Observation":
                return
            n += 1
            if n % 1000 == 0:
                tick(1000)

        subject = None
        if req.patient is not None and req.patient.given:
            person = patient_resource(req.patient.name, req.patient.identifier)
            emit(person)
            subject = _ref(person)
        for rec in records.iter_measures(store, sel):
            for obs in measure_observations(rec, subject=subject):
                emit(obs)
        for checkin in records.iter_checkins(store, sel):
            emit(checkin_observation(checkin, notes=sel.notes, subject=subject))
        fh.write("\n ]\n}\n" if entries else "]\n}\n")
    tick(n % 1000)
    return WriteResult(observations=n)
