"""What a skill's step screens say around the skill's own text (`selfback cope`)."""

from __future__ import annotations

HEADER_COLOR = "{title} · step {number} of {total}"
HEADER_PLAIN = "Step {number} of {total} ({title})"
FIRST_STEP = "  This is the first step."
FOR_EXAMPLE = "For example: {text}"
BEFORE_YOU_WROTE = "Before, you wrote: {text}"
KEEP_OR_NEW = "  Press Enter to keep it, or type something new."
ONE_AT_A_TIME = "  One at a time, Enter after each ({count} in all)."
SO_FAR = "So far: {text}"
TAKE_YOUR_TIME = "Take your time. Type a few words, or press Enter again to go on."
ENTER_KEEPS = "  Enter keeps {value}."
NUMBER_RETRY = "  Please type a number from {lo} to {hi}."
NUMBER_NUDGE = "Type a number from {lo} to {hi}, or press Enter again to go on."
PRESS_TO_START = "  Press Enter to start ({what})."
WHILE_RUNNING = "  (Enter finishes early, {skip}, b goes back, q stops, ! crisis lines.)"
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
HELP_KEYS = [
    ("Enter", "go on (or start a timer)"),
    ("b", "back to the previous step"),
    ("s", "skip this step (in a part of a skill: the rest of that part)"),
    ("q", "stop here (what you did so far is saved)"),
    ("!", "crisis lines and your safety plan, then back to this step (sos works too)"),
    ("?", "this help"),
]
HELP_INTRO = "How this works. Type one key, then press Enter:"
HELP_OUTRO = (
    "While a timer or the breathing guide runs, one key is enough: Enter finishes early. "
    "Numbers answer ratings and choices. For questions, type a few words; nothing you type "
    "leaves this computer. Ctrl-C also stops at any time."
)
HELP_FOR_KEYS = "  (For how the keys work, type ? and press Enter.)"
BACK_TO = "Press Enter to go back to {where}."
