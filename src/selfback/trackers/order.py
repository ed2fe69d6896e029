"""The order trackers are asked in, read cheaply (YAML only, no validation).

``history`` shows each check-in's tracker values in question order without paying for the
full tracker library (pydantic); values of trackers no longer defined come last.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selfback.paths import Paths

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"


def _load(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=loader)  # a safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def question_order(paths: Paths) -> dict[str, int]:
    """Tracker id -> position (built-in packs first, then your own by ``order`` and id)."""
    out: dict[str, int] = {}
    packs = sorted(BUILTIN_DIR.glob("*.yaml"), key=lambda p: (p.stem != "core", p.name))
    for path in packs:
        data = _load(path)
        for t in (data or {}).get("trackers", []) if isinstance(data, dict) else []:
            if isinstance(t, dict) and isinstance(t.get("id"), str) and t["id"] != "note":
                out.setdefault(t["id"], len(out))
    mine: list[tuple[int, str]] = []
    try:
        files = sorted(paths.user_trackers_dir.glob("*.y*ml"))
    except OSError:
        files = []
    for path in files:
        data = _load(path)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            order = data.get("order", 100)
            mine.append((order if isinstance(order, int) else 100, data["id"]))
    for _, tracker_id in sorted(mine):
        out.setdefault(tracker_id, len(out))
    return out
