"""What `selfback history` says: the log, one check-in, and fixing mistakes."""

from __future__ import annotations

NO_SUCH = (
    "There is no check-in with ID {id}. selfback history --since all lists them with their IDs."
)
NONE_IN_SPAN = "No check-ins {span}. Run selfback checkin to add one whenever you like."
TOTALS = "{count} {noun} on {days} {dnoun}; average mood {average:.1f}."
FIX_HINT = "Fix a mistake: selfback history edit ID, or selfback history delete ID."

DELETE_ASK = "Delete {summary}? This cannot be undone."
KEPT = "Kept. Nothing was deleted."
DELETED = "Deleted check-in {id}."

EDITING = "Editing {summary}. Enter keeps an answer; - clears it."
WHEN_ASK = "When [{when}]: "
MOOD_STAYS = "Mood cannot be cleared: give a new one with --mood."
NOTHING_TO_CLEAR = "Check-in {id} has no answer for '{key}' to clear. Nothing was changed."
EDIT_DOES_NOT_WORK = "That edit does not work: {problem}. Nothing was changed."
GONE_MEANWHILE = "Check-in {id} was deleted meanwhile. Nothing was changed."
EDIT_SAVED = "Saved your changes to check-in {id}."
