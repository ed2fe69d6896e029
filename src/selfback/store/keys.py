"""The key to an encrypted database: found once per run, from an unlocked session, the
environment or the keyring (``selfback.lockbox``), and kept for the run by the salt at
the start of the file it opens (backups made with it have the same salt)."""

from __future__ import annotations

from pathlib import Path

from selfback.errors import DataError
from selfback.paths import Paths
from selfback.store import cipher
from selfback.store.cipher import Key

# Keys found in this run, by the salt at the start of the file they open.
_KEYS: dict[bytes, Key] = {}


def remember_key(key: Key) -> None:
    _KEYS[key.salt] = key


def forget_keys() -> None:
    _KEYS.clear()


def find_key(paths: Paths, path: Path | None = None) -> Key | None:
    """The key for ``path`` (the database) when it is encrypted and a key is at hand
    (``selfback.lockbox``); None when it is plain or locked. A passphrase from the
    environment or the keyring that does not open it is one plain sentence."""
    from selfback import lockbox

    path = path or paths.database
    salt = cipher.file_salt(path)
    if salt is None:
        return None
    if salt in _KEYS:
        return _KEYS[salt]
    key = lockbox.session_key(paths)
    if key is not None and key.salt == salt:
        remember_key(key)
        return key
    for passphrase, source in (
        (lockbox.env_passphrase(), "env"),
        (lockbox.keyring_passphrase(paths), "keyring"),
    ):
        if passphrase is None:
            continue
        key = cipher.derive(passphrase, salt)
        if not cipher.opens(path, key):
            from selfback.messages import privacy as msg

            raise DataError(msg.ENV_WRONG if source == "env" else msg.KEYRING_WRONG)
        remember_key(key)
        return key
    return None


def require_key(paths: Paths, path: Path | None = None) -> Key | None:
    """``find_key``, but a locked log is ``LogLocked`` (None still means plain)."""
    from selfback.errors import LogLocked

    path = path or paths.database
    key = find_key(paths, path)
    if key is None and encrypted_log(paths, path):
        from selfback.messages import privacy as msg

        raise LogLocked(msg.LOCKED)
    return key


def encrypted_log(paths: Paths, path: Path | None = None) -> bool:
    """``path`` (the database) is not plain SQLite and a passphrase was set here
    (``lock.json``). A file that is neither is damaged, and said to be."""
    from selfback import lockbox

    return cipher.is_encrypted(path or paths.database) and lockbox.lock_file(paths).is_file()


def is_locked(paths: Paths) -> bool:
    """The log is encrypted and no key is at hand (``checkin`` and ``cope`` seal)."""
    return encrypted_log(paths) and find_key(paths) is None
