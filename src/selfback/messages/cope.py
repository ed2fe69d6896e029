"""What `selfback cope` says, outside the skills' own steps."""

from __future__ import annotations

from selfback.messages.common import SOS_LINE

FIRST_QUESTION = "How intense is it right now, 0 to 10?"
AFTER_QUESTION = "And now, 0 to 10?"
BEFORE_YOU_GO = "Before you go: how intense is it now, 0 to 10?"
SCALE_HINT = (
    "0 = calm, 10 = the worst you can imagine. Enter to skip, q to stop, ? help, "
    "! for crisis lines."
)
SCALE_HELP = (
    "Pick the number that fits best; there is no wrong answer. 0 is calm, "
    "10 is the worst you can imagine."
)
SCALE_AGAIN = "  Type a number from 0 to 10, or press Enter to skip."
SCALE_RETRY = "  Please type a number from 0 to 10, or press Enter to skip."

STOPPED_LINE = f"Stopped. What you did so far is saved. {SOS_LINE}"
EOF_LINE = f"No more input, so selfback stopped. What you did so far is saved. {SOS_LINE}"
QUIT_LINE = f"Okay. {SOS_LINE}"
GO_ON = "Press Enter when you're ready to go on."
GO_BACK = "Press Enter to go back."

# Heard at a prompt, or inside a skill.
HEARD = "Thank you for telling me."
HEARD_IN_SKILL = "Thank you for writing that down."
HIGH_IN_SKILL = "That's a lot to be holding right now."
COGNITIVE_STOPS = (
    "This skill weighs thoughts against facts, and a thought like that needs care, "
    "not evidence. So it stops here. Something calming for your body can help "
    "with the next few minutes."
)
WHAT_NOW = "What would help now?"
CARRY_ON = "Carry on with {title}"
SWITCH = "Switch to something calming"
SEE_PLAN = "See my safety plan"
STOP_FOR_NOW = "Stop for now"
CALMING = "Something calming for your body:"
CALMING_KEYS = "  Enter for 1, b to go back, ! crisis lines."
NUMBER_OR_BACK = "  Please type a number from 1 to {count}, or b to go back."
NUMBER_RETRY = "  Please type a number from 1 to {count}."
YOUR_PLAN = "Your safety plan"

# The log.
LOG_CLOSED = "(Your log can't be opened right now, so this session won't be saved: {problem})"
LOG_CLOSED_PROBLEM = "the log could not be opened"
NOT_SAVED = "(This session could not be saved: {problem})"

# Choosing.
SITUATION_ASK = "What's going on?"
SITUATION_SKIP = " (Enter to skip)"
SOMETHING_ELSE = "Something else"
SITUATION_HOW = "Type a number, or a few words. q to stop, ! crisis lines."
NONE_OF_THESE = "  Enter: none of these"
DID_YOU_MEAN = (
    "Did you mean {situation}? It is {where}. Type that, or press Enter to go on without choosing."
)
OWN_WORDS = (
    "Thank you for putting it in your own words. Here are skills that help in most hard moments."
)
SITUATION_RETRY = "Please type a number from 1 to {count} or a few words, or press Enter to skip."
SITUATION_HELP = "Type the number that fits best, or a few words, or press Enter to skip."
REST_RETRY = "Please type a number from 1 to {count} or a few words, or press Enter."
REST_HELP = "Type the number that fits best, or press Enter if none fit."
SKILLS_ASK = "Some skills that could help right now:"
SKILLS_KEYS = "Enter for 1, or type a number. m for more skills, q to stop, ! crisis lines."
SKILLS_RETRY = "Please type a number from 1 to {count}, m for more, or q to stop."
SKILLS_HELP = "Type the number of a skill and press Enter. Enter alone takes the first."
ALL_KEYS = "  Type a number (Enter for 1, q to stop). ! crisis lines."
ALL_HELP = "Type the number of a skill and press Enter."
SKILLS_MISSING = (
    "selfback couldn't load its skills just now, so here is a simple one. "
    "(To see what is wrong, run selfback skills validate.)"
)
BROKEN_SKILL = (
    "The skill '{name}' is there but broken, so it cannot be used: {problem}.{more} "
    "selfback skills validate shows every problem."
)
BROKEN_MORE = " ({count} more {noun} in the file.)"
NO_SKILL = "There is no skill called '{name}'.{hint} To see them all, run selfback skills list."
DID_YOU_MEAN_SKILL = " Did you mean selfback cope {skill}?"
NOT_A_SITUATION = "'{value}' is not a situation selfback knows; did you mean {near}?"
NOT_A_SITUATION_LIST = "'{value}' is not a situation selfback knows; use one of: {known}."
AGAIN_GONE = (
    "The skill that helped last time ({name}) isn't in your library any more, "
    "so let's pick one together."
)
AGAIN_NONE = "Nothing in your log is marked as having helped yet, so let's pick a skill together."

# One skill.
BEFORE_YOU_START = "  Before you start:"
INTRO_KEYS = "Enter to begin, {back}q to stop, ? help, ! crisis lines."
INTRO_BACK = "b to choose another, "
INTRO_RETRY = "  Press Enter to begin, or q to stop."
FINISHED = "You finished {title}."
STOPPED_HERE = "  Stopped here. That's okay."

# After.
STILL_HARD = "It still feels very hard. What would help now?"
ANOTHER = "  1. Try another skill"
LINES_AND_PLAN = "  2. See crisis lines and your safety plan"
STOP_ITEM = "  3. Stop for now"
ENTER_FOR_1 = "  Enter for 1."
ONE_TWO_THREE = "  Please type 1, 2 or 3."
SAVED_IN_LOG = "  Saved in your log."
WHAT_YOU_WROTE = (
    "To read what you wrote again: selfback sessions show {id}. To bring it to your "
    "therapist: selfback sessions mark {id}."
)
NEXT_TIME = "Next time, {command} starts {title} at once."
BE_GENTLE = f"Be gentle with yourself for a while. {SOS_LINE}"
FILES_NOT_LOADED = (
    "(Note: {count} skill file{s} could not be loaded; to see why, run selfback skills validate.)"
)
