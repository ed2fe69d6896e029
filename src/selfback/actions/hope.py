"""The hope box and the notes for next time: keeping, finding, removing and opening the
person's own reminders (``selfback hope``), and what ``cope`` shows of them.

A text item (a message to yourself, a quote, a memory) keeps the words as typed; a file
item (a photo, music, a voice message) keeps the path of a file on this computer, never a
web or network address, and is opened with the system's usual app only when the person
asks (:func:`open_file`; ``SELFBACK_OPENER`` replaces the opener, ``none`` switches it
off, as the tests do). Words typed here are heard for risk like a check-in note
(:func:`hear_words`, source ``hope``). Nothing here prints or reads standard input.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from selfback.errors import UsageError
from selfback.messages import hope as msg

if TYPE_CHECKING:
    from selfback.actions.hear import Heard
    from selfback.clock import Clock
    from selfback.paths import Paths
    from selfback.store.db import Store
    from selfback.store.hope import HopeItem as HopeItem
    from selfback.store.hope import NextTimeNote as NextTimeNote

TEXT_KINDS = ("message", "quote", "memory")
FILE_KINDS = ("photo", "music", "voice")
KINDS = TEXT_KINDS + FILE_KINDS
MAX_TEXT = 20_000  # as long as a check-in note may be
COPE_ITEMS = 3  # how many items cope shows at once
COPE_DISTRESS = 8  # cope offers the hope box at this distress or above
OPENER_VAR = "SELFBACK_OPENER"

# A scheme ("http:", "smb:", "file:"), but not a Windows drive ("C:\\", "C:/").
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_SCP = re.compile(r"^[^/\\\s]+@[^/\\\s]+:")  # user@host:path


@dataclass(frozen=True)
class HopeEntry:
    """One item, and whether its file has gone missing since it was added."""

    item: HopeItem
    missing: bool = False

    @property
    def is_file(self) -> bool:
        return self.item.path is not None


@dataclass(frozen=True)
class Added:
    id: int
    uid: str
    heard: Heard | None  # the words may mean risk: show it, then record it


def _missing(item: HopeItem) -> bool:
    return item.path is not None and not Path(item.path).is_file()


def _entry(item: HopeItem) -> HopeEntry:
    return HopeEntry(item, _missing(item))


# -- checking what is typed -------------------------------------------------------------------


def check_kind(kind: str) -> str:
    key = kind.strip().lower()
    if key == "voice-message":
        key = "voice"
    if key not in KINDS:
        raise UsageError(msg.BAD_KIND.format(kind=kind, kinds=", ".join(KINDS)))
    return key


def is_network_address(raw: str) -> bool:
    """Whether ``raw`` names something on a network (a web address, a share, a host)."""
    text = raw.strip()
    if text.startswith(("//", "\\\\")) or text.lower().startswith("www."):
        return True
    if _SCHEME.match(text) and not _DRIVE.match(text):
        return True
    return bool(_SCP.match(text))


def check_file(raw: str, *, cwd: Path | None = None) -> str:
    """The absolute path of the local file ``raw`` names; a UsageError (one sentence) for
    a network address, a missing file or a folder."""
    if is_network_address(raw):
        raise UsageError(msg.NOT_A_LOCAL_FILE)
    text = raw.strip().strip("'\"")
    if not text:
        raise UsageError(msg.NO_PATH.format(kind="file"))
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    shown = str(path)
    if path.is_dir():
        raise UsageError(msg.IS_A_FOLDER.format(path=shown))
    if not path.is_file():
        raise UsageError(msg.NO_SUCH_FILE.format(path=shown))
    return os.path.abspath(path)


def check_text(text: str | None) -> str | None:
    """The words tidied (None when nothing was typed); a UsageError when too long."""
    value = (text or "").strip()
    if len(value) > MAX_TEXT:
        raise UsageError(msg.TOO_LONG.format(most=MAX_TEXT))
    return value or None


def hear_words(text: str | None) -> Heard | None:
    """Whether words typed for the hope box or a note may mean risk (source ``hope``)."""
    from selfback.actions.hear import Heard
    from selfback.safety.risk import detect
    from selfback.trackers.risk import Concern

    hit = detect(text) if text else None
    if hit is None:
        return None
    return Heard(msg.LEAD_HEARD, (Concern("hope", hit.kind, "risk"),))


def record_heard(paths: Paths, heard: Heard, *, ref_uid: str | None) -> None:
    """Record what was heard once it is on screen (never raises)."""
    from selfback.actions.hear import record

    record(paths, heard, ref_uid=ref_uid)


# -- the box ----------------------------------------------------------------------------------


def _open(paths: Paths) -> Store:
    from selfback.store.db import open_store

    return open_store(paths)


def add_item(
    paths: Paths, now: datetime, *, kind: str, text: str | None, path: str | None = None
) -> Added:
    """Keep one item. Text kinds need words; file kinds need a checked local path
    (:func:`check_file`) and may have a few words about the file."""
    from selfback.store.hope import insert_hope_item

    kind = check_kind(kind)
    words = check_text(text)
    if kind in FILE_KINDS:
        if path is None:
            raise UsageError(msg.NO_PATH.format(kind=msg.KIND_LABELS[kind]))
        path = check_file(path)
    elif words is None:
        raise UsageError(msg.EMPTY_TEXT)
    else:
        path = None
    heard = hear_words(words)
    store = _open(paths)
    try:
        with store.tx() as db:
            item_id, uid = insert_hope_item(db, kind=kind, text=words, path=path, when=now)
    finally:
        store.close()
    return Added(item_id, uid, heard)


def list_items(paths: Paths) -> list[HopeEntry]:
    """Every item, oldest first (none when there is no log yet)."""
    from selfback.store.db import database_exists
    from selfback.store.hope import hope_items

    if not database_exists(paths):
        return []
    store = _open(paths)
    try:
        return [_entry(i) for i in hope_items(store)]
    finally:
        store.close()


def get_item(paths: Paths, item_id: int) -> HopeEntry:
    """Item ``item_id``; a UsageError when there is none."""
    from selfback.store.db import database_exists
    from selfback.store.hope import hope_item

    found = None
    if database_exists(paths):
        store = _open(paths)
        try:
            found = hope_item(store, item_id)
        finally:
            store.close()
    if found is None:
        raise UsageError(msg.NO_SUCH_ITEM.format(id=item_id))
    return _entry(found)


def remove_item(paths: Paths, item_id: int) -> None:
    """Remove item ``item_id``; a UsageError when there is none."""
    from selfback.store.hope import delete_hope_item

    get_item(paths, item_id)
    store = _open(paths)
    try:
        with store.tx() as db:
            gone = delete_hope_item(db, item_id)
    finally:
        store.close()
    if not gone:
        raise UsageError(msg.NO_SUCH_ITEM.format(id=item_id))


# -- opening a file ---------------------------------------------------------------------------

Runner = Callable[[list[str]], None]


def _start(argv: list[str]) -> None:
    """Start the system's opener and let it go on by itself."""
    import subprocess

    subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _run(argv: list[str]) -> None:
    """Run a replacement opener (``SELFBACK_OPENER``) to the end."""
    import subprocess

    subprocess.run(argv, check=True, timeout=30, stdin=subprocess.DEVNULL)


def _system_opener() -> list[str] | None:
    import shutil
    import sys

    if sys.platform == "darwin":
        return ["open"]
    found = shutil.which("xdg-open")
    return [found] if found else None


def open_file(path: str, *, start: Runner = _start) -> str | None:
    """Open the file with the system's usual app. Call only after the person said yes.
    Returns None when it was handed over, else the sentence to show."""
    import shlex
    import subprocess
    import sys

    if not Path(path).is_file():
        return msg.FILE_GONE.format(path=path)
    spec = os.environ.get(OPENER_VAR, "").strip()
    if spec.lower() == "none":
        return msg.OPENER_OFF.format(path=path)
    try:
        if spec:
            _run([*shlex.split(spec), path])
            return None
        if sys.platform == "win32":
            os.startfile(path)  # the usual app on Windows
            return None
        opener = _system_opener()
        if opener is None:
            return msg.NO_OPENER.format(path=path)
        start([*opener, path])
    except (OSError, ValueError, subprocess.SubprocessError):
        return msg.OPEN_FAILED.format(path=path)
    return None


# -- inside cope ------------------------------------------------------------------------------


def cope_items(paths: Paths, *, limit: int = COPE_ITEMS) -> tuple[list[HopeEntry], int]:
    """A few items for a hard moment in ``cope`` (text first, a few at random when there
    are more) and how many there are in all. Never raises: cope goes on without them."""
    import random

    try:
        entries = list_items(paths)
    except Exception:  # the hope box must never stop cope
        from selfback.crashlog import log

        log.exception("reading the hope box for cope")
        return [], 0
    total = len(entries)
    if total > limit:
        entries = random.sample(entries, limit)
    entries.sort(key=lambda e: (e.is_file, e.item.added_utc, e.item.id))
    return entries, total


def offers_hope(paths: Paths, distress: int | None) -> bool:
    """Whether cope offers the hope box: distress 8 or more, and items in it."""
    from selfback.store.hope import count_items_quietly

    return distress is not None and distress >= COPE_DISTRESS and count_items_quietly(paths) > 0


# -- notes for next time ----------------------------------------------------------------------


@dataclass(frozen=True)
class NoteKept:
    uid: str
    heard: Heard | None


def note_for(paths: Paths, situation: str | None) -> NextTimeNote | None:
    """The newest note for ``situation`` (None when there is none). Never raises."""
    from selfback.store.db import database_exists
    from selfback.store.hope import latest_next_time_note

    if not situation:
        return None
    try:
        if not database_exists(paths):
            return None
        store = _open(paths)
        try:
            return latest_next_time_note(store, situation)
        finally:
            store.close()
    except Exception:  # a note is a kindness; cope goes on without it
        from selfback.crashlog import log

        log.exception("reading the note for next time")
        return None


def keep_note(
    paths: Paths,
    now: datetime,
    *,
    situation: str,
    text: str,
    skill_id: str | None = None,
    skill_title: str | None = None,
    session_uid: str | None = None,
) -> NoteKept:
    """Keep a note for next time ``situation`` comes up (a SelfbackError if it cannot
    be written; a UsageError when empty or too long)."""
    from selfback.store.hope import insert_next_time_note

    words = check_text(text)
    if words is None:
        raise UsageError(msg.NOTE_EMPTY)
    heard = hear_words(words)
    store = _open(paths)
    try:
        with store.tx() as db:
            uid = insert_next_time_note(
                db,
                situation=situation,
                text=words,
                when=now,
                skill_id=skill_id,
                skill_title=skill_title,
                session_uid=session_uid,
            )
    finally:
        store.close()
    return NoteKept(uid, heard)


# -- the hooks cope calls ---------------------------------------------------------------------


class HopeScreens(Protocol):
    """What cope's screens show of the hope box (``selfback.ui.hope.CopeHopeLines``)."""

    def offer_box(self) -> bool:
        """Ask whether to look at the hope box first."""

    def show_items(self, entries: list[HopeEntry], total: int) -> None: ...
    def show_note(self, note: NextTimeNote) -> None: ...
    def offer_note(self) -> str | None:
        """Offer a note for next time; the words typed, or None."""

    def heard(self, heard: Heard) -> None: ...
    def say(self, text: str) -> None: ...


class HopeInCope:
    """The two moments cope calls: before the skill choice (the box at high distress,
    the note left for this situation) and after a skill that helped (offer a note)."""

    def __init__(self, paths: Paths, clock: Clock, screens: HopeScreens) -> None:
        self.paths = paths
        self.clock = clock
        self.screens = screens

    def before_skills(self, distress: int | None, situation: str | None) -> None:
        if offers_hope(self.paths, distress) and self.screens.offer_box():
            entries, total = cope_items(self.paths)
            if entries:
                self.screens.show_items(entries, total)
        note = note_for(self.paths, situation)
        if note is not None:
            self.screens.show_note(note)

    def after_skill(
        self,
        *,
        situation: str | None,
        before: int | None,
        after: int | None,
        skill_id: str,
        skill_title: str | None,
        session_uid: str | None,
    ) -> None:
        """After the second rating: when it is lower than the first and the situation is
        known, offer a note for next time and keep it."""
        from selfback.errors import SelfbackError
        from selfback.walk.rules import helped

        if not situation or not helped(before, after):
            return
        text = self.screens.offer_note()
        if text is None:
            return
        try:
            kept = keep_note(
                self.paths,
                self.clock.now(),
                situation=situation,
                text=text,
                skill_id=skill_id,
                skill_title=skill_title,
                session_uid=session_uid,
            )
        except SelfbackError as exc:
            self.screens.say(msg.NOTE_NOT_SAVED.format(problem=exc.message))
            return
        if kept.heard is not None:
            self.screens.heard(kept.heard)
            record_heard(self.paths, kept.heard, ref_uid=kept.uid)
        self.screens.say(msg.NOTE_SAVED)
