"""The personal safety plan: model, storage and plain-text rendering.

A self-guided adaptation of the Stanley-Brown Safety Planning Intervention: six steps in
the method's order, then the reasons for living. Wording here is selfback's own.

Storage: every save is one row in ``safety_plan_versions`` (the history, never
overwritten) plus, after the commit, an atomic rewrite of ``paths.plan_file``, a JSON
mirror of the current plan (the newest by the time it was saved) that ``selfback sos``
reads without touching the database. The JSON format is the same in both places (see
``SafetyPlan.to_dict``).

This module is imported on the ``sos`` fast path (``read_plan_file``), so at module level
it uses only the standard library; the database is imported inside the functions that
need it.

For other parts of selfback:

- ``load_plan(paths)`` returns the current plan or None and never raises.
- ``SafetyPlan.skill_ids()`` lists the skills named in step 2, in the user's order
  (``cope`` offers those first; ids may name skills that no longer exist).
- ``SafetyPlan.to_dict()`` / ``to_text()`` for exports.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfback.safety.plan_skills import known_skills as known_skills
from selfback.safety.plan_skills import match_skill as match_skill
from selfback.text import clean_line

if TYPE_CHECKING:
    from datetime import datetime

    from selfback.paths import Paths
    from selfback.store.safety import PlanVersionRow

FORMAT = "selfback-safety-plan"
SCHEMA = 1
LABEL = "A self-guided adaptation of the Stanley-Brown Safety Planning Intervention."
REVIEW_NOTE = "Review it every month or two, and think about sharing a copy with someone you trust."
REVIEW_AFTER_DAYS = 60


@dataclass(frozen=True)
class Step:
    key: str
    number: int | None  # 1-6, or None for the reasons for living
    title: str
    hint: str
    contacts: bool = False


STEPS: tuple[Step, ...] = (
    Step(
        "warning_signs",
        1,
        "Warning signs that a crisis may be starting",
        "Thoughts, feelings, situations or things you do that tell you it is getting harder.",
    ),
    Step(
        "coping",
        2,
        "Things I can do on my own to cope",
        "Things that help, even a little, without anyone else. You can name a selfback "
        "skill by its id (see the list); selfback cope will offer those first.",
    ),
    Step(
        "distractions",
        3,
        "People and places that can take my mind off things",
        "People to be around and places to go that help you feel a bit better.",
    ),
    Step(
        "helpers",
        4,
        "People I can ask for help",
        "People you trust to reach out to when things are hard: a name, then a number "
        "or another way to reach them.",
        contacts=True,
    ),
    Step(
        "professionals",
        5,
        "Professionals and services I can contact",
        "Your doctor, a therapist, a local service or a crisis line: a name, then a number "
        "or another way to reach them. (selfback sos already shows your country's lines.)",
        contacts=True,
    ),
    Step(
        "safer",
        6,
        "Making my surroundings safer",
        "Things you can do, or ask someone you trust to help with, to keep yourself safer "
        "when a crisis starts.",
    ),
    Step(
        "reasons",
        None,
        "My reasons for living",
        "The people, hopes, plans and small things that matter to you.",
    ),
)
STEP_BY_KEY = {s.key: s for s in STEPS}
LIST_KEYS = tuple(s.key for s in STEPS if not s.contacts)
CONTACT_KEYS = tuple(s.key for s in STEPS if s.contacts)


@dataclass(frozen=True)
class Contact:
    name: str
    reach: str = ""  # a phone number or another way to reach them

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "reach": self.reach}

    def __str__(self) -> str:
        return f"{self.name}: {self.reach}" if self.reach else self.name


def _clean(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())


def _str_list(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    items = [_clean(v) for v in value]
    return [v for v in items if v]


def _contact_list(value: object) -> list[Contact]:
    if not isinstance(value, list):
        return []
    out: list[Contact] = []
    for item in value:
        if isinstance(item, dict):
            name, reach = _clean(item.get("name")), _clean(item.get("reach"))
        elif isinstance(item, str):
            name, reach = _clean(item), ""
        else:
            continue
        if name or reach:
            out.append(Contact(name or reach, reach if name else ""))
    return out


@dataclass
class SafetyPlan:
    warning_signs: list[str] = field(default_factory=list)
    coping: list[str] = field(default_factory=list)
    coping_skills: list[str] = field(default_factory=list)  # skill ids named in step 2
    distractions: list[str] = field(default_factory=list)
    helpers: list[Contact] = field(default_factory=list)
    professionals: list[Contact] = field(default_factory=list)
    safer: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    uid: str | None = None
    saved_at: str | None = None  # ISO 8601 with offset

    # -- queries ---------------------------------------------------------------------------

    def skill_ids(self) -> list[str]:
        """The skills named in step 2, in the user's order, without duplicates."""
        seen: list[str] = []
        for sid in self.coping_skills:
            if sid not in seen:
                seen.append(sid)
        return seen

    def contacts(self) -> list[Contact]:
        """Everyone the user can reach: step 4 (people), then step 5 (professionals)."""
        return [*self.helpers, *self.professionals]

    def is_empty(self) -> bool:
        return not any(self.content().values())

    def items(self, key: str) -> list[Any]:
        return list(getattr(self, key))

    # -- (de)serialising -------------------------------------------------------------------

    def content(self) -> dict[str, Any]:
        """The user's answers only (what a save compares to decide if anything changed)."""
        return {
            "warning_signs": list(self.warning_signs),
            "coping": list(self.coping),
            "coping_skills": self.skill_ids(),
            "distractions": list(self.distractions),
            "helpers": [c.to_dict() for c in self.helpers],
            "professionals": [c.to_dict() for c in self.professionals],
            "safer": list(self.safer),
            "reasons": list(self.reasons),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "schema": SCHEMA,
            "label": LABEL,
            "uid": self.uid,
            "saved_at": self.saved_at,
            **self.content(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_dict(cls, data: object) -> SafetyPlan:
        if not isinstance(data, dict):
            raise ValueError("a safety plan must be a JSON object")
        if data.get("format", FORMAT) != FORMAT:
            raise ValueError("not a selfback safety plan")
        uid, saved_at = data.get("uid"), data.get("saved_at")
        return cls(
            warning_signs=_str_list(data.get("warning_signs")),
            coping=_str_list(data.get("coping")),
            coping_skills=_str_list(data.get("coping_skills")),
            distractions=_str_list(data.get("distractions")),
            helpers=_contact_list(data.get("helpers")),
            professionals=_contact_list(data.get("professionals")),
            safer=_str_list(data.get("safer")),
            reasons=_str_list(data.get("reasons")),
            uid=uid if isinstance(uid, str) else None,
            saved_at=saved_at if isinstance(saved_at, str) else None,
        )

    @classmethod
    def from_json(cls, text: str) -> SafetyPlan:
        """Raises ValueError for anything that is not a plan (numbers of more than 4300
        digits and nesting too deep for Python included)."""
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("nested too deeply to be a safety plan") from None
        return cls.from_dict(data)

    # -- text ------------------------------------------------------------------------------

    def summary(self) -> str:
        """ "3 warning signs, 2 people, ..." for history listings."""
        parts = []
        counts = (
            (len(self.warning_signs), "warning sign", "warning signs"),
            (len(self.coping), "way to cope", "ways to cope"),
            (len(self.distractions), "distraction", "distractions"),
            (len(self.helpers), "person", "people"),
            (len(self.professionals), "professional", "professionals"),
            (len(self.safer), "safety step", "safety steps"),
            (len(self.reasons), "reason", "reasons"),
        )
        for n, one, many in counts:
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        return ", ".join(parts) or "empty"

    def to_text(self, *, skill_titles: dict[str, str] | None = None) -> str:
        """The whole plan as plain text (for ``plan show`` and exports)."""
        skill_titles = skill_titles or {}
        lines: list[str] = []
        for step in STEPS:
            head = f"{step.number}. {step.title}" if step.number else step.title
            lines.append(head)
            items = self.items(step.key)
            if not items:
                lines.append("   (nothing yet)")
            for item in items:
                # Imported plans can carry terminal control sequences: never print them.
                text = clean_line(str(item))
                if step.key == "coping":
                    sid = match_skill(text, skill_titles)
                    if sid and skill_titles.get(sid) and skill_titles[sid].lower() != text.lower():
                        text += f" (selfback skill: {skill_titles[sid]})"
                lines.append(f"   - {text}")
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"


# -- skills named in step 2 -----------------------------------------------------------------


def link_skills(plan: SafetyPlan, skills: dict[str, str]) -> SafetyPlan:
    """Set ``coping_skills`` from the step 2 items that name a known skill."""
    ids: list[str] = []
    for item in plan.coping:
        sid = match_skill(item, skills)
        if sid and sid not in ids:
            ids.append(sid)
    plan.coping_skills = ids
    return plan


# -- reading ---------------------------------------------------------------------------------


def read_plan_file(paths: Paths) -> SafetyPlan | None:
    """The plan mirror ``sos`` reads. None when there is none or it cannot be read."""
    try:
        text = paths.plan_file.read_text(encoding="utf-8")
        return SafetyPlan.from_json(text)
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _plan_from_row(row: PlanVersionRow) -> SafetyPlan:
    plan = SafetyPlan.from_json(row.plan)
    plan.uid = plan.uid or row.uid
    plan.saved_at = plan.saved_at or row.saved_at
    return plan


def load_plan(paths: Paths) -> SafetyPlan | None:
    """The current safety plan, or None. Never raises.

    Reads the JSON mirror first; if it is missing or damaged, reads the newest version in
    the database (read-only, and only if the database file exists).
    """
    plan = read_plan_file(paths)
    if plan is not None:
        return plan
    try:
        if not paths.database.exists():
            return None
        from selfback.store.db import open_store
        from selfback.store.safety import latest_plan_version

        with open_store(paths) as store:
            row = latest_plan_version(store)
        return _plan_from_row(row) if row else None
    except Exception:  # callers go on without a plan (sos, cope): never a reason to fail
        from selfback.crashlog import TEXT_INVOLVED, log

        log.exception("reading the safety plan from the database", extra=TEXT_INVOLVED)
        return None


@dataclass(frozen=True)
class PlanVersion:
    number: int
    uid: str
    saved_at: str
    plan: SafetyPlan


def plan_history(paths: Paths) -> list[PlanVersion]:
    """Every saved version, oldest first. Raises DataError for database problems."""
    from selfback.store.db import open_store
    from selfback.store.safety import plan_versions

    out: list[PlanVersion] = []
    with open_store(paths) as store:
        rows = plan_versions(store)
    for row in rows:
        try:
            plan = _plan_from_row(row)
        except ValueError:
            plan = SafetyPlan(uid=row.uid, saved_at=row.saved_at)
        out.append(PlanVersion(row.number, row.uid, row.saved_at, plan))
    return out


def current_version(paths: Paths) -> PlanVersion | None:
    """The newest saved version from the database (raises DataError on problems)."""
    from selfback.store.db import open_store
    from selfback.store.safety import latest_plan_version

    with open_store(paths) as store:
        row = latest_plan_version(store)
    if row is None:
        return None
    return PlanVersion(row.number, row.uid, row.saved_at, _plan_from_row(row))


# -- saving ----------------------------------------------------------------------------------


def save_plan(paths: Paths, plan: SafetyPlan, *, now: datetime) -> PlanVersion:
    """Save a new version: one transaction inserts the history row; after the commit the
    mirror file ``sos`` reads is rewritten atomically. A note in the scratch folder stays
    until the mirror is written, so a kill in between (or a mirror that could not be
    written) is repaired from the database at the next start
    (``selfback.safety.plan_copy``): the mirror never shows a plan that was not saved.

    Raises DataError (one plain sentence) when the database or the disk refuses.
    """
    import sqlite3

    from selfback.errors import DataError
    from selfback.fsutil import atomic_write
    from selfback.scratch import note_file
    from selfback.store.db import explain, iso, new_uid, open_store
    from selfback.store.safety import insert_plan_version, latest_plan_version

    saved = SafetyPlan.from_dict(plan.to_dict())
    saved.uid = new_uid()
    saved.saved_at = iso(now)
    text = saved.to_json()
    with open_store(paths) as store:
        pending = note_file(paths, "plan")
        try:
            with store.tx() as db:
                insert_plan_version(db, plan_json=text, when=now, uid=saved.uid)
        except sqlite3.Error as exc:
            _forget(pending)
            raise explain(exc, store.path) from exc
        except BaseException:
            _forget(pending)
            raise
        row = latest_plan_version(store)
    if row is None:  # pragma: no cover - the row was just committed
        raise DataError("The safety plan was not saved. Try again.")
    from selfback.lockbox import plan_copy_locked

    try:
        if not plan_copy_locked(paths):
            atomic_write(paths.plan_file, row.plan)
    except OSError as exc:
        raise DataError(
            f"Your plan was saved, but the copy that `selfback sos` shows could not be "
            f"written to {paths.plan_file} ({exc.strerror or exc}). Free some space; the "
            "next start of selfback writes it again."
        ) from exc
    _forget(pending)
    return PlanVersion(row.number, row.uid, row.saved_at, saved)


def _forget(note: Path | None) -> None:
    if note is not None:
        with contextlib.suppress(OSError):
            note.unlink()


# -- drafts (unfinished edits survive Ctrl-C, a closed terminal or a crash) -----------------


def draft_file(paths: Paths) -> Path:
    return paths.data_dir / "safety-plan.draft.json"


def save_draft(paths: Paths, plan: SafetyPlan, *, now: datetime) -> None:
    from selfback.fsutil import atomic_write
    from selfback.store.db import iso

    data = plan.to_dict()
    data["draft_saved_at"] = iso(now)
    atomic_write(draft_file(paths), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def load_draft(paths: Paths) -> tuple[SafetyPlan, str] | None:
    """(draft plan, when it was saved) or None."""
    try:
        data = json.loads(draft_file(paths).read_text(encoding="utf-8"))
        plan = SafetyPlan.from_dict(data)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return plan, str(data.get("draft_saved_at") or "")


def clear_draft(paths: Paths) -> None:
    with contextlib.suppress(OSError):
        draft_file(paths).unlink()
