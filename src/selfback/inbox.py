"""The inbox: what ``checkin`` and ``cope`` write while the log is locked.

Each entry is sealed with age (``pyrage``) to the person's own public key (in
``lock.json``, plain: sealing needs no passphrase; opening needs the identity, which is
kept encrypted with the passphrase). One file per entry, named by its uid
(``<uid>.age``), written once atomically and never rewritten, so a folder kept in step by
the person's own sync tool (Syncthing, a cloud drive) could carry entries between their
devices with no server of ours. The next unlock merges them by uid, so merging the same
entry twice changes nothing (``selfback.actions.unlock.merge_inbox``).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfback.errors import DataError
from selfback.fsutil import atomic_write, ensure_dir

if TYPE_CHECKING:
    from selfback.paths import Paths

FORMAT = "selfback-inbox"
VERSION = 1
SUFFIX = ".age"


def age() -> Any:
    """``pyrage`` (age: X25519 recipients and passphrase encryption), imported on use."""
    import importlib

    return importlib.import_module("pyrage")


def folder(paths: Paths) -> Path:
    return paths.data_dir / "inbox"


def pending(paths: Paths) -> list[Path]:
    """The sealed entries waiting for the next unlock, oldest first."""
    try:
        files = [p for p in folder(paths).iterdir() if p.name.endswith(SUFFIX)]
    except OSError:
        return []
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def seal(paths: Paths, kind: str, uid: str, payload: dict[str, Any]) -> Path:
    """Seal one entry to the person's public key; its file. An entry already sealed
    under this uid is left as it is (a file is never rewritten): the later state is
    written under ``<uid>-<n>``, and the merge keeps the last."""
    pyrage = age()

    from selfback import lockbox

    public = lockbox.read_info(paths).public_key
    if not public:
        from selfback.messages import privacy as msg

        raise DataError(msg.NO_PUBLIC_KEY)
    recipient = pyrage.x25519.Recipient.from_str(public)
    body = {"format": FORMAT, "version": VERSION, "kind": kind, "uid": uid, "entry": payload}
    data = pyrage.encrypt(json.dumps(body).encode("utf-8"), [recipient])
    box = ensure_dir(folder(paths))
    target = box / f"{uid}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = box / f"{uid}-{n}{SUFFIX}"
    atomic_write(target, data)
    return target


def seal_record(paths: Paths, kind: str, fields: dict[str, Any], when: datetime) -> Path:
    """Seal a small record of ``kind`` ("flag": risk was noticed; "opening": the crisis
    screen was shown) with the moment it happened, under a new uid (the uid it gets in
    the log, so that merging it twice adds it once)."""
    from selfback.store.db import iso, new_uid

    uid = new_uid()
    return seal(paths, kind, uid, {**fields, "uid": uid, "at": iso(when)})


def open_entry(path: Path, identity: str) -> dict[str, Any]:
    """The entry in ``path``, opened with the person's identity (ValueError when it is
    not one of ours or cannot be opened)."""
    pyrage = age()

    ident = pyrage.x25519.Identity.from_str(identity)
    try:
        data = pyrage.decrypt(path.read_bytes(), [ident])
        body = json.loads(data.decode("utf-8"))
    except (pyrage.DecryptError, OSError, ValueError) as exc:
        raise ValueError(f"{path.name} could not be opened") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise ValueError(f"{path.name} is not a selfback inbox entry")
    return body
