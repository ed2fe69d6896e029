"""Encryption at rest: `selfback passphrase set|change|remove|status|plan`, `unlock` and
`lock`, and merging the inbox at an unlock (docs/privacy.md).

Every change is checked before anything is written: a wrong passphrase changes nothing.
The database and each backup are re-written one at a time, each atomically
(``selfback.store.cipher.convert_file``); a change of passphrase makes a backup first.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selfback import inbox, lockbox
from selfback.errors import DataError, UsageError
from selfback.messages import privacy as msg
from selfback.store import cipher

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.store.cipher import Key

MAX_SECONDS = 24 * 3600
DEFAULT_SESSION = lockbox.DEFAULT_SECONDS


def parse_duration(text: str) -> int:
    """``30m``, ``8h`` or a number of minutes -> seconds (1 minute to 24 hours)."""
    raw = text.strip().lower()
    unit = 60
    if raw.endswith("h"):
        raw, unit = raw[:-1], 3600
    elif raw.endswith("m"):
        raw = raw[:-1]
    if not raw.isdigit() or len(raw) > 6:
        raise UsageError(msg.DURATION)
    seconds = int(raw) * unit
    if not 60 <= seconds <= MAX_SECONDS:
        raise UsageError(msg.DURATION)
    return seconds


def _backups(paths: Paths) -> list[Path]:
    try:
        return sorted(p for p in paths.backups_dir.glob("*.db") if p.is_file())
    except OSError:
        return []


def _check(passphrase: str) -> str:
    if not passphrase:
        raise UsageError(msg.EMPTY)
    return passphrase


def verify(paths: Paths, passphrase: str) -> Key:
    """The key for ``passphrase``, or one plain sentence when it does not open the log."""
    salt = cipher.file_salt(paths.database)
    if salt is None:
        raise UsageError(msg.NOT_ENCRYPTED)
    key = cipher.derive(passphrase, salt)
    if not cipher.opens(paths.database, key):
        raise UsageError(msg.WRONG)
    return key


# -- status ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    encrypted: bool
    unlocked_until: datetime | None = None
    by_env: bool = False
    by_keyring: bool = False
    plan_locked: bool = False
    sealed: int = 0
    plain_backups: int = 0


def status(paths: Paths) -> Status:
    if not cipher.is_encrypted(paths.database):
        return Status(encrypted=False)
    info = lockbox.read_info(paths)
    expiry = lockbox.session_expiry(paths)
    until = None if expiry is None else datetime.fromtimestamp(expiry, UTC).astimezone()
    plain = sum(1 for b in _backups(paths) if not cipher.is_encrypted(b))
    return Status(
        encrypted=True,
        unlocked_until=until,
        by_env=lockbox.env_passphrase() is not None,
        by_keyring=info.keyring,
        plan_locked=info.plan_locked,
        sealed=len(inbox.pending(paths)),
        plain_backups=plain,
    )


# -- set, change, remove ---------------------------------------------------------------------


@dataclass(frozen=True)
class Changed:
    backups: int  # backups re-written
    expires: float | None = None  # the unlocked session (set)
    before: Path | None = None  # the backup made first (change)
    merged: int = 0  # entries from the inbox (remove)


def _seal_identity(identity: str, passphrase: str) -> bytes:
    pyrage = inbox.age()

    data: bytes = pyrage.passphrase.encrypt(identity.encode("utf-8"), passphrase)
    return data


def _open_identity(paths: Paths, passphrase: str) -> str | None:
    pyrage = inbox.age()

    try:
        data = lockbox.identity_file(paths).read_bytes()
    except OSError:
        return None
    try:
        return bytes(pyrage.passphrase.decrypt(data, passphrase)).decode("utf-8")
    except (pyrage.DecryptError, UnicodeDecodeError):
        return None


def _encrypt_plain_backups(paths: Paths, key: Key) -> int:
    """Encrypt backups that are still plain (``passphrase set`` was stopped before it got
    to them, or one was put back by hand); how many."""
    count = 0
    for backup in _backups(paths):
        if not cipher.is_encrypted(backup):
            cipher.convert_file(backup, None, key)
            count += 1
    return count


def set_passphrase(paths: Paths, passphrase: str, *, lock_plan: bool, seconds: int) -> Changed:
    """Encrypt the log and its backups with ``passphrase``, and keep it unlocked for
    ``seconds``."""
    pyrage = inbox.age()

    from selfback.fsutil import atomic_write
    from selfback.store.db import open_store
    from selfback.store.keys import remember_key

    _check(passphrase)
    if cipher.is_encrypted(paths.database):
        raise UsageError(msg.ALREADY)
    open_store(paths).close()  # a new log is created, an old one brought up to date
    key = cipher.new_key(passphrase)
    identity = pyrage.x25519.Identity.generate()
    atomic_write(lockbox.identity_file(paths), _seal_identity(str(identity), passphrase))
    lockbox.write_info(
        paths, lockbox.LockInfo(public_key=str(identity.to_public()), plan_locked=lock_plan)
    )
    cipher.convert_file(paths.database, None, key)
    remember_key(key)
    count = _encrypt_plain_backups(paths, key)
    if lock_plan:
        with contextlib.suppress(FileNotFoundError):
            paths.plan_file.unlink()
    expires = lockbox.write_session(paths, key, seconds)
    return Changed(backups=count, expires=expires)


def change_passphrase(paths: Paths, old: str, new: str) -> Changed:
    """Re-key the log and its backups from ``old`` to ``new``, after a backup."""
    from selfback.fsutil import atomic_write
    from selfback.store.keys import forget_keys, remember_key

    _check(new)
    old_key = verify(paths, old)
    identity = _open_identity(paths, old)
    before = _backup_first(paths, old_key)
    new_key = cipher.new_key(new)
    cipher.convert_file(paths.database, old_key, new_key)
    forget_keys()
    remember_key(new_key)
    count = 0
    for backup in _backups(paths):
        if cipher.file_salt(backup) == old_key.salt:
            cipher.convert_file(backup, old_key, new_key)
            count += 1
    if identity is not None:
        atomic_write(lockbox.identity_file(paths), _seal_identity(identity, new))
    if lockbox.read_info(paths).keyring:
        with contextlib.suppress(Exception):
            lockbox.remember(paths, new)
    if lockbox.session_key(paths) is not None:
        expiry = lockbox.session_expiry(paths)
        left = int((expiry or 0) - datetime.now(UTC).timestamp())
        lockbox.write_session(paths, new_key, max(left, 60))
    return Changed(backups=count, before=before)


def _backup_first(paths: Paths, key: Key) -> Path:
    from selfback.fsutil import ensure_dir
    from selfback.store.db import backup_to, connect_readonly

    folder = ensure_dir(paths.backups_dir)
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    target = folder / f"selfback-before-passphrase-change-{stamp}.db"
    conn = connect_readonly(paths.database, key)
    try:
        return backup_to(conn, target, key)
    finally:
        conn.close()


def remove_passphrase(paths: Paths, passphrase: str) -> Changed:
    """Decrypt the log and its backups (what is in the inbox is added first)."""
    from selfback.store.keys import forget_keys, remember_key

    key = verify(paths, passphrase)
    remember_key(key)
    merged = merge_with(paths, passphrase).added
    cipher.convert_file(paths.database, key, None)
    count = 0
    for backup in _backups(paths):
        if cipher.file_salt(backup) == key.salt:
            cipher.convert_file(backup, key, None)
            count += 1
    forget_keys()
    if lockbox.read_info(paths).keyring:
        lockbox.forget(paths)
    lockbox.clear_session(paths)
    lockbox.remove_info(paths)
    _rewrite_plan_copy(paths)
    return Changed(backups=count, merged=merged)


def _rewrite_plan_copy(paths: Paths) -> None:
    from selfback.safety.plan_copy import repair_plan_copy

    repair_plan_copy(paths)


def set_plan_locked(paths: Paths, locked: bool) -> None:
    """Lock the plan copy too (it is removed), or keep it readable for `sos` (it is
    written again, which needs the log open)."""
    if not cipher.is_encrypted(paths.database):
        raise UsageError(msg.NOT_ENCRYPTED)
    info = lockbox.read_info(paths)
    if not locked:
        from selfback.store.keys import require_key

        require_key(paths)
    lockbox.write_info(
        paths, lockbox.LockInfo(info.public_key, plan_locked=locked, keyring=info.keyring)
    )
    if locked:
        with contextlib.suppress(FileNotFoundError):
            paths.plan_file.unlink()
    else:
        _rewrite_plan_copy(paths)


# -- unlock and lock -------------------------------------------------------------------------


@dataclass(frozen=True)
class Unlocked:
    expires: float
    session: Path
    in_memory: bool  # $XDG_RUNTIME_DIR (gone at logout) rather than the data folder
    merged: int = 0
    not_opened: int = 0
    remembered: bool | None = None  # None: not asked; False: no keyring here


def unlock(paths: Paths, passphrase: str, *, seconds: int, remember: bool) -> Unlocked:
    from selfback.store.keys import remember_key

    key = verify(paths, passphrase)
    remember_key(key)
    expires = lockbox.write_session(paths, key, seconds)
    _encrypt_plain_backups(paths, key)
    merged = merge_with(paths, passphrase)
    remembered: bool | None = None
    if remember:
        remembered = _remember(paths, passphrase)
    _, in_memory = lockbox.session_dir(paths)
    return Unlocked(
        expires=expires,
        session=lockbox.session_file(paths),
        in_memory=in_memory,
        merged=merged.added,
        not_opened=merged.not_opened,
        remembered=remembered,
    )


def _remember(paths: Paths, passphrase: str) -> bool:
    try:
        lockbox.remember(paths, passphrase)
    except Exception:  # no keyring package or no backend
        from selfback.crashlog import log

        log.exception("keeping the passphrase in the keyring")
        return False
    info = lockbox.read_info(paths)
    lockbox.write_info(paths, lockbox.LockInfo(info.public_key, info.plan_locked, keyring=True))
    return True


@dataclass(frozen=True)
class LockResult:
    was_unlocked: bool
    forgot: bool
    keyring_left: bool
    env_set: bool


def lock(paths: Paths, *, forget: bool) -> LockResult:
    from selfback.store.keys import forget_keys

    was = lockbox.clear_session(paths)
    forget_keys()
    info = lockbox.read_info(paths)
    forgot = False
    if forget and info.keyring:
        lockbox.forget(paths)
        lockbox.write_info(paths, lockbox.LockInfo(info.public_key, info.plan_locked))
        forgot = True
    return LockResult(
        was_unlocked=was,
        forgot=forgot,
        keyring_left=info.keyring and not forgot,
        env_set=lockbox.env_passphrase() is not None,
    )


# -- the inbox -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    added: int = 0
    not_opened: int = 0


def merge_with(paths: Paths, passphrase: str) -> Merged:
    """Merge the inbox into the (open-able) log, when there is anything in it."""
    if not inbox.pending(paths):
        return Merged()
    identity = _open_identity(paths, passphrase)
    if identity is None:
        raise DataError(msg.NO_PUBLIC_KEY)
    from selfback.actions.sealed import merge_inbox

    added, failed = merge_inbox(paths, identity)
    return Merged(added, failed)
