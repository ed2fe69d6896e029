"""The CSV export's data dictionary: one row per column of every file, in order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from selfback.store.tables import TrackerStat


@dataclass(frozen=True)
class ItemInfo:
    """One questionnaire item, for the dictionary's item_N rows."""

    text: str
    values: tuple[int, ...]  # the answers it takes
    scored: bool


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


TRACKER_PREFIX = "tracker:"  # checkins.csv: one column per tracker answered in the range

_KIND_TYPES = {
    "scale": "number (scale)",
    "number": "number",
    "yesno": "yes or no",
    "choice": "text (one option)",
    "tags": "text (words separated by '; ')",
    "text": "text",
}


def tracker_dictionary(trackers: Sequence[TrackerStat]) -> list[list[str]]:
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


def item_dictionary(items: Mapping[str, tuple[str, list[ItemInfo]]], width: int) -> list[list[str]]:
    """One row per item_1 ... item_N column: what item N is in each questionnaire in the
    file (``items``: id -> (name, its items)), its answer range, and whether it counts
    towards the total."""
    out = []
    for n in range(1, width + 1):
        parts = []
        for name, inst_items in items.values():
            if n > len(inst_items):
                continue
            item = inst_items[n - 1]
            scale = f"{min(item.values)}-{max(item.values)}" if item.values else "a number"
            scored = "" if item.scored else "; not scored, not in the total"
            parts.append(f"{name} item {n}: {item.text} ({scale}{scored}).")
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


def dictionary_rows(
    names: set[str],
    notes: bool,
    trackers: Sequence[TrackerStat],
    items: list[list[str]],
) -> list[list[str]]:
    """One row per column of every file, in the files' column order (plus the note on the
    leading apostrophe)."""
    out = []
    for file, col, typ, meaning in DICTIONARY:
        if file not in names and file != NOTE_FILE:
            continue
        if col in ("note", "answers") and not notes:
            continue
        out.append([file, col, typ, meaning])
        if (file, col) == ("checkins.csv", "updated_at"):
            out += tracker_dictionary(trackers)
        if (file, col) == ("measure_results.csv", "flags"):
            out += items
    return out
