"""Where selfback keeps things.

``SELFBACK_HOME`` (when set) holds everything: config, data and the user's skills. Otherwise
platformdirs' per-user config and data folders are used. Folders are created 0700 on
first use. This module is imported by the fast ``sos`` path, so it stays stdlib-light.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from selfback.fsutil import ensure_dir

APP = "selfback"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.json"

    @property
    def database(self) -> Path:
        return self.data_dir / "selfback.db"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def user_skills_dir(self) -> Path:
        return self.config_dir / "skills"

    @property
    def user_trackers_dir(self) -> Path:
        return self.config_dir / "trackers"

    @property
    def plan_file(self) -> Path:
        """The current safety plan, mirrored as JSON so ``sos`` never needs the database."""
        return self.data_dir / "safety-plan.json"

    @property
    def tmp_dir(self) -> Path:
        """Private scratch space: drafts typed in $EDITOR, a file on its way to standard
        output, and a note of every temporary file selfback writes elsewhere (an export
        or a backup to another folder), so a kill leaves nothing that is not cleaned up
        at the next start (``selfback.scratch``)."""
        return self.data_dir / "tmp"

    @property
    def first_run_marker(self) -> Path:
        return self.config_dir / ".welcomed"

    def ensure(self) -> Paths:
        ensure_dir(self.config_dir)
        ensure_dir(self.data_dir)
        return self


def get_paths() -> Paths:
    home = os.environ.get("SELFBACK_HOME")
    if home:
        root = Path(home).expanduser()
        return Paths(config_dir=root, data_dir=root)
    import platformdirs

    return Paths(
        config_dir=Path(platformdirs.user_config_dir(APP, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP, appauthor=False)),
    )


def extra_skill_dirs() -> list[Path]:
    """Folders listed in ``SELFBACK_SKILLS_PATH`` (os.pathsep separated), in order."""
    raw = os.environ.get("SELFBACK_SKILLS_PATH", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def builtin_skills_dir() -> Path:
    """The skills shipped with selfback: inside the wheel, or the source tree's skills/."""
    here = Path(__file__).resolve().parent
    packaged = here / "_builtin_skills"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "skills"
