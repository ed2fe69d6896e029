"""Exporting: a report for a therapist (html, pdf, md) or raw data (csv, json, fhir).

Two steps, so the command can ask in between: ``parts_to_ask`` says which private parts
the period holds that the format can carry (only those are asked about), and ``export``
writes the file the person chose. Neither prints nor reads standard input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from selfback.actions.cope.past import marked_for_report
from selfback.errors import DataError, SelfbackError
from selfback.export import (
    SUPPORTS,
    ExportRequest,
    ExportResult,
    Patient,
    Progress,
    default_name,
    run_export,
)
from selfback.export.data import DIARY_PACK, Selection
from selfback.export.output import unique_path
from selfback.messages import data as msg
from selfback.paths import Paths
from selfback.periods import Period
from selfback.scratch import writing_in
from selfback.sealing import SUFFIX as SEALED_SUFFIX
from selfback.sealing import Seal
from selfback.store.db import database_exists, open_store
from selfback.store.records import private_parts

PARTS = ("notes", "crisis", "plan")


def output_path(
    output: str | None,
    fmt: str,
    when: datetime,
    *,
    csv_zip: bool,
    cwd: Path,
    sealed: bool = False,
) -> Path:
    """The file (or, for csv without .zip, the folder) to write; never silently reuses a
    busy folder: an existing non-empty folder gets a new, dated entry inside it. A sealed
    export's name ends in ``.age`` (added when the name given lacks it)."""
    stem, suffix = default_name(fmt, when)
    if not csv_zip:
        suffix = ""
    suffix += SEALED_SUFFIX if sealed else ""
    if output is None:
        return unique_path(cwd, stem, suffix)
    path = Path(output).expanduser()
    if path.is_dir():
        if not csv_zip and not any(path.iterdir()):
            return path
        return unique_path(path, stem, suffix)
    if sealed and not path.name.lower().endswith(SEALED_SUFFIX):
        path = path.with_name(path.name + SEALED_SUFFIX)
    return path


def _has_log(paths: Paths) -> None:
    if not database_exists(paths):
        raise SelfbackError(msg.NOTHING_TO_EXPORT)


# The formats that carry the risk flags with the crisis part (docs/export.md).
RISK_FLAG_FORMATS = frozenset({"json"})


@dataclass(frozen=True)
class Askable:
    """The private parts worth asking about: in the period, and carried by the format."""

    parts: frozenset[str]
    # the crisis part holds risk flags but no openings of the crisis screen
    risk_flags_only: bool = False


def parts_to_ask(paths: Paths, fmt: str, period: Period) -> Askable:
    """The private parts ("notes", "crisis", "plan") that are in the period and that the
    format can carry. The crisis part is there when the crisis screen was opened, or, for
    a format that carries them, when words or answers that may mean risk were flagged."""
    _has_log(paths)
    with open_store(paths) as store:
        found = private_parts(store, period.lo, period.hi)
    flags = found.risk_flags and fmt in RISK_FLAG_FORMATS
    there = {
        "notes": found.notes,
        "crisis": found.crisis_openings or flags,
        "plan": found.plan or paths.plan_file.exists(),
    }
    parts = frozenset(p for p in PARTS if there[p] and p in SUPPORTS[fmt])
    return Askable(parts, risk_flags_only=flags and not found.crisis_openings)


@dataclass(frozen=True)
class ExportOrder:
    """What the person chose to export."""

    format: str
    period: Period
    output: Path
    generated_at: datetime
    notes: bool = False
    crisis: bool = False
    plan: bool = False
    hope: bool = False  # the hope box (json: with the notes unless told; reports: only when asked)
    csv_zip: bool = True
    paper: str = "a4"
    patient: Patient | None = None
    marked: bool = False  # "things I want to talk about": the sessions marked for it
    seal: Seal | None = None  # sealed (export --encrypt): to a passphrase or public keys


def _diary_pack_on(paths: Paths) -> bool:
    """Whether the diary-card pack is switched on; a damaged settings file counts as off
    (``selfback doctor`` reports it)."""
    from selfback.trackers.state import load_state

    try:
        return DIARY_PACK in load_state(paths).packs
    except DataError:
        return False


def export(paths: Paths, order: ExportOrder, *, progress: Progress | None = None) -> ExportResult:
    """Write the export; returns what was written (the range, the counts, what was left
    out, and any notice about the file)."""
    _has_log(paths)
    plan = None
    if order.plan:
        from selfback.safety.plan import load_plan

        plan = load_plan(paths)
    request = ExportRequest(
        format=order.format,
        selection=Selection(
            order.period,
            notes=order.notes,
            crisis=order.crisis,
            plan=order.plan,
            hope=order.hope,
        ),
        output=order.output,
        generated_at=order.generated_at,
        csv_zip=order.csv_zip,
        paper=order.paper,
        patient=order.patient,
        plan=plan,
        diary_pack_on=_diary_pack_on(paths),
        marked=marked_for_report(paths) if order.marked else None,
        seal=order.seal,
    )
    folders = [order.output.parent] + ([] if order.csv_zip else [order.output])
    with writing_in(paths, folders), open_store(paths) as store:
        return run_export(store, request, progress=progress)


def stdout_file(paths: Paths, fmt: str, when: datetime) -> Path:
    """A private scratch file for an export on its way to standard output (``-o -``):
    the command copies it out and removes it (``selfback.scratch`` removes it after a
    kill)."""
    from selfback.scratch import scratch_file

    try:
        return scratch_file(paths, "out", default_name(fmt, when)[1])
    except OSError as exc:
        raise SelfbackError(
            f"selfback could not prepare the export for standard output in {paths.tmp_dir} "
            f"({exc.strerror or exc}). Free some space, or save it to another disk with "
            "--output."
        ) from exc
