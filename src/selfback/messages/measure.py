"""What `selfback measure` says: the list, past results, and taking a questionnaire."""

from __future__ import annotations

from selfback.messages.common import SOS_LINE

NOT_A_DIAGNOSIS = "Self-report, not a diagnosis."
PARTIAL_LABEL = "partial, not scored"

# The list.
LIST_TAKE = "Take one:      selfback measure phq9  (or any id above)"
LIST_PAST = "Past results:  selfback measure history"
LIST_ONLY = (
    "selfback measure lists the measures and takes no other name. "
    "To take one, run for example: selfback measure phq9"
)
ONE_NAME_ONLY = (
    "selfback measure {id} takes no second name. "
    "For past results run: selfback measure history {id}"
)
JSON_ONLY_FOR_LISTS = (
    "--json works with selfback measure and selfback measure history; "
    "to take the {name}, run: selfback measure {id}"
)

# Past results.
NO_RESULTS = "No {what} results yet. Take one with: selfback measure phq9"
NO_RESULTS_MORE = "(or gad7, who5, phq2, gad2; selfback measure lists them)"
ITEM9_NOTE = (
    "Item 9 flag: the question about thoughts of hurting yourself or of being better "
    "off dead was answered above 0. If those thoughts are with you now, selfback sos "
    "shows help at once."
)
PARTIAL_NOTE = (
    "Partial, not scored: you stopped after question 9, so there is no score; the "
    "answer to question 9 was kept."
)
CHANGE_NOTE = (
    "Change is against the previous result of the same measure. On the PHQ and GAD "
    "measures lower means fewer problems; on the WHO-5 higher means better well-being."
)

# Taking one.
ITEM9_LEAD = (
    "You said thoughts of hurting yourself, or of being better off dead, have come up. "
    "Thank you for answering honestly. You deserve support with this, and it is there "
    "right now:"
)
ANSWERS_KEPT = (
    "Your answers so far are kept, even if you stop now (type q). The questionnaire goes on below."
)
NO_RUSH = "  No rush. Type a number from {lo} to {hi}, then press Enter."
FIRST_QUESTION = "  This is the first question, so there is nothing to go back to."
KEYS = "Type {lo}-{hi} and press Enter{back}. q stops; ! or sos shows crisis help."
OR_BACK = ", or b to go back"
RETRY = "  Please type a number from {lo} to {hi}{back}. q stops; ! shows crisis help."
BEFORE = "  Before, you chose {value} ({label})."
PLAN_THERE = (
    "Your safety plan is there for moments like this: selfback plan show "
    "(change it with selfback plan edit)."
)
PLAN_MAKE = (
    "A safety plan can help with moments like this. Make one, at your own pace: selfback plan edit"
)

# Stopping.
STOPPED = "Stopped."
NO_MORE_INPUT = "No more input, so the questionnaire stopped."
KEPT_PARTIAL = (
    "Your answers so far were kept as a partial {name} result, flagged "
    "for question 9 and not scored. selfback measure history shows it."
)
NOTHING_SAVED = "Nothing from this {name} was saved."
STOP_LINE = "{first} {what} Take care of yourself. " + SOS_LINE

# The result.
FIRST_TIME = "  This is your first {name} here. Taking it again in {when} shows how things move."
SUGGEST_FULL = (
    "  A score of {threshold} or more suggests taking the full {name} ({count} questions):"
)
WORRIED = (
    NOT_A_DIAGNOSIS
    + " If a score worries you, a doctor or therapist can help you make sense of it."
)
SAVED = "Saved. Your results over time: selfback measure history"
