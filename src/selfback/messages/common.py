"""Lines every part of selfback shares."""

from __future__ import annotations

# Where crisis help is: the one line every stop, quit and goodbye ends with.
SOS_LINE = "If you need crisis lines, run selfback sos."

STOPPED = f"Stopped. Take care of yourself. {SOS_LINE}"
NO_MORE_INPUT = "No more input, so selfback stopped. Nothing was half-saved."
BUG = "Something went wrong inside selfback (a bug, not something you did)."
BUG_DETAILS = "Details are in {path}."
BUG_CRISIS = "Crisis help always works: run selfback sos."
TRY_HELP = " Try {command} --help."

# A record's number typed on the command line.
NOT_AN_ID = "'{raw}' is not a {what} number: use a number shown by {where}."
NO_SUCH_ID = "There is no {what} number {raw}: use a number shown by {where}."

# Free text never comes from the command line (it would stay in the shell history).
NOTE_ON_ARGV = (
    "Notes are never taken on the command line (they would stay in your shell history). "
    "Use --note - to read it from stdin, --edit to write it in your editor, or leave it out "
    "to be asked."
)
NOTE_TWICE = "Use either --note - or --edit for the note, not both."
