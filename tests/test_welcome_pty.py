"""The first interactive run shows one short welcome; then never again."""

from __future__ import annotations

from pathlib import Path

import pexpect


def test_welcome_once_then_never(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    child = spawn("config", "show")
    child.expect("Welcome to selfback")
    child.expect("stays on this machine")
    child.expect("selfback sos")
    child.expect("config set country")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (home / ".welcomed").exists()

    child = spawn("config", "show")
    child.expect(pexpect.EOF)
    assert "Welcome to selfback" not in child.before
    assert "country" in child.before


def test_sos_never_waits_behind_the_welcome(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    child = spawn("sos")
    child.expect(pexpect.EOF)
    assert "Welcome to selfback" not in child.before
    assert not (home / ".welcomed").exists()


def test_no_welcome_when_not_interactive(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("config", "show")
    assert "Welcome" not in result.stdout
    assert not (home / ".welcomed").exists()


def test_welcome_is_plain_and_honest(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    child = spawn("config", "path")
    child.expect("This message will not appear again.")
    text = " ".join(child.before.split())
    child.expect(pexpect.EOF)
    assert "Nobody reads what you type" in text
    assert "cannot alert anyone or call for help on its own" in text
    assert "`" not in text and "*" not in text


def test_welcome_does_not_ask_for_a_country_already_set(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.json").write_text('{"country": "GB"}')
    child = spawn("config", "path")
    child.expect("This message will not appear again.")
    assert "set country" not in child.before
    child.expect(pexpect.EOF)


def test_welcome_wraps_by_words_at_40_columns(spawn, home: Path) -> None:  # type: ignore[no-untyped-def]
    child = spawn("config", "path", env={"COLUMNS": "40"})
    child.expect("This message will not appear again.")
    lines = child.before.replace("\r", "").split("\n")
    child.expect(pexpect.EOF)
    assert all(len(line) <= 40 for line in lines), lines
    words = set(" ".join(lines).split())
    for word in ("anywhere.", "selfback", "emergency", "two-letter"):
        assert word in words
