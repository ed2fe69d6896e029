"""Keeping the plan copy ``sos`` reads (``paths.plan_file``) in step with the database.

The database is the record; the copy is written after each commit
(``selfback.safety.plan.save_plan``). When a run was killed between the two, or the copy
could not be written, ``repair_plan_copy`` writes the current plan from the database
again: at the next start (only when a save left its note in the scratch folder, so an
ordinary start never opens the database for it) and in ``selfback doctor``.

It reads the database read-only and never removes a copy: with no plan in the database
(or no database), the copy stays as it is, since it may be all that is left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfback.paths import Paths


@dataclass(frozen=True)
class PlanCopy:
    """What was found: whether the copy matched the database, and whether it was
    rewritten (``problem`` says why it could not be, in one sentence)."""

    matched: bool
    repaired: bool = False
    problem: str | None = None


NO_PLAN = (
    "No safety plan yet. When things feel a little calmer, make one with "
    "selfback plan edit (your people and reasons will then show here)."
)
PLAN_LOCKED = (
    "Your safety plan is locked with your passphrase, so it is not shown here. "
    "To see it: selfback unlock, then selfback plan show."
)


def no_plan_text() -> str:
    """What the full crisis text says where the plan would be, when there is no copy."""
    try:
        from selfback.lockbox import plan_copy_locked
        from selfback.paths import get_paths

        return PLAN_LOCKED if plan_copy_locked(get_paths()) else NO_PLAN
    except Exception:  # sos must never break
        from selfback.crashlog import log

        log.exception("checking whether the plan copy is locked")
        return NO_PLAN


def repair_plan_copy(paths: Paths) -> PlanCopy:
    """Make the copy show the database's current plan; what was done (nothing when the
    person locked the copy too)."""
    from selfback.errors import DataError
    from selfback.fsutil import atomic_write
    from selfback.lockbox import plan_copy_locked
    from selfback.safety.plan import read_plan_file
    from selfback.store.db import open_readonly
    from selfback.store.safety import latest_plan_version

    if plan_copy_locked(paths):
        return PlanCopy(matched=True)
    try:
        store = open_readonly(paths)
        if store is None:
            return PlanCopy(matched=True)
        with store:
            row = latest_plan_version(store)
    except DataError as exc:
        return PlanCopy(matched=True, problem=exc.message)
    if row is None:
        return PlanCopy(matched=True)
    try:
        same = paths.plan_file.read_text(encoding="utf-8") == row.plan
    except (OSError, UnicodeDecodeError):
        same = False
    copy = read_plan_file(paths)
    if same or (copy is not None and copy.uid == row.uid):
        return PlanCopy(matched=True)
    try:
        atomic_write(paths.plan_file, row.plan)
    except OSError as exc:
        return PlanCopy(
            matched=False,
            problem=f"It could not be written to {paths.plan_file} ({exc.strerror or exc}).",
        )
    return PlanCopy(matched=False, repaired=True)
