"""What exports need to know about each instrument: names, items, scales, bands, codes.

Everything here is plain JSON-ready data (dicts, lists, str, int, None), so every export
format can use it without importing pydantic models. LOINC codes are given only where a
published code was verified: the instrument files' own codes (PHQ-9 panel 44249-1,
total 44261-6, item 9 44260-8; GAD-7 panel 69737-5, total 70274-6; PCL-5 panel 101697-1,
total 101698-9) and, for exports, ``LOINC_CODES`` / ``loinc_codes()`` below, which add
every verified item code and the PHQ-2's (docs/export.md says where each was checked).
WHO-5 and GAD-2 have none.
"""

from __future__ import annotations

from typing import Any

from selfback.measures.library import get_instrument, instruments
from selfback.measures.schema import Instrument
from selfback.measures.scoring import band_by_id, to_display

# Verified LOINC codes by instrument id: the panel, the total score and the items by their
# 1-based position (docs/export.md, "LOINC codes", says where each was checked). An item
# left out has no verified code, so exports give it selfback's own code. A code in an
# instrument's data file wins over this table.
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
    "phq2": {
        "panel": "55757-9",
        "total": "55758-7",
        "items": {1: "44250-9", 2: "44255-8"},
    },
}


def loinc_codes(instrument: Instrument | str) -> dict[str, Any]:
    """The instrument's LOINC codes: ``panel``, ``total`` and ``items`` ({position: code}),
    from its data file where it has them, else from ``LOINC_CODES``; None where no code
    was verified."""
    inst = get_instrument(instrument) if isinstance(instrument, str) else instrument
    table = LOINC_CODES.get(inst.id, {})
    items = dict(table.get("items", {}))
    for n, item in enumerate(inst.items, start=1):
        if item.loinc:
            items[n] = item.loinc
    return {
        "panel": inst.loinc.panel or table.get("panel"),
        "total": inst.loinc.total or table.get("total"),
        "items": items,
    }


def instrument_metadata(instrument: Instrument | str) -> dict[str, Any]:
    inst = get_instrument(instrument) if isinstance(instrument, str) else instrument
    return {
        "id": inst.id,
        "version": inst.version,
        "name": inst.name,
        "title": inst.title,
        "kind": inst.kind,
        "about": inst.about,
        "time_frame": inst.time_frame,
        "instructions": inst.instructions,
        "stem": inst.stem,
        "higher_is": inst.higher_is,
        "max_total": inst.max_total,
        "display_multiplier": inst.display_multiplier,
        "display_unit": inst.display_unit,
        "max_display": inst.max_display,
        "meaningful_change": inst.meaningful_change,
        "reliable_change": inst.reliable_change,
        "retake_after_days": inst.retake_after_days,
        "screen_for": inst.screen_for,
        "screen_threshold": inst.screen_threshold,
        "loinc_panel": inst.loinc.panel,
        "loinc_total": inst.loinc.total,
        "items": [
            {
                "position": n,
                "id": item.id,
                "text": item.text,
                "scored": item.scored,
                "loinc": item.loinc,
                "flag": item.flag,
                "flag_at": item.flag_at if item.flag else None,
                "options": [{"value": o.value, "label": o.label} for o in inst.item_options(item)],
            }
            for n, item in enumerate(inst.items, start=1)
        ],
        "bands": [
            {"id": b.id, "min": b.min, "max": b.max, "label": b.label, "text": b.text}
            for b in inst.bands
        ],
        "attribution": inst.attribution,
        "sources": list(inst.sources),
        "note": "Self-report, not a diagnosis.",
    }


def all_metadata() -> list[dict[str, Any]]:
    """Metadata for every shipped instrument, in menu order."""
    return [instrument_metadata(inst) for inst in instruments().values()]


def describe_result(instrument_id: str, total: int, band_id: str) -> dict[str, Any]:
    """Display fields for one stored result: name, display score, band label and text.

    Works for results of instruments this version no longer ships (names fall back to ids).
    """
    inst = instruments().get(instrument_id)
    if inst is None:
        return {
            "name": instrument_id,
            "display": total,
            "display_unit": "",
            "max_display": None,
            "band_label": band_id,
            "band_text": None,
        }
    band = band_by_id(inst, band_id)
    return {
        "name": inst.name,
        "display": to_display(inst, total),
        "display_unit": inst.display_unit,
        "max_display": inst.max_display,
        "band_label": band.label if band else band_id,
        "band_text": band.text if band else None,
    }
