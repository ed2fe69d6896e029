"""A session's life in the log: started when its skill begins, saved (an upsert) after
every step, rated after, and saved as stopped on Ctrl-C or end of input.

The log is opened only when the first session starts (so the first question appears
before the database is touched). When it cannot be opened, or a save fails, the person
is told once, in one kind line, and the skill goes on: a coping session is never blocked
by the log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from selfback.crashlog import log
from selfback.errors import LogLocked, SelfbackError
from selfback.messages import cope as msg

if TYPE_CHECKING:
    from selfback.clock import Clock
    from selfback.paths import Paths
    from selfback.skills.schema import Skill
    from selfback.store.db import Store
    from selfback.store.sessions import CopingSession, HelpfulSkill
    from selfback.walk.engine import Walk


class SessionLog:
    """The current session of one `cope`, and the log it is kept in. ``warn`` shows a
    one-line note to the person (the log could not be opened, a save failed)."""

    def __init__(self, paths: Paths, clock: Clock, warn: Callable[[str], None]) -> None:
        self.paths = paths
        self.clock = clock
        self.warn = warn
        self.store: Store | None = None
        self.store_failed = False
        self.save_warned = False
        # The last save of the session under way failed: it is not in the log as it is.
        self.unsaved = False
        self.walk: Walk | None = None
        self.session: CopingSession | None = None
        self._saved_sig: object = None
        self.run_uids: set[str] = set()  # the sessions of this run
        # The log is locked: each session is sealed into the inbox when it ends
        # (``actions.sealed``) and added at the next unlock.
        self.sealing = False
        self._to_seal: CopingSession | None = None

    @property
    def ref_uid(self) -> str | None:
        """The uid of the session under way (for flags noticed inside it)."""
        return self.session.uid if self.session is not None and self.walk is not None else None

    def open_store(self) -> Store | None:
        if self.store is not None or self.store_failed:
            return self.store
        try:
            from selfback.store.db import open_store

            self.store = open_store(self.paths)
        except LogLocked:
            self.store_failed = self.sealing = True
            from selfback.messages import privacy

            self.warn(privacy.SEALED_COPE)
        except SelfbackError as exc:
            self._closed(exc.message)
        except Exception:
            log.exception("opening the log for a coping session")
            self._closed(msg.LOG_CLOSED_PROBLEM)
        return self.store

    def _closed(self, problem: str) -> None:
        self.store_failed = True
        self.warn(msg.LOG_CLOSED.format(problem=problem))

    def start(self, skill: Skill, before: int | None, situation: str | None) -> Walk:
        """A new session of ``skill``: the walk through its steps, saved at once."""
        from selfback.store.sessions import CopingSession
        from selfback.walk.engine import Walk

        self._seal()  # an earlier session not yet sealed (the log is locked)
        walk = Walk(skill, now=self.clock.now)
        self.walk = walk
        self._saved_sig = None
        self.session = CopingSession(
            skill_id=skill.id,
            skill_version=skill.version,
            skill_title=skill.title,
            started_at=walk.started_at,
            situation=situation,
            distress_before=before,
        )
        self.run_uids.add(self.session.uid)
        self.save()
        return walk

    def save(self, *, force: bool = False) -> None:
        """Save the current session (an upsert); quiet, warns once if it fails."""
        if self.session is None or self.walk is None:
            return
        record = self.walk.record()
        session = self.session
        session.answers = record.answers_json()
        session.status = record.status
        session.ended_at = record.ended_at
        session.follow_up = "due" if self.walk.deferred() else None
        sig = (
            record.status,
            record.ended_at,
            repr(session.answers),
            session.distress_after,
            session.follow_up,
        )
        if not force and sig == self._saved_sig:
            return
        store = self.open_store()
        if store is None:
            if self.sealing:
                self._to_seal = session
                self._saved_sig = sig
                return
            self.unsaved = True
            return
        try:
            from selfback.store.sessions import save_session

            save_session(store, session)
            self._saved_sig = sig
            self.unsaved = False
        except SelfbackError as exc:
            self._not_saved(exc.message)
        except Exception as exc:
            if not self.save_warned:  # once: it is tried again after every step
                log.exception("saving a coping session")
            self._not_saved(str(exc))

    def _not_saved(self, problem: str) -> None:
        self.unsaved = True
        if not self.save_warned:
            self.save_warned = True
            self.warn(msg.NOT_SAVED.format(problem=problem))

    def rated(self, after: int | None) -> None:
        """The 0-10 after the skill: saved with the session."""
        if self.session is not None:
            self.session.distress_after = after
            self.save(force=True)

    def save_partial(self) -> None:
        """On Ctrl-C or end of input: save what there is as stopped."""
        if self.walk is None or self.session is None:
            return
        if not self.walk.finished:
            self.walk.stop()
        try:
            self.save(force=True)
        except BaseException:  # never turn an exit into a traceback
            log.exception("saving a stopped coping session")

    def written_id(self) -> int | None:
        """The row id of the current (or last) session when a free-text answer is in it."""
        session = self.session
        if session is None or session.id is None:
            return None
        if any(a.get("kind") == "ask" for a in session.answers):
            return session.id
        return None

    def discard_if_empty(self) -> bool:
        """Back to the skill choice from the first step: a session with no answer is
        removed (nothing was written in it). True when it was."""
        if self.walk is None or self.session is None or self.walk.record().answers:
            return False
        if self.sealing:
            self._to_seal = None
            return True
        store = self.open_store()
        if store is None:
            return False
        try:
            from selfback.store.sessions import delete_session

            return delete_session(store, self.session.uid)
        except Exception:
            log.exception("removing an empty coping session")
            return False

    def end(self) -> None:
        """The session is over; the next skill starts a new one."""
        self._seal()
        self.walk = None
        self.session = None

    def _seal(self) -> None:
        """While the log is locked: seal the session that just ended (once)."""
        session, self._to_seal = self._to_seal, None
        if session is None:
            return
        try:
            from selfback.actions.sealed import seal_session

            seal_session(self.paths, session)
        except SelfbackError as exc:
            self.warn(msg.NOT_SAVED.format(problem=exc.message))
        except Exception as exc:
            log.exception("sealing a coping session")
            self.warn(msg.NOT_SAVED.format(problem=str(exc)))

    def skill_stats(self) -> dict[str, Any]:
        """What has lowered this person's distress before, per skill ({} without a log)."""
        store = self.open_store()
        if store is None:
            return {}
        try:
            from selfback.store.sessions import skill_effectiveness

            return dict(skill_effectiveness(store))
        except Exception:
            log.exception("reading what helped before")
            return {}

    def last_helpful(self) -> HelpfulSkill | None:
        """The most recent session in which distress came down (None without a log)."""
        store = self.open_store()
        if store is None:
            return None
        try:
            from selfback.store.sessions import last_helpful_skill

            return last_helpful_skill(store)
        except Exception:
            log.exception("reading the skill that helped last time")
            return None

    def close(self) -> None:
        self._seal()
        if self.store is not None:
            self.store.close()
