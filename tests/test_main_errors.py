"""The one error boundary: an unexpected error is written to the private crash log and
the person sees one kind line that says where; a home that cannot be found still runs."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def test_an_unexpected_error_goes_to_the_crash_log_with_one_kind_line(
    cli: Callable[..., Any], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kw: object) -> None:
        raise RuntimeError("boom inside")

    monkeypatch.setattr("selfback.settings.load_settings", boom)
    res = cli("config", "show")
    assert res.exit_code == 1
    assert "a bug, not something you did" in res.stderr
    assert "run selfback sos" in res.stderr
    log = home / "crash.log"
    assert f"Details are in {log}" in " ".join(res.stderr.split())
    assert "Traceback" not in res.output
    text = log.read_text()
    assert "RuntimeError: boom inside" in text and "unexpected error" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_home_that_cannot_be_found_still_runs(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise OSError("no home")

    monkeypatch.setattr("selfback.paths.get_paths", broken)
    res = cli("--version")
    assert res.exit_code == 0 and res.stdout.startswith("selfback ")
