"""Finding, loading and validating trackers: built-in packs and the person's own files.

Order of questions in a check-in: the everyday trackers (mood first), then each switched-on
pack in the order it was switched on, then the person's own trackers (by ``order``, then
id), and the note last. A broken file never breaks the others: it becomes a ``Problem``
with file, line and field, and the check-in goes on without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from selfback.errors import DataError
from selfback.paths import Paths
from selfback.trackers.problems import Problem, clean_loc, format_loc, friendly, line_of
from selfback.trackers.schema import CORE_IDS, AnyTracker, Pack, Tracker
from selfback.trackers.state import TrackerState, load_state, state_file

MAX_FILE_BYTES = 64 * 1024
SUFFIXES = (".yaml", ".yml")
CORE_PACK = "core"
ALWAYS_ON = ("mood",)  # the heart of a check-in, and a NOT NULL column

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"


def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Entry:
    tracker: AnyTracker
    source: str  # "built-in" or "yours"
    pack: str | None  # the pack id for built-in trackers
    path: Path


@dataclass
class TrackerLibrary:
    entries: dict[str, Entry] = field(default_factory=dict)  # every known tracker
    packs: dict[str, Pack] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    state: TrackerState = field(default_factory=TrackerState)

    def get(self, tracker_id: str) -> AnyTracker | None:
        entry = self.entries.get(tracker_id)
        return entry.tracker if entry else None

    def pack_on(self, pack_id: str) -> bool:
        pack = self.packs.get(pack_id)
        if pack is None:
            return False
        return pack.default_on or pack_id in self.state.packs

    def is_on(self, tracker_id: str) -> bool:
        entry = self.entries.get(tracker_id)
        if entry is None:
            return False
        if tracker_id in ALWAYS_ON:
            return True
        if tracker_id in self.state.off:
            return False
        return entry.pack is None or self.pack_on(entry.pack)

    def ordered(self) -> list[Entry]:
        """Every known tracker in check-in order (switched off or not)."""
        core = [e for e in self.entries.values() if e.pack == CORE_PACK]
        note = [e for e in core if e.tracker.id == "note"]
        out = [e for e in core if e.tracker.id != "note"]
        pack_order = [p for p in self.state.packs if p in self.packs]
        pack_order += [p for p in self.packs if p not in pack_order and p != CORE_PACK]
        for pack_id in pack_order:
            out += [e for e in self.entries.values() if e.pack == pack_id]
        mine = [e for e in self.entries.values() if e.pack is None]
        out += sorted(mine, key=lambda e: (e.tracker.order, e.tracker.id))
        return out + note

    def active(self, *, include_on_demand: bool = False) -> list[AnyTracker]:
        """The trackers a check-in asks, in order."""
        return [
            e.tracker
            for e in self.ordered()
            if self.is_on(e.tracker.id) and (include_on_demand or e.tracker.ask != "on-demand")
        ]


def _shown(path: Path) -> str:
    if path.is_relative_to(BUILTIN_DIR):
        return f"built-in {path.name}"
    return str(path)


def _parse_yaml(text: str, path: Path, shown: str) -> tuple[Any, list[Problem]]:
    import yaml

    def problem(line: int | None, msg: str) -> Problem:
        return Problem(path=path, line=line, field=None, text=msg, shown_path=shown)

    try:
        data = yaml.load(text, Loader=_loader())  # safe loaders only
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        return None, [
            problem(
                line,
                "uses a YAML tag selfback does not allow; tracker files may contain only "
                "plain text, numbers and lists",
            )
        ]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or "is not valid YAML"
        return None, [problem(line, f"is not valid YAML: {what}")]
    except (ValueError, OverflowError, RecursionError):
        # A date such as 0000-00-00, a number too long to read, or nesting too deep.
        return None, [
            problem(
                None,
                "has a value selfback cannot read (a date or number out of range, or "
                "lists nested too deeply)",
            )
        ]
    if data is None:
        return None, [problem(None, "is empty")]
    if not isinstance(data, dict):
        return None, [problem(1, "must be a mapping of fields (id, kind, title, ...)")]
    return data, []


def _validation_problems(exc: Any, text: str, data: Any, path: Path, shown: str) -> list[Problem]:
    import yaml

    try:
        root = yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:  # pragma: no cover - it parsed a moment ago
        root = None
    out = []
    for err in exc.errors():
        loc = clean_loc(tuple(err["loc"]), data)
        if err.get("type") in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, "kind")
        out.append(
            Problem(
                path=path,
                line=line_of(root, loc),
                field=format_loc(loc) or None,
                text=friendly(dict(err)),
                shown_path=shown,
            )
        )
    return out


@cache
def _tracker_adapter() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Tracker)


def parse_tracker_text(
    text: str, path: Path, shown: str | None = None
) -> tuple[AnyTracker | None, list[Problem]]:
    """Validate one tracker file's text. Returns the tracker or the problems found."""
    from pydantic import ValidationError

    shown = shown or str(path)
    data, problems = _parse_yaml(text, path, shown)
    if problems:
        return None, problems
    if "trackers" in data and "kind" not in data:
        return None, [
            Problem(
                path,
                line_of(_compose(text), ("trackers",)),
                "trackers",
                "a file in your trackers folder holds one tracker (id, kind, title, ...), "
                "not a pack; put each tracker in its own file",
                shown,
            )
        ]
    try:
        tracker: AnyTracker = _tracker_adapter().validate_python(data)
    except ValidationError as exc:
        return None, _validation_problems(exc, text, data, path, shown)
    return tracker, []


def parse_pack_text(
    text: str, path: Path, shown: str | None = None
) -> tuple[Pack | None, list[Problem]]:
    from pydantic import ValidationError

    shown = shown or str(path)
    data, problems = _parse_yaml(text, path, shown)
    if problems:
        return None, problems
    try:
        return Pack.model_validate(data), []
    except ValidationError as exc:
        return None, _validation_problems(exc, text, data, path, shown)


def _compose(text: str) -> Any:
    import yaml

    try:
        return yaml.compose(text, Loader=_loader())
    except yaml.YAMLError:
        return None


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [Problem(path, None, None, "is too large for a tracker file", shown)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, None, None, f"cannot be read ({exc.strerror})", shown)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return None, [Problem(path, None, None, "is not UTF-8 text", shown)]


def load_tracker_file(path: Path) -> tuple[AnyTracker | None, list[Problem], str | None]:
    """Load one of the person's tracker files. Returns (tracker, problems, text)."""
    shown = _shown(path)
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems, None
    tracker, problems = parse_tracker_text(text, path, shown)
    return tracker, problems, text


def tracker_files(folder: Path) -> list[Path]:
    try:
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()
        )
    except OSError:
        return []


@cache
def builtin_packs() -> tuple[dict[str, Pack], tuple[Problem, ...]]:
    """The packs shipped with selfback, ``core`` first. (Cached: they never change.)"""
    packs: dict[str, Pack] = {}
    problems: list[Problem] = []
    files = sorted(tracker_files(BUILTIN_DIR), key=lambda p: (p.stem != CORE_PACK, p.name))
    for path in files:
        shown = _shown(path)
        text, probs = read_text(path, shown)
        if text is not None:
            pack, probs = parse_pack_text(text, path, shown)
            if pack is not None:
                packs[pack.id] = pack
        problems += probs
    return packs, tuple(problems)


def builtin_trackers() -> dict[str, AnyTracker]:
    packs, _ = builtin_packs()
    return {t.id: t for pack in packs.values() for t in pack.trackers}


def _user_problem(path: Path, text: str | None, fld: str, msg: str) -> Problem:
    line = line_of(_compose(text), tuple(fld.split("."))) if text else None
    return Problem(path, line, fld, msg, _shown(path))


def load_trackers(paths: Paths, *, strict_state: bool = False) -> TrackerLibrary:
    """Every tracker: built-in packs, then the files in the person's trackers folder."""
    lib = TrackerLibrary()
    packs, builtin_problems = builtin_packs()
    lib.problems += builtin_problems
    lib.packs = dict(packs)
    for pack in packs.values():
        path = BUILTIN_DIR / f"{pack.id}.yaml"
        for t in pack.trackers:
            lib.entries[t.id] = Entry(t, "built-in", pack.id, path)
    try:
        lib.state = load_state(paths)
    except DataError as exc:
        if strict_state:
            raise
        lib.problems.append(Problem(state_file(paths), None, None, exc.message))
    seen: dict[str, Path] = {}
    for path in tracker_files(paths.user_trackers_dir):
        tracker, file_problems, text = load_tracker_file(path)
        if tracker is None:
            lib.problems += file_problems
            continue
        clash = lib.entries.get(tracker.id)
        if clash is not None and clash.source == "built-in":
            where = "the everyday check-in" if clash.pack == CORE_PACK else f"the {clash.pack} pack"
            lib.problems.append(
                _user_problem(
                    path, text, "id", f"'{tracker.id}' is already used by {where}; pick another id"
                )
            )
            continue
        if tracker.id in seen:
            lib.problems.append(
                _user_problem(
                    path,
                    text,
                    "id",
                    f"'{tracker.id}' is also used by {seen[tracker.id].name}; this file was "
                    "skipped",
                )
            )
            continue
        seen[tracker.id] = path
        lib.entries[tracker.id] = Entry(tracker, "yours", None, path)
    # Conditions must point at a tracker asked earlier.
    for entry in list(lib.entries.values()):
        cond = entry.tracker.only_if
        if entry.source != "yours" or cond is None:
            continue
        target = lib.entries.get(cond.tracker)
        ok = target is not None and (
            target.source == "built-in"
            or (target.tracker.order, target.tracker.id) < (entry.tracker.order, entry.tracker.id)
        )
        if not ok or cond.tracker == "note":
            text, _ = read_text(entry.path, _shown(entry.path))
            lib.problems.append(
                _user_problem(
                    entry.path,
                    text,
                    "only_if.tracker",
                    f"'{cond.tracker}' is not a tracker asked before this one",
                )
            )
            del lib.entries[entry.tracker.id]
    return lib


def is_core(tracker_id: str) -> bool:
    return tracker_id in CORE_IDS
