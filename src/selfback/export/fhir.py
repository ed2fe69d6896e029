"""A FHIR R4 Bundle (type ``collection``) of Observations, for clinical systems.

- one Observation per questionnaire total, coded with LOINC where a code is published
  (PHQ-9 total 44261-6 with item 9 44260-8 as a component, GAD-7 total 70274-6); WHO-5
  and other instruments without a known LOINC code carry only a text code.
- one Observation per check-in mood (0-10), coded in selfback's own code system, with
  the check-in's anxiety, energy and sleep as components, and every other tracker answer
  (diary card, medication, the person's own trackers) as a component coded
  ``tracker:ID`` with the tracker's stored title (text answers only with notes).

No Patient resource: the bundle describes one person, the one who exports it, and
carries no name. Notes go into ``Observation.note`` only when notes were included.
Resource ids are the records' uids, so the same record keeps the same id across exports.
"""

from __future__ import annotations

import json
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
SELFBACK_CODES = "urn:selfback:codes"  # selfback's own codes (no standard one fits)

# Kept here so the export works even without the measures package's metadata.
LOINC_CODES: dict[str, dict[str, str]] = {
    "phq9": {"panel": "44249-1", "total": "44261-6", "item9": "44260-8"},
    "gad7": {"panel": "69737-5", "total": "70274-6"},
}
LOINC_DISPLAY = {
    "44261-6": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    "44260-8": "Thoughts that you would be better off dead, or of hurting yourself in some way",
    "70274-6": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
}


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


def measure_observation(rec: dict[str, Any]) -> dict[str, Any]:
    info = measure_info(rec["instrument"])
    codes = LOINC_CODES.get(info.id, {})
    total_code = info.loinc_total or codes.get("total")
    text = f"{info.name} total score"
    code = _loinc(total_code, text) if total_code else _own(f"{info.id}-total", text)
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": rec["uid"],
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": code,
        "effectiveDateTime": rec["taken_at"],
        "valueQuantity": _score(int(rec["total"])),
        "interpretation": [{"text": info.band_label(rec["band"], int(rec["total"]))}],
        "note": [{"text": "Self-report, not a diagnosis."}],
    }
    components = []
    answers = rec.get("answers") or []
    for position, flag, item_loinc in info.flag_items:
        item_code = item_loinc or codes.get("item9")
        if len(answers) >= position and isinstance(answers[position - 1], int):
            comp_code = (
                _loinc(item_code, f"{info.name} item {position}")
                if item_code
                else _own(f"{info.id}-item{position}", f"{info.name} item {position}")
            )
            components.append({"code": comp_code, "valueInteger": int(answers[position - 1])})
        if flag in (rec.get("flags") or []):
            obs["interpretation"].append(
                {"text": f"Item {position} answered above 0 (flag {flag})."}
            )
    if components:
        obs["component"] = components
    if info.multiplier != 1:
        obs["note"].append(
            {"text": f"Raw total; the usual reported score is x{info.multiplier}{info.unit}."}
        )
    return obs


def checkin_observation(rec: dict[str, Any], *, notes: bool) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": rec["uid"],
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": _own("mood", "Mood, self-rated 0-10 (0 worst, 10 best)"),
        "effectiveDateTime": rec["ts"],
        "valueInteger": int(rec["mood"]),
    }
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
) -> int:
    """Write the Bundle; returns the number of Observations."""
    import uuid

    head = {
        "resourceType": "Bundle",
        "id": uuid.uuid4().hex,
        "meta": {"lastUpdated": iso(generated_at)},
        "type": "collection",
        "timestamp": iso(generated_at),
    }
    n = 0
    with atomic_text(path) as out:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        out.write(text[:-2] + ',\n "entry": [')

        def emit(resource: dict[str, Any]) -> None:
            nonlocal n
            entry = {"fullUrl": f"urn:uuid:{_as_uuid(resource['id'])}", "resource": resource}
            out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(entry, ensure_ascii=False))
            n += 1
            if tick and n % 1000 == 0:
                tick(1000)

        for rec in records.iter_measures(store, sel):
            emit(measure_observation(rec))
        for rec in records.iter_checkins(store, sel):
            emit(checkin_observation(rec, notes=sel.notes))
        out.write("\n ]\n}\n" if n else "]\n}\n")
    if tick:
        tick(n % 1000)
    return n


def _as_uuid(uid: str) -> str:
    """A uid as a UUID string (uids are uuid4 hex; others are hashed into a UUID)."""
    import uuid

    try:
        return str(uuid.UUID(hex=uid))
    except ValueError:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:selfback:{uid}"))
