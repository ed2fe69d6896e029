"""`selfback trackers list|add|new|validate|enable|disable|pin|unpin`: what a check-in
asks, and which words come first in its numbered lists.

Module level imports only typer and the standard library (fast ``--help``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from selfback.cli.context import env_of
from selfback.errors import ExitCode, UsageError
from selfback.text import clean, clean_line

if TYPE_CHECKING:
    from selfback.env import Env
    from selfback.trackers.library import TrackerLibrary

TABLE_WIDTH = 96  # narrower than this, each tracker takes two lines
KIND_HELP = {
    "scale": "a number on a scale, e.g. 0-10",
    "yesno": "yes or no",
    "number": "any number, with a unit (hours, glasses, mg)",
    "choice": "one of a few options",
    "tags": "a few words, e.g. symptoms",
    "text": "a short written answer",
}


def _lib(env: Env, *, strict_state: bool = False) -> TrackerLibrary:
    from selfback.trackers.library import load_trackers

    return load_trackers(env.paths, strict_state=strict_state)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # e.g. a name too long for the file system
        return False


def _describe(t: Any) -> str:
    kind = t.kind
    if kind == "scale":
        return f"scale {t.min}-{t.max}"
    if kind == "number":
        return f"number ({t.unit})" if t.unit else "number"
    if kind == "choice":
        return "choice: " + ", ".join(t.options)
    return "yes/no" if kind == "yesno" else str(kind)


def register(app: typer.Typer) -> None:
    trackers_app = typer.Typer(
        help="What a check-in asks: the everyday questions, packs such as the DBT diary "
        "card, and your own trackers.",
        invoke_without_command=True,
        no_args_is_help=False,
    )
    app.add_typer(trackers_app, name="trackers")

    @trackers_app.callback()
    def trackers_root(ctx: typer.Context) -> None:
        if ctx.invoked_subcommand is None:
            list_trackers(env_of(ctx), json_out=False)

    @trackers_app.command("list")
    def list_(
        ctx: typer.Context, json_out: bool = typer.Option(False, "--json", help="Print JSON.")
    ) -> None:
        """List every tracker, whether it is on, and the packs you can switch on."""
        list_trackers(env_of(ctx), json_out=json_out)

    @trackers_app.command("validate")
    def validate(
        ctx: typer.Context,
        files: list[Path] = typer.Argument(
            None, help="Tracker files to check. Default: every file in your trackers folder."
        ),
    ) -> int:
        """Check tracker files; every problem is shown as file:line field: message."""
        return validate_trackers(env_of(ctx), files)

    @trackers_app.command("add")
    def add(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="A tracker YAML file to copy into your folder."),
        force: bool = typer.Option(
            False, "--force", help="Replace your own tracker with the same id."
        ),
    ) -> int:
        """Check a tracker file and copy it into your trackers folder."""
        return add_tracker(env_of(ctx), file, force=force)

    @trackers_app.command("new")
    def new(
        ctx: typer.Context,
        kind: str | None = typer.Option(
            None, "--kind", help="scale, yesno, number, choice, tags or text."
        ),
    ) -> None:
        """Make your own tracker by answering a few questions."""
        new_tracker(env_of(ctx), kind)

    @trackers_app.command("enable")
    def enable(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="A pack (e.g. diary-card) or tracker id."),
    ) -> None:
        """Switch on a pack (e.g. diary-card, medication) or a tracker you switched off."""
        _switch(env_of(ctx), name, on=True)

    @trackers_app.command("disable")
    def disable(
        ctx: typer.Context, name: str = typer.Argument(..., help="A pack or tracker id.")
    ) -> None:
        """Switch off a pack or a single tracker. Past answers are kept."""
        _switch(env_of(ctx), name, on=False)

    @trackers_app.command("pin")
    def pin(
        ctx: typer.Context,
        tracker: str = typer.Argument(
            ..., metavar="TRACKER", help="A word tracker: emotions, tags or your own."
        ),
        word: str = typer.Argument(
            ..., metavar="WORD", help="The word to put first, e.g. hopeful."
        ),
    ) -> None:
        """Put a word at the top of a check-in's numbered list, so it keeps number 1 (or
        the next free number after your other pins)."""
        pin_word(env_of(ctx), tracker, word, on=True)

    @trackers_app.command("unpin")
    def unpin(
        ctx: typer.Context,
        tracker: str = typer.Argument(
            ..., metavar="TRACKER", help="A word tracker: emotions, tags or your own."
        ),
        word: str = typer.Argument(..., metavar="WORD", help="The pinned word."),
    ) -> None:
        """Take a word off the top of a check-in's numbered list."""
        pin_word(env_of(ctx), tracker, word, on=False)


def pin_word(env: Env, name: str, raw_word: str, *, on: bool) -> None:
    """Pin ``raw_word`` to the top of word tracker ``name``'s numbered list (or unpin it)."""
    from selfback.trackers.core import normalize_word
    from selfback.trackers.state import save_state

    lib = _lib(env, strict_state=True)
    tracker_id = name.strip().lower().replace("-", "_")
    entry = lib.entries.get(tracker_id)
    if entry is None or entry.tracker.kind != "tags":
        words = ", ".join(sorted(i for i, e in lib.entries.items() if e.tracker.kind == "tags"))
        raise UsageError(
            f"'{clean_line(name)}' is not a word tracker. Words can be pinned in: {words}."
        )
    word = normalize_word(raw_word)
    if not word:
        raise UsageError("Give a word to pin, e.g. selfback trackers pin emotions hopeful.")
    pins = lib.state.pins.setdefault(tracker_id, [])
    title = clean_line(entry.tracker.title)
    if on:
        if word not in pins:
            pins.append(word)
        done = f"Pinned '{word}' to {title}: it is number {pins.index(word) + 1} from now on."
    elif word in pins:
        pins.remove(word)
        done = f"Unpinned '{word}' from {title}."
    else:
        raise UsageError(f"'{word}' is not pinned in {title}, so nothing was changed.")
    save_state(env.paths, lib.state)
    env.stdout.write(done + "\n")


def list_trackers(env: Env, *, json_out: bool) -> None:
    """Every tracker, whether it is on, and the packs that can be switched on."""
    import json

    lib = _lib(env)
    entries = lib.ordered()
    if json_out:
        data = {
            "trackers": [
                {
                    "id": e.tracker.id,
                    "title": e.tracker.title,
                    "kind": e.tracker.kind,
                    "version": e.tracker.version,
                    "ask": e.tracker.ask,
                    "optional": e.tracker.optional,
                    "on": lib.is_on(e.tracker.id),
                    "source": e.source,
                    "pack": e.pack,
                    "path": str(e.path) if e.source == "yours" else None,
                }
                for e in entries
            ],
            "packs": [
                {"id": p.id, "title": p.title, "on": lib.pack_on(p.id)}
                for p in lib.packs.values()
                if p.id != "core"
            ],
            "problems": [p.message for p in lib.problems],
        }
        env.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    from selfback.text import fit_block, terminal_width, wrap

    width = terminal_width(env.stdout, default=100)
    lines = ["Asked in a check-in, in this order:"]
    off: list[str] = []
    for e in entries:
        t = e.tracker
        if e.pack not in (None, "core") and not lib.pack_on(e.pack):
            continue
        where = "yours" if e.source == "yours" else (e.pack or "")
        where = "everyday" if where == "core" else where
        when = {"always": "", "daily": "once a day", "on-demand": "only with --all"}[t.ask]
        if width >= TABLE_WIDTH:
            rows = [f"  {t.id:<16} {t.title:<34} {_describe(t):<16} {when:<15} {where}".rstrip()]
        else:  # narrow: the id and title, then what it is, wrapped by whole words
            about = ", ".join(x for x in (_describe(t), when, where) if x)
            rows = [f"  {t.id}: {t.title}", *wrap(about, width, indent="      ")]
        (lines if lib.is_on(t.id) else off).extend(rows)
    if off:
        lines += ["", "Switched off (selfback trackers enable ID):", *off]
    lines += ["", "Packs:"]
    for pack in lib.packs.values():
        if pack.id == "core":
            continue
        state = "on " if lib.pack_on(pack.id) else "off"
        lines.append(f"  {pack.id:<16} {state}  {pack.title}")
    lines += [
        "",
        "Switch one on or off: selfback trackers enable diary-card (or disable).",
        f"Your own trackers: YAML files in {env.paths.user_trackers_dir}",
        "(selfback trackers new makes one for you).",
    ]
    # Titles, ids and units come from tracker files: nothing in them reaches the terminal
    # as a control sequence.
    text = "\n".join(clean_line(line) for line in lines)
    env.stdout.write(fit_block(text, width) + "\n")
    for p in lib.problems:
        env.stderr.write(f"skipped: {clean(p.message)}\n")


def validate_trackers(env: Env, files: list[Path] | None) -> int:
    """Check tracker files; every problem is shown as file:line field: message."""
    from selfback.trackers.library import load_tracker_file

    problems: list[str] = []
    checked = 0
    if files:
        for path in files:
            if not _is_file(path):
                problems.append(f"{path}: is not a file selfback can read")
                continue
            checked += 1
            _, probs, _ = load_tracker_file(path)
            problems += [p.message for p in probs]
    else:
        lib = _lib(env)
        checked = sum(1 for e in lib.entries.values() if e.source == "yours")
        checked += len({p.path for p in lib.problems})
        problems = [p.message for p in lib.problems]
    for msg in problems:
        env.stdout.write(clean(msg) + "\n")
    if problems:
        n = len(problems)
        env.stdout.write(
            f"{n} problem{'s' if n != 1 else ''} found. Files with problems are left out "
            "of check-ins until they are fixed; the rest still work.\n"
        )
        return ExitCode.PROBLEM
    what = f"{checked} file{'s' if checked != 1 else ''}" if checked else "built-in trackers"
    env.stdout.write(f"All good: {what} checked, no problems.\n")
    return ExitCode.OK


def add_tracker(env: Env, file: Path, *, force: bool) -> int:
    """Check a tracker file and copy it into your trackers folder."""
    from selfback.fsutil import atomic_write, ensure_dir
    from selfback.trackers.library import parse_tracker_text, read_text

    if not _is_file(file):
        raise UsageError(f"There is no file selfback can read at {file}.")
    text, problems = read_text(file, str(file))
    tracker = None
    if text is not None:
        tracker, problems = parse_tracker_text(text, file, str(file))
    if tracker is None or text is None:
        for p in problems:
            env.stdout.write(clean(p.message) + "\n")
        env.stdout.write("Not added: fix the problems above, then try again.\n")
        return ExitCode.PROBLEM
    lib = _lib(env)
    existing = lib.entries.get(tracker.id)
    if existing is not None and existing.source == "built-in":
        raise UsageError(
            f"The id '{tracker.id}' is already used by a built-in tracker; change the id "
            "in the file, then add it again."
        )
    target = env.paths.user_trackers_dir / f"{tracker.id}.yaml"
    if existing is not None and not force:
        raise UsageError(
            f"You already have a tracker '{tracker.id}' ({existing.path}). Use --force to "
            "replace it; its past answers are kept either way."
        )
    if target.exists() and not force:
        raise UsageError(f"{target} already exists. Use --force to replace it.")
    ensure_dir(env.paths.user_trackers_dir)
    atomic_write(target, text)
    if existing is not None and existing.path != target:
        existing.path.unlink(missing_ok=True)
    env.stdout.write(
        f"Added '{clean_line(tracker.title)}' ({tracker.id}). Your next check-in asks it.\n"
    )
    return ExitCode.OK


def _switch(env: Env, name: str, *, on: bool) -> None:
    from selfback.trackers.library import ALWAYS_ON, CORE_PACK
    from selfback.trackers.state import save_state

    lib = _lib(env, strict_state=True)
    state = lib.state
    key = name.strip().lower()
    if key in lib.packs and key != CORE_PACK:
        pack = lib.packs[key]
        if on:
            if key not in state.packs:
                state.packs.append(key)
            state.off = [t for t in state.off if t not in {x.id for x in pack.trackers}]
            msg = f"Switched on: {pack.title}. Your next check-in asks its questions."
        else:
            state.packs = [p for p in state.packs if p != key]
            msg = f"Switched off: {pack.title}. What you recorded with it is kept."
        save_state(env.paths, state)
        env.stdout.write(msg + "\n")
        return
    tracker_id = key.replace("-", "_")
    entry = lib.entries.get(tracker_id)
    if entry is None:
        packs = ", ".join(p for p in lib.packs if p != CORE_PACK)
        raise UsageError(
            f"There is no pack or tracker called '{name}'. Packs: {packs}. "
            "selfback trackers list shows every tracker."
        )
    if not on and tracker_id in ALWAYS_ON:
        raise UsageError("Mood is the heart of a check-in, so it stays on.")
    if on:
        state.off = [t for t in state.off if t != tracker_id]
        if entry.pack not in (None, CORE_PACK) and not lib.pack_on(entry.pack):
            state.packs.append(entry.pack)
            # switch on only this one of the pack's trackers
            others = [t.id for t in lib.packs[entry.pack].trackers if t.id != tracker_id]
            state.off = sorted(set(state.off) | set(others))
        msg = f"Switched on: {entry.tracker.title}."
    else:
        if tracker_id not in state.off:
            state.off.append(tracker_id)
        msg = f"Switched off: {entry.tracker.title}. What you recorded is kept."
    save_state(env.paths, state)
    env.stdout.write(msg + "\n")


def _slug(text: str) -> str:
    import re

    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "my_" + slug
    return slug[:40].rstrip("_")


def new_tracker(env: Env, kind: str | None) -> None:
    """Ask a few questions, write a tracker file, and check it."""
    import yaml

    from selfback.fsutil import atomic_write, ensure_dir
    from selfback.trackers.library import parse_tracker_text
    from selfback.trackers.schema import TRACKER_KINDS
    from selfback.ui.prompt import ask_choice, confirm, read_line, write

    if kind is not None and kind not in TRACKER_KINDS:
        raise UsageError(
            f"'{kind}' is not a kind of tracker: use one of {', '.join(TRACKER_KINDS)}."
        )
    lib = _lib(env)
    write(env, "A new tracker: a question your check-in will ask. Ctrl-C stops without saving.")
    title = ""
    while not title:
        title = read_line(env, "Name (e.g. Pain, Medication, Time outside): ").strip()[:60]
    tracker_id = _slug(title)
    while tracker_id in lib.entries:
        write(env, f"  The id '{tracker_id}' is taken.")
        raw = read_line(env, "Another short id (letters, digits, _): ").strip().lower()
        tracker_id = _slug(raw) if raw else tracker_id
    if kind is None:
        kinds = list(TRACKER_KINDS)
        idx = ask_choice(env, "What kind of answer? ", [f"{k}: {KIND_HELP[k]}" for k in kinds])
        kind = kinds[idx or 0]
    data: dict[str, Any] = {"id": tracker_id, "kind": kind, "title": title, "version": 1}
    prompt = read_line(env, f"The question (Enter for '{title}'): ").strip()
    if prompt:
        data["prompt"] = prompt[:120]
    data.update(_kind_details(env, kind))
    data["optional"] = True
    if confirm(env, "Ask it only once a day?", default=False):
        data["ask"] = "daily"
    text = (
        "# A selfback tracker. Edit it, then check it with: selfback trackers validate\n"
        "# Bump the version if you change what the answers mean (e.g. a new range).\n"
        + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    )
    target = env.paths.user_trackers_dir / f"{tracker_id}.yaml"
    tracker, problems = parse_tracker_text(text, target)
    if tracker is None:  # pragma: no cover - the questions only allow valid values
        raise UsageError("; ".join(p.message for p in problems))
    ensure_dir(env.paths.user_trackers_dir)
    if target.exists():
        raise UsageError(f"{target} already exists; nothing was changed.")
    atomic_write(target, text)
    write(env, f"Saved {target}. Your next check-in asks it.")


def _choice_options(env: Env) -> list[str]:
    from selfback.ui.prompt import read_line, write

    options: list[str] = []
    while len(options) < 9:
        opt = read_line(env, f"Option {len(options) + 1} (Enter when done): ").strip()
        if not opt:
            if len(options) >= 2:
                break
            write(env, "  Please give at least two options.")
            continue
        options.append(opt[:60])
    return options


def _kind_details(env: Env, kind: str) -> dict[str, Any]:
    """What a new tracker of ``kind`` needs besides its name: a range, a unit, options."""
    from selfback.ui.prompt import ask_int, read_line

    data: dict[str, Any] = {}
    if kind == "scale":
        lo = ask_int(env, "Lowest number (Enter for 0): ", 0, 99, allow_empty=True)
        lo = lo if isinstance(lo, int) else 0
        hi = ask_int(env, "Highest number (Enter for 10): ", lo + 1, 100, allow_empty=True)
        data["min"], data["max"] = lo, hi if isinstance(hi, int) else max(10, lo + 1)
    elif kind == "number":
        unit = read_line(env, "Unit (e.g. hours, mg; Enter for none): ").strip()
        if unit:
            data["unit"] = unit[:20]
    elif kind == "choice":
        data["options"] = _choice_options(env)
    elif kind == "tags":
        raw = read_line(env, "Common answers, commas between (Enter for none): ").strip()
        if raw:
            data["suggestions"] = [w.strip() for w in raw.split(",") if w.strip()][:9]
    return data
