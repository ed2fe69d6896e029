"""The values every export takes and gives back (light: imported by ``selfback.export``).

Every writer (``html``, ``pdf``, ``md``, ``csv``, ``json``, ``fhir``) is a function
``write_FORMAT(request, data, out) -> WriteResult``, looked up in one table
(``selfback.export.writers.WRITERS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selfback.periods import DateRange, Period

if TYPE_CHECKING:
    from selfback.export.report import Report
    from selfback.export.report_marked import MarkedSession
    from selfback.safety.plan import SafetyPlan
    from selfback.store.db import Store
    from selfback.store.records import RecordCounts

Tick = Callable[[int], None]  # n more records written
Progress = Callable[[int, int], None]  # (done, total) records


def no_tick(_n: int) -> None:
    """A ``Tick`` for when nobody watches the progress."""


@dataclass(frozen=True)
class Selection:
    """What to read: the range, and which private parts the person chose to include."""

    range: Period
    notes: bool = False
    crisis: bool = False  # crisis-screen openings and risk flags
    plan: bool = False
    hope: bool = False  # the hope box and notes for next time (selfback.export.hope)

    def included(self) -> tuple[str, ...]:
        out = ["checkins", "coping_sessions", "measure_results"]
        if self.crisis:
            out.append("crisis_openings")
        if self.plan:
            out.append("safety_plan_versions")
        return tuple(out)


@dataclass(frozen=True)
class Patient:
    """A name and/or an identifier for the FHIR bundle, typed for this export only."""

    name: str | None = None
    identifier: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.name or self.identifier)


@dataclass(frozen=True)
class ExportRequest:
    format: str
    selection: Selection
    output: Path
    generated_at: datetime
    csv_zip: bool = True
    paper: str = "a4"  # pdf only: "a4" or "letter"
    patient: Patient | None = None  # fhir only: as typed for this export, never stored
    # The current safety plan (``selfback.safety.plan.load_plan``) when the plan is
    # included; without it, the newest version in the log is used.
    plan: SafetyPlan | None = None
    diary_pack_on: bool = False  # the diary-card pack is switched on (trackers.json)
    # Sessions marked "bring to my therapist", when the person asked for them
    # (export --include-marked); None: not asked, the report says nothing of them.
    marked: tuple[MarkedSession, ...] | None = None
    # Sealed exports (export --encrypt): the file's bytes go through this in memory, and
    # only what it returns is written (``selfback.export.output.sealed_output``).
    seal: Callable[[bytes], bytes] | None = None


@dataclass(frozen=True)
class ExportData:
    """What a writer reads: the open log (for streamed records), what goes in (the
    selection as this format carries it, for reports with a closed range), the range,
    and for reports the report itself."""

    store: Store
    selection: Selection
    range: DateRange
    counts: RecordCounts
    report: Report | None = None
    tick: Tick = no_tick


@dataclass(frozen=True)
class WriteResult:
    files: tuple[str, ...] = ()  # csv: the files written
    observations: int | None = None  # fhir: the Observations in the bundle
    notices: tuple[str, ...] = ()  # plain sentences about the file (pdf: text it cannot show)


Writer = Callable[[ExportRequest, ExportData, Path], WriteResult]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    range: DateRange
    counts: RecordCounts
    left_out: list[str] = field(default_factory=list)
    files: tuple[str, ...] = ()
    observations: int | None = None
    # plain sentences for the person about the file (a PDF that cannot show some text)
    notices: tuple[str, ...] = ()
