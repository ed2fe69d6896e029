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
