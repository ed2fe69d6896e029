"""Finding, loading and validating skill files.

Order: built-in skills, then the user's skills folder, then each folder in
``SELFBACK_SKILLS_PATH``. A later skill with the same id overrides an earlier one. A
broken file never breaks the others: it becomes a ``Problem`` with file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from selfback.paths import Paths, builtin_skills_dir, extra_skill_dirs
from selfback.skills.problems import Problem, clean_loc, format_loc, friendly, line_of
from selfback.skills.schema import Skill

MAX_FILE_BYTES = 256 * 1024
_FIELD_IN_MESSAGE = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z0-9_-]+(?:\[\d+\])?)*): (.+)$")
_FIELD_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
SKILL_SUFFIXES = (".yaml", ".yml")

try:  # libyaml is much faster; both loaders are the safe ones.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Origin:
    kind: str  # "built-in", "user", "path"
    path: Path

    @property
    def label(self) -> str:
        return {"built-in": "built-in", "user": "yours", "path": "SELFBACK_SKILLS_PATH"}.get(
            self.kind, self.kind
        )


@dataclass
class LoadedSkill:
    skill: Skill
    origin: Origin
    overrides: Origin | None = None


@dataclass
class Library:
    entries: dict[str, LoadedSkill] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def skills(self) -> dict[str, Skill]:
        return {sid: e.skill for sid, e in self.entries.items()}

    def get(self, skill_id: str) -> Skill | None:
        entry = self.entries.get(skill_id)
        return entry.skill if entry else None

    def find(self, situation: str | None = None, distress: int | None = None) -> list[Skill]:
        return [s for s in self.skills.values() if s.fits(distress, situation)]

    def broken(self, skill_id: str) -> list[Problem]:
        """The problems of skill files named after ``skill_id`` (``my-walk.yaml``) that
        could not be loaded: the skill is there, but broken."""
        return [p for p in self.problems if p.path.stem.lower() == skill_id.strip().lower()]


def _shown(path: Path, display_root: Path | None) -> str:
    if display_root is not None:
        try:
            return str(path.relative_to(display_root))
        except ValueError:
            pass
    return str(path)


def parse_skill_text(
    text: str, path: Path, shown: str | None = None
) -> tuple[Skill | None, list[Problem]]:
    """Validate one skill file's text. Returns the skill or the problems found."""

    def problem(line: int | None, fld: str | None, msg: str) -> Problem:
        return Problem(path=path, line=line, field=fld, text=msg, shown_path=shown)

    try:
        data = yaml.load(text, Loader=_Loader)  # CSafeLoader/SafeLoader only
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        tag = ""
        if exc.problem and "tag" in exc.problem:
            raw_tag = exc.problem.split("tag", 1)[1].strip(" '!:").split("'")[0]
            raw_tag = raw_tag.removeprefix("tag:yaml.org,2002:")
            tag = f" (!!{raw_tag})" if raw_tag else ""
        return None, [
            problem(
                line,
                None,
                f"uses a YAML tag selfback does not allow{tag}; skill files "
                "may contain only plain text, numbers and lists",
            )
        ]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or "is not valid YAML"
        return None, [problem(line, None, f"is not valid YAML: {what}")]
    except (ValueError, OverflowError, RecursionError):
        # A date such as 0000-00-00, a number too long to read, or nesting too deep.
        return None, [
            problem(
                None,
                None,
                "has a value selfback cannot read (a date or number out of range, or "
                "lists nested too deeply)",
            )
        ]
    if data is None:
        return None, [problem(None, None, "is empty")]
    if not isinstance(data, dict):
        return None, [problem(1, None, "must be a mapping of fields (id, title, steps, ...)")]
    try:
        return Skill.model_validate(data), []
    except ValidationError as exc:
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:  # pragma: no cover - it parsed a moment ago
            root = None
        problems = []
        for details in exc.errors():
            err: dict[str, Any] = dict(details)
            loc = clean_loc(tuple(err["loc"]), data)
            if not loc:
                # Cross-step checks name their own field: "steps[4].when.step: ...".
                found = _FIELD_IN_MESSAGE.match(friendly(err))
                if found:
                    loc = tuple(
                        int(n) if n else name for n, name in _FIELD_PART.findall(found.group(1))
                    )
                    err = dict(err, msg=found.group(2), type="value_error")
            line = line_of(root, loc) if root is not None else None
            problems.append(problem(line, format_loc(loc) or None, friendly(err)))
        return None, problems


def load_skill_file(
    path: Path, display_root: Path | None = None
) -> tuple[Skill | None, list[Problem]]:
    shown = _shown(path, display_root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(path, None, None, "is too large to be a skill file (over 256 KB)", shown)
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, None, None, f"cannot be read ({exc.strerror})", shown)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Problem(path, None, None, "is not UTF-8 text", shown)]
    return parse_skill_text(text, path, shown)


def skill_files(folder: Path) -> list[Path]:
    try:
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() in SKILL_SUFFIXES and not p.name.startswith(".") and p.is_file()
        )
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        return []


def skill_sources(paths: Paths) -> list[tuple[str, Path]]:
    sources = [("built-in", builtin_skills_dir()), ("user", paths.user_skills_dir)]
    sources += [("path", p) for p in extra_skill_dirs()]
    return sources


def load_library(paths: Paths) -> Library:
    lib = Library()
    for kind, folder in skill_sources(paths):
        display_root = folder if kind == "built-in" else None
        seen_here: dict[str, Path] = {}
        for path in skill_files(folder):
            skill, problems = load_skill_file(path, display_root)
            if skill is None:
                lib.problems.extend(problems)
                continue
            if skill.id in seen_here:
                lib.problems.append(
                    Problem(
                        path,
                        None,
                        "id",
                        f"'{skill.id}' is also used by {seen_here[skill.id].name}; "
                        "this file was skipped",
                        _shown(path, display_root),
                    )
                )
                continue
            seen_here[skill.id] = path
            origin = Origin(kind, path)
            previous = lib.entries.get(skill.id)
            lib.entries[skill.id] = LoadedSkill(
                skill, origin, overrides=previous.origin if previous else None
            )
    return lib
