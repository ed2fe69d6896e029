"""Skill-file problems: the shared ``file:line field: message`` format with skill wording."""

from __future__ import annotations

from typing import Any

from selfback.skills.schema import STEP_KINDS
from selfback.yamlcheck import Problem, format_loc, line_of
from selfback.yamlcheck import clean_loc as _clean_loc
from selfback.yamlcheck import friendly as _friendly

__all__ = ["Problem", "clean_loc", "format_loc", "friendly", "line_of"]

WORDING = {
    "extra_forbidden": "is not a known field (check the spelling; `selfback skills schema` "
    "lists them)",
    "string_pattern_mismatch": "must use only lower-case letters, digits and dashes "
    "(e.g. box-breathing)",
    "union_tag_invalid": "kind must be one of: " + ", ".join(STEP_KINDS),
    "union_tag_not_found": "kind must be one of: " + ", ".join(STEP_KINDS),
}


def clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    return _clean_loc(loc, data, STEP_KINDS)


def friendly(error: dict[str, Any]) -> str:
    return _friendly(error, WORDING)
