"""What a skill's step screens say around the skill's own text (`selfback cope`)."""

from __future__ import annotations

HEADER_COLOR = "{title} · step {number} of {total}"
HEADER_PLAIN = "Step {number} of {total} ({title})"
HEADER_PART = " · {part}"
HEADER_ROUND = ", round {round}"
OFFER_ENTER = "  Enter goes on; another round is up to you."
NOTHING_WRITTEN = "You didn't write anything in the steps before, and that's okay."
LATER_SAVED = (
    "Saved for later. The next time you check in or use selfback cope, it will ask you "
    "once how it went."
)
LONG_HOW = "Write as many lines as you like. An empty line (or Ctrl-D) finishes."
LONG_EDITOR = "Or type e and press Enter to write it in your editor."
LONG_KEPT = "  Your lines so far are kept. Go on writing."
LONG_TOO_LONG = "  That was very long, so only the first {most} characters are kept."
EDITOR_NOT_STARTED = "  Your editor didn't start ({problem}), so type here instead."
EDITOR_FAILED = (
    "  Your editor ended with a problem, so nothing was taken from it. Type here instead."
)
EDITOR_EMPTY = "  Nothing was written in the editor. Type here, or press Enter to go on."
EDITOR_HEADER = (
    "# Write your answer below. Lines starting with # are left out.\n"
    "# Save and close the editor to go on. This file is removed straight after.\n"
)
EDITOR_TOOK = "  Got it: {lines} from your editor."
FOR_EXAMPLE = "For example: {text}"
BEFORE_YOU_WROTE = "Before, you wrote: {text}"
KEEP_OR_NEW = "  Press Enter to keep it, or type something new."
ONE_AT_A_TIME = "  One at a time, Enter after each ({count} in all)."
SO_FAR = "So far: {text}"
TAKE_YOUR_TIME = "Take your time. Type a few words, or press Enter again to go on."
ENTER_KEEPS = "  Enter keeps {value}."
NUMBER_RETRY = "  Please type a number from {lo} to {hi}."
NUMBER_NUDGE = "Type a number from {lo} to {hi}, or press Enter again to go on."
# Two choices read better as "1 or 2".
NUMBER_NUDGE_TWO = "Type {lo} or {hi}, or press Enter again to go on."
PRESS_TO_START = "  Press Enter to start ({what})."
WHILE_RUNNING = "  (Enter finishes early, {skip}, {back}, q stops, ? help, ! crisis lines.)"
SKIPS = "s skips"
SKIPS_PART = "s skips this part"
GOES_BACK = "b goes back"
OTHER_SKILL_RUNNING = "b chooses another skill"
TIMES_UP = "Time's up."
BREATHS_DONE = "Done: {breaths}."
FINISHED_EARLY = "Finished early. That's fine."
THEN_GO_ON = "  {finished} Press Enter to go on."
GO_ON = "Press Enter to go on."
GO_BACK = "Press Enter to go back."

# The keys, on every step.
GO_ON_KEY = "Enter to go on"
TYPE_THEN_ENTER = "Type, then Enter"
NUMBER_THEN_ENTER = "Type a number, then Enter"
ENTER_TO_START = "Enter to start"
ENTER_GOES_ON = "Type a number, or Enter to go on"
KEY_BACK = "b back"
KEY_OTHER_SKILL = "b another skill"
KEY_SKIP = "s skip"
KEY_SKIP_PART = "s skip this part"
KEY_EDITOR = "e editor"
KEY_REST = ["q stop", "? help", "! crisis lines"]
# After the full hint has been shown once in a session, the short one: the same keys.
SHORT_HINT = "{first}; keys {keys}"
HELP_KEYS = [
    ("Enter", "go on (or start a timer)"),
    ("b", "back to the previous step (on the first step: choose another skill)"),
    ("s", "skip this step (in a part of a skill: the rest of that part)"),
    ("q", "stop here (what you did so far is saved)"),
    ("!", "crisis lines and your safety plan, then back to this step (sos works too)"),
    ("?", "this help"),
    ("e", "on a long answer: write it in your editor ($EDITOR), when you have one"),
]
HELP_INTRO = "How this works. Type one key, then press Enter:"
HELP_OUTRO = (
    "While a timer or the breathing guide runs, one key is enough: Enter finishes early. "
    "Numbers answer ratings and choices. For questions, type a few words; nothing you type "
    "leaves this computer. Ctrl-C also stops at any time."
)
HELP_FOR_KEYS = "  (For how the keys work, type ? and press Enter.)"
BACK_TO = "Press Enter to go back to {where}."
