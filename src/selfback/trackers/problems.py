"""One precise line per problem in a tracker file: ``file:line field: message``.

The same shape as skill-file problems, so people meet one format everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfback.trackers.schema import TRACKER_KINDS


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None
    field: str | None
    text: str
    shown_path: str | None = None

    @property
    def message(self) -> str:
        where = self.shown_path or str(self.path)
        if self.line:
            where += f":{self.line}"
        if self.field:
            return f"{where} {self.field}: {self.text}"
        return f"{where}: {self.text}"

    def __str__(self) -> str:
        return self.message


def format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def clean_loc(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """Drop the kind names pydantic inserts into tagged-union locations."""
    out: list[Any] = []
    node = data
    for part in loc:
        if (
            isinstance(part, str)
            and part in TRACKER_KINDS
            and isinstance(node, dict)
            and part not in node
        ):
            continue
        # dict keys of `anchors` come back as strings like "11"; keep them as written
        out.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            if isinstance(node, dict) and isinstance(part, str) and part.lstrip("-").isdigit():
                node = node.get(int(part))
            else:
                node = None
    return tuple(out)


def friendly(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    msg = str(error.get("msg", "is not valid"))
    simple = {
        "missing": "is required",
        "extra_forbidden": "is not a known field for this kind of tracker (check the "
        "spelling; docs/data.md and `selfback trackers new` show the fields)",
        "string_too_short": "must not be empty",
        "string_pattern_mismatch": "must start with a letter and use only lower-case "
        "letters, digits and underscores (e.g. pain_level)",
        "int_parsing": "must be a whole number",
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_parsing": "must be a number",
        "float_type": "must be a number",
        "string_type": "must be text",
        "bool_parsing": "must be true or false",
        "bool_type": "must be true or false",
        "list_type": "must be a list",
        "dict_type": "must be a mapping of fields",
        "model_type": "must be a mapping of fields",
        "model_attributes_type": "must be a mapping of fields",
        "union_tag_invalid": "must be one of: " + ", ".join(TRACKER_KINDS),
        "union_tag_not_found": "is required (one of: " + ", ".join(TRACKER_KINDS) + ")",
    }
    if kind in simple:
        return simple[kind]
    if kind == "greater_than":
        return f"must be > {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"must be >= {ctx.get('ge')}"
    if kind == "less_than":
        return f"must be < {ctx.get('lt')}"
    if kind == "less_than_equal":
        return f"must be <= {ctx.get('le')}"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})"
    if kind == "literal_error":
        return "must be one of: " + str(ctx.get("expected", "")).replace("'", "")
    if kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    return msg[:1].lower() + msg[1:]


def line_of(root: Any, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at ``loc`` (or its nearest existing parent)."""
    import yaml

    if root is None:
        return None
    node = root
    line: int | None = node.start_mark.line + 1
    for part in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(getattr(key, "value", None)) == str(part):
                    nxt = value
                    line = key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line
