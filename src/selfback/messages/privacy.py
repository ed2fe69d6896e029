"""What `selfback passphrase`, `unlock` and `lock` say, and what a locked log says
(docs/privacy.md has the whole story). Short, plain, second person."""

from __future__ import annotations

LOCKED = (
    "Your selfback log is locked with your passphrase. Run `selfback unlock` to open it. "
    "`selfback sos` works without it, and so do `checkin` and `cope` (what you write is "
    "sealed and added at your next unlock)."
)
ENV_WRONG = (
    "SELFBACK_PASSPHRASE does not open your selfback log. Check it, or unset it and run "
    "`selfback unlock`. Nothing was changed."
)
KEYRING_WRONG = (
    "The passphrase in your system keyring does not open your selfback log (was it "
    "changed?). Run `selfback lock --forget`, then `selfback unlock`. Nothing was changed."
)
WRONG = "That passphrase does not open your selfback log. Nothing was changed."
NO_PUBLIC_KEY = (
    "Your log is locked, and the key to seal new entries is missing, so this was not "
    "saved. Run `selfback unlock`."
)
EMPTY = "A passphrase cannot be empty. Nothing was changed."
MISMATCH = "The two passphrases were not the same. Nothing was changed."
ALREADY = "Your log is already encrypted. To choose a new passphrase: `selfback passphrase change`."
NOT_ENCRYPTED = "Your log is not encrypted. To encrypt it: `selfback passphrase set`."
DURATION = (
    "Give the time as minutes or hours, for example 30m or 8h (at most 24h). Nothing was changed."
)

# -- prompts ---------------------------------------------------------------------------------
ASK = "Passphrase: "
ASK_CURRENT = "Current passphrase: "
ASK_NEW = "New passphrase: "
ASK_AGAIN = "The same again: "
SET_INTRO = (
    "A passphrase encrypts your log and its backups on this computer. If you forget it, "
    "nobody can open them again: not you, not us. There is no reset. Write it down "
    "somewhere safe."
)
STDIN_NOTE = "Reading the passphrase from standard input."

# -- results ---------------------------------------------------------------------------------
SET_DONE = "Your log and {backups} are encrypted now."
SET_FORGET = "Remember: a forgotten passphrase cannot be recovered."
PLAN_OPEN = (
    "Your safety plan stays readable without the passphrase, so `selfback sos` can show "
    "it in a crisis even when you cannot unlock. Anyone who can use this computer as you "
    "can read it too. To lock it as well: `selfback passphrase plan locked`."
)
PLAN_LOCKED = (
    "Your safety plan is locked too: `selfback sos` shows the crisis lines, and your plan "
    "only after `selfback unlock`. To keep it readable in a crisis instead: "
    "`selfback passphrase plan readable`."
)
CHANGED = "Your passphrase is changed: your log and {backups} use the new one now."
CHANGED_BACKUP = "A copy with the old passphrase was made first: {path} (now re-keyed too)."
REMOVED = "Your log and {backups} are no longer encrypted."
UNLOCKED_UNTIL = "Unlocked until {time}. `selfback lock` locks it now."
UNLOCKED_RUNTIME = "The key is kept in memory for this login only ({path})."
UNLOCKED_DISK = (
    "This system has no per-login folder ($XDG_RUNTIME_DIR), so the key is kept in a "
    "private file ({path}) until then, even after a restart. `selfback lock` removes it."
)
REMEMBERED = (
    "Your passphrase is in your system keyring now: selfback opens with no prompt for "
    "anyone who can use this computer as you. `selfback lock --forget` takes it out."
)
NO_KEYRING = (
    "No system keyring is available here (install the `keyring` package, or use "
    "`selfback unlock` each session). The log is unlocked, but nothing was remembered."
)
MERGED = "Added {count} from while your log was locked."
MERGE_PROBLEM = "{count} sealed entries could not be opened and were kept in {path}."
LOCKED_NOW = "Your log is locked."
ALREADY_LOCKED = "Your log was already locked."
STILL_KEYRING = (
    "Your passphrase is still in your system keyring, so selfback still opens without "
    "asking. `selfback lock --forget` takes it out."
)
FORGOT = "Your passphrase is out of your system keyring."
ENV_STILL = "SELFBACK_PASSPHRASE is set in this shell, so selfback still opens here."
PLAN_NOW_LOCKED = PLAN_LOCKED
PLAN_NOW_OPEN = PLAN_OPEN

# -- status ----------------------------------------------------------------------------------
STATUS_PLAIN = "Your log is not encrypted. `selfback passphrase set` encrypts it."
STATUS_ENCRYPTED = "Your log is encrypted with a passphrase."
STATUS_UNLOCKED = "Unlocked until {time}."
STATUS_LOCKED = "Locked: `selfback unlock` opens it."
STATUS_ENV = "Opened by SELFBACK_PASSPHRASE in this shell."
STATUS_KEYRING = "Opened from your system keyring (no prompt)."
STATUS_PLAN_OPEN = "Safety plan copy: readable without the passphrase (for `sos`)."
STATUS_PLAN_LOCKED = "Safety plan copy: locked too."
STATUS_INBOX = "Sealed entries waiting for your next unlock: {count}."
STATUS_PLAIN_BACKUPS = "Backups not encrypted: {count} (`selfback unlock` encrypts them)."

HOME_LOCKED = "Your log is locked: selfback unlock opens it. You can check in and cope meanwhile."

# -- cope and check-in while locked ----------------------------------------------------------
SEALED_CHECKIN = (
    "Sealed for your log: it is added at your next selfback unlock. Thank you for checking in."
)
SEALED_COPE = (
    "Your log is locked, so this session is sealed for it and added at your next selfback unlock."
)
SEALED_SAVED = "Sealed for your log (added at your next unlock)."
RISK_NOT_RECORDED = "(Your log is locked, so this was not noted in it.)"


def backups_phrase(count: int) -> str:
    if count == 0:
        return "its backups (none yet)"
    return "its backup" if count == 1 else f"its {count} backups"


def entries_phrase(count: int) -> str:
    return "1 entry" if count == 1 else f"{count} entries"
