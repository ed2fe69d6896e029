"""selfback JSON: everything in the range, lossless, with a schema version.

Layout (``schema_version`` 1)::

    {"format": "selfback-export", "schema_version": 1, "database_schema": N,
     "exported_at": "...", "selfback_version": "...",
     "range": {"since": "YYYY-MM-DD" | null, "until": ... | null},
     "included": {"notes": bool, "crisis_openings": bool, "safety_plan": bool,
                  "risk_flags": bool},
     "checkins": [...], "coping_sessions": [...], "measure_results": [...],
     "crisis_openings": [...], "safety_plan_versions": [...], "risk_flags": [...]}

``risk_flags`` (when the crisis part is included, like ``crisis_openings``) are the
``risk_flags`` rows: ``uid``, ``flagged_at``, ``flagged_utc``, ``source``, ``kind``,
``ref_uid``. They say *that* something was noticed, never the words. Older selfback
versions ignore the list; this one imports it (``selfback.importer.selfback_json``).

Each record keeps the database's columns (see ``selfback.export.data``), its ``uid``
and its original timestamps, so ``selfback import`` rebuilds an identical log and skips
records it already has. One record per line keeps big files readable and diffable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from selfback.export import data as records
from selfback.export.output import atomic_text
from selfback.periods import DateRange
from selfback.store.db import Store, iso
from selfback.store.migrations import LATEST
from selfback.store.reading import rows, span

RISK_FIELDS = ("uid", "flagged_at", "flagged_utc", "source", "kind", "ref_uid")
# Flags whose LOCAL date is in the range, found through the UTC column first.
_RISK_IN = "flagged_utc >= ? AND flagged_utc < ? AND substr(flagged_at, 1, 10) BETWEEN ? AND ?"


def iter_risk_flags(store: Store, sel: records.Selection) -> Iterator[dict[str, Any]]:
    """The ``risk_flags`` rows in the range (only with the crisis part included)."""
    if not sel.crisis:
        return
    cols = ", ".join(RISK_FIELDS)
    for r in rows(
        store,
        f"SELECT {cols} FROM risk_flags WHERE {_RISK_IN} ORDER BY flagged_utc, id",
        span(sel.range.lo, sel.range.hi),
    ):
        yield {k: r[k] for k in RISK_FIELDS}


def write_json(
    path: Path,
    store: Store,
    sel: records.Selection,
    *,
    rng: DateRange,
    generated_at: datetime,
    tick: Callable[[int], None] | None = None,
) -> None:
    from selfback import __version__

    head = {
        "format": records.FORMAT,
        "schema_version": records.SCHEMA_VERSION,
        "database_schema": LATEST,
        "exported_at": iso(generated_at),
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
    with atomic_text(path) as out:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        out.write(text[:-2] + ",\n")  # leave the object open for the record lists
        sources = [(kind, records.ITERATORS[kind]) for kind in sel.included()]
        if sel.crisis:
            sources.append(("risk_flags", iter_risk_flags))
        for k, (kind, iterate) in enumerate(sources):
            out.write(f' "{kind}": [')
            first = True
            n = 0
            for rec in iterate(store, sel):
                out.write("\n  " if first else ",\n  ")
                out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
                first = False
                n += 1
                if tick and n % 1000 == 0:
                    tick(1000)
            if tick:
                tick(n % 1000)
            out.write("\n ]" if not first else "]")
            out.write(",\n" if k < len(sources) - 1 else "\n")
        out.write("}\n")
