"""What ``selfback doctor`` says about sealed backups (``backup --encrypt``, ``.db.age``).

selfback cannot check a sealed backup without its passphrase or key, so the database's
own recovery steps (``selfback.store.maintenance.recovery_steps``) leave them out; here
the advice for a damaged or empty database gains the newest sealed backup and how to
open it.
"""

from __future__ import annotations

import dataclasses
import shlex
from pathlib import Path

from selfback.messages import sealed as msg
from selfback.paths import Paths
from selfback.sealing import SUFFIX
from selfback.store.maintenance import Check

# The starts of two of the store's recovery steps (selfback.store.maintenance).
NO_BACKUP_STEP = "There is no backup yet"
SOS_STEP = "`selfback sos`"


def sealed_backups(paths: Paths) -> list[Path]:
    """The sealed backups in the backups folder, oldest first."""
    try:
        found = [p for p in paths.backups_dir.glob(f"*.db{SUFFIX}") if p.is_file()]
        return sorted(found, key=lambda p: p.stat().st_mtime)
    except OSError:
        return []


def with_sealed_backups(paths: Paths, check: Check) -> Check:
    """``check`` with the newest sealed backup added to its recovery steps, when it is a
    problem with the database and there is a sealed backup."""
    if check.ok or check.name not in ("Database", "Integrity"):
        return check
    sealed = sealed_backups(paths)
    if not sealed:
        return check
    newest = sealed[-1]
    step = msg.DOCTOR_SEALED_BACKUP.format(
        n=len(sealed),
        s="" if len(sealed) == 1 else "s",
        name=newest.name,
        command=f"age -d -o {shlex.quote(str(paths.database))} {shlex.quote(str(newest))}",
    )
    # "There is no backup yet" is not so: put the sealed one in its place.
    problems = [p for p in check.problems if not p.startswith(NO_BACKUP_STEP)]
    at = next((i for i, p in enumerate(problems) if p.startswith(SOS_STEP)), len(problems))
    problems.insert(at, step)
    return dataclasses.replace(check, problems=tuple(problems))
