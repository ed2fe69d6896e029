"""Sealed backups (backup --encrypt), and what doctor and import say about them
(docs/privacy.md, "Sealed exports and backups"). Exports: tests/test_sealed.py."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyrage
import pytest

from test_sealed import MAGIC, NOTE, NOW, PASS, Cli, key_pair, log_with_note, notes_in


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def test_backup_encrypt_round_trip(cli: Cli, home: Path, tmp_path: Path) -> None:
    log_with_note(cli)
    result = cli("backup", "--encrypt", input=PASS + "\n")
    assert result.exit_code == 0, result
    (sealed,) = (home / "backups").glob("*.db.age")
    assert "only your passphrase opens it" in result.stdout
    assert oct(sealed.stat().st_mode & 0o777) == "0o600"
    raw = sealed.read_bytes()
    assert raw.startswith(MAGIC)
    assert b"SQLite format 3" not in raw and NOTE.encode() not in raw
    assert not list((home / "backups").glob("*.db"))  # no plain copy, not even for a moment
    restored = tmp_path / "restored.db"
    restored.write_bytes(pyrage.passphrase.decrypt(raw, PASS))
    assert notes_in(restored) == [NOTE]
    assert restored.read_bytes()[18:20] == b"\x01\x01"  # one file, as a plain backup is
    conn = sqlite3.connect(restored)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def test_backup_to_a_key_in_a_folder_of_ones_own(cli: Cli, tmp_path: Path) -> None:
    log_with_note(cli)
    public, identity = key_pair(tmp_path)
    folder = tmp_path / "usb"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    result = cli("backup", str(folder), "--recipient", public)
    assert result.exit_code == 0, result
    (sealed,) = folder.iterdir()
    assert sealed.name.endswith(".db.age")
    assert folder.stat().st_mode & 0o777 == 0o755  # the folder's mode is left alone
    ident = pyrage.x25519.Identity.from_str(identity.read_text().splitlines()[-1])
    restored = tmp_path / "r.db"
    restored.write_bytes(pyrage.decrypt(sealed.read_bytes(), [ident]))
    assert notes_in(restored) == [NOTE]
    # A name without .age gets it; an existing one is never overwritten.
    assert cli("backup", str(tmp_path / "mine.db"), "-r", public).exit_code == 0
    assert (tmp_path / "mine.db.age").exists() and not (tmp_path / "mine.db").exists()
    result = cli("backup", str(tmp_path / "mine.db"), "-r", public)
    assert result.exit_code == 2 and "already" in result.stderr.lower()


def test_doctor_names_the_sealed_backup_when_the_database_is_damaged(cli: Cli, home: Path) -> None:
    log_with_note(cli)
    assert cli("backup", "--encrypt", input=PASS + "\n").exit_code == 0
    result = cli("doctor")
    assert "1 of them sealed" in result.stdout
    db = home / "selfback.db"
    for extra in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        extra.unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 300)
    result = cli("doctor")
    assert result.exit_code != 0
    text = " ".join(result.stdout.split())
    assert "There is no backup yet" not in text
    assert "You have 1 sealed backup" in text
    assert "age -d -o" in text and ".db.age" in text


def test_a_sealed_backup_is_not_imported_as_an_export(cli: Cli, home: Path) -> None:
    log_with_note(cli)
    assert cli("backup", "--encrypt", input=PASS + "\n").exit_code == 0
    (sealed,) = (home / "backups").glob("*.db.age")
    before = (home / "selfback.db").read_bytes()
    result = cli("import", str(sealed), input=PASS + "\n")
    assert result.exit_code == 3
    assert "holds a backup of your database, not an export" in result.stderr
    assert (home / "selfback.db").read_bytes() == before


def test_backup_asks_no_passphrase_when_it_cannot_be_made(cli: Cli, tmp_path: Path) -> None:
    # Nothing to back up yet: said at once, with the passphrase line left unread.
    result = cli("backup", "--encrypt", input="pw\n")
    assert result.exit_code == 2 and "Passphrase" not in result.output
    log_with_note(cli)
    (tmp_path / "taken.db.age").write_bytes(b"mine")
    result = cli("backup", str(tmp_path / "taken.db"), "--encrypt")  # no passphrase given
    assert result.exit_code == 2 and "already" in result.stderr.lower()
    assert (tmp_path / "taken.db.age").read_bytes() == b"mine"
