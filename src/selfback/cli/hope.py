"""`selfback hope add|list|show|remove`: the hope box, the person's own reminders.

This module parses and renders; ``selfback.actions.hope`` keeps, finds and opens the
items, ``selfback.ui.hope`` asks. Words are never taken from the command line: they are
asked for, written in ``$EDITOR`` (``--edit``), or read from standard input. A file is
opened with the system's usual app only after the person says yes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from selfback.cli.context import env_of

if TYPE_CHECKING:
    from selfback.actions.hope import HopeEntry
    from selfback.env import Env


def _read_stdin(env: Env) -> tuple[str, str]:
    """Standard input as (first line, the rest)."""
    text = env.stdin.read()
    first, _, rest = text.partition("\n")
    return first, rest


def _words(env: Env, kind: str, *, edit: bool) -> str | None:
    """The words of a text item: from $EDITOR, the prompt, or standard input."""
    from selfback.errors import UsageError
    from selfback.messages import hope as msg
    from selfback.ui import hope as ui
    from selfback.ui.answers import read_note_editor

    if edit:
        return read_note_editor(env)
    if env.interactive:
        return ui.ask_text(env, kind)
    text = env.stdin.read()
    if not text.strip():
        raise UsageError(msg.NO_INPUT)
    return text


def _file(env: Env, *, edit: bool) -> tuple[str, str | None]:
    """The checked path of a file item and a few words about it (if any)."""
    from selfback.actions.hope import check_file
    from selfback.errors import UsageError
    from selfback.messages import hope as msg
    from selfback.ui import hope as ui
    from selfback.ui.answers import read_note_editor

    if env.interactive:
        path = check_file(ui.ask_path(env))
        caption = read_note_editor(env) if edit else ui.ask_caption(env)
        return path, caption
    first, rest = _read_stdin(env)
    if not first.strip():
        raise UsageError(msg.NO_INPUT)
    path = check_file(first)
    return path, read_note_editor(env) if edit else rest


def _add(env: Env, kind: str | None, *, edit: bool) -> int:
    from selfback.actions.hope import FILE_KINDS, add_item, check_kind, record_heard
    from selfback.errors import UsageError
    from selfback.messages import hope as msg
    from selfback.ui import hope as ui

    if kind is None:
        if not env.interactive:
            raise UsageError(msg.NEEDS_KIND)
        kind = ui.ask_kind(env)
        if kind is None:
            ui.write(env, msg.STOPPED)
            return 0
    kind = check_kind(kind)
    path: str | None = None
    if kind in FILE_KINDS:
        path, text = _file(env, edit=edit)
    else:
        text = _words(env, kind, edit=edit)
        if not (text or "").strip():
            ui.write(env, msg.EMPTY_TEXT)
            return 0
    added = add_item(env.paths, env.clock.now(), kind=kind, text=text, path=path)
    if added.heard is not None:
        ui.heard(env, added.heard)
        record_heard(env.paths, added.heard, ref_uid=added.uid)
    ui.write(env)
    ui.write(env, msg.SAVED.format(id=added.id))
    return 0


def _as_json(entry: HopeEntry) -> dict[str, object]:
    item = entry.item
    return {
        "id": item.id,
        "uid": item.uid,
        "kind": item.kind,
        "text": item.text,
        "path": item.path,
        "missing": entry.missing,
        "added_at": item.added_at,
    }


def _list(env: Env, *, json_out: bool) -> int:
    import json

    from selfback.actions.hope import list_items
    from selfback.messages import hope as msg
    from selfback.ui import hope as ui

    entries = list_items(env.paths)
    if json_out:
        env.stdout.write(json.dumps([_as_json(e) for e in entries], indent=2) + "\n")
        return 0
    if not entries:
        ui.write(env, msg.EMPTY_BOX)
        return 0
    ui.write(env, ui.bold(env, msg.LIST_TITLE))
    for entry in entries:
        item = entry.item
        label = msg.SHORT_LABELS.get(item.kind, item.kind)
        ui.write(env)
        ui.write(env, f"{item.id}. {label} ({ui.when(item.added_at)})")
        for line in ui.item_lines(entry, full=False):
            ui.write(env, f"   {line}")
    ui.write(env)
    ui.write(env, msg.SHOW_HINT)
    return 0


def _show(env: Env, item_id: int) -> int:
    from selfback.actions.hope import get_item, open_file
    from selfback.messages import hope as msg
    from selfback.text import clean, clean_line
    from selfback.ui import hope as ui

    entry = get_item(env.paths, item_id)
    item = entry.item
    label = msg.SHORT_LABELS.get(item.kind, item.kind)
    ui.write(env, ui.bold(env, f"{label} ({ui.when(item.added_at)})"))
    ui.write(env)
    if item.text:
        ui.write(env, clean(item.text))
    if item.path is None:
        return 0
    path = clean_line(item.path)
    if entry.missing:
        ui.write(env, msg.FILE_GONE.format(path=path))
        return 0
    ui.write(env, msg.FILE_AT.format(path=path))
    if not env.interactive:
        ui.write(env, msg.OPEN_NO_TERMINAL)
        return 0
    if not ui.confirm(env, msg.ASK_OPEN):
        ui.write(env, msg.NOT_OPENED)
        return 0
    problem = open_file(item.path)
    ui.write(env, msg.OPENED if problem is None else clean_line(problem))
    return 0


def _remove(env: Env, item_id: int, *, yes: bool) -> int:
    from selfback.actions.hope import get_item, remove_item
    from selfback.errors import UsageError
    from selfback.messages import hope as msg
    from selfback.ui import hope as ui

    get_item(env.paths, item_id)
    if not yes:
        if not env.interactive:
            raise UsageError(msg.REMOVE_NEEDS_YES)
        if not ui.confirm(env, msg.ASK_REMOVE.format(id=item_id)):
            ui.write(env, msg.KEPT)
            return 0
    remove_item(env.paths, item_id)
    ui.write(env, msg.REMOVED.format(id=item_id))
    return 0


def register(app: typer.Typer) -> None:
    hope = typer.Typer(
        help=(
            "Your hope box: messages to yourself, quotes, memories, and photos, music or "
            "voice messages on this computer, for a hard moment."
        ),
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    app.add_typer(hope, name="hope")

    @hope.command("add", context_settings={"allow_extra_args": True})
    def add(
        ctx: typer.Context,
        kind: str = typer.Option(
            None,
            "--kind",
            metavar="KIND",
            help="message, quote, memory, photo, music or voice (asked when left out).",
            show_default=False,
        ),
        edit: bool = typer.Option(False, "--edit", help="Write the words in $EDITOR."),
    ) -> int:
        """Keep a new reminder. You are asked for the words (or the file's path); they
        can also come on standard input, never on the command line."""
        from selfback.errors import UsageError
        from selfback.messages import hope as msg

        if ctx.args:  # words typed after the command: refused, never kept
            raise UsageError(msg.TEXT_ON_ARGV)
        return _add(env_of(ctx), kind, edit=edit)

    @hope.command("list")
    def list_(
        ctx: typer.Context,
        json_out: bool = typer.Option(False, "--json", help="Clean JSON on standard output."),
    ) -> int:
        """Everything in your hope box, with its number."""
        return _list(env_of(ctx), json_out=json_out)

    @hope.command("show")
    def show(
        ctx: typer.Context,
        item_id: int = typer.Argument(..., metavar="NUMBER", help="Its number in hope list."),
    ) -> int:
        """Show one reminder; for a file, you are asked before it is opened."""
        return _show(env_of(ctx), item_id)

    @hope.command("remove")
    def remove(
        ctx: typer.Context,
        item_id: int = typer.Argument(..., metavar="NUMBER", help="Its number in hope list."),
        yes: bool = typer.Option(False, "--yes", help="Remove it without asking."),
    ) -> int:
        """Take one reminder out of your hope box."""
        return _remove(env_of(ctx), item_id, yes=yes)
