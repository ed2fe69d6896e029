"""Sealed exports and backups (age, through pyrage): export --encrypt, import FILE.age,
backup --encrypt, and what doctor says about sealed backups (docs/privacy.md)."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage
import pytest

from conftest import selfback_argv
from selfback.paths import get_paths

NOW = "2026-11-21T10:00:00+00:00"
NOTE = "zebra lighthouse at the harbour"
PASS = "correct horse battery"
MAGIC = b"age-encryption.org/v1\n"

Cli = Callable[..., Any]


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFBACK_NOW", NOW)


def log_with_note(cli: Cli) -> None:
    result = cli("checkin", "--mood", "4", "--tag", "work", "--note", "-", input=NOTE + "\n")
    assert result.exit_code == 0, result


def key_pair(folder: Path) -> tuple[str, Path]:
    """A key pair as age-keygen writes it: the public key, and the identity file."""
    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    path = folder / "key.txt"
    path.write_text(
        f"# created: 2026-11-21T10:00:00Z\n# public key: {public}\n{identity}\n",
        encoding="utf-8",
    )
    return public, path


def move_home(monkeypatch: pytest.MonkeyPatch, path: Path) -> Path:
    monkeypatch.setenv("SELFBACK_HOME", str(path))
    return path


def notes_in(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT note FROM checkins WHERE note IS NOT NULL")]
    finally:
        conn.close()


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch, home: Path) -> list[bytes]:
    """Every file an export puts in place outside selfback's home, as it is when its
    temporary file is renamed over the target."""
    import selfback.export.output as output

    seen: list[bytes] = []
    real = os.replace

    def spy(src: Any, dst: Any) -> None:
        if not Path(dst).resolve().is_relative_to(home.resolve()):
            seen.append(Path(src).read_bytes())
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", spy)
    return seen


# --------------------------------------------------------------------- export -> import
def test_passphrase_round_trip(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: list[bytes]
) -> None:
    log_with_note(cli)
    out = tmp_path / "mine.json"
    result = cli("export", "-f", "json", "--notes", "-o", str(out), "--encrypt", input=PASS + "\n")
    assert result.exit_code == 0, result
    sealed = tmp_path / "mine.json.age"
    assert not out.exists() and sealed.exists()
    assert "only your passphrase opens it" in result.stdout
    assert oct(sealed.stat().st_mode & 0o777) == "0o600"
    raw = sealed.read_bytes()
    assert raw.startswith(MAGIC) and b"-> scrypt " in raw
    assert NOTE.encode() not in raw and b"selfback" not in raw
    # What was written, even as the temporary file, was only ever the sealed bytes.
    assert written == [raw]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "mine.json.age"]

    other = move_home(monkeypatch, tmp_path / "other")
    result = cli("import", str(sealed), input=PASS + "\n")
    assert result.exit_code == 0, result
    assert "Added 1 check-in from mine.json.age" in result.stdout
    assert notes_in(other / "selfback.db") == [NOTE]


def test_identity_round_trip(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log_with_note(cli)
    public, identity = key_pair(tmp_path)
    keys = tmp_path / "therapist.pub"
    keys.write_text(f"# my therapist\n{public}\n", encoding="utf-8")
    result = cli(
        "export", "-f", "json", "--notes", "-o", str(tmp_path), "--recipient-file", str(keys)
    )
    assert result.exit_code == 0, result
    assert "sealed to 1 public key" in result.stdout
    (sealed,) = tmp_path.glob("selfback-data-*.json.age")
    raw = sealed.read_bytes()
    assert b"-> X25519 " in raw and NOTE.encode() not in raw

    other = move_home(monkeypatch, tmp_path / "other")
    result = cli("import", str(sealed))  # no key given: says what it needs
    assert result.exit_code == 2
    assert "give its file with --identity PATH" in result.stderr
    assert not (other / "selfback.db").exists()
    result = cli("import", str(sealed), "--identity", str(identity))
    assert result.exit_code == 0, result
    assert notes_in(other / "selfback.db") == [NOTE]


def test_recipient_on_the_command_line_and_armored_files(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_with_note(cli)
    public, identity = key_pair(tmp_path)
    out = tmp_path / "x.json.age"
    result = cli("export", "-f", "json", "--notes", "-o", str(out), "-r", public)
    assert result.exit_code == 0, result
    # The same file in age's text form (age --armor) opens too.
    ident = pyrage.x25519.Identity.from_str(identity.read_text().splitlines()[-1])
    plain = pyrage.decrypt(out.read_bytes(), [ident])
    armored = tmp_path / "armored.age"
    armored.write_bytes(pyrage.encrypt(plain, [ident.to_public()], armored=True))
    other = move_home(monkeypatch, tmp_path / "other")
    result = cli("import", str(armored), "-i", str(identity))
    assert result.exit_code == 0, result
    assert notes_in(other / "selfback.db") == [NOTE]


def test_wrong_passphrase_changes_nothing(
    cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_with_note(cli)
    sealed = tmp_path / "mine.json.age"
    assert (
        cli(
            "export", "-f", "json", "--notes", "-o", str(sealed), "--encrypt", input="a\n"
        ).exit_code
        == 0
    )
    # In a log that has it already, and in a new home: nothing at all is written.
    before = {p.name: p.read_bytes() for p in home.rglob("*") if p.is_file() and p.suffix != ".log"}
    result = cli("import", str(sealed), input="not it\n")
    assert result.exit_code == 3
    assert (
        result.stderr.strip() == "That passphrase does not open mine.json.age. Nothing was changed."
    )
    after = {p.name: p.read_bytes() for p in home.rglob("*") if p.is_file() and p.suffix != ".log"}
    assert after == before
    other = move_home(monkeypatch, tmp_path / "other")
    assert cli("import", str(sealed), input="not it\n").exit_code == 3
    assert not (other / "selfback.db").exists()


def test_wrong_key_changes_nothing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_with_note(cli)
    public, _ = key_pair(tmp_path)
    sealed = tmp_path / "x.json.age"
    assert cli("export", "-f", "json", "-o", str(sealed), "-r", public).exit_code == 0
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    _, wrong = key_pair(stranger)
    other = move_home(monkeypatch, tmp_path / "other")
    result = cli("import", str(sealed), "-i", str(wrong))
    assert result.exit_code == 3
    assert result.stderr.strip() == "None of the keys given opens x.json.age. Nothing was changed."
    assert not (other / "selfback.db").exists()
    # A plain file given a key: one sentence.
    plain = tmp_path / "plain.json"
    plain.write_text('{"format": "selfback"}\n')
    result = cli("import", str(plain), "-i", str(wrong))
    assert result.exit_code == 2 and "is not sealed" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("html", b"<!DOCTYPE html>"),
        ("pdf", b"%PDF-"),
        ("md", b"# "),
        ("csv", b"PK"),
        ("json", b"{"),
        ("fhir", b"{"),
    ],
)
def test_every_format_can_be_sealed(
    cli: Cli, tmp_path: Path, fmt: str, start: bytes, written: list[bytes]
) -> None:
    log_with_note(cli)
    public, identity = key_pair(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    result = cli("export", "-f", fmt, "--notes", "-o", str(out), "-r", public)
    assert result.exit_code == 0, result
    (sealed,) = out.iterdir()
    assert sealed.name.endswith(".age")
    raw = sealed.read_bytes()
    assert raw.startswith(MAGIC) and written == [raw]
    ident = pyrage.x25519.Identity.from_str(identity.read_text().splitlines()[-1])
    plain = pyrage.decrypt(raw, [ident])
    assert plain.lstrip().startswith(start)
    if fmt == "csv":
        assert "data_dictionary.csv" in zipfile.ZipFile(io.BytesIO(plain)).namelist()
    if fmt in ("html", "json"):
        assert NOTE.encode() in plain and NOTE.encode() not in raw


def test_sealed_export_to_standard_output(cli: Cli, home: Path, tmp_path: Path) -> None:
    log_with_note(cli)
    env = dict(os.environ, SELFBACK_HOME=str(home), SELFBACK_NOW=NOW)
    run = subprocess.run(
        [*selfback_argv(), "export", "-f", "json", "--notes", "-o", "-", "--encrypt"],
        input=(PASS + "\n").encode(),
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(MAGIC) and NOTE.encode() not in run.stdout
    assert b"only your passphrase opens it" in run.stderr
    data = json.loads(pyrage.passphrase.decrypt(run.stdout, PASS))
    assert [c["note"] for c in data["checkins"]] == [NOTE]
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # nothing in the current folder
    assert list(get_paths().tmp_dir.glob("out-*")) == []  # nor in the scratch folder


def test_bad_public_key_is_one_sentence_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    log_with_note(cli)
    result = cli("export", "-f", "json", "-o", str(tmp_path / "x.json"), "-r", "age1nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("'age1nope' is not a public key selfback can seal to")
    assert len(result.stderr.strip().splitlines()) == 1
    result = cli("backup", "-r", "ssh-ed25519 AAAAbroken")
    assert result.exit_code == 2
    empty = tmp_path / "empty.pub"
    empty.write_text("# nothing here\n")
    result = cli("export", "-o", str(tmp_path / "r.html"), "-R", str(empty))
    assert result.exit_code == 2 and "holds no public keys" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.pub", "home"]
    assert not list(get_paths().backups_dir.glob("*")) if get_paths().backups_dir.exists() else True


def test_no_passphrase_on_standard_input_is_one_sentence(cli: Cli, tmp_path: Path) -> None:
    log_with_note(cli)
    result = cli("export", "-f", "json", "-o", str(tmp_path / "x.json"), "--encrypt")
    assert result.exit_code == 2
    assert "as one line on standard input" in result.stderr
    result = cli("export", "-f", "json", "-o", str(tmp_path / "x.json"), "--encrypt", input="\n")
    assert result.exit_code == 2 and "The passphrase is empty" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


# ------------------------------------------------------------------- in a real terminal
def test_passphrase_is_asked_twice_without_echo(spawn: Any, home: Path, tmp_path: Path) -> None:
    import pexpect

    (home / ".welcomed").parent.mkdir(parents=True, exist_ok=True)
    (home / ".welcomed").write_text("welcomed\n")
    first = spawn("checkin", "--mood", "5", env={"SELFBACK_NOW": NOW})
    first.expect(pexpect.EOF)
    out = tmp_path / "d.json"
    child = spawn(
        "export", "-f", "json", "--no-notes", "-o", str(out), "--encrypt", env={"SELFBACK_NOW": NOW}
    )
    child.expect("nobody, not even selfback, can open the file without it")
    child.expect("Passphrase to seal it with")
    child.sendline("first-try")
    child.expect("The same passphrase again: ")
    child.sendline("typo")
    child.expect("The two did not match")
    child.expect("Passphrase to seal it with")
    child.sendline(PASS)
    child.expect("The same passphrase again: ")
    child.sendline(PASS)
    child.expect("Saved your data to")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = child.before or ""
    assert PASS not in shown and "first-try" not in shown
    assert json.loads(pyrage.passphrase.decrypt((tmp_path / "d.json.age").read_bytes(), PASS))

    other = tmp_path / "other"
    child = spawn("import", str(tmp_path / "d.json.age"), env={"SELFBACK_HOME": str(other)})
    child.expect(r"Passphrase for d\.json\.age \(not shown as you type\): ")
    child.sendline(PASS)
    child.expect("Added 1 check-in")
    child.expect(pexpect.EOF)
    assert PASS not in (child.before or "")


def test_sealed_export_is_not_written_to_a_terminal(spawn: Any, home: Path) -> None:
    import pexpect

    (home / ".welcomed").parent.mkdir(parents=True, exist_ok=True)
    (home / ".welcomed").write_text("welcomed\n")
    spawn("checkin", "--mood", "5").expect(pexpect.EOF)
    child = spawn("export", "-f", "json", "-o", "-", "--encrypt")
    child.expect("will not write it to the terminal")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool is not installed")
def test_the_age_tool_opens_what_selfback_seals_and_the_other_way(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_with_note(cli)
    public, identity = key_pair(tmp_path)
    sealed = tmp_path / "x.json.age"
    assert cli("export", "-f", "json", "--notes", "-o", str(sealed), "-r", public).exit_code == 0
    opened = subprocess.run(
        ["age", "-d", "-i", str(identity), str(sealed)], capture_output=True, timeout=30
    )
    assert opened.returncode == 0, opened.stderr
    plain = tmp_path / "plain.json"
    plain.write_bytes(opened.stdout)
    assert json.loads(opened.stdout)["checkins"][0]["note"] == NOTE
    by_age = tmp_path / "by-age.json.age"
    made = subprocess.run(
        ["age", "-r", public, "-a", "-o", str(by_age), str(plain)], capture_output=True, timeout=30
    )
    assert made.returncode == 0, made.stderr
    other = move_home(monkeypatch, tmp_path / "other")
    assert cli("import", str(by_age), "-i", str(identity)).exit_code == 0
    assert notes_in(other / "selfback.db") == [NOTE]


def test_a_name_ending_in_age_is_only_for_a_sealed_file(cli: Cli, tmp_path: Path) -> None:
    log_with_note(cli)
    result = cli("export", "-o", str(tmp_path / "report.pdf.age"))
    assert result.exit_code == 2 and "add --encrypt" in result.stderr
    result = cli("backup", str(tmp_path / "b.db.age"))
    assert result.exit_code == 2 and "add --encrypt" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]
    # With --encrypt, the format still comes from the name inside.
    result = cli("export", "-o", str(tmp_path / "report.pdf.age"), "--encrypt", input="pw\n")
    assert result.exit_code == 0, result
    assert pyrage.passphrase.decrypt((tmp_path / "report.pdf.age").read_bytes(), "pw")[:5] == (
        b"%PDF-"
    )


def test_export_asks_no_passphrase_for_a_file_it_cannot_write(cli: Cli, tmp_path: Path) -> None:
    log_with_note(cli)
    result = cli("export", "-f", "json", "-o", str(tmp_path / "nowhere" / "x.json"), "--encrypt")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert "Passphrase" not in result.output


def test_what_kind_of_seal_is_told_from_the_header(tmp_path: Path) -> None:
    from selfback.errors import UsageError
    from selfback.sealing import Unseal, is_sealed, needs_passphrase, unseal

    identity = pyrage.x25519.Identity.generate()
    to_key = pyrage.encrypt(b"{}", [identity.to_public()])
    to_key_text = pyrage.encrypt(b"{}", [identity.to_public()], armored=True)
    to_pass_text = pyrage.passphrase.encrypt(b"{}", "pw", armored=True)
    assert all(is_sealed(x) for x in (to_key, to_key_text, to_pass_text))
    assert not is_sealed(b'{"format": "selfback"}')
    assert needs_passphrase(to_pass_text) and not needs_passphrase(to_key_text)
    assert not needs_passphrase(to_key)
    assert unseal(to_pass_text, Unseal(passphrase="pw"), "x.age") == b"{}"
    with pytest.raises(UsageError, match="sealed to a public key"):
        unseal(to_key, Unseal(passphrase="pw"), "x.age")
    # Identity files that hold no usable key: one sentence each.
    empty = tmp_path / "empty.txt"
    empty.write_text("# public key: age1...\n")
    locked = tmp_path / "locked.txt"
    locked.write_bytes(pyrage.passphrase.encrypt(str(identity).encode(), "pw"))
    for path, words in ((empty, "holds no secret key"), (locked, "is itself sealed")):
        with pytest.raises(UsageError, match=words):
            unseal(to_key, Unseal(identities=(path,)), "x.age")


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
def test_an_ssh_key_can_seal_and_open(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_with_note(cli)
    keys = {}
    for name, secret in (("open", ""), ("locked", "its own passphrase")):
        path = tmp_path / f"id_{name}"
        made = subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", secret, "-f", str(path)],
            capture_output=True,
            timeout=30,
        )
        assert made.returncode == 0, made.stderr
        keys[name] = path
    public = (tmp_path / "id_open.pub").read_text().strip()
    sealed = tmp_path / "s.json.age"
    assert cli("export", "-f", "json", "--notes", "-o", str(sealed), "-r", public).exit_code == 0
    other = move_home(monkeypatch, tmp_path / "other")
    result = cli("import", str(sealed), "-i", str(keys["locked"]))
    assert result.exit_code == 2 and "protected by its own passphrase" in result.stderr
    assert cli("import", str(sealed), "-i", str(keys["open"])).exit_code == 0
    assert notes_in(other / "selfback.db") == [NOTE]


def test_the_passphrase_question_fits_forty_columns(spawn: Any, home: Path) -> None:
    import pexpect

    (home / ".welcomed").parent.mkdir(parents=True, exist_ok=True)
    (home / ".welcomed").write_text("welcomed\n")
    spawn("checkin", "--mood", "5").expect(pexpect.EOF)
    child = spawn("backup", "--encrypt", env={"COLUMNS": "40"}, dimensions=(24, 40))
    child.logfile_read = seen = io.StringIO()
    child.expect("you type\\): ")
    child.sendline(PASS)
    child.expect("again: ")
    child.sendline(PASS)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lines = [line.rstrip() for line in seen.getvalue().splitlines()]
    assert "Passphrase to seal it with" in lines  # wrapped by whole words
    assert PASS not in seen.getvalue()
    # Every line fits but the one with the backup's path, which cannot be broken.
    assert all(len(line) <= 40 for line in lines if str(home) not in line), lines
