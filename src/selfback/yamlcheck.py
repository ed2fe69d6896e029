"""Turning YAML and validation failures into one precise line: ``file:line field: message``.

Shared by skill files and tracker files, so people meet one format everywhere. Each caller
passes the names of its tagged-union kinds and any wording of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


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
    import json

    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and part.replace("_", "a").replace("-", "a").isalnum():
            out += ("." if out else "") + part[:60]
        else:
            out += "[" + json.dumps(str(part)[:60]) + "]"
    return out


def clean_loc(loc: tuple[Any, ...], data: Any, tags: tuple[str, ...]) -> tuple[Any, ...]:
    """Drop the discriminator names pydantic inserts into union locations."""
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(part, str) and part in tags and isinstance(node, dict) and part not in node:
            continue
        out.append(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            # mapping keys such as `anchors: {11: ...}` come back from pydantic as "11"
            if isinstance(node, dict) and isinstance(part, str) and part.lstrip("-").isdigit():
                node = node.get(int(part))
            else:
                node = None
    return tuple(out)


# A pydantic error type -> one plain phrase; ``{key}`` is filled from the error's context.
_PHRASES: dict[str, str] = {
    "missing": "is required",
    "extra_forbidden": "is not a known field (check the spelling)",
    "greater_than": "must be > {gt}",
    "greater_than_equal": "must be >= {ge}",
    "less_than": "must be < {lt}",
    "less_than_equal": "must be <= {le}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has too many items (at most {max_length})",
    "string_pattern_mismatch": "does not have the expected form",
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float"), "must be a whole number"),
    **dict.fromkeys(("float_parsing", "float_type"), "must be a number"),
    "string_type": "must be text",
    **dict.fromkeys(("bool_parsing", "bool_type"), "must be true or false"),
    "list_type": "must be a list",
    **dict.fromkeys(
        ("dict_type", "model_type", "model_attributes_type"), "must be a mapping of fields"
    ),
}


class _Context(dict[str, Any]):
    def __missing__(self, key: str) -> None:
        return None


def friendly(error: dict[str, Any], wording: dict[str, str] | None = None) -> str:
    """One plain phrase for a pydantic error; ``wording`` overrides it by error type."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    msg = str(error.get("msg", "is not valid"))
    if wording and kind in wording:
        return wording[kind]
    if kind in _PHRASES:
        return _PHRASES[kind].format_map(_Context(ctx))
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
                    # point at the key line for scalars, the value line for blocks
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
