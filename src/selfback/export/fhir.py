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
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from selfback.export import data as records
from selfback.export.output import atomic_text
from selfback.insights.measureinfo import measure_info
from selfback.store.db import Store, iso

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
# selfback's own code system (no standard code fits): minted once for selfback, defined
# in docs/export.md ("selfback's code system"). Never change it: receivers key on it.
SELFBACK_CODES = "urn:uuid:412c85b2-d2c2-4746-9af7-638a45278280"
_NAMESPACE = uuid.UUID(SELFBACK_CODES[len("urn:uuid:") :])

# Kept here so the export works even without the measures package's metadata (the
# source of truth is selfback.measures.export_info.LOINC_CODES; a test keeps them equal).
LOINC_CODES: dict[str, dict[str, Any]] = {
    "phq9": {
        "panel": "44249-1",
        "total": "44261-6",
        "items": {
            1: "44250-9",
            2: "44255-8",
            3: "44259-0",
            4: "44254-1",
            5: "44251-7",
            6: "44258-2",
            7: "44252-5",
            8: "44253-3",
            9: "44260-8",
        },
    },
    "gad7": {
        "panel": "69737-5",
        "total": "70274-6",
        "items": {
            1: "69725-0",
            2: "68509-9",
            3: "69733-4",
            4: "69734-2",
            5: "69735-9",
            6: "69689-8",
            7: "69736-7",
        },
    },
    "phq2": {"panel": "55757-9", "total": "55758-7", "items": {1: "44250-9", 2: "44255-8"}},
}
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


def _instrument(instrument_id: str) -> dict[str, Any]:
    """Name, items (text, scored, LOINC) and codes of an instrument, from the measures
    package when it loads, else from the fallback tables here."""
    codes: dict[str, Any] = {}
    items: list[dict[str, Any]] = []
    try:
        from selfback.measures.export_info import instrument_metadata, loinc_codes

        meta = instrument_metadata(instrument_id)
        codes = loinc_codes(instrument_id)
        items = [
            {
                "text": str(i["text"]),
                "scored": bool(i["scored"]),
                "loinc": codes["items"].get(int(i["position"])),
            }
            for i in meta["items"]
        ]
    except Exception:  # an instrument this version does not ship, or a damaged install
        codes = LOINC_CODES.get(instrument_id, {})
        item_codes = codes.get("items", {})
        items = [
            {"text": "", "scored": True, "loinc": item_codes.get(n)}
            for n in range(1, len(item_codes) + 1)
        ]
    return {"codes": codes, "items": items}


def is_partial(rec: dict[str, Any]) -> bool:
    """A result saved before the questionnaire was finished: never exported as a score."""
    return rec.get("band") == "partial" or "partial" in (rec.get("flags") or [])


def measure_observations(
    rec: dict[str, Any], *, subject: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """One result as Observations: the panel first, then its total and its items (the
    panel's ``hasMember``). A partial result gives only its answered flag items."""
    info = measure_info(rec["instrument"])
    inst = _instrument(info.id)
    codes, items = inst["codes"], inst["items"]
    answers = rec.get("answers") or []
    flags = [str(f) for f in rec.get("flags") or []]
    flag_at = {position: flag for position, flag, _loinc in info.flag_items}
    partial = is_partial(rec)

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
        obs["effectiveDateTime"] = rec["taken_at"]
        return obs

    item_obs: list[dict[str, Any]] = []
    scored_obs: list[dict[str, Any]] = []  # the items the total is made of
    for n, answer in enumerate(answers, start=1):
        if not isinstance(answer, int) or isinstance(answer, bool):
            continue  # not asked or not answered
        if partial and n not in flag_at:
            continue
        item: dict[str, Any] = (
            items[n - 1] if n <= len(items) else {"text": "", "scored": True, "loinc": None}
        )
        loinc = item.get("loinc") or next((c for p, _f, c in info.flag_items if p == n and c), None)
        text = f"{info.name} item {n}" + (f": {item['text']}" if item["text"] else "")
        code = _loinc(str(loinc), text) if loinc else _own(f"{info.id}-item{n}", text)
        obs = base(_resource_id(rec["uid"], f"item{n}"), code)
        obs["valueInteger"] = answer
        notes = []
        if not item["scored"]:
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
        if item["scored"]:
            scored_obs.append(obs)
    if partial:
        return item_obs

    total_code = codes.get("total")
    text = f"{info.name} total score"
    total = base(
        _resource_id(rec["uid"], "total"),
        _loinc(total_code, text) if total_code else _own(f"{info.id}-total", text),
    )
    total["valueQuantity"] = _score(int(rec["total"]))
    total["interpretation"] = [{"text": info.band_label(rec["band"], int(rec["total"]))}]
    total["note"] = [{"text": "Self-report, not a diagnosis."}]
    if info.multiplier != 1:
        total["note"].append(
            {"text": f"Raw total; the usual reported score is x{info.multiplier}{info.unit}."}
        )
    if scored_obs:
        total["derivedFrom"] = [_ref(o) for o in scored_obs]

    panel_code = codes.get("panel")
    panel = base(
        rec["uid"] if _ID.fullmatch(rec["uid"]) else _resource_id(rec["uid"], "panel"),
        _loinc(panel_code, info.name) if panel_code else _own(info.id, info.name),
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
    rec: dict[str, Any], *, notes: bool, subject: dict[str, str] | None = None
) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _resource_id(rec["uid"]),
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _own("mood", "Mood, self-rated 0-10 (0 worst, 10 best)"),
    }
    if subject:
        obs["subject"] = subject
    obs["effectiveDateTime"] = rec["ts"]
    obs["valueInteger"] = int(rec["mood"])
    components = []
    for key, text in (
        ("anxiety", "Anxiety, self-rated 0-10"),
        ("energy", "Energy, self-rated 0-10"),
    ):
        if rec.get(key) is not None:
            components.append({"code": _own(key, text), "valueInteger": int(rec[key])})
    if rec.get("sleep_hours") is not None:
        components.append(
            {
                "code": _own("sleep-hours", "Hours slept"),
                "valueQuantity": {
                    "value": rec["sleep_hours"],
                    "unit": "h",
                    "system": UCUM,
                    "code": "h",
                },
            }
        )
    for value in rec.get("values") or []:
        component = tracker_component(value)
        if component is not None:
            components.append(component)
    if components:
        obs["component"] = components
    if notes and rec.get("note"):
        obs["note"] = [{"text": str(rec["note"])}]
    return obs


def tracker_component(value: dict[str, Any]) -> dict[str, Any] | None:
    """A tracker answer (diary card, medication, the person's own) as a component coded
    ``tracker:ID`` in selfback's code system, labelled with the title stored with it."""
    tracker_id = str(value.get("tracker_id") or "")
    if not tracker_id:
        return None
    label = str(value.get("label") or tracker_id)
    kind = value.get("kind")
    num, text = value.get("value_num"), value.get("value_text")
    out: dict[str, Any] = {"code": _own(f"tracker:{tracker_id}", label)}
    if kind == "scale" and num is not None:
        out["valueInteger"] = int(num)
    elif kind == "yesno" and num is not None:
        out["valueBoolean"] = bool(num)
    elif kind == "number" and num is not None:
        quantity: dict[str, Any] = {"value": int(num) if float(num).is_integer() else num}
        if value.get("unit"):
            quantity["unit"] = str(value["unit"])
        out["valueQuantity"] = quantity
    elif kind == "tags" and text is not None:
        try:
            items = json.loads(str(text))
        except ValueError:
            items = None
        words = [str(i) for i in items] if isinstance(items, list) else [str(text)]
        if not words:
            return None
        out["valueString"] = ", ".join(words)
    elif text is not None:
        out["valueString"] = str(text)
    else:
        return None
    return out


def write_fhir(
    path: Path,
    store: Store,
    sel: records.Selection,
    *,
    generated_at: datetime,
    tick: Callable[[int], None] | None = None,
    patient: dict[str, str | None] | None = None,
) -> int:
    """Write the Bundle; returns the number of Observations. ``patient`` (a typed
    ``name`` and/or ``identifier``) adds a Patient resource, the Observations' subject."""
    head = {
        "resourceType": "Bundle",
        "id": uuid.uuid4().hex,
        "meta": {"lastUpdated": iso(generated_at)},
        "type": "collection",
        "timestamp": iso(generated_at),
    }
    n = 0
    entries = 0
    with atomic_text(path) as out:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        out.write(text[:-2] + ',\n "entry": [')

        def emit(resource: dict[str, Any]) -> None:
            nonlocal n, entries
            entry = {"fullUrl": full_url(resource["id"]), "resource": resource}
            out.write(("\n  " if entries == 0 else ",\n  ") + json.dumps(entry, ensure_ascii=False))
            entries += 1
            if resource["resourceType"] != "Observation":
                return
            n += 1
            if tick and n % 1000 == 0:
                tick(1000)

        subject = None
        if patient and (patient.get("name") or patient.get("identifier")):
            person = patient_resource(patient.get("name"), patient.get("identifier"))
            emit(person)
            subject = _ref(person)
        for rec in records.iter_measures(store, sel):
            for obs in measure_observations(rec, subject=subject):
                emit(obs)
        for rec in records.iter_checkins(store, sel):
            emit(checkin_observation(rec, notes=sel.notes, subject=subject))
        out.write("\n ]\n}\n" if entries else "]\n}\n")
    if tick:
        tick(n % 1000)
    return n
