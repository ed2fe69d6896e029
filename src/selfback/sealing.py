"""Sealed files: exports and backups in the age format (https://age-encryption.org),
through pyrage. No cryptography of our own: pyrage does all of it.

A file is sealed either to a passphrase (age's scrypt recipient) or to one or more public
keys (``age1...`` from ``age-keygen``, or an SSH public key), for instance a therapist's.
age does not mix the two in one file. Opening one takes the passphrase, or an identity
file holding a matching secret key.

Everything happens in memory: the plaintext is never written to disk. Nothing here
prints or reads standard input; the passphrase comes from the caller. pyrage is imported
only when a file is really sealed or opened.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfback.errors import DataError, SelfbackError, UsageError
from selfback.messages import sealed as msg

if TYPE_CHECKING:
    from pyrage import _Identity, _Recipient

SUFFIX = ".age"
MAGIC = b"age-encryption.org/v1\n"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
# What a file of recipients or identities may be: a few keys, never a whole disk.
KEY_FILE_MAX = 1 << 20


@dataclass(frozen=True)
class Seal:
    """To whom a file is sealed: a passphrase, or public keys (checked, as typed)."""

    passphrase: str | None = field(default=None, repr=False)
    recipients: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.passphrase is None) == (not self.recipients):
            raise ValueError("a seal takes a passphrase or recipients, not both or neither")

    def __call__(self, plaintext: bytes) -> bytes:
        """The sealed bytes of ``plaintext`` (age's binary format)."""
        import pyrage

        try:
            if self.passphrase is not None:
                return pyrage.passphrase.encrypt(plaintext, self.passphrase)
            return pyrage.encrypt(plaintext, [_recipient(r) for r in self.recipients])
        except pyrage.EncryptError as exc:
            raise SelfbackError(msg.SEAL_FAILED.format(reason=exc)) from None


@dataclass(frozen=True)
class Unseal:
    """What opens a sealed file: a passphrase, or the secret keys of identity files."""

    passphrase: str | None = field(default=None, repr=False)
    identities: tuple[Path, ...] = ()


# ------------------------------------------------------------------------- public keys
def _recipient(text: str) -> _Recipient:
    """A public key as pyrage takes it; a bad one is one plain sentence."""
    import pyrage

    key = text.strip()
    try:
        if key.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(key)
        if key.startswith(("ssh-ed25519 ", "ssh-rsa ")):
            return pyrage.ssh.Recipient.from_str(key)
    except pyrage.RecipientError:
        pass
    raise UsageError(msg.BAD_RECIPIENT.format(key=_shown_key(key)))


def _shown_key(key: str) -> str:
    from selfback.text import clean_line

    key = clean_line(key)
    return key if len(key) <= 24 else key[:20] + "..."


def check_recipients(keys: list[str], files: list[Path]) -> tuple[str, ...]:
    """Every public key given (``--recipient``) and in the files given
    (``--recipient-file``: one key a line, ``#`` comments), each checked."""
    found = [k.strip() for k in keys]
    for path in files:
        found += _key_lines(path, msg.NO_RECIPIENTS_IN)
    for key in found:
        _recipient(key)
    return tuple(dict.fromkeys(found))


def _read_key_file(path: Path) -> bytes:
    path = path.expanduser()
    try:
        if path.stat().st_size > KEY_FILE_MAX:
            raise UsageError(msg.KEY_FILE_TOO_BIG.format(path=path))
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(msg.NO_KEY_FILE.format(path=path)) from None
    except IsADirectoryError:
        raise UsageError(msg.KEY_FILE_IS_FOLDER.format(path=path)) from None
    except OSError as exc:
        raise UsageError(msg.KEY_FILE_UNREADABLE.format(path=path, reason=exc.strerror)) from None


def _key_lines(path: Path, none_found: str) -> list[str]:
    try:
        text = _read_key_file(path).decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(none_found.format(path=path)) from None
    lines = [line.strip() for line in text.splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    if not keys:
        raise UsageError(none_found.format(path=path))
    return keys


# ---------------------------------------------------------------------- secret keys
def _identities(path: Path) -> list[_Identity]:
    """The secret keys in an identity file: age-keygen's (``AGE-SECRET-KEY-1...``
    lines) or an SSH private key that has no passphrase of its own."""
    import pyrage

    raw = _read_key_file(path)
    if raw.startswith(MAGIC) or raw.lstrip().startswith(ARMOR_BEGIN):
        raise UsageError(msg.IDENTITY_SEALED.format(path=path))
    if b"-----BEGIN OPENSSH PRIVATE KEY-----" in raw:
        try:
            return [pyrage.ssh.Identity.from_buffer(raw)]
        except pyrage.IdentityError:
            raise UsageError(msg.SSH_IDENTITY_LOCKED.format(path=path)) from None
    out: list[_Identity] = []
    for line in _key_lines(path, msg.NO_IDENTITIES_IN):
        if not line.upper().startswith("AGE-SECRET-KEY-1"):
            raise UsageError(msg.NO_IDENTITIES_IN.format(path=path))
        try:
            out.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise UsageError(msg.BAD_IDENTITY.format(path=path)) from None
    return out


def check_identities(files: list[Path]) -> tuple[Path, ...]:
    """The identity files given (``--identity``), each read and checked now."""
    for path in files:
        _identities(path)
    return tuple(p.expanduser() for p in files)


# ---------------------------------------------------------------------- sealed files
def is_sealed(head: bytes) -> bool:
    """Whether bytes (the start of a file is enough) are an age file."""
    return head.startswith(MAGIC) or head.lstrip().startswith(ARMOR_BEGIN)


def _header(head: bytes) -> bytes:
    """The start of the age header, also for the armored (text) form."""
    if head.startswith(MAGIC):
        return head
    lines = head.lstrip().splitlines()[1:]
    body = b"".join(line.strip() for line in lines[:8] if not line.startswith(b"-----"))
    body = body[: len(body) - len(body) % 4]
    try:
        return base64.b64decode(body)
    except (binascii.Error, ValueError):
        return b""


def needs_passphrase(head: bytes) -> bool:
    """Whether an age file is sealed to a passphrase (else to public keys)."""
    header = _header(head)
    return header.startswith(MAGIC) and header[len(MAGIC) :].startswith(b"-> scrypt ")


def read_sealed(path: Path) -> bytes:
    """The bytes of a sealed file, with one plain sentence when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(msg.NO_SEALED_FILE.format(path=path)) from None
    except IsADirectoryError:
        raise UsageError(msg.SEALED_IS_FOLDER.format(path=path)) from None
    except OSError as exc:
        raise UsageError(msg.SEALED_UNREADABLE.format(path=path, reason=exc.strerror)) from None


def unseal(sealed: bytes, key: Unseal, name: str) -> bytes:
    """The plaintext of ``sealed`` (binary or armored: pyrage tells them apart), in
    memory. A wrong passphrase or key, or a damaged file, is one plain sentence."""
    import pyrage

    try:
        if key.passphrase is not None:
            if not needs_passphrase(sealed[:4096]):
                raise UsageError(msg.NEEDS_IDENTITY.format(name=name))
            return pyrage.passphrase.decrypt(sealed, key.passphrase)
        if needs_passphrase(sealed[:4096]):
            raise UsageError(msg.NEEDS_PASSPHRASE.format(name=name))
        if not key.identities:
            raise UsageError(msg.NEEDS_IDENTITY.format(name=name))
        identities = [i for path in key.identities for i in _identities(path)]
        return pyrage.decrypt(sealed, identities)
    except pyrage.DecryptError as exc:
        text = str(exc).lower()
        if "no matching keys" in text or "decryption failed" in text:
            wrong = msg.WRONG_PASSPHRASE if key.passphrase is not None else msg.WRONG_KEY
            raise DataError(wrong.format(name=name)) from None
        raise DataError(msg.DAMAGED.format(name=name)) from None
