"""What I wrote: past coping sessions (`selfback sessions`), listed, shown whole with
their answers, deleted, or marked "bring to my therapist".

A session's answers are labelled by the step's own question when the skill is still
there at the same version; otherwise by the step id the log keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from selfback.errors import UsageError
from selfback.messages import sessions as msg

if TYPE_CHECKING:
    from selfback.export.report_marked import MarkedSession
    from selfback.paths import Paths
    from selfback.skills.schema import Skill
    from selfback.store.sessions import CopingSession


@dataclass(frozen=True)
class ShownAnswer:
    """One answer: the question (or step id) and the words."""

    label: str
    text: str


@dataclass(frozen=True)
class SessionView:
    session: CopingSession
    answers: list[ShownAnswer]
    follow_up: list[ShownAnswer]


def listing(paths: Paths, *, marked: bool = False, limit: int | None = None) -> list[CopingSession]:
    """Sessions, newest first (only the marked ones with ``marked``)."""
    from selfback.store.db import open_store
    from selfback.store.sessions import list_sessions

    store = open_store(paths)
    try:
        return list_sessions(store, limit=limit, marked=True if marked else None)
    finally:
        store.close()


def has_marked(paths: Paths) -> bool:
    """Whether any session is marked "bring to my therapist" (False without a log)."""
    if not paths.database.exists():
        return False
    return bool(listing(paths, marked=True, limit=1))


def find(paths: Paths, session_id: int) -> CopingSession:
    """Session ``session_id`` (the number the list shows); UsageError when there is none."""
    from selfback.store.db import open_store
    from selfback.store.sessions import get_session_by_id

    store = open_store(paths)
    try:
        found = get_session_by_id(store, session_id)
    finally:
        store.close()
    if found is None:
        raise UsageError(msg.NO_SUCH.format(id=session_id))
    return found


def _labels(skill: Skill | None, session: CopingSession) -> dict[str, str]:
    """Step label -> the step's question, when the skill is the version that was used."""
    from selfback.walk.engine import Walk, step_label

    if skill is None or skill.version != session.skill_version:
        return {}
    walk = Walk(skill, now=lambda: session.started_at)
    out: dict[str, str] = {}
    for i, step in enumerate(walk.steps):
        text = step.text
        if text:
            out[step_label(step, i)] = f"{text} (again)" if walk.slots[i].round > 1 else text
    return out


def _shown(answers: list[dict[str, object]], labels: dict[str, str]) -> list[ShownAnswer]:
    from selfback.walk.recall import as_text

    out: list[ShownAnswer] = []
    for a in answers:
        step = str(a.get("step", ""))
        value = a.get("answer")
        if isinstance(value, str | int) and not isinstance(value, bool):
            words = as_text(value)
        elif isinstance(value, list):
            words = as_text([str(v) for v in value])
        else:
            continue
        out.append(ShownAnswer(labels.get(step, step), words))
    return out


def view(paths: Paths, session_id: int) -> SessionView:
    """The whole session: every answer, labelled, and how a plan for later went."""
    from selfback.skills.library import load_library

    session = find(paths, session_id)
    skill = load_library(paths).get(session.skill_id)
    labels = _labels(skill, session)
    return SessionView(
        session,
        _shown(list(session.answers), labels),
        _shown(list(session.follow_up_answers), labels),
    )


def delete(paths: Paths, session_id: int) -> bool:
    from selfback.store.db import open_store
    from selfback.store.sessions import delete_session

    session = find(paths, session_id)
    store = open_store(paths)
    try:
        return delete_session(store, session.uid)
    finally:
        store.close()


def mark(paths: Paths, session_id: int, marked: bool) -> bool:
    """Mark (or unmark) a session "bring to my therapist"."""
    from selfback.store.db import open_store
    from selfback.store.sessions import set_marked

    session = find(paths, session_id)
    store = open_store(paths)
    try:
        return set_marked(store, session.uid, marked)
    finally:
        store.close()


def marked_for_report(paths: Paths) -> tuple[MarkedSession, ...]:
    """Every session marked "bring to my therapist", oldest first, labelled for the
    report's "Things I want to talk about"."""
    from selfback.export.report_marked import MarkedSession

    out: list[MarkedSession] = []
    for session in reversed(listing(paths, marked=True)):
        assert session.id is not None
        shown = view(paths, session.id)
        answers = tuple((a.label, a.text) for a in shown.answers + shown.follow_up)
        when = session.started_at.strftime("%a %d %b %Y %H:%M")
        out.append(MarkedSession(session.skill_title or session.skill_id, when, answers))
    return tuple(out)
