"""Encryption at rest (issue 18 items 1-3): SQLCipher for the log and its backups, a
wrong passphrase changes nothing, sos and checkin work while locked (sealed, merged by
uid at unlock), unlocking once per session with a time-out, SELFBACK_PASSPHRASE."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from selfback.paths import get_paths
from selfback.safety import plan as P
from selfback.safety.plan import Contact, SafetyPlan

HEADER = b"SQLite format 3\x00"
PASS = "correct horse battery staple"
NOTE = "a private note about Pip the dog"
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private per-login folder for the unlocked session, and no passphrase around."""
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    monkeypatch.delenv("SELFBACK_PASSPHRASE", raising=False)
    return folder


def encrypt(cli, passphrase: str = PASS, *args: str):  # type: ignore[no-untyped-def]
    result = cli("passphrase", "set", *args, input=f"{passphrase}\n{passphrase}\n")
    assert result.exit_code == 0, result
    return result


def data_files(home: Path) -> list[Path]:
    files = [home / "selfback.db", *sorted((home / "backups").glob("*.db"))]
    return [f for f in files if f.exists()]


def snapshot(home: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted(home.rglob("*"))
        if p.is_file() and p.name != "crash.log"
    }


def test_encrypted_log_and_backups_have_no_header_and_no_note(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    assert cli("backup").exit_code == 0
    result = encrypt(cli)
    assert "cannot be recovered" in result.stdout
    assert cli("backup").exit_code == 0  # a backup made after: encrypted too
    files = data_files(home)
    assert len(files) == 3
    for f in [*files, *home.glob("selfback.db-*")]:
        data = f.read_bytes()
        assert not data.startswith(HEADER), f
        assert NOTE.encode() not in data and b"Pip the dog" not in data, f
    shown = cli("history")
    assert shown.exit_code == 0 and NOTE in shown.stdout  # unlocked for this session


def test_backup_opens_with_the_passphrase_in_sqlcipher_itself(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlcipher3 import dbapi2  # type: ignore[import-untyped]

    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    encrypt(cli)
    assert cli("backup").exit_code == 0
    for f in data_files(home):
        conn = dbapi2.connect(str(f))
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = '{PASS}'")
        assert conn.execute("SELECT note FROM checkins").fetchone()[0] == NOTE
        conn.close()


def test_wrong_passphrase_changes_nothing(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "6").exit_code == 0
    encrypt(cli)
    assert cli("lock").exit_code == 0
    before = snapshot(home)
    for args, given in (
        (("unlock",), "not it\n"),
        (("passphrase", "change"), "not it\nnew one\nnew one\n"),
        (("passphrase", "remove"), "not it\n"),
    ):
        result = cli(*args, input=given)
        assert result.exit_code != 0, args
        assert result.stderr.strip() == (
            "That passphrase does not open your selfback log. Nothing was changed."
        )
        assert snapshot(home) == before, args
    assert "Locked" in cli("passphrase", "status").stdout


def test_sqlcipher_log_lines_never_reach_the_terminal(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    encrypt(cli)
    assert cli("lock").exit_code == 0
    env = dict(os.environ, SELFBACK_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-m", "selfback", "unlock"],
        input="wrong\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr == "That passphrase does not open your selfback log. Nothing was changed.\n"
    assert "hmac" not in done.stdout + done.stderr and "CORE" not in done.stderr


def test_sos_works_locked_and_shows_the_plan_copy_unless_locked_too(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    paths = get_paths()
    plan = SafetyPlan(helpers=[Contact("Sam", "07700 900123")], reasons=["my dog Pip"])
    P.save_plan(paths, plan, now=NOW)
    encrypt(cli)
    assert cli("lock").exit_code == 0
    result = cli("sos")
    assert result.exit_code == 0 and "Sam" in result.stdout and "emergency" in result.stdout
    assert "locked" in cli("plan", "show").stderr  # the database itself is locked

    # Locking the plan copy too needs nothing unlocked; sos then says where it is.
    said = cli("passphrase", "plan", "locked")
    assert said.exit_code == 0 and "only after" in said.stdout
    assert not paths.plan_file.exists()
    result = cli("sos")
    assert result.exit_code == 0 and "Sam" not in result.stdout
    assert "locked with your passphrase" in " ".join(result.stdout.split())
    # Readable again: needs the log open, and writes the copy back.
    assert cli("passphrase", "plan", "readable").exit_code == 3
    assert cli("unlock", input=PASS + "\n").exit_code == 0
    assert cli("passphrase", "plan", "readable").exit_code == 0
    assert "Sam" in paths.plan_file.read_text(encoding="utf-8")


def test_locked_checkin_is_sealed_and_merged_once_at_unlock(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    encrypt(cli)
    assert cli("lock").exit_code == 0
    result = cli("checkin", "3", "--note", "-", input=NOTE)
    assert result.exit_code == 0, result
    assert "Sealed" in result.stdout
    sealed = list((home / "inbox").glob("*.age"))
    assert len(sealed) == 1
    assert len(sealed[0].stem) == 32  # named by the entry's uid
    assert NOTE.encode() not in sealed[0].read_bytes()
    assert oct(sealed[0].stat().st_mode & 0o777) == "0o600"
    kept = home.parent / "kept.age"
    shutil.copy(sealed[0], kept)

    locked = cli("history")
    assert locked.exit_code == 3 and "selfback unlock" in locked.stderr

    unlocked = cli("unlock", input=PASS + "\n")
    assert unlocked.exit_code == 0, unlocked
    assert "Added 1 entry" in unlocked.stdout
    assert not list((home / "inbox").glob("*.age"))
    shown = cli("history")
    assert NOTE in shown.stdout and "1 check-in" in shown.stdout

    # The same entry carried in again (a sync tool) is merged by uid: nothing doubles.
    shutil.copy(kept, sealed[0])
    assert cli("lock").exit_code == 0
    assert cli("unlock", input=PASS + "\n").exit_code == 0
    assert "1 check-in" in cli("history").stdout


def test_reading_commands_say_plainly_that_the_log_is_locked(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "6").exit_code == 0
    encrypt(cli)
    assert cli("lock").exit_code == 0
    for args in (("history",), ("trends",), ("export", "--format", "json", "-o", "-")):
        result = cli(*args)
        assert result.exit_code == 3, args
        text = " ".join(result.stderr.split())
        assert text.startswith("Your selfback log is locked with your passphrase."), args
        assert "Run selfback unlock to open it." in text
        assert "Traceback" not in result.output


def test_the_session_expires_and_lock_ends_it(cli, home: Path, runtime: Path) -> None:  # type: ignore[no-untyped-def]
    encrypt(cli)
    keys = list((runtime / "selfback").glob("*.key"))
    assert len(keys) == 1 and oct(keys[0].stat().st_mode & 0o777) == "0o600"
    assert PASS not in keys[0].read_text()  # the derived key, never the passphrase
    data = json.loads(keys[0].read_text())
    data["expires"] = 1.0
    keys[0].write_text(json.dumps(data))
    assert cli("history").exit_code == 3
    assert not keys[0].exists()  # an expired key is removed
    assert cli("unlock", "--for", "30m", input=PASS + "\n").exit_code == 0
    assert cli("history").exit_code == 0
    assert cli("lock").stdout.strip() == "Your log is locked."
    assert cli("history").exit_code == 3
    assert "30m or 8h" in cli("unlock", "--for", "3 days", input=PASS + "\n").stderr


def test_without_a_runtime_folder_the_session_file_is_private_and_explained(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    encrypt(cli)
    assert cli("lock").exit_code == 0
    result = cli("unlock", input=PASS + "\n")
    assert "no per-login folder" in " ".join(result.stdout.split())
    (key,) = (home / "session").glob("*.key")
    assert oct(key.stat().st_mode & 0o777) == "0o600"


def test_selfback_passphrase_env_var_opens_and_a_wrong_one_is_one_sentence(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    encrypt(cli)
    assert cli("lock").exit_code == 0
    monkeypatch.setenv("SELFBACK_PASSPHRASE", PASS)
    assert NOTE in cli("history").stdout
    assert "SELFBACK_PASSPHRASE" in cli("lock").stdout  # still opens in this shell
    monkeypatch.setenv("SELFBACK_PASSPHRASE", "wrong")
    result = cli("history")
    assert result.exit_code == 3
    assert result.stderr.startswith("SELFBACK_PASSPHRASE does not open your selfback log.")


def test_change_rekeys_the_log_and_backups_after_a_backup(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    from selfback.store import cipher

    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    encrypt(cli)
    old_salt = cipher.file_salt(home / "selfback.db")
    result = cli("passphrase", "change", input=f"{PASS}\nnew words\nnew words\n")
    assert result.exit_code == 0, result
    assert list((home / "backups").glob("selfback-before-passphrase-change-*.db"))
    for f in data_files(home):
        assert cipher.file_salt(f) not in (None, old_salt), f
    assert cli("lock").exit_code == 0
    assert cli("unlock", input=PASS + "\n").exit_code == 2
    assert cli("unlock", input="new words\n").exit_code == 0
    assert NOTE in cli("history").stdout


def test_remove_stores_everything_plain_again(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    encrypt(cli)
    assert cli("lock").exit_code == 0
    assert cli("checkin", "4").exit_code == 0  # sealed: added before decrypting
    result = cli("passphrase", "remove", input=PASS + "\n")
    assert result.exit_code == 0, result
    assert "Added 1 entry" in result.stdout
    for f in data_files(home):
        assert f.read_bytes().startswith(HEADER), f
    assert not (home / "lock.json").exists() and not (home / "identity.age").exists()
    assert "2 check-ins" in cli("history").stdout
    assert "not encrypted" in cli("passphrase", "status").stdout


def test_set_twice_and_mismatched_passphrases_are_one_sentence(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("passphrase", "set", input="one\ntwo\n")
    assert result.exit_code == 2 and "not the same" in result.stderr
    assert not (home / "lock.json").exists()
    encrypt(cli)
    again = cli("passphrase", "set", input="x\nx\n")
    assert again.exit_code == 2 and "already encrypted" in again.stderr


def test_a_plain_log_never_imports_sqlcipher(home: Path) -> None:
    code = (
        "import sys; from selfback.main import run; run(['checkin', '6']); "
        "run(['history']); print('sqlcipher3' in sys.modules, 'pyrage' in sys.modules)"
    )
    env = dict(os.environ, SELFBACK_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "False False", done


def test_set_in_a_terminal_asks_twice_without_echo(spawn, home: Path, runtime: Path) -> None:  # type: ignore[no-untyped-def]
    child = spawn("passphrase", "set", env={"XDG_RUNTIME_DIR": str(runtime)})
    child.expect("nobody can open them again")
    child.expect("New passphrase: ")
    child.sendline("typed unseen")
    child.expect("The same again: ")
    child.sendline("typed unseen")
    child.expect("cannot be recovered")
    child.expect(pexpect_eof())
    assert "typed unseen" not in (child.before or "")
    child.close()
    assert child.exitstatus == 0
    assert not (home / "selfback.db").read_bytes().startswith(HEADER)


def pexpect_eof() -> object:
    import pexpect

    return pexpect.EOF


def test_cope_works_locked_and_its_session_is_sealed_then_merged(
    cli, spawn, home: Path, tmp_path: Path, runtime: Path
) -> None:  # type: ignore[no-untyped-def]
    import signal

    from selfback.store.db import open_store
    from selfback.store.sessions import list_sessions
    from test_cope_pty import TINY_SKILLS

    folder = tmp_path / "tiny"
    folder.mkdir()
    for name, text in TINY_SKILLS.items():
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    encrypt(cli)
    assert cli("lock").exit_code == 0
    (home / ".welcomed").write_text("welcomed\n")
    env = {"SELFBACK_SKILLS_PATH": str(folder), "XDG_RUNTIME_DIR": str(runtime)}
    child = spawn("cope", "tiny-timer", env=env)
    child.expect_exact("0 to 10?")
    child.sendline("6")
    child.expect_exact("Enter to begin")
    child.sendline("")
    child.expect("this session is sealed")
    child.expect(r"(?i)step 1 of 3")
    child.expect_exact("> ")
    child.kill(signal.SIGTERM)
    child.expect(pexpect_eof())
    child.close()
    assert child.exitstatus == 128 + signal.SIGTERM
    assert len(list((home / "inbox").glob("*.age"))) == 1
    assert cli("unlock", input=PASS + "\n").exit_code == 0
    with open_store(get_paths()) as store:
        sessions = list_sessions(store)
    assert [(s.skill_id, s.status, s.distress_before) for s in sessions] == [
        ("tiny-timer", "stopped", 6)
    ]


def test_unlock_encrypts_a_backup_left_plain(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    assert cli("backup").exit_code == 0
    (plain,) = (home / "backups").glob("*.db")
    kept = plain.read_bytes()
    encrypt(cli)
    plain.write_bytes(kept)  # as if `passphrase set` had been stopped before the backups
    assert "Backups not encrypted: 1" in cli("passphrase", "status").stdout
    assert cli("lock").exit_code == 0
    assert cli("unlock", input=PASS + "\n").exit_code == 0
    assert not plain.read_bytes().startswith(HEADER)
    assert NOTE.encode() not in plain.read_bytes()


def test_a_keyring_only_by_choice_and_it_then_opens_with_no_prompt(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import types

    stored: dict[tuple[str, str], str] = {}
    fake = types.ModuleType("keyring")
    fake.get_password = lambda service, account: stored.get((service, account))  # type: ignore[attr-defined]
    fake.set_password = lambda service, account, value: stored.__setitem__(  # type: ignore[attr-defined]
        (service, account), value
    )
    fake.delete_password = lambda service, account: stored.pop((service, account))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)

    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    encrypt(cli)
    assert not stored  # never without asking
    assert cli("lock").exit_code == 0
    result = cli("unlock", "--remember", input=PASS + "\n")
    assert result.exit_code == 0
    assert "opens with no prompt" in " ".join(result.stdout.split())
    assert list(stored.values()) == [PASS]
    said = cli("lock")
    assert "still in your system keyring" in " ".join(said.stdout.split())
    assert NOTE in cli("history").stdout  # opened from the keyring, no prompt
    assert "keyring" in cli("passphrase", "status").stdout
    assert "out of your system keyring" in cli("lock", "--forget").stdout
    assert not stored
    assert cli("history").exit_code == 3


def test_unlock_remember_without_a_keyring_says_so(
    cli, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed
    encrypt(cli)
    result = cli("unlock", "--remember", input=PASS + "\n")
    assert result.exit_code == 0
    assert "No system keyring is available here" in " ".join(result.stdout.split())
    assert json.loads((home / "lock.json").read_text())["keyring"] is False


def test_a_sealed_backup_of_an_encrypted_log_is_still_encrypted_inside(
    cli, home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """backup --encrypt on an encrypted log: the age file opens to the SQLCipher copy
    (no header, no note), which opens with the log's passphrase; nothing is left behind."""
    import pyrage
    from sqlcipher3 import dbapi2

    assert cli("checkin", "6", "--note", "-", input=NOTE).exit_code == 0
    encrypt(cli)
    assert cli("unlock", input=PASS + "\n").exit_code == 0
    result = cli("backup", "--encrypt", input="seal words\n")
    assert result.exit_code == 0, result
    (sealed,) = (home / "backups").glob("*.db.age")
    inside = pyrage.passphrase.decrypt(sealed.read_bytes(), "seal words")
    assert not inside.startswith(HEADER) and NOTE.encode() not in inside
    copy = tmp_path / "copy.db"
    copy.write_bytes(inside)
    conn = dbapi2.connect(str(copy))
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = '{PASS}'")
    assert conn.execute("SELECT note FROM checkins").fetchone()[0] == NOTE
    conn.close()
    scratch = get_paths().tmp_dir
    assert not scratch.exists() or not [p for p in scratch.rglob("*.db") if p.is_file()]


def test_what_was_heard_while_locked_is_sealed_and_added_at_unlock(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    """Locked: risk words in a check-in still get the crisis text, and the flag and the
    openings (the person's own sos too) are sealed, then added at unlock with the time
    they happened, once, however often the inbox is carried in again."""
    from sqlcipher3 import dbapi2

    encrypt(cli)
    assert cli("lock").exit_code == 0
    assert cli("sos").exit_code == 0
    heard = cli("checkin", "2", "--note", "-", input="I want to die tonight")
    assert heard.exit_code == 0, heard
    assert "emergency" in heard.stdout + heard.stderr
    sealed = list((home / "inbox").glob("*.age"))
    assert len(sealed) >= 3  # the check-in, its flag, and the openings
    kept = home.parent / "kept"
    kept.mkdir()
    for f in sealed:
        shutil.copy(f, kept / f.name)
    assert cli("unlock", input=PASS + "\n").exit_code == 0

    def rows() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]], str]:
        conn = dbapi2.connect(str(home / "selfback.db"))
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = '{PASS}'")
        try:
            flags = conn.execute("SELECT source, kind, ref_uid FROM risk_flags").fetchall()
            openings = conn.execute("SELECT source FROM crisis_openings ORDER BY id").fetchall()
            (uid,) = conn.execute("SELECT uid FROM checkins").fetchone()
        finally:
            conn.close()
        return [tuple(f) for f in flags], [tuple(o) for o in openings], uid

    flags, openings, uid = rows()
    assert flags and all(ref == uid for _s, _k, ref in flags), flags
    assert ("sos",) in openings and ("risk",) in openings
    for f in kept.iterdir():  # carried in again: nothing doubles
        shutil.copy(f, home / "inbox" / f.name)
    assert cli("lock").exit_code == 0
    assert cli("unlock", input=PASS + "\n").exit_code == 0
    assert rows() == (flags, openings, uid)


def test_the_locked_screens_fit_forty_columns(cli, home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    encrypt(cli)
    assert cli("lock").exit_code == 0
    monkeypatch.setenv("COLUMNS", "40")
    for args in (("checkin", "4"), ()):
        out = cli(*args).stdout
        assert out.strip() and all(len(line) <= 40 for line in out.splitlines()), out
