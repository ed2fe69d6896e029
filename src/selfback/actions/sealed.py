"""Writing while the log is locked, and adding it at the next unlock.

A check-in or a coping session written while the log is locked is sealed to the
person's own public key (``selfback.inbox``); ``merge_inbox`` adds each entry by its uid,
so an entry merged twice (a copy carried in again by a sync tool) changes nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from selfback import inbox

if TYPE_CHECKING:
    from selfback.paths import Paths
    from selfback.store.checkins import NewCheckin
    from selfback.store.db import Store
    from selfback.store.sessions import CopingSession


def seal_checkin(paths: Paths, entry: NewCheckin) -> str:
    """Seal a new check-in into the inbox; its uid."""
    from selfback.store.db import iso, new_uid

    entry.uid = entry.uid or new_uid()
    payload = asdict(entry)
    payload["at"] = iso(entry.at)
    inbox.seal(paths, "checkin", entry.uid, payload)
    return entry.uid


def seal_session(paths: Paths, session: CopingSession) -> None:
    """Seal the latest state of a coping session into the inbox."""
    inbox.seal(paths, "session", session.uid, session.to_json())


def _checkin(data: dict[str, Any]) -> NewCheckin:
    from selfback.store.checkins import NewCheckin, TrackerValue

    fields = dict(data)
    fields["at"] = datetime.fromisoformat(str(fields["at"]))
    fields["values"] = [TrackerValue(**v) for v in fields.get("values", [])]
    return NewCheckin(**fields)


def _when(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _session(data: dict[str, Any]) -> CopingSession:
    from selfback.store.sessions import CopingSession

    started = _when(data.get("started_at"))
    if started is None:
        raise ValueError("a sealed session without its start")
    return CopingSession(
        uid=str(data["uid"]),
        skill_id=str(data["skill_id"]),
        skill_version=int(data["skill_version"]),
        skill_title=data.get("skill_title"),
        situation=data.get("situation"),
        distress_before=data.get("distress_before"),
        distress_after=data.get("distress_after"),
        started_at=started,
        ended_at=_when(data.get("ended_at")),
        status=data.get("status", "stopped"),
        answers=list(data.get("answers") or []),
        follow_up=data.get("follow_up"),
    )


def _add(store: Store, body: dict[str, Any]) -> None:
    from selfback.store.checkins import add_checkin, existing_uids
    from selfback.store.sessions import save_session

    entry = body.get("entry")
    if not isinstance(entry, dict):
        raise ValueError("an inbox entry without its record")
    if body.get("kind") == "checkin":
        checkin = _checkin(entry)
        with store.tx() as db:
            seen = existing_uids(db, "checkins", [str(checkin.uid)])
        if not seen:
            add_checkin(store, checkin)
    elif body.get("kind") == "session":
        save_session(store, _session(entry))  # an upsert by uid
    elif body.get("kind") in ("flag", "opening"):
        _add_record(store, str(body["kind"]), entry)
    else:
        raise ValueError("an inbox entry of an unknown kind")


def _add_record(store: Store, kind: str, entry: dict[str, Any]) -> None:
    """A risk flag or a crisis-screen opening noted while the log was locked, at the
    moment it happened; one already merged (the same uid) is not added again."""
    from selfback.store.checkins import existing_uids
    from selfback.store.safety import insert_crisis_opening, insert_risk_flag

    uid, when = str(entry["uid"]), _when(entry.get("at"))
    if when is None:
        raise ValueError("a sealed record without its time")
    table = "risk_flags" if kind == "flag" else "crisis_openings"
    with store.tx() as db:
        if existing_uids(db, table, [uid]):
            return
        if kind == "flag":
            ref = entry.get("ref_uid")
            insert_risk_flag(
                db,
                source=str(entry["source"]),
                kind=str(entry["kind"]),
                when=when,
                ref_uid=str(ref) if ref else None,
                uid=uid,
            )
        else:
            insert_crisis_opening(db, source=str(entry["source"]), when=when, uid=uid)


def merge_inbox(paths: Paths, identity: str) -> tuple[int, int]:
    """Add every sealed entry to the log (which must be open-able now), removing each
    file once its entry is committed; (added, could not be opened)."""
    from selfback.crashlog import log
    from selfback.store.db import open_store

    files = inbox.pending(paths)
    added = failed = 0
    store = open_store(paths)
    try:
        for path in files:
            try:
                body = inbox.open_entry(path, identity)
                _add(store, body)
            except (ValueError, TypeError, KeyError):
                log.exception("adding a sealed entry from the inbox")
                failed += 1
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            added += 1
    finally:
        store.close()
    return added, failed
