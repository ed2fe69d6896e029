from __future__ import annotations

import json
from pathlib import Path


def test_config_set_show_and_errors(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("config", "set", "country", "uk").exit_code == 0
    data = json.loads((home / "config.json").read_text())
    assert data["country"] == "GB"
    assert (home / "config.json").stat().st_mode & 0o777 == 0o600
    assert home.stat().st_mode & 0o777 == 0o700

    result = cli("config", "set", "colour", "blue")
    assert result.exit_code == 2
    assert "no setting called 'colour'" in result.stderr
    assert "Traceback" not in result.output

    result = cli("config", "set", "reduced_motion", "maybe")
    assert result.exit_code == 2 and "yes or no" in result.stderr
    result = cli("config", "set", "country", "Narnia")
    assert result.exit_code == 2 and "two-letter" in result.stderr

    assert cli("config", "set", "reduced-motion", "yes").exit_code == 0
    shown = json.loads(cli("config", "show", "--json").stdout)
    assert shown["reduced_motion"] is True and shown["country"] == "GB"


def test_damaged_settings_file_is_a_clear_error(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.json").write_text("{not json")
    result = cli("config", "show")
    assert result.exit_code == 3
    assert "damaged" in result.stderr and "Traceback" not in result.output


def test_unknown_command_and_version(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("bogus")
    assert result.exit_code == 2 and "No such command" in result.stderr
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("selfback ")


def test_every_command_has_an_owner_module() -> None:
    from selfback.cli.app import COMMAND_OWNERS, get_click_command

    assert set(get_click_command().commands) == set(COMMAND_OWNERS)
    for name, module in COMMAND_OWNERS.items():
        assert name in get_click_command(module).commands
