"""``selfback sos``: crisis lines and the user's own plan, at once, with no questions.

``selfback.main`` calls ``run_sos`` before Typer is imported. ``--country XX`` shows
another country's lines once, ``--list`` the countries that have checked lines.
Everything before the text is flushed uses only the standard library and selfback's
stdlib-only modules (paths, fsutil, text, safety.crisis, safety.plan): no database, no
skill library, no pydantic, rich or YAML. So it works when the database is missing,
locked or damaged, when skill files are broken, without colour and without a terminal.
Only after the output is flushed is the opening logged (``record_opening``, which never
raises).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selfback.paths import Paths

USAGE_NOTE = "selfback sos takes only --plain, --country XX and --list; other words were ignored."


def _parse(args: list[str]) -> tuple[bool, str | None, bool, list[str]]:
    plain = False
    country: str | None = None
    listing = False
    ignored: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--plain", "--no-color", "--no-colour"):
            plain = True
        elif arg == "--list":
            listing = True
        elif arg == "--country" and i + 1 < len(args):
            country = args[i + 1]
            i += 1
        elif arg.startswith("--country="):
            country = arg.split("=", 1)[1]
        else:
            ignored.append(arg)
        i += 1
    return plain, country, listing, ignored


def use_color(plain: bool, stream: Any = None) -> bool:
    """ANSI colour only on a terminal, without NO_COLOR, --plain or SELFBACK_PLAIN."""
    if plain or "NO_COLOR" in os.environ or os.environ.get("SELFBACK_PLAIN"):
        return False
    if os.environ.get("TERM", "") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _write(text: str) -> None:
    """Write and flush to stdout; fall back to stderr if stdout is unusable."""
    stream = sys.stdout
    if stream is None:
        stream = sys.stderr
    try:
        try:
            stream.write(text)
        except UnicodeEncodeError:
            enc = getattr(stream, "encoding", None) or "ascii"
            stream.write(text.encode(enc, "replace").decode(enc, "replace"))
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError, AttributeError):
        if stream is not sys.stderr and sys.stderr is not None:
            try:
                sys.stderr.write(text)
                sys.stderr.flush()
            except (OSError, ValueError):
                pass


def _note_ignored(ignored: list[str]) -> None:
    if not ignored:
        return
    try:
        sys.stderr.write(USAGE_NOTE + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


def run_sos(args: list[str]) -> int:
    """Print the crisis text, then log the opening. Always returns 0.

    ``--list`` prints the countries with checked lines instead (and logs nothing).
    """
    plain, country, listing, ignored = _parse(args)
    if listing:
        from selfback.safety.crisis import covered_lines

        _write("\n".join(covered_lines()) + "\n")
        _note_ignored(ignored)
        return 0
    paths = None
    try:
        from selfback.paths import get_paths

        paths = get_paths()
    except Exception:  # no folders: the crisis text still comes, without plan or country
        from selfback.crashlog import log

        log.exception("finding selfback's folders for sos")
        paths = None
    from selfback.safety.crisis import crisis_text

    text = crisis_text(paths, color=use_color(plain), country=country)
    _write(text)
    _note_ignored(ignored)
    if paths is not None:
        from selfback.safety.crisis import record_opening

        record_opening(paths, "sos")
        _hope_line(paths)
    return 0


def _hope_line(paths: Paths) -> None:
    """After the text: one line pointing to the hope box, when it holds anything. The
    database is only read after the crisis text is out, and any problem with it means
    the line is left out (``count_items_quietly`` never raises)."""
    try:
        import sys

        from selfback.messages.hope import SOS_LINE_HOPE
        from selfback.store.hope import count_items_quietly
        from selfback.text import terminal_width, wrap

        if count_items_quietly(paths) > 0:
            lines = wrap(SOS_LINE_HOPE, min(terminal_width(sys.stdout), 88))
            _write("\n" + "\n".join(lines) + "\n")
    except Exception:  # sos must never break
        from selfback.crashlog import log

        log.exception("pointing to the hope box after sos")
