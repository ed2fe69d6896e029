"""Where the key to an encrypted log comes from, and the plain facts about the lock.

In order: an unlocked session (``selfback unlock``: the derived key, never the
passphrase, in a private file that expires), ``SELFBACK_PASSPHRASE`` (for scripts;
weaker), the system keyring (only when the person chose ``unlock --remember``). Without
any of them the log is locked: ``sos`` still works, and ``checkin`` and ``cope`` seal
what they write into the inbox (``selfback.inbox``).

The session file lives in ``$XDG_RUNTIME_DIR`` (a per-login, in-memory folder that the
system empties at logout) when there is one; otherwise in the private data folder, where
it lasts until it expires or ``selfback lock``. Either way it is 0600 and only trusted
when it is ours, private and not expired.

``lock.json`` (plain, 0600) holds what must be known without the passphrase: the public
key new entries are sealed to, whether the plan copy is locked too, and whether the
keyring was chosen. Stdlib only at import.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfback.fsutil import atomic_write, ensure_dir

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.store.cipher import Key

ENV_VAR = "SELFBACK_PASSPHRASE"
KEYRING_SERVICE = "selfback"
DEFAULT_SECONDS = 8 * 3600


@dataclass(frozen=True)
class LockInfo:
    """What ``lock.json`` says (all of it readable without the passphrase)."""

    public_key: str | None = None
    plan_locked: bool = False
    keyring: bool = False


def lock_file(paths: Paths) -> Path:
    return paths.data_dir / "lock.json"


def identity_file(paths: Paths) -> Path:
    """The age identity new entries are sealed to, itself encrypted with the passphrase."""
    return paths.data_dir / "identity.age"


def read_info(paths: Paths) -> LockInfo:
    try:
        data = json.loads(lock_file(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return LockInfo()
    if not isinstance(data, dict):
        return LockInfo()
    key = data.get("public_key")
    return LockInfo(
        public_key=key if isinstance(key, str) else None,
        plan_locked=data.get("plan_locked") is True,
        keyring=data.get("keyring") is True,
    )


def write_info(paths: Paths, info: LockInfo) -> None:
    data = {
        "public_key": info.public_key,
        "plan_locked": info.plan_locked,
        "keyring": info.keyring,
    }
    atomic_write(lock_file(paths), json.dumps(data, indent=2) + "\n")


def plan_copy_locked(paths: Paths) -> bool:
    """The person chose to lock the plan copy too (``selfback passphrase plan locked``):
    it is not written, and ``sos`` says so where the plan would be."""
    return read_info(paths).plan_locked


def remove_info(paths: Paths) -> None:
    for path in (lock_file(paths), identity_file(paths)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# -- the unlocked session -------------------------------------------------------------------


def session_dir(paths: Paths) -> tuple[Path, bool]:
    """The folder of session files, and whether it is the per-login runtime folder."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / "selfback", True
    return paths.data_dir / "session", False


def session_file(paths: Paths) -> Path:
    folder, _ = session_dir(paths)
    name = hashlib.sha256(str(paths.database.absolute()).encode("utf-8")).hexdigest()[:20]
    return folder / f"{name}.key"


def write_session(paths: Paths, key: Key, seconds: int) -> float:
    """Keep ``key`` for ``seconds``; returns when it expires (a Unix time)."""
    path = session_file(paths)
    ensure_dir(path.parent)
    expires = time.time() + seconds
    atomic_write(path, json.dumps({"key": key.to_hex(), "expires": expires}))
    return expires


def session_expiry(paths: Paths) -> float | None:
    """When the unlocked session ends (None: none, or not to be trusted)."""
    data = _session_data(paths)
    expires = None if data is None else data.get("expires")
    return float(expires) if isinstance(expires, int | float) else None


def _session_data(paths: Paths) -> dict[str, object] | None:
    path = session_file(paths)
    try:
        st = path.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(data, dict):
        return None
    expires = data.get("expires")
    if not isinstance(expires, int | float) or expires <= time.time():
        with contextlib.suppress(OSError):
            path.unlink()  # expired: gone, so the key is not left lying about
        return None
    return data


def session_key(paths: Paths) -> Key | None:
    from selfback.store.cipher import Key

    data = _session_data(paths)
    raw = None if data is None else data.get("key")
    return Key.from_hex(raw) if isinstance(raw, str) else None


def clear_session(paths: Paths) -> bool:
    """End the unlocked session; True when there was one."""
    try:
        session_file(paths).unlink()
        return True
    except FileNotFoundError:
        return False


# -- passphrases that come without a prompt -------------------------------------------------


def env_passphrase() -> str | None:
    value = os.environ.get(ENV_VAR)
    return value if value else None


def _account(paths: Paths) -> str:
    return str(paths.database.absolute())


def _keyring() -> Any:
    """The optional ``keyring`` package (``pip install 'selfback[keyring]'``)."""
    import importlib

    return importlib.import_module("keyring")


def keyring_passphrase(paths: Paths) -> str | None:
    """The passphrase from the system keyring, only when the person chose it."""
    if not read_info(paths).keyring:
        return None
    try:
        value = _keyring().get_password(KEYRING_SERVICE, _account(paths))
    except Exception:  # any backend problem means "not remembered"
        from selfback.crashlog import log

        log.exception("reading the passphrase from the keyring")
        return None
    return value if isinstance(value, str) and value else None


def remember(paths: Paths, passphrase: str) -> None:
    """Keep the passphrase in the system keyring (raises ImportError or a keyring
    error when there is none)."""
    _keyring().set_password(KEYRING_SERVICE, _account(paths), passphrase)


def forget(paths: Paths) -> bool:
    """Remove the passphrase from the keyring; True when it was there."""
    try:
        _keyring().delete_password(KEYRING_SERVICE, _account(paths))
        return True
    except Exception:  # not installed, no backend, or nothing stored
        from selfback.crashlog import log

        log.exception("removing the passphrase from the keyring")
        return False
