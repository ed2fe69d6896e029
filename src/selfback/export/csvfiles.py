"""Raw data as CSV: one file per record type plus a data dictionary, in a zip or a folder.

Safe to open in a spreadsheet: a text cell (in any column, uids included) that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by Excel,
LibreOffice or Google Sheets, so it gets a leading apostrophe (the usual, visible
neutraliser; the data dictionary says so). Numbers are written as numbers. The data
dictionary (``selfback.export.csv_dictionary``) has one row per column of every file, in
order, including ``item_1`` ... ``item_N`` with what each item is in each questionnaire
and whether it is scored. Files are UTF-8 with a byte-order mark so spreadsheets read
accents, and rows end with CRLF as RFC 4180 asks. For a lossless copy use the JSON export.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import selfback.export.data as records
from selfback.export.csv_dictionary import (
    TRACKER_PREFIX,
    ItemInfo,
    dictionary_rows,
    item_dictionary,
)
from selfback.export.output import atomic_output, atomic_text, prepare_folder
from selfback.export.request import ExportData, ExportRequest, Tick, WriteResult
from selfback.insights.measureinfo import measure_info
from selfback.store import tables
from selfback.store.db import Store
from selfback.store.records import MeasureRecord, SessionRecord
from selfback.store.tables import Answer, Cell, TrackerStat

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The order of the questionnaires in the dictionary's item rows.
_ORDER = {"phq9": 0, "gad7": 1, "who5": 2, "phq2": 3, "gad2": 4}


def safe_cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula; leave numbers alone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


CHECKIN_COLUMNS = [
    "uid",
    "date",
    "time",
    "ts",
    "ts_utc",
    "mood",
    "anxiety",
    "energy",
    "sleep_hours",
    "tags",
    "emotions",
    "note",
    "created_at",
    "updated_at",
]

Row = Sequence[object]


def wide_value(answer: Answer) -> Cell:
    """One stored answer as a spreadsheet cell: numbers as numbers, yes/no as words,
    tags joined with "; "."""
    kind, num, text = answer.kind, answer.value_num, answer.value_text
    if kind == "yesno":
        return None if num is None else ("yes" if num else "no")
    if kind in ("scale", "number"):
        if num is not None and num.is_integer():
            return int(num)
        return num
    if kind == "tags" and text is not None:
        try:
            items = json.loads(text)
        except ValueError:
            return text
        if isinstance(items, list):
            return "; ".join(str(i) for i in items)
    return text


def _checkins(store: Store, sel: records.Selection, trackers: list[str]) -> Iterator[Row]:
    """checkins.csv's rows: the check-in, then one cell per tracker in ``trackers``
    (blank when the check-in has no answer for it)."""
    index = {tracker_id: i for i, tracker_id in enumerate(trackers)}
    blank = (None,) * len(trackers)
    for line in records.iter_checkin_lines(store, sel, answers=bool(trackers)):
        if not line.answers:
            yield line.cells + blank
            continue
        cells: list[Cell] = list(blank)
        for answer in line.answers:
            i = index.get(answer.tracker_id)
            if i is not None:
                cells[i] = wide_value(answer)
        yield line.cells + tuple(cells)


def _session_row(rec: SessionRecord, notes: bool) -> list[object]:
    row: list[object] = [
        rec.uid,
        rec.skill_id,
        rec.skill_version,
        rec.skill_title,
        rec.situation,
        rec.distress_before,
        rec.distress_after,
        rec.drop,
        rec.started_at,
        rec.started_utc,
        rec.ended_at,
        rec.status,
    ]
    if notes:
        row.append(json.dumps(list(rec.answers), ensure_ascii=False))
    return row


def _measure_row(rec: MeasureRecord, width: int) -> list[object]:
    answers = list(rec.answers) + [None] * (width - len(rec.answers))
    partial = rec.partial
    return [
        rec.uid,
        rec.instrument,
        rec.instrument_version,
        rec.taken_at,
        rec.taken_utc,
        "partial" if partial else "complete",
        None if partial else rec.total,
        None if partial else measure_info(rec.instrument).display(rec.total),
        None if partial else rec.band,
        "; ".join(rec.flags),
        *answers[:width],
    ]


def _instruments(store: Store, sel: records.Selection) -> list[str]:
    found = tables.instruments_in(store, sel.range.lo, sel.range.hi)
    return sorted(found, key=lambda i: (_ORDER.get(i, 9), i))


def _items(instruments: list[str]) -> dict[str, tuple[str, list[ItemInfo]]]:
    """Each questionnaire's name and items (none for one this version no longer ships)."""
    from selfback.measures.export_info import instrument_metadata
    from selfback.measures.library import instruments as shipped

    known = shipped()
    out: dict[str, tuple[str, list[ItemInfo]]] = {}
    for inst_id in instruments:
        inst = known.get(inst_id)
        if inst is None:
            out[inst_id] = (inst_id, [])
            continue
        meta = instrument_metadata(inst)
        out[inst_id] = (
            str(meta["name"]),
            [
                ItemInfo(
                    str(item["text"]),
                    tuple(int(o["value"]) for o in item["options"]),
                    bool(item["scored"]),
                )
                for item in meta["items"]
            ],
        )
    return out


def _plans(store: Store, sel: records.Selection) -> Iterator[Row]:
    from selfback.safety.plan import SafetyPlan

    for version in records.iter_plans(store, sel):
        try:
            plan = SafetyPlan.from_json(version.plan)
        except ValueError:  # a version that is not a selfback plan: nothing to list
            continue
        for title, items in records.plan_sections(plan):
            for item in items:
                yield [version.uid, version.saved_at, version.saved_utc, title, item]


_FORMULA_FIRST = frozenset(FORMULA_START)


def _protect(row: Row) -> Row:
    """The row with every text cell that starts with a formula character neutralised
    (any column: uids, ids and timestamps from an imported file can be anything)."""
    for v in row:
        if isinstance(v, str) and v and v[0] in _FORMULA_FIRST:
            return [
                "'" + w if isinstance(w, str) and w and w[0] in _FORMULA_FIRST else w for w in row
            ]
    return row


class _Text(Protocol):
    def write(self, s: str, /) -> int: ...


def _write(out: _Text, header: list[str], rows: Iterable[Row], tick: Tick | None) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    n = 0
    write = writer.writerow
    for row in rows:
        write(_protect(row))
        n += 1
        if tick and not n % 1000:
            tick(1000)
    if tick:
        tick(n % 1000)
    return n


@dataclass(frozen=True)
class _File:
    name: str
    header: list[str]
    rows: Callable[[], Iterable[Row]]
    counted: bool  # counts towards progress


def _files(store: Store, sel: records.Selection, trackers: list[TrackerStat]) -> list[_File]:
    tracker_ids = [t.tracker_id for t in trackers]
    checkin_cols = [c for c in CHECKIN_COLUMNS if sel.notes or c != "note"]
    checkin_cols += [TRACKER_PREFIX + t for t in tracker_ids]
    session_cols = [*records.SESSION_FIELDS[:7], "drop", *records.SESSION_FIELDS[7:]]
    if sel.notes:
        session_cols.append("answers")
    width = tables.measure_width(store, sel.range.lo, sel.range.hi)
    measure_cols = [
        "uid",
        "instrument",
        "instrument_version",
        "taken_at",
        "taken_utc",
        "status",
        "total",
        "score",
        "band",
        "flags",
        *[f"item_{i}" for i in range(1, width + 1)],
    ]
    files = [
        _File("checkins.csv", checkin_cols, lambda: _checkins(store, sel, tracker_ids), True),
        _File(
            "checkin_tags.csv",
            ["checkin_uid", "kind", "value"],
            lambda: records.iter_tag_rows(store, sel),
            False,
        ),
        _File(
            "checkin_values.csv",
            ["checkin_uid", *records.VALUE_FIELDS],
            lambda: records.iter_value_rows(store, sel),
            False,
        ),
        _File(
            "coping_sessions.csv",
            session_cols,
            lambda: (_session_row(r, sel.notes) for r in records.iter_sessions(store, sel)),
            True,
        ),
        _File(
            "measure_results.csv",
            measure_cols,
            lambda: (_measure_row(r, width) for r in records.iter_measures(store, sel)),
            True,
        ),
    ]
    if sel.crisis:
        files.append(
            _File(
                "crisis_openings.csv",
                list(records.CRISIS_FIELDS),
                lambda: (
                    [r.uid, r.opened_at, r.opened_utc, r.source]
                    for r in records.iter_crisis(store, sel)
                ),
                True,
            )
        )
    if sel.plan:
        files.append(
            _File(
                "safety_plan_versions.csv",
                ["uid", "saved_at", "saved_utc", "step", "item"],
                lambda: _plans(store, sel),
                False,
            )
        )
    return files


def _write_member(
    member: IO[bytes], header: list[str], rows: Iterable[Row], tick: Tick | None
) -> None:
    text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
    _write(text, header, rows, tick)
    text.flush()
    text.detach()


def write_csv(req: ExportRequest, data: ExportData, out: Path) -> WriteResult:
    """Write the CSV files into a zip at ``out`` or a folder ``out``; returns their names."""
    store, sel, tick = data.store, data.selection, data.tick
    trackers = records.tracker_columns(store, sel)
    files = _files(store, sel, trackers)
    names = [f.name for f in files] + ["data_dictionary.csv"]
    width = tables.measure_width(store, sel.range.lo, sel.range.hi)
    items = item_dictionary(_items(_instruments(store, sel)), width)
    dictionary = dictionary_rows(set(names), sel.notes, trackers, items)
    dict_header = ["file", "column", "type", "meaning"]
    if req.csv_zip:
        with (
            atomic_output(out) as raw,
            zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as zf,
        ):
            for f in files:
                with zf.open(f.name, "w") as member:
                    _write_member(member, f.header, f.rows(), tick if f.counted else None)
            with zf.open("data_dictionary.csv", "w") as member:
                _write_member(member, dict_header, dictionary, None)
        return WriteResult(files=tuple(names))
    folder = prepare_folder(out)
    for f in files:
        with atomic_text(folder / f.name) as text:
            text.write("\ufeff")
            _write(text, f.header, f.rows(), tick if f.counted else None)
    with atomic_text(folder / "data_dictionary.csv") as text:
        text.write("\ufeff")
        _write(text, dict_header, dictionary, None)
    return WriteResult(files=tuple(names))
