"""Every fault the fault-injection run found (issue 18, item 6), each fixed and pinned:
backup checks before the rename and doctor names the newest good backup; an emptied
database is reported; a newer database is left byte for byte; a full disk still reads and
copies out; cope never says "Saved" when it was not; the plan copy follows the commit and
imports; oversized numbers, deep nesting and out-of-range ids get one sentence; settings
are type-checked strictly."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from selfback.paths import get_paths
from selfback.store.migrations import LATEST

CLI = Callable[..., Any]


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def logged(cli: CLI) -> None:
    assert cli("checkin", "--mood", "6").exit_code == 0


# -- backup and doctor --------------------------------------------------------------------


def test_a_copy_that_fails_the_check_is_never_kept(
    cli: CLI, home: Path, logged: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("selfback.store.db.check_copy", lambda conn: ["*** page 3 is damaged"])
    r = cli("backup")
    assert r.exit_code == 3, r
    assert "did not pass SQLite's check" in r.stderr and "was not kept" in r.stderr
    assert _files(home / "backups") == []  # neither the damaged copy nor a temporary file


def test_the_check_runs_before_the_rename(cli: CLI, home: Path, logged: None) -> None:
    from selfback.store import db

    seen: list[list[str]] = []
    real = db.check_copy

    def check(conn: sqlite3.Connection) -> list[str]:
        seen.append(_files(home / "backups"))
        return real(conn)

    db.check_copy = check  # type: ignore[assignment]
    try:
        assert cli("backup").exit_code == 0
    finally:
        db.check_copy = real  # type: ignore[assignment]
    [names] = seen
    assert all(n.startswith(".") for n in names)  # only the temporary copy, not yet named


def test_doctor_names_the_newest_good_backup(cli: CLI, home: Path, logged: None) -> None:
    assert cli("backup").exit_code == 0
    [good] = list((home / "backups").glob("*.db"))
    damaged = home / "backups" / "selfback-20991231-235959.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    os.utime(good, (1_000_000_000, 1_000_000_000))  # the damaged one is the newest
    (home / "selfback.db").write_bytes(b"garbage" * 100)
    r = cli("doctor")
    assert r.exit_code == 1
    assert f"newest good backup in its place: cp {good}" in r.stdout
    assert f"leave them: {damaged.name}" in r.stdout
    assert f"cp {damaged}" not in r.stdout


def test_an_emptied_database_with_backups_is_reported_not_new(
    cli: CLI, home: Path, logged: None
) -> None:
    assert cli("backup").exit_code == 0
    db = home / "selfback.db"
    db.write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    r = cli("checkin", "--mood", "5")
    assert r.exit_code == 3, r
    assert "is empty (0 bytes)" in r.stderr
    assert db.stat().st_size == 0
    doctor = cli("doctor")
    assert "is empty (0 bytes)" in doctor.stdout and "newest good backup" in doctor.stdout
    assert cli("history").exit_code == 3


def test_an_emptied_database_with_only_a_plan_copy_is_reported(cli: CLI, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "selfback.db").write_bytes(b"")
    (home / "safety-plan.json").write_text(json.dumps({"reasons": ["my cat"]}))
    assert cli("checkin", "--mood", "5").exit_code == 3


def test_an_empty_database_alone_is_still_a_new_one(cli: CLI, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "selfback.db").write_bytes(b"")
    assert cli("checkin", "--mood", "5").exit_code == 0


def _newer_database(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    db = home / "selfback.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE future (x)")
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.commit()
    conn.close()
    db.chmod(0o644)
    return db


@pytest.mark.parametrize("command", [("checkin", "--mood", "5"), ("history",), ("backup",)])
def test_a_newer_database_is_left_byte_for_byte(
    cli: CLI, home: Path, command: tuple[str, ...]
) -> None:
    db = _newer_database(home)
    before = db.read_bytes()
    r = cli(*command)
    if command == ("backup",):  # a copy, read-only: safe to make for the newer selfback
        assert r.exit_code == 0, r
    else:
        assert r.exit_code == 3, r
        assert "written by a newer selfback" in r.stderr and "not touched" in r.stderr
    assert db.read_bytes() == before
    assert stat.S_IMODE(db.stat().st_mode) == 0o644
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def test_doctor_leaves_a_newer_database_untouched(cli: CLI, home: Path) -> None:
    db = _newer_database(home)
    before = db.read_bytes()
    r = cli("doctor")
    assert "written by a newer selfback" in r.stdout
    assert db.read_bytes() == before and stat.S_IMODE(db.stat().st_mode) == 0o644


# -- a full disk: reading and copying out still work -----------------------------------------


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite on a full disk: no write connection, and no read-only one either, as the
    -shm file cannot be made; only an immutable read works."""
    from selfback.store import db

    real = db.connect

    def connect(path: Path, *, readonly: bool = False, query: str = "mode=ro") -> Any:
        if not readonly or query == "mode=ro":
            raise sqlite3.OperationalError("database or disk is full")
        return real(path, readonly=True, query=query)

    monkeypatch.setattr(db, "connect", connect)


def test_a_full_disk_still_reads(cli: CLI, logged: None, full_disk: None) -> None:
    r = cli("history", "--json")
    assert r.exit_code == 0, r
    assert len(json.loads(r.stdout)["checkins"]) == 1
    assert cli("trends").exit_code == 0


def test_a_full_disk_still_copies_out(
    cli: CLI, logged: None, full_disk: None, tmp_path: Path
) -> None:
    other = tmp_path / "other-disk"
    other.mkdir()
    r = cli("backup", str(other))
    assert r.exit_code == 0, r
    r = cli("export", "-f", "json", "-o", str(other / "all.json"), "--no-notes")
    assert r.exit_code == 0, r
    assert json.loads((other / "all.json").read_text())["checkins"]


def test_a_full_disk_says_so_on_a_write(cli: CLI, logged: None, full_disk: None) -> None:
    r = cli("checkin", "--mood", "5")
    assert r.exit_code == 3, r
    assert "The disk is full, so nothing was saved" in r.stderr


def test_cope_never_says_saved_when_the_save_failed(
    cli: CLI, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from selfback.errors import DataError
    from test_cope_pty import TINY_SKILLS

    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in TINY_SKILLS.items():
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    monkeypatch.setenv("SELFBACK_SKILLS_PATH", str(folder))
    assert cli("cope", "tiny-choose", input="5\n\n\n2\n4\n\n3\n").exit_code == 0
    assert "Saved in your log" in cli("cope", "tiny-choose", input="5\n\n\n2\n4\n\n3\n").stdout

    def no_space(*a: object, **k: object) -> None:
        raise DataError("The disk is full, so nothing was saved.")

    monkeypatch.setattr("selfback.store.sessions.save_session", no_space)
    r = cli("cope", "tiny-choose", input="5\n\n\n2\n4\n\n3\n")
    assert r.exit_code == 0, r
    assert "The disk is full" in r.stdout
    assert "Saved in your log" not in r.stdout


# -- the plan copy sos reads ---------------------------------------------------------------


def _save_plan(reason: str, when: str) -> None:
    from datetime import datetime

    from selfback.safety.plan import SafetyPlan, save_plan

    save_plan(get_paths(), SafetyPlan(reasons=[reason]), now=datetime.fromisoformat(when))


def test_doctor_repairs_a_plan_copy_behind_the_database(cli: CLI, home: Path) -> None:
    _save_plan("first", "2026-11-01T10:00:00+00:00")
    stale = (home / "safety-plan.json").read_bytes()
    _save_plan("second", "2026-11-02T10:00:00+00:00")
    (home / "safety-plan.json").write_bytes(stale)  # as a kill before the copy left it
    r = cli("doctor", "--json")
    [check] = [c for c in json.loads(r.stdout)["checks"] if c["name"] == "Plan copy"]
    assert "written again" in check["detail"]
    assert "second" in cli("sos", "--plain").stdout
    again = json.loads(cli("doctor", "--json").stdout)
    [check] = [c for c in again["checks"] if c["name"] == "Plan copy"]
    assert "written again" not in check["detail"]


def test_importing_an_older_export_keeps_the_newest_plan(
    cli: CLI, home: Path, tmp_path: Path
) -> None:
    _save_plan("old reason", "2026-10-01T10:00:00+00:00")
    out = tmp_path / "old.json"
    assert (
        cli("export", "-f", "json", "-o", str(out), "--include-plan", "--no-notes").exit_code == 0
    )
    # A new home holds a newer plan; the older export is imported into it.
    (home / "selfback.db").unlink()
    for name in ("selfback.db-wal", "selfback.db-shm", "safety-plan.json"):
        (home / name).unlink(missing_ok=True)
    _save_plan("new reason", "2026-11-20T10:00:00+00:00")
    r = cli("import", str(out))
    assert r.exit_code == 0, r
    shown = cli("plan", "show").stdout
    assert "new reason" in shown and "old reason" not in shown
    assert "new reason" in cli("sos", "--plain").stdout


# -- oversized numbers, deep nesting, out-of-range ids, strict settings ----------------------

DEEP = '{"a":' * 100_000 + "1" + "}" * 100_000
BIG = "9" * 5000


@pytest.mark.parametrize("text", [DEEP, '{"reduced_motion": ' + BIG + "}"])
@pytest.mark.parametrize("command", [("doctor",), ("config", "show"), ("checkin", "--mood", "5")])
def test_a_deep_or_huge_config_gets_one_sentence(
    cli: CLI, home: Path, text: str, command: tuple[str, ...]
) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.json").write_text(text)
    r = cli(*command)
    assert "Something went wrong inside selfback" not in r.output
    if command[0] == "config":
        assert r.exit_code == 3
        assert r.stderr.count("\n") == 1 and "settings file" in r.stderr
    if command[0] == "doctor":
        assert "settings file" in r.stdout and "damaged" in r.stdout


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"log_crisis_openings": 0}', "log_crisis_openings must be true or false"),
        ('{"reduced_motion": "yes"}', "reduced_motion must be true or false"),
        ('{"measure_reminders": null}', "measure_reminders must be true or false"),
        ('{"country": 44}', "country must be a two-letter country code"),
    ],
)
def test_settings_are_type_checked_strictly(cli: CLI, home: Path, text: str, words: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.json").write_text(text)
    r = cli("config", "show")
    assert r.exit_code == 3, r
    assert words in r.stderr


def test_settings_that_are_right_still_load(cli: CLI, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.json").write_text('{"country": "gb", "reduced_motion": true}')
    r = cli("config", "show")
    assert r.exit_code == 0, r
    assert "GB" in r.stdout


@pytest.mark.parametrize("text", [DEEP, '{"format": "selfback-export", "x": ' + BIG + "}"])
def test_a_deep_or_huge_import_gets_one_sentence(cli: CLI, tmp_path: Path, text: str) -> None:
    f = tmp_path / "export.json"
    f.write_text(text)
    r = cli("import", str(f))
    assert r.exit_code == 3, r
    assert "Nothing was imported" in r.stderr and r.stderr.count("\n") == 1


def test_a_deep_plan_copy_does_not_break_plan_show_or_sos(cli: CLI, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "safety-plan.json").write_text(DEEP)
    r = cli("plan", "show")
    assert "Something went wrong inside selfback" not in r.output
    assert cli("sos", "--plain").exit_code == 0


@pytest.mark.parametrize("ident", ["99999999999999999999", "9223372036854775808"])
def test_an_out_of_range_id_gets_one_sentence(cli: CLI, logged: None, ident: str) -> None:
    r = cli("history", "show", ident)
    assert r.exit_code == 2, r
    assert "out of range" in r.stderr and r.stderr.count("\n") == 1


def test_a_huge_number_in_a_skill_or_tracker_file_leaves_cope_and_checkin(
    cli: CLI, home: Path
) -> None:
    for folder, text in (
        (
            "skills",
            f"id: big\ntitle: Big\nversion: 1\nsteps:\n  - kind: timer\n    seconds: {BIG}\n",
        ),
        ("trackers", f"id: bigt\nlabel: Big\nkind: scale\nmin: 0\nmax: {BIG}\n"),
    ):
        (home / folder).mkdir(parents=True, exist_ok=True)
        (home / folder / "big.yaml").write_text(text)
    assert cli("checkin", "--mood", "5").exit_code == 0
    r = cli("cope", "box-breathing", input="5\n")
    assert "Something went wrong inside selfback" not in r.output
    assert "big.yaml" in cli("skills", "list").output


# A real full disk: a 1 MB tmpfs in a private mount namespace (skipped where the system
# does not allow one). Everything runs inside the namespace, so nothing outlives the test.
FULL_DISK_SCRIPT = r"""
set -u
mount -t tmpfs -o size=1m tmpfs "$DISK" || exit 99
export SELFBACK_HOME="$DISK/home"
run() {
    name=$1; shift
    "$PY" -m selfback "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    echo $? >"$OUT/$name.rc"
}
run first checkin --mood 5
echo "a note" | "$PY" -m selfback checkin --mood 4 --note - >/dev/null 2>&1
dd if=/dev/zero of="$DISK/fill" bs=4k >/dev/null 2>&1
run history history --json
run trends trends
run plan plan show
run backup backup "$OUT"
run export export -f json -o "$OUT/all.json" --notes --since all
run stdout export -f json -o - --no-notes
run checkin checkin --mood 3
exit 0
"""


def test_a_real_full_disk_reads_copies_out_and_says_so(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    if shutil.which("unshare") is None:
        pytest.skip("no unshare here")
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    env = dict(os.environ, DISK=str(disk), OUT=str(out), PY=sys.executable)
    proc = subprocess.run(
        ["unshare", "-rm", "sh", "-c", FULL_DISK_SCRIPT], env=env, capture_output=True, check=False
    )
    if proc.returncode != 0:
        pytest.skip(f"no private tmpfs here ({proc.returncode}: {proc.stderr[-200:]!r})")

    def rc(name: str) -> int:
        return int((out / f"{name}.rc").read_text())

    assert rc("first") == 0
    assert rc("history") == 0, (out / "history.err").read_text()
    assert len(json.loads((out / "history.out").read_text())["checkins"]) == 2
    assert rc("trends") == 0 and rc("plan") == 0
    assert rc("backup") == 0, (out / "backup.err").read_text()
    assert rc("export") == 0, (out / "export.err").read_text()
    assert json.loads((out / "all.json").read_text())["checkins"]
    # Nothing can be written in the full home, not even the file for standard output.
    assert rc("stdout") == 1 and "Free some space" in (out / "stdout.err").read_text()
    assert rc("checkin") == 3
    err = (out / "checkin.err").read_text()
    assert "Nothing was saved" in err and err.count("\n") == 1
    assert "Something went wrong inside selfback" not in "".join(
        f.read_text() for f in out.glob("*.err")
    )


@pytest.mark.parametrize(("setting", "logged_openings"), [("0", 0), ('"no"', 0), ("true", 1)])
def test_log_crisis_openings_0_is_not_read_as_yes(
    cli: CLI, home: Path, logged: None, setting: str, logged_openings: int
) -> None:
    (home / "config.json").write_text('{"log_crisis_openings": ' + setting + "}")
    assert cli("sos", "--plain").exit_code == 0
    conn = sqlite3.connect(home / "selfback.db")
    try:
        [(n,)] = conn.execute("SELECT COUNT(*) FROM crisis_openings").fetchall()
    finally:
        conn.close()
    assert n == logged_openings


def test_sos_with_a_deep_config_still_shows_the_lines(cli: CLI, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.json").write_text(DEEP)
    r = cli("sos", "--plain")
    assert r.exit_code == 0
    assert "emergency number" in r.stdout
    assert "Something went wrong" not in r.output
    log = home / "crash.log"
    assert not log.exists() or "RecursionError" not in log.read_text()  # read as damaged
