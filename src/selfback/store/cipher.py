"""Encryption at rest with SQLCipher (the ``sqlcipher3`` wheels): no cryptography of ours.

Whether a database file is encrypted is read from its first 16 bytes with the standard
library (a plain SQLite file starts with ``SQLite format 3\\0``; an SQLCipher file with
its random salt), so ``sqlcipher3`` is imported only when the file is encrypted.

The passphrase is turned into the database key the way SQLCipher 4 does it itself
(PBKDF2-HMAC-SHA512, 256,000 rounds, over the salt at the start of the file: the standard
library's ``hashlib.pbkdf2_hmac``), and SQLCipher is then given that raw key with its
salt. So any SQLCipher 4 tool opens the file with the passphrase alone
(``PRAGMA key = '...'``), every copy made with the same key has the same salt, and an
unlocked session (``selfback.lockbox``) keeps only the derived key, never the passphrase,
and opens the log without the slow derivation.

Turning a file from plain to encrypted, from one key to another, or back to plain is one
``sqlcipher_export`` into a private temporary file next to it, checked, then renamed over
it (``convert_file``): the file is whole in its old form or in its new one, never half.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import cast

from selfback.errors import DataError
from selfback.fsutil import make_private, temp_prefix

HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
KDF_ROUNDS = 256_000  # SQLCipher 4's default, so its own tools open the file too


@dataclass(frozen=True)
class Key:
    """A database key: the 32 bytes derived from the passphrase and the file's salt."""

    key: bytes
    salt: bytes

    def pragma(self) -> str:
        """The raw key with its salt, as SQLCipher's ``PRAGMA key`` takes it."""
        return f"\"x'{self.key.hex()}{self.salt.hex()}'\""

    def to_hex(self) -> str:
        return self.key.hex() + self.salt.hex()

    @classmethod
    def from_hex(cls, text: str) -> Key | None:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            return None
        if len(raw) != KEY_BYTES + SALT_BYTES:
            return None
        return cls(raw[:KEY_BYTES], raw[KEY_BYTES:])


def derive(passphrase: str, salt: bytes) -> Key:
    """The key for ``passphrase`` with ``salt`` (slow on purpose: about a second)."""
    raw = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)
    return Key(raw, salt)


def new_key(passphrase: str) -> Key:
    """A key for ``passphrase`` with a fresh random salt (a new encryption)."""
    return derive(passphrase, secrets.token_bytes(SALT_BYTES))


def head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(SALT_BYTES)
    except OSError:
        return b""


def is_encrypted(path: Path) -> bool:
    """True when ``path`` is a database file that is not plain SQLite (SQLCipher's salt
    where the header would be). Reads 16 bytes; an absent or empty file is not."""
    start = head(path)
    return len(start) == SALT_BYTES and start != HEADER


def file_salt(path: Path) -> bytes | None:
    start = head(path)
    return start if len(start) == SALT_BYTES and start != HEADER else None


_ERRORS = (
    "InterfaceError",
    "DatabaseError",
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
)
_module: ModuleType | None = None


def engine() -> ModuleType:
    """``sqlcipher3.dbapi2``, imported on first use.

    Its error classes are given the standard library's as extra bases, so every
    ``except sqlite3.Error`` (and ``sqlite3.IntegrityError`` ...) in the store catches
    SQLCipher's errors the same way; the connections have the same API as sqlite3's.
    """
    global _module
    if _module is not None:
        return _module
    try:
        import importlib

        dbapi2 = importlib.import_module("sqlcipher3.dbapi2")
    except ImportError as exc:
        raise DataError(
            "Your selfback log is encrypted, but SQLCipher is not installed here. Install "
            "it with `pip install sqlcipher3-binary` in selfback's environment. "
            "`selfback sos` still works."
        ) from exc
    for name in _ERRORS:
        theirs, ours = getattr(dbapi2, name), getattr(sqlite3, name)
        if not issubclass(theirs, ours):
            with contextlib.suppress(TypeError):
                theirs.__bases__ = (ours, *theirs.__bases__)
    _module = dbapi2
    return _module


def _quiet(conn: sqlite3.Connection) -> None:
    """SQLCipher's own log lines (a wrong key logs "hmac check failed") never reach the
    terminal: selfback says what happened in its own words."""
    conn.execute("PRAGMA cipher_log_level = NONE")


def connect(
    path: Path,
    key: Key,
    *,
    readonly: bool = False,
    query: str = "mode=ro",
    timeout: float = 5.0,
) -> sqlite3.Connection:
    """An SQLCipher connection to ``path`` with ``key`` (same API as sqlite3's). Raises
    ``sqlite3.DatabaseError`` (SQLITE_NOTADB) at the first read when the key is wrong."""
    dbapi2 = engine()
    if readonly:
        uri = "file:" + urllib.parse.quote(str(path)) + "?" + query
        raw = dbapi2.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    else:
        raw = dbapi2.connect(str(path), timeout=timeout, isolation_level=None)
    conn = cast(sqlite3.Connection, raw)
    _quiet(conn)
    conn.execute(f"PRAGMA key = {key.pragma()}")
    conn.row_factory = cast("type[sqlite3.Row]", dbapi2.Row)
    return conn


def opens(path: Path, key: Key) -> bool:
    """Whether ``key`` opens ``path`` (read only; nothing about the file changes)."""
    try:
        conn = connect(path, key, readonly=True)
    except sqlite3.Error:
        return False
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _open_source(path: Path, key: Key | None) -> sqlite3.Connection:
    dbapi2 = engine()
    conn = cast(sqlite3.Connection, dbapi2.connect(str(path), timeout=5.0, isolation_level=None))
    _quiet(conn)
    if key is not None:
        conn.execute(f"PRAGMA key = {key.pragma()}")
    return conn


def convert_file(path: Path, old: Key | None, new: Key | None) -> None:
    """Re-write the database at ``path`` from key ``old`` to key ``new`` (None: plain),
    atomically: a checked copy in a private temporary file is renamed over it.

    The file is first switched out of WAL (which SQLite allows only when no other
    connection has it open, so a selfback running in another window stops this with a
    plain sentence), then copied while holding the write lock, so nothing written
    meanwhile can be lost.
    """
    conn = _open_source(path, old)
    fd, name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise _in_use(path) from exc
        if str(mode).lower() != "delete":
            raise _in_use(path)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        target_key = "''" if new is None else new.pragma()
        quoted = str(tmp).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{quoted}' AS converted KEY {target_key}")
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("SELECT sqlcipher_export('converted')")
            conn.execute(f"PRAGMA converted.user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        conn.execute("DETACH DATABASE converted")
        _check_converted(tmp, new, path)
        make_private(tmp)
        # Still holding no write: the source is in DELETE mode, so nothing else of it
        # (a -wal or -shm file) can be left to pair with the new file.
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()


def _check_converted(tmp: Path, key: Key | None, original: Path) -> None:
    check = _open_source(tmp, key)
    try:
        rows = [str(r[0]) for r in check.execute("PRAGMA quick_check")]
    finally:
        check.close()
    if rows != ["ok"]:
        raise DataError(
            f"The re-written copy of {original} did not pass SQLite's check ({rows[0]}), so "
            "it was not kept. Nothing was changed: run `selfback doctor`."
        )


def _in_use(path: Path) -> DataError:
    return DataError(
        f"{path.name} is open in another selfback window. Close it (and any other "
        "selfback), then try again. Nothing was changed."
    )
