"""What the hope box and the notes for next time say (`selfback hope`, and inside `cope`
and `sos`). Short, kind, second person; the person's own words are shown as they wrote
them (cleaned), never judged or repeated back in a lecture."""

from __future__ import annotations

KIND_LABELS = {
    "message": "a message to yourself",
    "quote": "a quote",
    "memory": "a memory",
    "photo": "a photo",
    "music": "some music",
    "voice": "a voice message",
}
KIND_ORDER = ("message", "quote", "memory", "photo", "music", "voice")
SHORT_LABELS = {
    "message": "Message",
    "quote": "Quote",
    "memory": "Memory",
    "photo": "Photo",
    "music": "Music",
    "voice": "Voice message",
}

# -- hope add ---------------------------------------------------------------------------------
INTRO = (
    "Your hope box keeps your own reminders for a hard moment: words you write on a "
    "better day, a quote, a memory, or a photo, song or voice message on this computer."
)
WHICH_KIND = "What would you like to keep?"
KIND_RETRY = "Please type a number from 1 to {count}, or q to stop."
ASK_TEXT = {
    "message": "Write your message to yourself, for a hard day. One line; Enter when done.",
    "quote": "Type the quote, and who said it if you like. Enter when done.",
    "memory": "Describe the memory in a few words. Enter when done.",
}
ASK_PATH = "The file's place on this computer (for example ~/Pictures/beach.jpg):"
ASK_CAPTION = "A few words about it, if you like (Enter to leave it out):"
EMPTY_TEXT = "Nothing was typed, so nothing was kept."
SAVED = "Kept in your hope box (number {id}). See it any time with: selfback hope list"
STOPPED = "Stopped. Nothing new was kept."

# -- refusing ---------------------------------------------------------------------------------
NOT_A_LOCAL_FILE = (
    "The hope box keeps files on this computer only, not web or network addresses, so "
    "that nothing is ever fetched: save the file here first, then add its path."
)
NO_SUCH_FILE = "There is no file at {path}. Check the path and try again."
IS_A_FOLDER = "{path} is a folder; please give one file in it."
NO_PATH = "A {kind} needs the path of a file on this computer."
TEXT_ON_ARGV = (
    "Your words are never taken on the command line (they would stay in your shell "
    "history). Leave them out to be asked, use --edit, or pipe them on standard input."
)
BAD_KIND = "There is no kind {kind!r}. Choose one of: {kinds}."
TOO_LONG = "That is longer than {most} characters. Please keep it shorter."
NO_INPUT = (
    "Nothing came on standard input. Run selfback hope add in a terminal to be asked, "
    "or pipe the words in."
)
NEEDS_KIND = "Without a terminal to ask in, say which kind with --kind (for example --kind quote)."
NO_SUCH_ITEM = "There is no item {id} in your hope box. selfback hope list shows them."
EMPTY_BOX = (
    "Your hope box is empty for now. On a better day, add words or a photo that could "
    "help you through a hard one: selfback hope add"
)

# -- hope list / show / remove ---------------------------------------------------------------
LIST_TITLE = "Your hope box"
MISSING = "(the file is no longer there)"
SHOW_HINT = "selfback hope show NUMBER shows one; selfback hope add adds one."
FILE_AT = "File: {path}"
FILE_GONE = "The file is no longer at {path}. If it moved, you can add it again."
ASK_OPEN = "Open it with your computer's usual app?"
NOT_OPENED = "Not opened."
OPENED = "Opening it with your computer's usual app."
OPEN_NO_TERMINAL = "Run this in a terminal to be asked whether to open the file."
OPEN_FAILED = "Your computer could not open it. The file is at {path}."
NO_OPENER = "This computer has no usual app set up for opening files. The file is at {path}."
OPENER_OFF = "Opening files is switched off here (SELFBACK_OPENER=none). The file is at {path}."
ASK_REMOVE = "Remove item {id} from your hope box?"
REMOVED = "Removed item {id}."
KEPT = "Kept. Nothing was removed."
REMOVE_NEEDS_YES = "Without a terminal to ask in, add --yes to remove it."

# -- heard while adding -----------------------------------------------------------------------
LEAD_HEARD = (
    "What you wrote sounds really painful. Thank you for putting it into words. "
    "It is kept in your hope box as you wrote it."
)

# -- inside cope and sos ----------------------------------------------------------------------
COPE_OFFER = "Would you like to look at your hope box first?"
COPE_YES_NO = "Please type y or n (Enter for no)."
COPE_TITLE = "From your hope box"
COPE_MORE = "There is more in it: selfback hope list shows everything."
COPE_FILE = "{label}: {path} (selfback hope show {id} opens it)"
COPE_GO_ON = "Press Enter when you're ready to go on."
SOS_LINE_HOPE = "Your hope box has your own reminders: selfback hope list"

# -- a note for next time ---------------------------------------------------------------------
NOTE_OFFER = "That helped. Leave a note for next time you feel like this?"
NOTE_ASK = "Write it to yourself: what helped, what to remember. One line; Enter when done."
NOTE_SAVED = "Kept. The next time this comes up, selfback cope will show it to you first."
NOTE_EMPTY = "Nothing was typed, so no note was kept."
NOTE_NOT_SAVED = "The note could not be kept: {problem}"
NOTE_TITLE = "A note you left for next time ({when}):"
NOTE_HELPED = "Last time, {skill} helped."

# -- exports ----------------------------------------------------------------------------------
HOPE_NOT_IN_FORMAT = (
    "The hope box goes only into json and the reports (html, pdf, md), not into {format}."
)
