"""The wording of sealed exports and backups (``selfback.sealing``, docs/privacy.md)."""

from __future__ import annotations

# Asking for a passphrase (never echoed, never on the command line).
NEW_PASSPHRASE = "Passphrase to seal it with (not shown as you type): "
AGAIN_PASSPHRASE = "The same passphrase again: "
PASSPHRASE = "Passphrase for {name} (not shown as you type): "
PASSPHRASES_DIFFER = "The two did not match. Let's try once more."
PASSPHRASES_DIFFER_AGAIN = "The two passphrases did not match, so nothing was saved. Try again."
EMPTY_PASSPHRASE = "The passphrase is empty, so nothing was saved. Choose one and try again."
NO_PASSPHRASE_INPUT = (
    "selfback needs the passphrase as one line on standard input (it never takes one as "
    "an argument). Nothing was changed."
)
FORGET_WARNING = (
    "Keep the passphrase safe: nobody, not even selfback, can open the file without it."
)

# What was made.
SEALED_TO_PASSPHRASE = "It is sealed: only your passphrase opens it."
SEALED_TO_KEYS = "It is sealed to {keys}: only the matching secret key opens it."
SEALED_STDOUT_TERMINAL = (
    "A sealed file is not text, so selfback will not write it to the terminal. Send it to "
    "a file or another program (selfback export --encrypt -o - > FILE.age)."
)
AGE_NAME_NOT_SEALED = (
    "{name} is a name for a sealed file: add --encrypt (or --recipient KEY) to seal it."
)

# Bad keys and files.
BAD_RECIPIENT = (
    "'{key}' is not a public key selfback can seal to: give an age key (it starts with "
    "age1) or an SSH key (ssh-ed25519 or ssh-rsa)."
)
NO_RECIPIENTS_IN = "{path} holds no public keys (one a line, age1... or ssh-ed25519 ...)."
NO_IDENTITIES_IN = (
    "{path} holds no secret key: give the file age-keygen wrote (its key starts with "
    "AGE-SECRET-KEY-1), or an SSH private key."
)
BAD_IDENTITY = "{path} has a secret key that is damaged or cut short."
IDENTITY_SEALED = (
    "{path} is itself sealed with a passphrase. Open it with age first (age -d), then "
    "give that file."
)
SSH_IDENTITY_LOCKED = (
    "selfback cannot use the SSH key in {path}: it may be protected by its own passphrase, "
    "which selfback does not read. Use an age key from age-keygen instead."
)
NO_KEY_FILE = "There is no file at {path}. Check the name and try again."
KEY_FILE_IS_FOLDER = "{path} is a folder. Give the key file itself."
KEY_FILE_TOO_BIG = "{path} is too big to be a key file."
KEY_FILE_UNREADABLE = "Could not read {path} ({reason})."
IDENTITY_NOT_SEALED = "{name} is not sealed, so it needs no --identity: leave it out."

# Opening.
NO_SEALED_FILE = "There is no file at {path}. Check the name and try again."
SEALED_IS_FOLDER = "{path} is a folder. Give the file to import."
SEALED_UNREADABLE = "Could not read {path} ({reason})."
WRONG_PASSPHRASE = "That passphrase does not open {name}. Nothing was changed."
WRONG_KEY = "None of the keys given opens {name}. Nothing was changed."
DAMAGED = "{name} is damaged or cut short, so it cannot be opened. Nothing was changed."
NEEDS_PASSPHRASE = "{name} is sealed with a passphrase, not a key: leave out --identity."
NEEDS_IDENTITY = (
    "{name} is sealed to a public key, so it takes the matching secret key: give its file "
    "with --identity PATH. Nothing was changed."
)
NOT_AN_EXPORT = (
    "{name} opened, but what is inside is not a selfback json export, so it cannot be "
    "imported (a report is for reading: open it with age -d). Nothing was changed."
)
BACKUP_NOT_AN_EXPORT = (
    "{name} holds a backup of your database, not an export, so it cannot be imported: "
    "docs/privacy.md says how to put a sealed backup back. Nothing was changed."
)
SEAL_FAILED = "selfback could not seal the file ({reason}). Nothing was saved."

# selfback doctor, when the database is damaged or empty.
DOCTOR_SEALED_BACKUP = (
    "You have {n} sealed backup{s}, which selfback cannot check without the passphrase "
    "or key. The newest is {name}; to put it back, open it with age "
    "(https://age-encryption.org): {command}"
)
