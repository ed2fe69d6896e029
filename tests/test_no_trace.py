"""No trace left (issue 18, item 5): drafts and temporary files stay in the private home,
SIGTERM and SIGHUP clean up as Ctrl-C does, a kill's leftovers go at the next start,
`doctor` names what it removes, exports replace only regular files, `-o -` writes to
standard output, and `backup` leaves an existing folder's mode alone."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.scratch import scratch_file, sweep, writing_in

SECRET = "my very private draft words"


def _dead_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _slow_editor(tmp_path: Path) -> tuple[Path, Path]:
    """An editor that writes the secret into the draft, says where it is, and waits."""
    where = tmp_path / "draft-was-at"
    editor = tmp_path / "slow-editor"
    editor.write_text(f'#!/bin/sh\nprintf "{SECRET}\\n" >> "$1"\necho "$1" > "{where}"\nsleep 30\n')
    editor.chmod(0o700)
    return editor, where


def _wait_for(path: Path, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not (path.exists() and path.read_text().strip()):
        if time.monotonic() > end:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.02)


def test_the_draft_is_in_the_private_tmp_folder(
    cli: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path
) -> None:
    seen = tmp_path / "seen"
    editor = tmp_path / "editor"
    editor.write_text(f'#!/bin/sh\necho "$1" > "{seen}"\nprintf "words\\n" >> "$1"\n')
    editor.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(editor))
    assert cli("checkin", "--mood", "5", "--edit").exit_code == 0
    draft = Path(seen.read_text().strip())
    assert draft.parent == home / "tmp"
    assert not draft.exists()
    assert stat.S_IMODE((home / "tmp").stat().st_mode) == 0o700


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_remove_the_draft(
    spawn: Callable[..., Any], tmp_path: Path, home: Path, sig: signal.Signals
) -> None:
    editor, where = _slow_editor(tmp_path)
    child = spawn("checkin", "--mood", "5", "--edit", env={"EDITOR": str(editor)})
    _wait_for(where)
    draft = Path(where.read_text().strip())
    assert draft.exists() and SECRET in draft.read_text()
    child.kill(sig)
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 128 + sig
    assert not draft.exists()
    assert not list((home / "tmp").iterdir())


def pexpect_eof() -> Any:
    import pexpect

    return pexpect.EOF


def test_a_kills_leftovers_go_at_the_next_start(cli: Any, home: Path, tmp_path: Path) -> None:
    cli("checkin", "--mood", "5")
    dead = _dead_pid()
    paths = get_paths()
    (home / "tmp").mkdir(mode=0o700, exist_ok=True)
    draft = home / "tmp" / f"draft-{dead}-abc123.txt"
    plan_tmp = home / f".safety-plan.json.{dead}-k3j9x0ab.tmp"
    backups = home / "backups"
    backups.mkdir(mode=0o700)
    backup_tmp = backups / f".selfback-1.db.{dead}-zz9x0abc.tmp"
    journal = backups / f".selfback-1.db.{dead}-zz9x0abc.tmp-journal"
    usb = tmp_path / "usb"
    usb.mkdir()
    export_tmp = usb / f".report.html.{dead}-q1w2e3r4.tmp"
    note = home / "tmp" / f"where-{dead}-aaaa1111"
    note.write_text(str(usb) + "\n")
    for f in (draft, plan_tmp, backup_tmp, journal, export_tmp):
        f.write_text(SECRET)
    # Not ours to remove: the person's own file, the database, a live run's file.
    theirs = usb / ".report.html.tmp"
    theirs.write_text("mine")
    database = home / "selfback.db"
    live = subprocess.Popen(["sleep", "30"])
    try:
        live_tmp = home / f".safety-plan.json.{live.pid}-abcdefgh.tmp"
        live_tmp.write_text("being written")
        r = cli("history")
        assert r.exit_code == 0, r
        for f in (draft, plan_tmp, backup_tmp, journal, export_tmp, note):
            assert not f.exists(), f
        assert theirs.exists() and live_tmp.exists() and database.stat().st_size > 0
    finally:
        live.kill()
        live.wait()
    assert paths.tmp_dir == home / "tmp"


def test_a_note_for_a_missing_folder_is_kept_for_later(home: Path, tmp_path: Path) -> None:
    dead = _dead_pid()
    (home / "tmp").mkdir(parents=True, mode=0o700)
    note = home / "tmp" / f"where-{dead}-aaaa1111"
    note.write_text(str(tmp_path / "unplugged-usb") + "\n")
    assert sweep(get_paths()) == []
    assert note.exists()


def test_writing_in_notes_the_folder_and_removes_the_note(home: Path, tmp_path: Path) -> None:
    paths = get_paths()
    with writing_in(paths, [tmp_path]):
        notes = list(paths.tmp_dir.iterdir())
        assert len(notes) == 1 and notes[0].read_text().strip() == str(tmp_path)
    assert list(paths.tmp_dir.iterdir()) == []
    f = scratch_file(paths, "out", ".html")
    assert f.name.startswith(f"out-{os.getpid()}-") and stat.S_IMODE(f.stat().st_mode) == 0o600


def test_doctor_reports_and_removes_leftovers(cli: Any, home: Path) -> None:
    cli("checkin", "--mood", "5")
    dead = _dead_pid()
    (home / "tmp").mkdir(mode=0o700, exist_ok=True)
    draft = home / "tmp" / f"draft-{dead}-abc123.txt"
    draft.write_text(SECRET)
    old = home / "drafts"
    old.mkdir(mode=0o700)
    old_draft = old / "note-x1y2.txt"
    old_draft.write_text(SECRET)
    os.utime(old_draft, (time.time() - 7200, time.time() - 7200))
    r = cli("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    leftovers = checks["Leftovers"]
    assert "removed 2" in leftovers["detail"]
    assert any(str(draft) in p for p in leftovers["problems"])
    assert not draft.exists() and not old_draft.exists()
    again = json.loads(cli("doctor", "--json").stdout)
    assert {c["name"]: c for c in again["checks"]}["Leftovers"]["problems"] == []


# -- exports replace only regular files; `-o -` is standard output -------------------------


@pytest.fixture
def logged(cli: Any) -> None:
    assert cli("checkin", "--mood", "6").exit_code == 0


def test_export_refuses_a_fifo(cli: Any, tmp_path: Path, logged: None) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = cli("export", "-f", "md", "-o", str(fifo), "--no-notes")
    assert r.exit_code == 2, r
    assert "not a regular file" in r.stderr and "Traceback" not in r.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "pipe"]


def test_export_refuses_a_device(cli: Any, logged: None) -> None:
    r = cli("export", "-f", "md", "-o", "/dev/null", "--no-notes")
    assert r.exit_code == 2, r
    assert "not a regular file" in r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_stdout(cli: Any, home: Path, logged: None) -> None:
    r = cli("export", "-f", "json", "-o", "-", "--no-notes", "--since", "all")
    assert r.exit_code == 0, r
    data = json.loads(r.stdout)
    assert data["checkins"]
    assert "standard output" in r.stderr
    assert list((home / "tmp").iterdir()) == []


def test_export_to_stdout_in_a_pipe(home: Path, logged: None) -> None:
    env = dict(os.environ, SELFBACK_HOME=str(home))
    proc = subprocess.run(
        [sys.executable, "-m", "selfback", "export", "-f", "pdf", "-o", "-", "--no-notes"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"%PDF")
    assert list((home / "tmp").iterdir()) == []


# -- backup leaves an existing folder alone ----------------------------------------------


def test_backup_keeps_the_mode_of_an_existing_folder(
    cli: Any, tmp_path: Path, logged: None
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    r = cli("backup", str(shared))
    assert r.exit_code == 0, r
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    (copy,) = shared.iterdir()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_backup_makes_its_own_folder_private(cli: Any, home: Path, logged: None) -> None:
    assert cli("backup").exit_code == 0
    assert stat.S_IMODE((home / "backups").stat().st_mode) == 0o700
    names = [p.name for p in (home / "backups").iterdir()]
    assert all(not n.startswith(".") for n in names), names


# -- a SIGKILL loop: whatever the moment of the kill, the next start leaves no plaintext --


def _plaintext_leftovers(home: Path, out: Path) -> list[Path]:
    """Files holding the secret that are not the database, a finished backup or a finished
    export: what a kill must never leave behind once selfback has started again."""
    kept = {"selfback.db", "selfback.db-wal", "selfback.db-shm", "selfback.db-journal"}
    found = []
    for folder in (home, out):
        for f in folder.rglob("*"):
            if not f.is_file() or f.is_symlink():
                continue
            finished_backup = f.parent.name in ("backups", "out") and f.name.endswith(".db")
            finished_export = f.parent == out and not f.name.startswith(".")
            if f.name in kept or (finished_backup and not f.name.startswith(".")):
                continue
            if finished_export:
                continue
            if SECRET.encode() in f.read_bytes():
                found.append(f)
    return found


def test_sigkill_loop_leaves_no_plaintext_after_the_next_start(
    cli: Any, spawn: Callable[..., Any], home: Path, tmp_path: Path
) -> None:
    import random

    # The kill moments come from a fixed seed (SELFBACK_TEST_SEED tries others).

    assert cli("checkin", "--mood", "4", "--note", "-", input=SECRET + "\n").exit_code == 0
    editor, where = _slow_editor(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    runs = [
        ("checkin", "--mood", "5", "--edit"),
        ("export", "-f", "html", "--notes", "--since", "all", "-o", str(out / "r.html")),
        ("export", "-f", "json", "--notes", "--since", "all", "-o", str(out / "r.json")),
        ("backup", str(out)),
        ("backup",),
        ("export", "-f", "md", "--notes", "--since", "all", "-o", "-"),
    ]
    rng = random.Random(int(os.environ.get("SELFBACK_TEST_SEED", "18")))
    killed_with_leftovers = 0
    for i in range(24):
        args = runs[i % len(runs)]
        where.unlink(missing_ok=True)
        child = spawn(*args, env={"EDITOR": str(editor)})
        if args[0] == "checkin" and rng.random() < 0.5:
            _wait_for(where)  # for half the check-ins, kill while the draft is open
        time.sleep(rng.uniform(0.0, 0.6))
        with contextlib.suppress(ProcessLookupError):  # it may have ended on its own
            os.killpg(child.pid, signal.SIGKILL)
        child.close(force=True)
        killed_with_leftovers += bool(_plaintext_leftovers(home, out))
        # The next start (any command) removes what the kill left.
        assert cli("--help").exit_code == 0
        leftovers = _plaintext_leftovers(home, out)
        assert leftovers == [], (args, leftovers)
        tmp_left = list((home / "tmp").iterdir()) if (home / "tmp").exists() else []
        assert tmp_left == [], (args, tmp_left)
    assert killed_with_leftovers >= 2  # the kills did land mid-write


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_mid_skill_saves_the_session_as_ctrl_c_does(
    spawn: Callable[..., Any], home: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    import sqlite3

    from test_cope_pty import TINY_SKILLS

    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in TINY_SKILLS.items():
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    home.mkdir(parents=True, exist_ok=True)
    (home / ".welcomed").write_text("welcomed\n")
    child = spawn("cope", "tiny-timer", env={"SELFBACK_SKILLS_PATH": str(folder)})
    child.expect_exact("0 to 10?")
    child.sendline("6")
    child.expect_exact("Enter to begin")
    child.sendline("")
    child.expect(r"(?i)step 1 of 3")
    child.expect_exact("> ")
    child.kill(sig)
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 128 + sig
    conn = sqlite3.connect(home / "selfback.db")
    try:
        [(status, ended)] = conn.execute("SELECT status, ended_at FROM coping_sessions").fetchall()
    finally:
        conn.close()
    assert status == "stopped" and ended


@pytest.mark.parametrize(
    "where",
    ["selfback.store.safety.insert_crisis_opening", "selfback.store.safety.insert_risk_flag"],
)
def test_a_signal_is_not_swallowed_where_ctrl_c_only_skips_a_log_entry(
    cli: Any, home: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from selfback.errors import Stopped
    from selfback.safety.crisis import record_opening as opening
    from selfback.safety.risk import record_flag

    assert cli("checkin", "--mood", "5").exit_code == 0
    paths = get_paths()

    def record_opening(paths: Any, source: str) -> None:
        if where.endswith("opening"):
            opening(paths, source)
        else:
            record_flag(paths, source="checkin", kind="words")

    def interrupted(*a: object, **k: object) -> None:
        raise KeyboardInterrupt

    def stopped(*a: object, **k: object) -> None:
        raise Stopped

    monkeypatch.setattr(where, interrupted)
    record_opening(paths, "sos")  # Ctrl-C: the log entry is skipped, the run goes on
    monkeypatch.setattr(where, stopped)
    with pytest.raises(Stopped):
        record_opening(paths, "sos")
