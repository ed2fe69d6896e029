"""Shared fixtures: every test gets its own SELFBACK_HOME, never the real user dirs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXED_NOW = "2026-11-21T10:00:00+00:00"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, private selfback home for each test (also isolates env knobs)."""
    h = tmp_path / "home"
    monkeypatch.setenv("SELFBACK_HOME", str(h))
    for var in (
        "SELFBACK_SKILLS_PATH",
        "SELFBACK_PLAIN",
        "SELFBACK_NOW",
        "NO_COLOR",
        "SELFBACK_REDUCED_MOTION",
        "SELFBACK_TIME_SCALE",
        "EDITOR",
        "VISUAL",
        "SELFBACK_SCHEDULER",
        "SELFBACK_NOTIFIER_COMMAND",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SELFBACK_TIME_SCALE", "0.001")
    # No test installs a real reminder or shows a real notification unless it asks to.
    monkeypatch.setenv("SELFBACK_SCHEDULER_DIR", str(tmp_path / "scheduler"))
    monkeypatch.setenv("SELFBACK_NOTIFIER", "none")
    # Nor opens a file from the hope box with the system's usual app.
    monkeypatch.setenv("SELFBACK_OPENER", "none")

    yield h


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.exit_code = code
        self.stdout = stdout
        self.stderr = stderr
        self.output = stdout + stderr

    def __repr__(self) -> str:
        return f"Result(exit={self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """Run selfback in-process (non-interactive): ``cli("skills", "list", input="...")``."""

    def run(*args: str, input: str | None = None) -> Result:
        import io

        from selfback.cli import app as app_module
        from selfback.main import run as run_main

        app_module.get_click_command.cache_clear()
        monkeypatch.setattr(sys, "stdin", io.StringIO(input or ""))
        capsys.readouterr()
        code = run_main(list(args))
        out, err = capsys.readouterr()
        return Result(int(code), out, err)

    return run


def selfback_argv() -> list[str]:
    """How to start selfback as a subprocess from the test's interpreter."""
    return [sys.executable, "-m", "selfback"]


@pytest.fixture
def spawn(home: Path) -> Iterator[Callable[..., object]]:
    """Start selfback in a real pseudo-terminal with pexpect: ``spawn("cope")``."""
    import pexpect

    children: list[pexpect.spawn] = []

    def start(*args: str, env: dict[str, str] | None = None, **kw: object) -> pexpect.spawn:
        full_env = dict(os.environ)
        full_env.update(
            {
                "SELFBACK_HOME": str(home),
                "TERM": "xterm-256color",
                "SELFBACK_TIME_SCALE": "0.001",
                "COLUMNS": "100",
                "LINES": "40",
            }
        )
        full_env.pop("NO_COLOR", None)
        if env:
            full_env.update(env)
        argv = selfback_argv() + list(args)
        child = pexpect.spawn(
            argv[0],
            argv[1:],
            env=full_env,
            encoding="utf-8",
            timeout=kw.pop("timeout", 15),
            dimensions=kw.pop("dimensions", (40, 100)),
            **kw,
        )
        children.append(child)
        return child

    yield start
    for child in children:
        if child.isalive():
            child.terminate(force=True)
