"""Text-and-flag commands start without pydantic (Typer would import it to coerce their
options; selfback.cli.app passes plain text through instead)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CODE = (
    "import sys\n"
    "from selfback.main import run\n"
    "run(sys.argv[1:])\n"
    "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)))\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["trends", "--since", "30d"],
        ["history", "--since", "30d"],
        ["cope", "--help"],
        ["checkin", "--mood", "6", "--tag", "work", "--tag", "a, b"],
    ],
)
def test_text_and_flag_commands_do_not_load_pydantic(args: list[str], home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CODE, *args],
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    loaded = set(result.stderr.rsplit("MODULES ", 1)[1].split())
    assert "pydantic" not in loaded, f"`selfback {' '.join(args)}` imported pydantic"


def test_text_options_still_parse_and_reject(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("history", "--since", "30d").exit_code == 0
    bad = cli("history", "--since", "banana")
    assert bad.exit_code == 2 and "banana" in bad.stderr
    assert cli("trends", "--since").exit_code == 2  # missing value: a usage error


def test_the_start_up_patch_is_for_the_pinned_typer_and_is_in_place() -> None:
    """cli/app.py replaces a private Typer function: the pin in pyproject.toml must be the
    minor version it was written for, the installed Typer must be that one, and the
    replacement must really be installed (else the commands above load pydantic)."""
    import tomllib

    import typer
    from typer import _coercion

    from selfback.cli.app import TYPER_MINOR, get_click_command

    major, minor = TYPER_MINOR.split(".")
    pin = f"typer>={TYPER_MINOR},<{major}.{int(minor) + 1}"
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert pin in project["project"]["dependencies"]
    assert typer.__version__.startswith(TYPER_MINOR + ".")
    get_click_command.cache_clear()
    get_click_command("selfback.cli.checkin")
    assert _coercion.build_runtime_param.__name__ == "_selfback_build_runtime_param"


def test_repeated_text_options_keep_every_value(cli) -> None:  # type: ignore[no-untyped-def]
    import json

    assert (
        cli("checkin", "--mood", "6", "--tag", "work", "--tag", "a, b", "-e", "calm").exit_code == 0
    )
    [entry] = json.loads(cli("history", "--json").stdout)["checkins"]
    assert sorted(entry["tags"]) == ["a", "b", "work"] and entry["emotions"] == ["calm"]
