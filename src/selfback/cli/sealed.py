"""The options and questions of sealed files, shared by ``export``, ``backup`` and
``import`` (``selfback.sealing``; docs/privacy.md, "Sealed exports and backups").

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.sealing import Seal, Unseal

ENCRYPT_HELP = (
    "Seal the file in the age format: with a passphrase you type (asked twice, never "
    "shown), or to the public keys given with --recipient. The name gets .age."
)
RECIPIENT_HELP = (
    "Seal to this public key instead of a passphrase (age1... from age-keygen, or an SSH "
    "key), for instance your therapist's. Repeat for more keys. Implies --encrypt."
)
RECIPIENT_FILE_HELP = (
    "Seal to the public keys in this file (one a line). Repeat for more files. Implies --encrypt."
)
IDENTITY_HELP = (
    "For a file sealed to a public key: the file with the matching secret key (from "
    "age-keygen, or an SSH private key). Repeat to try more."
)


def encrypt_option() -> bool:
    return typer.Option(False, "--encrypt", help=ENCRYPT_HELP)  # type: ignore[no-any-return]


def recipient_option() -> list[str] | None:
    return typer.Option(  # type: ignore[no-any-return]
        None, "--recipient", "-r", metavar="KEY", help=RECIPIENT_HELP
    )


def recipient_file_option() -> list[Path] | None:
    return typer.Option(  # type: ignore[no-any-return]
        None, "--recipient-file", "-R", metavar="PATH", help=RECIPIENT_FILE_HELP
    )


def identity_option() -> list[Path] | None:
    return typer.Option(  # type: ignore[no-any-return]
        None, "--identity", "-i", metavar="PATH", help=IDENTITY_HELP
    )


def wants_seal(
    encrypt: bool, recipients: list[str] | None, files: list[Path] | None, output: Path | None
) -> bool:
    """Whether to seal; a name ending in .age without a way to seal it is refused (it
    would be a plain file under a sealed file's name)."""
    from selfback.errors import UsageError
    from selfback.messages import sealed as msg
    from selfback.sealing import SUFFIX

    sealed = encrypt or bool(recipients) or bool(files)
    if not sealed and output is not None and output.name.lower().endswith(SUFFIX):
        raise UsageError(msg.AGE_NAME_NOT_SEALED.format(name=output.name))
    return sealed


def unsealed_name(path: Path | None) -> Path | None:
    """``report.html.age`` -> ``report.html`` (the format is told by the name inside)."""
    from selfback.sealing import SUFFIX

    if path is None or not path.name.lower().endswith(SUFFIX):
        return path
    return path.with_name(path.name[: -len(SUFFIX)])


def checked_recipients(recipients: list[str] | None, files: list[Path] | None) -> tuple[str, ...]:
    """The public keys given, checked before anything is asked or written."""
    from selfback.sealing import check_recipients

    return check_recipients(list(recipients or []), list(files or []))


def make_seal(env: Env, keys: tuple[str, ...]) -> Seal:
    """The seal: to the public keys given, else to a passphrase asked now."""
    from selfback.messages import sealed as msg
    from selfback.sealing import Seal
    from selfback.ui.prompt import write_wrapped
    from selfback.ui.secret import new_passphrase

    if keys:
        return Seal(recipients=keys)
    if env.stdin_isatty:
        write_wrapped(env, msg.FORGET_WARNING)
    return Seal(passphrase=new_passphrase(env))


def sealed_line(seal: Seal) -> str:
    """What the person is told about a sealed file."""
    from selfback.messages import sealed as msg

    if seal.passphrase is not None:
        return msg.SEALED_TO_PASSPHRASE
    n = len(seal.recipients)
    return msg.SEALED_TO_KEYS.format(keys="1 public key" if n == 1 else f"{n} public keys")


def unseal_key(env: Env, path: Path, identities: list[Path] | None) -> Unseal | None:
    """None for a file that is not sealed; else what opens it: the identity files given,
    or a passphrase asked now (without echo, or one line of standard input)."""
    from selfback.errors import UsageError
    from selfback.messages import sealed as msg
    from selfback.sealing import Unseal, check_identities, is_sealed, needs_passphrase
    from selfback.text import clean_line
    from selfback.ui.secret import passphrase_for

    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None  # the importer says what is wrong with the path
    if not is_sealed(head):
        if identities:
            raise UsageError(msg.IDENTITY_NOT_SEALED.format(name=clean_line(path.name)))
        return None
    if identities and not needs_passphrase(head):
        return Unseal(identities=check_identities(identities))
    if identities or not needs_passphrase(head):
        return Unseal(identities=())  # unseal says which of the two it needs
    return Unseal(passphrase=passphrase_for(env, path.name))
