"""The skills a safety plan's step 2 can name: found cheaply, matched by id or title.

Standard library only, and never YAML: a scan of each skill file's top-level ``id:`` and
``title:`` lines, so it works even when a skill file is otherwise broken.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selfback.paths import Paths

_ID_RE = re.compile(r"^id:\s*['\"]?([a-z0-9][a-z0-9-]{0,63})['\"]?\s*$", re.M)
_TITLE_RE = re.compile(r"^title:\s*(.+?)\s*$", re.M)


def known_skills(paths: Paths | None = None) -> dict[str, str]:
    """Skill ids and titles found in the built-in, user and extra skill folders.

    A cheap scan of each file's top-level ``id:`` and ``title:`` lines, so it works even
    when a skill file is otherwise broken and never imports YAML. Never raises.
    """
    from selfback.paths import builtin_skills_dir, extra_skill_dirs

    folders: list[Path] = []
    try:
        folders.append(builtin_skills_dir())
        if paths is not None:
            folders.append(paths.user_skills_dir)
        folders.extend(extra_skill_dirs())
    except (OSError, RuntimeError):  # an unreadable folder, or no home directory for "~"
        pass
    found: dict[str, str] = {}
    for folder in folders:
        try:
            files = sorted(folder.glob("*.y*ml"))
        except OSError:
            continue
        for file in files:
            try:
                text = file.read_text(encoding="utf-8", errors="replace")[:4000]
            except OSError:
                continue
            m = _ID_RE.search(text)
            if not m:
                continue
            t = _TITLE_RE.search(text)
            title = t.group(1).strip("'\"") if t else m.group(1)
            found[m.group(1)] = title
    return found


def match_skill(item: str, skills: dict[str, str]) -> str | None:
    """The skill id an item in step 2 names (by id, ``skill: id`` or exact title)."""
    text = item.strip()
    low = text.lower()
    if low.startswith("skill:"):
        low = low[len("skill:") :].strip()
    if low in skills:
        return low
    for sid, title in skills.items():
        if title.lower() == low:
            return sid
    return None
