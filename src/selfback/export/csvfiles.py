"""Raw data as CSV: one file per record type plus a data dictionary, in a zip or a folder.

Safe to open in a spreadsheet: a text cell (in any column, uids included) that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula by Excel,
LibreOffice or Google Sheets, so it gets a leading apostrophe (the usual, visible
neutraliser; the data dictionary says so). Numbers are written as numbers. The data
dictionary has one row per column of every file, in order, including ``item_1`` ...
``item_N`` with what each item is in each questionnaire and whether it is scored. Files
are UTF-8 with a byte-order mark so spreadsheets read accents, and rows end with CRLF as
RFC 4180 asks. For a lossless copy use the JSON export.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from selfback.export import data as records
from selfback.export.output import atomic_output, atomic_text, prepare_folder
from selfback.store.db import Store

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
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


FORMULA_NOTE = (
    "A text cell that starts with =, +, -, @, a tab or a carriage return has a leading "
    "apostrophe (') added, so a spreadsheet shows it as text instead of running it as a "
    "formula. Remove that first ' to get the original text. Numbers are never changed."
)
NOTE_FILE, NOTE_COLUMN = "(every file)", "(any text cell)"

DICTIONARY: list[tuple[str, str, str, str]] = [
    # file, column, type, meaning
    (NOTE_FILE, NOTE_COLUMN, "note", FORMULA_NOTE),
    ("checkins.csv", "uid", "text", "Stable id of the check-in (the same in every export)."),
    ("checkins.csv", "date", "date", "The day as the person lived it (YYYY-MM-DD)."),
    ("checkins.csv", "time", "text", "Local time of day (HH:MM)."),
    ("checkins.csv", "ts", "timestamp", "When it was recorded: ISO 8601 with UTC offset."),
    ("checkins.csv", "ts_utc", "timestamp", "The same moment in UTC."),
    ("checkins.csv", "mood", "integer 0-10", "Mood, 0 = worst, 10 = best."),
    (
        "checkins.csv",
        "anxiety",
        "integer 0-10",
        "Anxiety, 0 = none, 10 = the most. Blank: not asked.",
    ),
    (
        "checkins.csv",
        "energy",
        "integer 0-10",
        "Energy, 0 = none, 10 = the most. Blank: not asked.",
    ),
    ("checkins.csv", "sleep_hours", "number", "Hours slept the night before. Blank: not asked."),
    ("checkins.csv", "tags", "text", "Tags (activities, triggers...), separated by '; '."),
    ("checkins.csv", "emotions", "text", "Emotions named, separated by '; '."),
    ("checkins.csv", "note", "text", "Free-text note (present only when notes were included)."),
    ("checkins.csv", "created_at", "timestamp", "When the record was first saved."),
    ("checkins.csv", "updated_at", "timestamp", "When the record was last changed."),
    ("checkin_tags.csv", "checkin_uid", "text", "The check-in (uid in checkins.csv)."),
    ("checkin_tags.csv", "kind", "text", "'tag' or 'emotion'."),
    ("checkin_tags.csv", "value", "text", "The tag or emotion."),
    ("checkin_values.csv", "checkin_uid", "text", "The check-in (uid in checkins.csv)."),
    (
        "checkin_values.csv",
        "tracker_id",
        "text",
        "Id of the tracker (a pack's, such as the diary card's, or the person's own).",
    ),
    ("checkin_values.csv", "tracker_version", "integer", "Version of the tracker's definition."),
    ("checkin_values.csv", "label", "text", "The tracker's title when recorded."),
    ("checkin_values.csv", "kind", "text", "scale, yesno, number, choice, tags or text."),
    ("checkin_values.csv", "value_num", "number", "Numeric value (yes = 1, no = 0)."),
    (
        "checkin_values.csv",
        "value_text",
        "text",
        "Text value: the option (choice), the answer (text), or a JSON list of words (tags).",
    ),
    ("checkin_values.csv", "unit", "text", "Unit of a number tracker, if any."),
    ("coping_sessions.csv", "uid", "text", "Stable id of the session."),
    ("coping_sessions.csv", "skill_id", "text", "Id of the skill used."),
    ("coping_sessions.csv", "skill_version", "integer", "Version of the skill's steps."),
    ("coping_sessions.csv", "skill_title", "text", "The skill's title when used."),
    ("coping_sessions.csv", "situation", "text", "What it was used for (e.g. panic, sleep)."),
    (
        "coping_sessions.csv",
        "distress_before",
        "integer 0-10",
        "Distress before (0 calm, 10 worst).",
    ),
    ("coping_sessions.csv", "distress_after", "integer 0-10", "Distress after the skill."),
    ("coping_sessions.csv", "drop", "integer", "distress_before - distress_after."),
    ("coping_sessions.csv", "started_at", "timestamp", "When the skill started (with offset)."),
    ("coping_sessions.csv", "started_utc", "timestamp", "The same moment in UTC."),
    ("coping_sessions.csv", "ended_at", "timestamp", "When it ended; blank if stopped early."),
    ("coping_sessions.csv", "status", "text", "'completed' or 'stopped' (early)."),
    (
        "coping_sessions.csv",
        "answers",
        "JSON",
        "What was typed during the steps, as JSON (present only when notes were included).",
    ),
    ("measure_results.csv", "uid", "text", "Stable id of the result."),
    ("measure_results.csv", "instrument", "text", "phq9, gad7, who5, phq2 or gad2."),
    ("measure_results.csv", "instrument_version", "integer", "Version of the questionnaire."),
    ("measure_results.csv", "taken_at", "timestamp", "When it was answered (with offset)."),
    ("measure_results.csv", "taken_utc", "timestamp", "The same moment in UTC."),
    (
        "measure_results.csv",
        "status",
        "text",
        "'complete', or 'partial': stopped before the end, so never scored (total, score and "
        "band are blank; the answers given are kept).",
    ),
    (
        "measure_results.csv",
        "total",
        "integer",
        "Raw total of the scored items (blank for a partial result).",
    ),
    (
        "measure_results.csv",
        "score",
        "integer",
        "Score as usually reported (WHO-5: raw x 4, %; blank for a partial result).",
    ),
    (
        "measure_results.csv",
        "band",
        "text",
        "Id of the score band (e.g. mild; blank for a partial result).",
    ),
    (
        "measure_results.csv",
        "flags",
        "text",
        "Flags, separated by '; ': phq9-item9 (item 9 answered above 0), partial.",
    ),
    # then one row per item_1 ... item_N column (see _item_dictionary)
    ("crisis_openings.csv", "uid", "text", "Stable id."),
    ("crisis_openings.csv", "opened_at", "timestamp", "When the crisis screen was opened."),
    ("crisis_openings.csv", "opened_utc", "timestamp", "The same moment in UTC."),
    ("crisis_openings.csv", "source", "text", "From where: sos, cope, key or measure."),
    ("safety_plan_versions.csv", "uid", "text", "Stable id of this saved version."),
    ("safety_plan_versions.csv", "saved_at", "timestamp", "When this version was saved."),
    ("safety_plan_versions.csv", "saved_utc", "timestamp", "The same moment in UTC."),
    ("safety_plan_versions.csv", "step", "text", "The plan's step."),
    ("safety_plan_versions.csv", "item", "text", "One entry of that step."),
    ("data_dictionary.csv", "file", "text", "The file the column is in."),
    ("data_dictionary.csv", "column", "text", "The column's name (its header)."),
    ("data_dictionary.csv", "type", "text", "What the column holds."),
    ("data_dictionary.csv", "meaning", "text", "What a value in the column means."),
]

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


TRACKER_PREFIX = "tracker:"  # checkins.csv: one column per tracker answered in the range

_KIND_TYPES = {
    "scale": "number (scale)",
    "number": "number",
    "yesno": "yes or no",
    "choice": "text (one option)",
    "tags": "text (words separated by '; ')",
    "text": "text",
}


def _checkins(store: Store, sel: records.Selection, trackers: list[str]) -> Iterator[Any]:
    return records.iter_checkin_table_wide(store, sel, trackers)


def _tracker_dictionary(trackers: list[records.TrackerStat]) -> list[list[str]]:
    out = []
    for t in trackers:
        kind = " or ".join(_KIND_TYPES.get(k, k) for k in t.kinds)
        if t.unit:
            kind += f", in {t.unit}"
        out.append(
            [
                "checkins.csv",
                TRACKER_PREFIX + t.tracker_id,
                kind,
                f"{t.label}: this check-in's answer to the tracker '{t.tracker_id}' (blank: "
                "not answered). Every answer, with the tracker's version and label when "
                "recorded, is also in checkin_values.csv.",
            ]
        )
    return out


def _sessions(store: Store, sel: records.Selection) -> Iterator[list[Any]]:
    for rec in records.iter_sessions(store, sel):
        b, a = rec["distress_before"], rec["distress_after"]
        row = [rec[k] for k in records.SESSION_FIELDS[:7]]
        row.append(b - a if b is not None and a is not None else None)
        row += [rec[k] for k in records.SESSION_FIELDS[7:]]
        if sel.notes:
            row.append(json.dumps(rec["answers"], ensure_ascii=False))
        yield row


def _measure_width(store: Store, sel: records.Selection) -> int:
    from selfback.store.reading import MEASURE_IN, one, span

    row = one(
        store,
        f"SELECT max(json_array_length(answers)) FROM measure_results WHERE {MEASURE_IN}",
        span(sel.range.lo, sel.range.hi),
    )
    return int(row[0] or 0)


def is_partial(rec: dict[str, Any]) -> bool:
    """A result saved before the questionnaire was finished: never a score."""
    return rec.get("band") == "partial" or "partial" in (rec.get("flags") or [])


def _measures(store: Store, sel: records.Selection, width: int) -> Iterator[list[Any]]:
    from selfback.insights.measureinfo import measure_info

    for rec in records.iter_measures(store, sel):
        info = measure_info(rec["instrument"])
        answers = list(rec["answers"]) + [None] * (width - len(rec["answers"]))
        partial = is_partial(rec)
        yield [
            rec["uid"],
            rec["instrument"],
            rec["instrument_version"],
            rec["taken_at"],
            rec["taken_utc"],
            "partial" if partial else "complete",
            None if partial else rec["total"],
            None if partial else info.display(int(rec["total"])),
            None if partial else rec["band"],
            "; ".join(str(f) for f in rec["flags"]),
            *answers[:width],
        ]


def _instruments(store: Store, sel: records.Selection) -> list[str]:
    from selfback.store.reading import MEASURE_IN, rows, span

    found = rows(
        store,
        f"SELECT DISTINCT instrument FROM measure_results WHERE {MEASURE_IN}",
        span(sel.range.lo, sel.range.hi),
    )
    order = {"phq9": 0, "gad7": 1, "who5": 2, "phq2": 3, "gad2": 4}
    return sorted((str(r["instrument"]) for r in found), key=lambda i: (order.get(i, 9), i))


def _item_dictionary(instruments: list[str], width: int) -> list[list[str]]:
    """One row per item_1 ... item_N column: what item N is in each questionnaire in the
    file, its answer range, and whether it counts towards the total."""
    items: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for inst in instruments:
        try:
            from selfback.measures.export_info import instrument_metadata

            meta = instrument_metadata(inst)
            items[inst], names[inst] = list(meta["items"]), str(meta["name"])
        except Exception:  # an instrument this version no longer ships
            items[inst], names[inst] = [], inst
    out = []
    for n in range(1, width + 1):
        parts = []
        for inst in instruments:
            if n > len(items[inst]):
                continue
            item = items[inst][n - 1]
            values = [int(o["value"]) for o in item.get("options") or []]
            scale = f"{min(values)}-{max(values)}" if values else "a number"
            scored = "" if item.get("scored", True) else "; not scored, not in the total"
            parts.append(f"{names[inst]} item {n}: {item['text']} ({scale}{scored}).")
        out.append(
            [
                "measure_results.csv",
                f"item_{n}",
                "integer",
                " ".join(
                    [
                        f"Answer to item {n} (blank: not asked, not answered, or the "
                        "questionnaire has fewer items).",
                        *parts,
                    ]
                ),
            ]
        )
    return out


def _plans(store: Store, sel: records.Selection) -> Iterator[list[Any]]:
    for rec in records.iter_plans(store, sel):
        for title, items in records.plan_sections(rec["plan"]):
            for item in items:
                yield [rec["uid"], rec["saved_at"], rec["saved_utc"], title, item]


_FORMULA_FIRST = frozenset(FORMULA_START)


def _protect(row: Any) -> Any:
    """The row with every text cell that starts with a formula character neutralised
    (any column: uids, ids and timestamps from an imported file can be anything)."""
    for v in row:
        if v.__class__ is str and v and v[0] in _FORMULA_FIRST:
            return [
                "'" + w if w.__class__ is str and w and w[0] in _FORMULA_FIRST else w for w in row
            ]
    return row


def _write(out: Any, header: list[str], rows: Iterable[Any], tick: Any) -> int:
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


def _files(
    store: Store, sel: records.Selection, trackers: list[records.TrackerStat]
) -> list[tuple[str, list[str], Any, bool]]:
    """(file name, header, rows, counts towards progress)."""
    tracker_ids = [t.tracker_id for t in trackers]
    checkin_cols = [c for c in CHECKIN_COLUMNS if sel.notes or c != "note"]
    checkin_cols += [TRACKER_PREFIX + t for t in tracker_ids]
    session_cols = [*records.SESSION_FIELDS[:7], "drop", *records.SESSION_FIELDS[7:]]
    if sel.notes:
        session_cols.append("answers")
    width = _measure_width(store, sel)
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
    files: list[tuple[str, list[str], Any, bool]] = [
        ("checkins.csv", checkin_cols, lambda: _checkins(store, sel, tracker_ids), True),
        (
            "checkin_tags.csv",
            ["checkin_uid", "kind", "value"],
            lambda: records.iter_tag_rows(store, sel),
            False,
        ),
        (
            "checkin_values.csv",
            ["checkin_uid", *records.VALUE_FIELDS],
            lambda: (tuple(v.values()) for v in records.iter_value_rows(store, sel)),
            False,
        ),
        ("coping_sessions.csv", session_cols, lambda: _sessions(store, sel), True),
        ("measure_results.csv", measure_cols, lambda: _measures(store, sel, width), True),
    ]
    if sel.crisis:
        files.append(
            (
                "crisis_openings.csv",
                list(records.CRISIS_FIELDS),
                lambda: (
                    [r[k] for k in records.CRISIS_FIELDS] for r in records.iter_crisis(store, sel)
                ),
                True,
            )
        )
    if sel.plan:
        files.append(
            (
                "safety_plan_versions.csv",
                ["uid", "saved_at", "saved_utc", "step", "item"],
                lambda: _plans(store, sel),
                False,
            )
        )
    return files


def _dictionary_rows(
    names: set[str],
    sel: records.Selection,
    trackers: list[records.TrackerStat],
    items: list[list[str]],
) -> list[list[str]]:
    """One row per column of every file, in the files' column order (plus the note on the
    leading apostrophe)."""
    out = []
    for file, col, typ, meaning in DICTIONARY:
        if file not in names and file != NOTE_FILE:
            continue
        if col in ("note", "answers") and not sel.notes:
            continue
        out.append([file, col, typ, meaning])
        if (file, col) == ("checkins.csv", "updated_at"):
            out += _tracker_dictionary(trackers)
        if (file, col) == ("measure_results.csv", "flags"):
            out += items
    return out


def _write_member(
    member: IO[bytes], header: list[str], rows: Iterable[list[Any]], tick: Any
) -> None:
    text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
    _write(text, header, rows, tick)
    text.flush()
    text.detach()


def write_csv(
    path: Path,
    store: Store,
    sel: records.Selection,
    *,
    as_zip: bool,
    tick: Callable[[int], None] | None = None,
) -> list[str]:
    """Write the CSV files into a zip at ``path`` or a folder ``path``; returns their names."""
    trackers = records.tracker_columns(store, sel)
    files = _files(store, sel, trackers)
    names = [f[0] for f in files] + ["data_dictionary.csv"]
    items = _item_dictionary(_instruments(store, sel), _measure_width(store, sel))
    dictionary = _dictionary_rows(set(names), sel, trackers, items)
    dict_header = ["file", "column", "type", "meaning"]
    if as_zip:
        with (
            atomic_output(path) as raw,
            zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as zf,
        ):
            for name, header, make_rows, counts in files:
                with zf.open(name, "w") as member:
                    _write_member(member, header, make_rows(), tick if counts else None)
            with zf.open("data_dictionary.csv", "w") as member:
                _write_member(member, dict_header, dictionary, None)
        return names
    folder = prepare_folder(path)
    for name, header, make_rows, counts in files:
        with atomic_text(folder / name) as text:
            text.write("\ufeff")
            _write(text, header, make_rows(), tick if counts else None)
    with atomic_text(folder / "data_dictionary.csv") as text:
        text.write("\ufeff")
        _write(text, dict_header, dictionary, None)
    return names
