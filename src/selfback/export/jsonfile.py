"""selfback JSON: everything in the range, lossless, with a schema version.

Layout (``schema_version`` 1)::

    {"format": "selfback-export", "schema_version": 1, "database_schema": N,
     "exported_at": "...", "selfback_version": "...",
     "range": {"since": "YYYY-MM-DD" | null, "until": ... | null},
     "included": {"notes": bool, "crisis_openings": bool, "safety_plan": bool},
     "checkins": [...], "coping_sessions": [...], "measure_results": [...],
     "crisis_openings": [...], "safety_plan_versions": [...]}

Each record keeps the database's columns (see ``selfback.export.data``), its ``uid``
and its original timestamps, so ``selfback import`` rebuilds an identical log and skips
records it already has. One record per line keeps big files readable and diffable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from selfback.export import data as records
from selfback.export.output import atomic_text
from selfback.insights.ranges import DateRange
from selfback.store.db import Store, iso
from selfback.store.migrations import LATEST


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
        },
    }
    with atomic_text(path) as out:
        text = json.dumps(head, ensure_ascii=False, indent=1)
        out.write(text[:-2] + ",\n")  # leave the object open for the record lists
        kinds = sel.included()
        for k, kind in enumerate(kinds):
            out.write(f' "{kind}": [')
            first = True
            n = 0
            for rec in records.ITERATORS[kind](store, sel):
                out.write("\n  " if first else ",\n  ")
                out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
                first = False
                n += 1
                if tick and n % 1000 == 0:
                    tick(1000)
            if tick:
                tick(n % 1000)
            out.write("\n ]" if not first else "]")
            out.write(",\n" if k < len(kinds) - 1 else "\n")
        out.write("}\n")
