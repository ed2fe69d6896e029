"""What `selfback plan` says: showing, editing and the history of the safety plan."""

from __future__ import annotations

from selfback.messages.common import SOS_LINE

HOW_TO = (
    "One answer per line. Enter keeps what is in [brackets], - removes it, new text "
    "replaces it; on a + line type something new, or press Enter to go on."
)
TITLE = "Your safety plan"
STEPS_INTRO = "{label} Six steps, then your reasons for living."
DRAFT_NOTE = "Ctrl-C stops at any point; what you typed is kept as a draft."
DRAFT_ASK = "You have an unfinished draft from {when}. Continue from it?"
SKILLS_YOU_CAN_NAME = "Skills you can name here:"
REMOVED = "    removed"
NOTHING_TO_REMOVE = "    Nothing to remove on a + line. Type something new, or press Enter."
NOTHING_TO_REMOVE_NAME = "    Nothing to remove on a + line. Type a name, or press Enter."
ADD_A_WAY = "    Add a number or another way to reach them (or - to leave it out)."
REACH = "    number or way to reach > "

UNCHANGED = "Nothing changed, so no new version was saved. Your plan is as it was."
HERE_IS = "Here is your plan:"
SAVE_ASK = "Save this plan?"
NOT_SAVED = "Not saved."
EARLIER_UNCHANGED = " Your earlier plan is unchanged."
SAVED = (
    "Saved (version {number}). selfback sos shows your people and reasons\n"
    "at once, even when the rest of selfback is not working."
)
COPE_OFFERS = "selfback cope will offer these skills first: {skills}"

STOPPED = "Stopped. What you typed is kept as a draft: run selfback plan edit to go on. " + SOS_LINE
NO_MORE_INPUT = "No more input. What you typed is kept as a draft: run selfback plan edit to go on."

NO_PLAN = (
    "You have no safety plan yet.\n"
    "It is a short list, for a hard moment, of your warning signs, what helps,\n"
    "who you can reach and what you live for. Make one, a step at a time:\n"
    "  selfback plan edit"
)
SHOWING_MIRROR = "(Showing the copy of your plan that sos uses instead.)"
REVIEW_DUE = (
    "It has been {days} days since you last changed it. A quick look now\n"
    "and then keeps it useful: selfback plan edit"
)
CHANGE_IT = "Change it: selfback plan edit"
EARLIER_VERSION = "This is an earlier version. Your current plan: selfback plan show"
IN_CRISIS = "In crisis now: selfback sos"
NO_VERSIONS_YET = "There are no saved versions yet. Make one: selfback plan edit"
NO_SUCH_VERSION = (
    "There is no version {version}; versions go from 1 to {last}. "
    "See them with: selfback plan history"
)
HISTORY_EMPTY = "No saved versions yet. Make your plan: selfback plan edit"
SEE_ONE = "See one: selfback plan show --version N"
