"""Which packs are switched on and which trackers are switched off: one small JSON file.

Stored in the config folder as ``trackers.json`` and always written atomically::

    {"version": 1, "packs": ["diary-card"], "off": ["anxiety"],
     "pins": {"emotions": ["hopeful"], "tags": ["walk"]}}

``pins``: the words a person pinned to the top of a word tracker's numbered list
(``selfback trackers pin``), in the order pinned; the file may leave it out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from selfback.errors import DataError
from selfback.fsutil import atomic_write
from selfback.paths import Paths

STATE_VERSION = 1


def state_file(paths: Paths) -> Path:
    return paths.config_dir / "trackers.json"


@dataclass
class TrackerState:
    packs: list[str] = field(default_factory=list)  # switched-on packs, in the order switched on
    off: list[str] = field(default_factory=list)  # tracker ids switched off
    pins: dict[str, list[str]] = field(default_factory=dict)  # tracker id -> pinned words

    def to_json(self) -> str:
        data: dict[str, object] = {
            "version": STATE_VERSION,
            "packs": self.packs,
            "off": sorted(set(self.off)),
        }
        pins = {k: v for k, v in sorted(self.pins.items()) if v}
        if pins:
            data["pins"] = pins
        return json.dumps(data, indent=2) + "\n"


def _pins(value: object) -> dict[str, list[str]] | None:
    if not isinstance(value, dict):
        return None
    out: dict[str, list[str]] = {}
    for key, words in value.items():
        kept = _words(words)
        if not isinstance(key, str) or kept is None:
            return None
        out[key] = kept
    return out


def _words(value: object) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    out: list[str] = []
    for v in value:
        if v not in out:
            out.append(v)
    return out


def load_state(paths: Paths) -> TrackerState:
    """Read the state; raises DataError (with the way out) if the file is damaged."""
    path = state_file(paths)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return TrackerState()
    except OSError as exc:
        raise DataError(f"Could not read {path} ({exc.strerror}).") from exc
    try:
        data = json.loads(raw) if raw.strip() else {}
    except (ValueError, RecursionError):  # not JSON, a 5000-digit number, nested too deep
        data = None
    packs = _words(data.get("packs", [])) if isinstance(data, dict) else None
    off = _words(data.get("off", [])) if isinstance(data, dict) else None
    pins = _pins(data.get("pins", {})) if isinstance(data, dict) else None
    if packs is None or off is None or pins is None:
        raise DataError(
            f"The tracker settings file {path} is damaged. Fix it by hand, or delete it to "
            "switch every pack off again (your check-ins are not affected)."
        )
    return TrackerState(packs=packs, off=off, pins=pins)


def save_state(paths: Paths, state: TrackerState) -> None:
    paths.ensure()
    atomic_write(state_file(paths), state.to_json())
