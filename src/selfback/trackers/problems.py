"""Tracker-file problems: the shared ``file:line field: message`` format with tracker
wording (see selfback.yamlcheck)."""

from __future__ import annotations

from typing import Any

from selfback.trackers.schema import TRACKER_KINDS
from selfback.yamlcheck import Problem, format_loc, line_of
from selfback.yamlcheck import clean_loc as _clean_loc
from selfback.yamlcheck import friendly as _friendly

__all__ = ["Problem", "clean_loc", "format_loc", "friendly", "line_of"]

WORDING = {
    "extra_forbidden": "is not a known field for this kind of tracker (check the "
    "spelling; docs/data.md and selfback trackers new show the fields)",
    "string_pattern_mismatch": "must start with a letter and use only lower-case "
    "letters, digits and underscores (e.g. pain_level)",
    "union_tag_invalid": "must be one of: " + ", ".join(TRACKER_KINDS),
    "union_tag_not_found": "is required (one of: " + ", ".join(TRACKER_KINDS) + ")",
}


def clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    return _clean_loc(loc, data, TRACKER_KINDS)


def friendly(error: dict[str, Any]) -> str:
    return _friendly(error, WORDING)
