"""What `selfback sessions` and the plan-for-later question say."""

from __future__ import annotations

NONE_YET = "No coping sessions yet. When things get hard, selfback cope walks you through one."
NONE_MARKED = "No sessions are marked. selfback sessions mark ID marks one to talk about."
LIST_HINT = "To see one in full: selfback sessions show ID."
NO_SUCH = "There is no session {id}. To see them, run selfback sessions."
DONE = "done"
STOPPED = "stopped early"
DISTRESS = "distress {before} to {after}"
DISTRESS_BEFORE_ONLY = "distress {before}, not rated after"
DISTRESS_AFTER_ONLY = "not rated before, distress {after} after"
MARKED = "to talk about"
TITLE = "Session {id}: {title}"
WHEN_LINE = "{when}, {status}."
DISTRESS_LINE = "Distress {before} before, {after} after (0 to 10)."
NOT_RATED = "not rated"
SITUATION_LINE = "For: {situation}."
MARKED_LINE = "Marked to bring to your therapist (selfback sessions unmark {id} to undo)."
NOTHING_WRITTEN = "Nothing was written in this session."
SKIPPED = "(skipped)"
FOLLOW_UP_DUE = "A plan for later: selfback will ask how it went at your next check-in."
FOLLOW_UP = {
    "done": "Later: you did it (asked {when}).",
    "not-done": "Later: it didn't happen that time (asked {when}). That's information.",
    "skipped": "Later: not answered (asked {when}).",
}
DELETE_ASK = "Delete session {id} ({title}, {when}) and everything written in it?"
KEPT = "Kept. Nothing was deleted."
DELETED = "Session {id} is deleted."
MARKED_DONE = (
    "Session {id} is marked to bring to your therapist. It goes in a report only when "
    "you ask for it."
)
UNMARKED_DONE = "Session {id} is no longer marked."

# Asked once at the next check-in or cope.
LATER_INTRO = "Earlier, in {skill} ({when}), you planned:"
LATER_NO_PLAN = "Earlier, in {skill} ({when}), you made a plan for later."
LATER_ASK = "Did you do it? 1 yes, 2 not this time, Enter to skip."
LATER_RETRY = "  Please type 1 or 2, or press Enter to skip."
LATER_RATING = "{text} ({lo} to {hi}, Enter to skip)"
LATER_NUMBER = "  Please type a number from {lo} to {hi}, or press Enter to skip."
LATER_THANKS = "Thank you. It's saved with that session."
LATER_NOT_DONE = "That's okay. It's information, not failure. Next time, something smaller may fit."
LATER_SKIPPED = "Okay. selfback won't ask about this one again."

# Asked by selfback export when there are marked sessions and no flag says.
ASK_MARKED = "Include the sessions you marked to talk about, with what you wrote in them?"
