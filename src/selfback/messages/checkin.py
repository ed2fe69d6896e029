"""What `selfback checkin` (and `history edit`, which asks the same questions) says."""

from __future__ import annotations

from selfback.messages.common import SOS_LINE

SAVED = "Saved. Thank you for checking in."
INTRO = (
    "Check-in. {names} {verb} needed; Enter skips any other question. Ctrl-C stops without saving."
)
INTRO_ALL_OPTIONAL = "Check-in. Enter skips any question; Ctrl-C stops without saving."
INTRO_ALL_NEEDED = "Check-in. Every question is needed; Ctrl-C stops without saving."
EDITOR_HEADER = (
    "# Write your note below. Lines starting with # are left out.\n"
    "# Save and close the editor to finish; leave it empty to save no note.\n"
)

# After saving, when nothing was heard as risk but the day sounds hard.
GENTLE_URGE = (
    "If the urge is strong right now, selfback cope --for self-harm-urge can help "
    "you ride it out. " + SOS_LINE
)
GENTLE_LOW = "That sounds hard. selfback cope can walk you through a skill. " + SOS_LINE

# Asking one tracker.
NEEDED = "  This one is needed: please type {expected}."
NEEDED_NO_CLEAR = "  This one is needed, so it cannot be cleared."
PLEASE_TYPE = "  Please type {expected}{skip}."
ANSWER_PROBLEM = "  That answer {problem}{skip}."
OR_SKIP = ", or press Enter to skip"

# Notes from stdin or an editor.
NOTE_TOO_LONG = "The note is too long ({length} characters; at most {most}). Nothing was saved."
NOTE_TOO_LONG_EDITOR = "The note is too long (at most {most} characters). Nothing was saved."
NO_EDITOR = (
    "No editor is set. Set $EDITOR (for example: export EDITOR=nano), or use "
    "--note - to read the note from stdin. Nothing was saved."
)
EDITOR_WONT_START = (
    "Could not start the editor '{editor}' ({problem}). Check $EDITOR, or use "
    "--note -. Nothing was saved."
)
EDITOR_FAILED = "The editor closed with an error, so nothing was saved. Try again, or use --note -."

# Flags.
SET_NEEDS_PAIR = "--set needs ID=VALUE (for example --set urge_selfharm=2); got '{item}'."
SET_NEEDS_ID = "--set needs a tracker id before '=' (got '{item}')."
BAD_CORE = "{label} {problem} (got '{raw}'). Nothing was saved."
BAD_WORDS = "{flag} {problem} (got '{item}'). Nothing was saved."
NO_TRACKER = (
    "There is no tracker called '{key}'. selfback trackers list shows them. Nothing was saved."
)
TEXT_ON_ARGV = (
    "'{key}' is free text, which selfback never takes on the command line "
    "(it would stay in your shell history). Answer it in selfback checkin "
    "without flags. Nothing was saved."
)
MOOD_TWICE = "Give the mood once: as a number (checkin 6) or with --mood, not both."
GIVEN_TWICE = "'{key}' is given twice. Nothing was saved."
BAD_SET = "{key} {problem} (got '{raw}'). Nothing was saved."
NEEDS_MOOD = (
    "A check-in needs a mood: add --mood with a number from 0 to 10 (or run "
    "selfback checkin without flags to be asked)."
)

# Tracker files with problems.
ONE_PROBLEM = "1 tracker file has a problem"
PROBLEMS = "{count} problems in tracker files"
LEFT_OUT = "{what}, so it was left out. selfback trackers validate shows where."
