"""selfback JSON: everything in the range, lossless, with a schema version.

Layout (``schema_version`` 1)::

    {"format": "selfback-export", "schema_version": 1, "database_schema": N,
     "exported_at": "...", "selfback_version": "...",
     "range": {"since": "YYYY-MM-DD" | null, "until": ... | null},
     "included": {"notes": bool, "crisis_openings": bool, "safety_plan": bool,
                  "risk_flags": bool},
     "checkins": [...], "coping_sessions": [...], "measure_results": [...],
     "crisis_openings": [...], "safety_plan_versions": [...], "risk_flags": [...],
     "hope_items": [...], "next_time_notes": [...]}

``hope_items`` and ``next_time_notes`` (the hope box, ``selfback.export.hope``) are there
unless the hope box was left out (it follows ``--notes`` unless told): their absence says so.
Older selfback versions ignore them.

``risk_flags`` (when the crisis part is included, like ``crisis_openings``) are the
``risk_flags`` rows: ``uid``, ``flagged_at``, ``flagged_utc``, ``source``, ``kind``,
``ref_uid``. They say *that* something was noticed, never the words. Older selfback
versions ignore the list; this one imports it (``selfback.importer.selfback_json``).

Each record keeps the database's columns (``selfback.store.records``), its ``uid``
and its original timestamps, so ``selfback import`` rebuilds an identical log and skips
records it already has. One record per line keeps big files readable and diffable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import selfback.export.data as records
from selfback.export.hope import json_sources
from selfback.export.output import atomic_text
from selfback.export.request import ExportData, ExportRequest, WriteResult
from selfback.store.checkins import Checkin
from selfback.store.db import Store, iso
from selfback.store.migrations import LATEST
from selfback.store.records import MeasureRecord, SessionRecord, plan_object
from selfback.store.safety import CrisisOpening, PlanVersionRow, RiskFlag

Json = dict[str, object]


def checkin_json(c: Checkin) -> Json:
    """A check-in as the export keeps it: its columns, then tags, emotions and values."""
    return {
        "uid": c.uid,
        "ts": c.ts,
        "ts_utc": c.ts_utc,
        "local_date": c.local_date,
        "mood": c.mood,
        "energy": c.energy,
        "anxiety": c.anxiety,
        "sleep_hours": c.sleep_hours,
        "note": c.note,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "tags": list(c.tags),
        "emotions": list(c.emotions),
        "values": [
            {
                "tracker_id": v.tracker_id,
                "tracker_version": v.tracker_version,
                "label": v.label,
                "kind": v.kind,
                "value_num": v.value_num,
                "value_text": v.value_text,
                "unit": v.unit,
            }
            for v in c.values
        ],
    }


def session_json(r: SessionRecord) -> Json:
    return {
        "uid": r.uid,
        "skill_id": r.skill_id,
        "skill_version": r.skill_version,
        "skill_title": r.skill_title,
        "situation": r.situation,
        "distress_before": r.distress_before,
        "distress_after": r.distress_after,
        "started_at": r.started_at,
        "started_utc": r.started_utc,
        "ended_at": r.ended_at,
        "status": r.status,
        "answers": list(r.answers),
    }


def measure_json(r: MeasureRecord) -> Json:
    return {
        "uid": r.uid,
        "instrument": r.instrument,
        "instrument_version": r.instrument_version,
        "taken_at": r.taken_at,
        "taken_utc": r.taken_utc,
        "total": r.total,
        "band": r.band,
        "answers": list(r.answers),
        "flags": list(r.flags),
    }


def crisis_json(r: CrisisOpening) -> Json:
    return {"uid": r.uid, "opened_at": r.opened_at, "opened_utc": r.opened_utc, "source": r.source}


def plan_json(r: PlanVersionRow) -> Json:
    return {"uid": r.uid, "saved_at": r.saved_at, "saved_utc": r.saved_utc, "plan": plan_object(r)}


def risk_json(r: RiskFlag) -> Json:
    return {
        "uid": r.uid,
        "flagged_at": r.flagged_at,
        "flagged_utc": r.flagged_utc,
        "source": r.source,
        "kind": r.kind,
        "ref_uid": r.ref_uid,
    }


def _sources(store: Store, sel: records.Selection) -> list[tuple[str, Iterator[Json]]]:
    """(list name, its records as JSON objects), in the file's order."""
    out: list[tuple[str, Iterator[Json]]] = [
        ("checkins", map(checkin_json, records.iter_checkins(store, sel))),
        ("coping_sessions", map(session_json, records.iter_sessions(store, sel))),
        ("measure_results", map(measure_json, records.iter_measures(store, sel))),
    ]
    if sel.crisis:
        out.append(("crisis_openings", map(crisis_json, records.iter_crisis(store, sel))))
    if sel.plan:
        out.append(("safety_plan_versions", map(plan_json, records.iter_plans(store, sel))))
    if sel.crisis:
        out.append(("risk_flags", map(risk_json, records.iter_risk_flags(store, sel))))
    return out + json_sources(store, included=sel.hope)


def _write_list(
    out: Callable[[str], object], items: Iterator[Json], tick: Callable[[int], None]
) -> None:
    first = True
    n = 0
    for rec in items:
        out("\n  " if first else ",\n  ")
        out(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
        first = False
        n += 1
        if n % 1000 == 0:
            tick(1000)
    tick(n % 1000)
    out("\n ]" if not first else "]")


def write_json(req: ExportRequest, data: ExportData, out: Path) -> WriteResult:
    from selfback import __version__

    sel = data.selection
    head = {
        "format": records.FORMAT,
        "schema_version": records.SCHEMA_VERSION,
        "database_schema": LATEST,
        "exported_at": iso(req.generated_at),
        "selfback_version": __version__,
        "range": {
            "since": sel.range.since.isoformat() if sel.range.since else None,
            "until": sel.range.until.isoformat() if sel.range.until else None,
        },
        "included": {
            "notes": sel.notes,
            "crisis_openings": sel.crisis,
            "safety_plan": sel.plan,
            "risk_flags": sel.crisis,
        },
    }
    with atomic_text(out) as fh:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        fh.write(text[:-2] + ",\n")  # leave the object open for the record lists
        sources = _sources(data.store, sel)
        for k, (kind, items) in enumerate(sources):
            fh.write(f' "{kind}": [')
            _write_list(fh.write, items, data.tick)
            fh.write(",\n" if k < len(sources) - 1 else "\n")
        fh.write("}\n")
    return WriteResult()
