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
    [["trends", "--since", "30d"], ["history", "--since", "30d"], ["cope", "--help"]],
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
