"""No trace left: drafts and temporary files, and cleaning up after a kill.

Every temporary file selfback writes carries the id of the process that writes it in its
name (``selfback.fsutil.temp_prefix``: ``.export.html.4242-k3j9x0ab.tmp``), and so does
everything in the private scratch folder (``Paths.tmp_dir``):

- ``draft-<pid>-...``: a note being written in $EDITOR;
- ``out-<pid>-...``: an export on its way to standard output;
- ``plan-<pid>-...``: a safety plan is being saved; until the copy ``sos`` reads is
  written after the commit (``selfback.safety.plan_copy`` repairs it when this is left);
- ``where-<pid>-...``: a note that this process writes temporary files in another folder
  (an export to the current folder or a USB stick, a backup to a chosen folder). It is
  written *before* the first temporary file there, and removed after the last.

Ctrl-C, SIGTERM and SIGHUP remove a run's files as it stops (``selfback.main``). A kill
that cannot be caught (SIGKILL, a power cut) leaves them; ``sweep`` removes them at the
next start: it looks only in selfback's own folders and in folders a ``where`` note
names, removes only names of that shape whose process is gone, and never touches the
database or its own ``-wal`` and ``-journal`` files. Cheap enough for every start: a
handful of folder listings, and nothing is read unless a ``where`` note is there.

Standard library only: ``selfback.main`` calls it before anything else is loaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from selfback.fsutil import ensure_dir
from selfback.paths import Paths

# A temporary file next to its target, and what SQLite adds to a temporary copy.
_TEMP = re.compile(r"^\..+\.(\d+)-[a-z0-9_]+\.tmp(?:-journal|-wal|-shm)?$")
# Anything in the scratch folder: kind, then the process id.
_SCRATCH = re.compile(r"^(draft|out|where|plan)-(\d+)-")
# Drafts left by an older selfback, which kept them in data_dir/drafts.
_OLD_DRAFTS = "drafts"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (this process counts as gone: a sweep runs
    before it writes anything, so a file with its id is from an earlier run that had the
    same id)."""
    if pid == os.getpid():
        return False
    if os.name == "nt":  # os.kill would end the process there: assume it is alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive
        return True
    return True


def _remove(path: Path, removed: list[Path]) -> None:
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
            removed.append(path)
    except OSError:
        pass


def _sweep_folder(folder: Path, removed: list[Path], pid: int | None = None) -> None:
    """Remove temporary files of gone processes (or of ``pid``) in ``folder``."""
    try:
        with os.scandir(folder) as it:
            names = [e.name for e in it if e.name.startswith(".") and ".tmp" in e.name]
    except OSError:
        return
    for name in names:
        m = _TEMP.match(name)
        if m is None:
            continue
        owner = int(m.group(1))
        if (pid is None and not _alive(owner)) or owner == pid:
            _remove(folder / name, removed)


def _home_folders(paths: Paths) -> list[Path]:
    folders = [
        paths.tmp_dir,  # what an export to standard output writes next to its file
        paths.data_dir,
        paths.config_dir,
        paths.backups_dir,
        paths.user_skills_dir,
        paths.user_trackers_dir,
    ]
    return list(dict.fromkeys(folders))


def _sweep_scratch(paths: Paths, removed: list[Path], only: int | None) -> None:
    try:
        with os.scandir(paths.tmp_dir) as it:
            names = [e.name for e in it]
    except OSError:
        return
    for name in names:
        m = _SCRATCH.match(name)
        if m is None:
            continue
        kind, owner = m.group(1), int(m.group(2))
        if (only is None and _alive(owner)) or (only is not None and owner != only):
            continue
        entry = paths.tmp_dir / name
        if kind == "where":
            try:
                folder = Path(entry.read_text(encoding="utf-8").strip())
            except (OSError, UnicodeDecodeError):
                folder = None
            if folder is not None and folder.is_absolute():
                if not folder.is_dir():
                    continue  # a USB stick that is not plugged in: keep the note for later
                _sweep_folder(folder, removed, pid=owner)
        _remove(entry, removed)


def sweep(paths: Paths) -> list[Path]:
    """Remove what killed runs left behind; the files removed (for ``doctor``)."""
    removed: list[Path] = []
    _sweep_scratch(paths, removed, None)
    for folder in _home_folders(paths):
        _sweep_folder(folder, removed)
    return removed


def sweep_old_drafts(paths: Paths, *, older_than: float = 3600.0) -> list[Path]:
    """Drafts an older selfback left in ``data_dir/drafts`` (no process id in their names,
    so only those not touched for an hour)."""
    import time

    removed: list[Path] = []
    folder = paths.data_dir / _OLD_DRAFTS
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.is_file() and now - entry.stat().st_mtime > older_than:
                _remove(entry, removed)
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed


def clean_own(paths: Paths) -> None:
    """Remove this process's own files (for a stop by a signal, after the ``finally``
    blocks have run, in case one was cut short)."""
    removed: list[Path] = []
    _sweep_scratch(paths, removed, os.getpid())
    for folder in _home_folders(paths):
        _sweep_folder(folder, removed, pid=os.getpid())


def scratch_file(paths: Paths, kind: str, suffix: str = "") -> Path:
    """A new, empty, private (0600) file in the scratch folder; the caller removes it."""
    folder = ensure_dir(paths.tmp_dir)
    fd, name = tempfile.mkstemp(prefix=f"{kind}-{os.getpid()}-", suffix=suffix, dir=folder)
    os.close(fd)
    return Path(name)


def note_file(paths: Paths, kind: str, text: str = "") -> Path | None:
    """A scratch note holding ``text``, or None when it cannot be written (a full disk:
    the work goes on without it, and its leftovers wait for ``doctor``)."""
    note: Path | None = None
    try:
        note = scratch_file(paths, kind)
        if text:
            note.write_text(text, encoding="utf-8")
    except OSError:
        if note is not None:
            with contextlib.suppress(OSError):
                note.unlink()
        return None
    return note


@contextlib.contextmanager
def writing_in(paths: Paths, folders: Iterable[Path]) -> Iterator[None]:
    """Note that this process is about to write temporary files in ``folders`` (outside
    the private home), so that a kill's leftovers there are found and removed later."""
    notes: list[Path] = []
    try:
        for folder in dict.fromkeys(f.absolute() for f in folders):
            note = note_file(paths, "where", str(folder) + "\n")
            if note is not None:
                notes.append(note)
        yield
    finally:
        for note in notes:
            with contextlib.suppress(OSError):
                note.unlink()
