"""What selfback says about your data: export, import, backup, doctor, nudge, trends and
the home screen. Templates have named ``{fields}`` for ``str.format``.

Standard library only, and nothing but strings.
"""

from __future__ import annotations

# -- export ------------------------------------------------------------------------------
NOTHING_TO_EXPORT = (
    "There is nothing to export yet. Check in with selfback checkin or use a skill with "
    "selfback cope, and it will be here."
)
BAD_PAPER = "'{paper}' is not a paper size selfback knows. Use a4 or letter."
PATIENT_NOT_FHIR = "--patient is for --format fhir only; the reports carry no name."
CSV_NEEDS_FOLDER = (
    "The CSV export is one file per record type, so give a folder "
    "(--output selfback-data) or a zip (--output selfback-data.zip)."
)
CHOOSE_PARTS = "This file is private to you. Choose what goes in it."
ASK_PART = {
    "notes": "Include your written notes?",
    "crisis": "Include how often you opened the crisis screen?",
    "plan": "Include your safety plan?",
}
# the crisis part of a JSON export when it holds risk flags and no crisis-screen openings
ASK_RISK_FLAGS = "Include when words that may mean risk were noticed (never the words)?"
SAVED_EXPORT = "Saved your {what} to {path} ({period}: {checkins}, {sessions}, {questionnaires})."
LEFT_OUT = "Left out: {parts} (add {flags} to include them)."
LEFT_OUT_FLAGS = {
    "notes": "--notes",
    "crisis-screen openings": "--include-crisis",
    "safety plan": "--include-plan",
    "hope box": "--include-hope",
}
SENT_EXPORT = (
    "Wrote your {what} to standard output ({period}: {checkins}, {sessions}, {questionnaires})."
)
STDOUT_NO_ROOM = (
    "selfback makes the file in {folder} before it goes to standard output, and it could "
    "not be written there ({reason}). Free some space, or save it to another disk with "
    "--output."
)
STDOUT_PRIVATE = "Where it goes is up to you: it holds what you chose to include."
PRIVATE_FILE = "The file is only readable by you. Share it only with people you choose."
PATIENT_TOO_LONG = "That is longer than {limit} characters. Type a shorter name or number."
PATIENT_INTRO = (
    "The bundle can carry your name and a number your clinic gave you. It goes only into "
    "this file; selfback does not keep it. Press Enter to leave either out."
)
PATIENT_NAME = "Name: "
PATIENT_NUMBER = "Patient number or other identifier: "
PATIENT_NONE = "No name or number given, so the bundle names no one."
PATIENT_NO_INPUT = (
    "--patient reads a name (and, on a second line, an identifier) from standard input, "
    "and there was none. Pipe it in, or leave out --patient."
)
EXPORTING = "Exporting"

# -- import ------------------------------------------------------------------------------
IMPORTING = "Importing"
BAD_IMPORT_FORMAT = "'{fmt}' is not an import format. Choose one of: {formats}."
NEW_DAYLIO_MOOD = "The Daylio mood '{name}' ({count} {entries}) is new to selfback."
ASK_DAYLIO_MOOD = "  What is it on selfback's 0-10 mood (0 worst, 10 best)? "
IMPORT_ADDED = "{verb} {listing} from {file} ({format})."
IMPORT_NOTHING_NEW = "Nothing new in {file}: everything in it is already in your log."
IMPORT_SKIPPED = "Already in your log, so skipped: {listing}."
DAYLIO_MOODS = "Daylio moods on selfback's 0-10 scale: {moods}."
DRY_RUN_DONE = "Nothing was changed (--dry-run)."
BACKUP_BEFORE_IMPORT = "A copy of your log from before the import is in {path}."
RECORD_NAMES = {
    "checkins": ("check-in", "check-ins"),
    "coping_sessions": ("coping session", "coping sessions"),
    "measure_results": ("questionnaire result", "questionnaire results"),
    "crisis_openings": ("crisis-screen opening", "crisis-screen openings"),
    "safety_plan_versions": ("safety-plan version", "safety-plan versions"),
    "risk_flags": ("risk flag", "risk flags"),
    "hope_items": ("hope-box item", "hope-box items"),
    "next_time_notes": ("note for next time", "notes for next time"),
}
IMPORT_FLAGGED = (
    "{entries} words that may point to thoughts of suicide or self-harm; {done} quietly in "
    "your log. If any of that is with you now, selfback sos is there."
)
PLAN_FROM_IMPORT = "Your safety plan is now the newest version from the file."
PLAN_MIRROR_FAILED = (
    "The safety plan was imported, but the copy selfback sos reads could not be updated. "
    "Open selfback plan edit and save it once."
)
IMPORT_BACKUP_FAILED = (
    "Could not make a safety copy of the database before importing ({reason}). Nothing was "
    "imported. Free some space, then try again."
)
IMPORT_REFUSED = "{file} has a record the database refused ({reason}). Nothing was imported."
IMPORT_NOTHING_NEW_CHANGED = "Nothing new in {file}."
IMPORT_UPDATED = "{verb} {listing} to the answers in the file ({examples})."
IMPORT_CHANGED_KEPT = (
    "{count} in the file {differ} from your log, so selfback kept your log's version{s} "
    "({examples}). To take the file's instead, run the same import with --changed take."
)
IMPORT_CHANGED_WOULD_KEEP = (
    "{count} in the file {differ} from your log ({examples}); selfback would keep your "
    "log's version{s} (--changed take to take the file's)."
)
ASK_CHANGED = (
    "{count} in {file} {differ} from your log (edited since the last import?): {examples}."
)
CHANGED_CHOICES = ["Keep what is in my log", "Take the file's version"]
ASK_CHANGED_PICK = "  Which? "
BAD_CHANGED = "'--changed {value}' should be keep (your log's version) or take (the file's)."
IMPORT_REPEATED = "{count} in the file {are} there twice, so each was imported once: {examples}."
IMPORT_LEFT_OUT = (
    "{count} of {file} could not be read and {were} left out: {examples}. The rest is in; "
    "fix {them} in the file and import it again (nothing is added twice)."
)
MORE = "and {n} more"
DAYLIO_BAD_DATE = (
    "has a date selfback cannot read: {value!r} (expected 2024-03-01 in the full_date column)"
)
DAYLIO_BAD_TIME = "has a time selfback cannot read: {reason}"
DAYLIO_NO_MOOD = "has no mood"
DAYLIO_NOTHING_READABLE = "Line {line} of {file} {problem}. Nothing was imported."
DAYLIO_LINE_REFUSED = "Line {line} of {file} cannot be imported: {problem}. Nothing was imported."
DAYLIO_MISSING_COLUMNS = (
    "{file} does not look like a Daylio export: the column{s} {columns} {are} missing. "
    "Nothing was imported."
)
DAYLIO_ENCODING = (
    "{file} is not in UTF-8, so selfback read it as {encoding}. If letters or quotes look "
    "wrong here, save it again as UTF-8 and import that: {sample}"
)
IMPORT_NOT_SCHEMA = (
    "{file} does not match the selfback export format ({count} {problems}): {shown}. Nothing "
    "was imported. Export it again with selfback export --format json, or fix what is named."
)

# -- backup and doctor -----------------------------------------------------------------
NOTHING_TO_BACK_UP = "There is nothing to back up yet: selfback has not saved anything."
BACKUP_EXISTS = (
    "There is already a file at {path}; selfback never overwrites one. Choose another name, "
    "or leave PATH out for a dated copy in the backups folder."
)
BACKUP_NO_FOLDER = "The folder {folder} does not exist. Create it first."
BACKUP_BAD_PATH = "'{path}' cannot be used for a backup ({reason}). Choose another path."
BACKUP_SAVED = "Backup saved to {path}"
BACKUP_PRIVATE = "It holds your notes: keep it somewhere private."
DOCTOR_FINE = "Everything looks fine."
DOCTOR_PROBLEMS = (
    "{n} check{s} found something to fix (see above). selfback sos works whatever the state "
    "of the rest."
)
# the Records check (selfback.store.consistency)
DOCTOR_RECORDS_FINE = "every record's times and kinds are as selfback writes them"
DOCTOR_RECORDS_EMPTY = "nothing to check yet"
DOCTOR_RECORDS_UNREAD = "not checked, because the database cannot be read (see above)"
DOCTOR_RECORDS_FOUND = "{n} record{s} selfback would not have written this way"
DOCTOR_RECORD_RULES = {
    "utc": "{count} {records} whose {column} is not the moment of {local} in UTC (first: "
    "{examples})",
    "offset": "{count} {records} whose {local} has no UTC offset (first: {examples})",
    "local-date": "{count} {records} whose local_date is not the date of ts (first: {examples})",
    "tracker-kind": "{count} tracker {answers} of a kind selfback does not know (first: "
    "{examples})",
    "hope-kind": "{count} {records} of a kind selfback does not know (first: {examples})",
    "crisis-source": "{count} {records} from a source selfback does not know (first: {examples})",
    "instrument": "{count} {records} of a questionnaire selfback does not have (first: {examples})",
}
DOCTOR_RECORD_EXAMPLE = "{record} {id}: {value}"
DOCTOR_RECORDS_ADVICE = (
    "Nothing was changed. Such records most likely came from a file an older selfback "
    "imported. A check-in's time can be set again with selfback history edit ID --at WHEN."
)

# -- nudge and home --------------------------------------------------------------------
NUDGE = "No check-in yet today. selfback checkin takes under a minute, whenever you like."
HOME_UNREADABLE = "Your log could not be read just now. selfback doctor shows what to do."
HOME_NO_CHECKIN = "Today: no check-in yet. It takes a minute when you're ready: selfback checkin"
HOME_ONE_CHECKIN = "Today: you checked in. Thank you for looking after yourself."
HOME_CHECKINS = "Today: you checked in {n} times. Thank you for looking after yourself."
HOME_HELPED = "Last time, {name} helped. To do it again: selfback cope --again"
HOME_COPE = "  Hard right now?   selfback cope"
HOME_SOS = "  In crisis?        selfback sos"
HOME_SOS_WHY = "(crisis lines and your safety plan)"
HOME_MORE = "More: selfback --help"
