"""Importing a sealed export (``FILE.age``, made by ``selfback export --encrypt``).

The file is opened in memory with the passphrase or identity files the person gave
(``selfback.sealing``), and what is inside is read and checked as a selfback JSON export,
without the plaintext ever being written to disk. A wrong passphrase or key is one plain
sentence, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from selfback.errors import DataError
from selfback.importer.selfback_json import MAX_BYTES, Payload, load_bytes
from selfback.messages import sealed as msg
from selfback.sealing import Unseal, read_sealed, unseal


def read_sealed_export(path: Path, key: Unseal) -> Payload:
    """Open ``path`` with ``key`` and read the selfback JSON export inside it."""
    sealed = read_sealed(path)
    if len(sealed) > MAX_BYTES:
        raise DataError(f"{path.name} is too big to be a selfback export.")
    plain = unseal(sealed, key, path.name)
    if plain.startswith(b"SQLite format 3\x00"):  # selfback backup --encrypt
        raise DataError(msg.BACKUP_NOT_AN_EXPORT.format(name=path.name))
    if not plain.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        raise DataError(msg.NOT_AN_EXPORT.format(name=path.name))
    return load_bytes(plain, path.name)
